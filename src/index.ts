// The index: every old-style mmap wiring site and every function that takes a
// struct vm_area_struct *, over the files of a run. Positions only: trees are
// freed as soon as a file is indexed.
import * as path from 'node:path';
import { lineOf, walk, withTree, type Node } from './parser.js';
import { ancestor, declaredName, functionDeclarator, hasStorageClass, parameters } from './cnode.js';
import { listSourceFiles, readSource } from './tree.js';
import type { WiringSite } from './types.js';

/** A function definition that takes a struct vm_area_struct *. */
export interface VmaFunction {
	name: string;
	file: string;
	line: number;
	start: number; // function_definition range
	end: number;
	isStatic: boolean;
}

export interface FileIndex {
	file: string;
	sites: WiringSite[];
	functions: VmaFunction[];
	/** ERROR nodes tree-sitter reported in the file */
	parseErrors: number;
}

// `.mmap = fn` in initialisers and `x->ops.mmap = fn` / `x->mmap = fn` assignments,
// for any field whose name has mmap in it (fb_mmap, map_mmap, mmap_ring_buffer...).
const SITE_RE = /(\.|->)(\w*mmap\w*)\b(\s*)=(?!=)(\s*)([A-Za-z_]\w*)/g;

function structTypeOf(typeNode: Node | null): string {
	if (!typeNode) return '';
	if (typeNode.type === 'struct_specifier') return typeNode.childForFieldName('name')?.text ?? '';
	return typeNode.text;
}

/** The struct type of the initialiser (or compound literal) that holds node. */
function initialiserStruct(list: Node): string {
	for (let n: Node | null = list; n; n = n.parent) {
		if (n.type === 'init_declarator') return structTypeOf(n.parent?.childForFieldName('type') ?? null);
		if (n.type === 'compound_literal_expression') return structTypeOf(n.childForFieldName('type')?.childForFieldName('type') ?? n.childForFieldName('type'));
		if (n.type === 'initializer_pair') return ''; // nested member: type of the member is not known here
	}
	return '';
}

export function indexSource(file: string, src: string): FileIndex {
	return withTree(src, (root) => {
		const sites: WiringSite[] = [];
		for (const m of src.matchAll(SITE_RE)) {
			const at = m.index! + m[1]!.length; // the field name
			const node = root.descendantForIndex(at, at + m[2]!.length);
			if (!node || ancestor(node, 'comment', 'string_literal', 'string_content', 'char_literal')) continue;
			if (m[5] === 'NULL' || m[2]!.includes('prepare')) continue;
			const site: WiringSite = {
				file,
				line: lineOf(src, m.index!),
				structType: '',
				field: m[2]!,
				value: m[5]!,
				start: m.index!,
				end: m.index! + m[0].length,
			};
			const macro = ancestor(node, 'preproc_def', 'preproc_function_def');
			if (macro) {
				site.macro = macro.childForFieldName('name')?.text ?? '?';
				const before = src.slice(macro.startIndex, m.index!);
				site.structType = [...before.matchAll(/struct\s+(\w+)\s*\w*\s*(?:\[\s*\w*\s*\])?\s*=\s*\{|\(\s*struct\s+(\w+)\s*\)\s*\{/g)].map((x) => x[1] ?? x[2]).pop() ?? '';
			} else {
				const list = ancestor(node, 'initializer_list');
				if (list) site.structType = initialiserStruct(list);
				else if (!ancestor(node, 'assignment_expression')) continue; // e.g. a call argument, not wiring
			}
			sites.push(site);
		}
		const functions: VmaFunction[] = [];
		let parseErrors = 0;
		for (const n of walk(root)) {
			if (n.type === 'ERROR') parseErrors++;
			if (n.type !== 'function_definition') continue;
			const fd = functionDeclarator(n.childForFieldName('declarator'));
			const name = declaredName(fd?.childForFieldName('declarator') ?? null);
			if (!fd || !name) continue;
			if (!parameters(fd).some((p) => p.type === 'struct vm_area_struct' && p.pointer)) continue;
			functions.push({
				name: name.text,
				file,
				line: lineOf(src, n.startIndex),
				start: n.startIndex,
				end: n.endIndex,
				isStatic: hasStorageClass(n, 'static'),
			});
		}
		return { file, sites, functions, parseErrors };
	});
}

/** Cheap byte test before parsing: only files that mention mmap can wire or define a hook. */
export function mayHoldHooks(src: string): boolean {
	return src.includes('mmap') || src.includes('vm_area_struct');
}

export interface TreeIndex {
	root: string;
	files: Map<string, FileIndex>;
	/** files that could not be read as UTF-8 */
	unreadable: string[];
}

export function buildIndex(root: string, files: string[]): TreeIndex {
	const index: TreeIndex = { root, files: new Map(), unreadable: [] };
	for (const file of files) addFile(index, file);
	return index;
}

export function addFile(index: TreeIndex, file: string): FileIndex | undefined {
	const have = index.files.get(file);
	if (have) return have;
	const src = readSource(index.root, file);
	if (src === undefined) {
		index.unreadable.push(file);
		return undefined;
	}
	const fi = mayHoldHooks(src) ? indexSource(file, src) : { file, sites: [], functions: [], parseErrors: 0 };
	index.files.set(file, fi);
	return fi;
}

/**
 * Find where a hook named in a wiring site is defined: the same file, then the
 * same folder, then ever wider folders up to the whole tree. Several
 * definitions (e.g. #ifdef CONFIG_MMU variants) are all returned.
 */
export function findDefinitions(index: TreeIndex, name: string, near: string): VmaFunction[] {
	const local = (index.files.get(near) ?? addFile(index, near))?.functions.filter((f) => f.name === name) ?? [];
	if (local.length) return local;
	const needle = new RegExp(`\\b${name}\\s*\\(`);
	let dir = path.posix.dirname(near);
	const seen = new Set<string>([near]);
	for (;;) {
		const hits: VmaFunction[] = [];
		for (const f of cachedListing(index.root, dir)) {
			if (seen.has(f) || !f.endsWith('.c')) continue;
			seen.add(f);
			const src = readSource(index.root, f);
			if (src === undefined || !needle.test(src)) continue;
			const fi = addFile(index, f);
			for (const fn of fi?.functions ?? []) if (fn.name === name) hits.push(fn);
		}
		if (hits.length) return hits;
		if (dir === '.' || dir === '') return [];
		dir = path.posix.dirname(dir);
	}
}

const listings = new Map<string, string[]>();
function cachedListing(root: string, dir: string): string[] {
	const key = `${root}\0${dir}`;
	let l = listings.get(key);
	if (!l) listings.set(key, (l = listSourceFiles(root, [dir === '' ? '.' : dir])));
	return l;
}
