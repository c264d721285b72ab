// The index: every old-style mmap wiring site and every function that takes a
// struct vm_area_struct *, over the files of a run. Positions only: trees are
// freed as soon as a file is indexed.
import * as path from 'node:path';
import { captures, parseC, withTree, type Node, type SourceRange } from './parser.js';
import { ancestor, declaredName, functionDeclarator, hasStorageClass, parameters } from './cnode.js';
import { listSourceFiles, readLatin1Fallback, readSource } from './tree.js';
import { fileProblem, MAX_PARSE_BYTES, noteFileProblem, tooLargeProblem } from './sourcefile.js';
import type { WiringSite } from './types.js';
import { corpusBytes, filesCalling, hookCorpus, prefetchCorpus } from './mentions.js';
import { runTasks } from './workers.js';
import type { IndexResult, IndexTask } from './worker-tasks.js';

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
	/** the nested hook fields (struct.field) it reaches, when the worker that indexed it found them (chainkeys.ts) */
	hookFields?: string[];
	/** set when the file is not UTF-8: it was indexed as Latin-1 so that its hooks are reported (and refused), with why */
	notUtf8?: string;
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

/** ERROR nodes and function definitions, in document order. */
const INDEX_QUERY = '(ERROR) @error (function_definition) @fn';

/** What indexing a parsed file yields, with the nodes an analysis of the same parse may want. */
export interface IndexedTree {
	fi: FileIndex;
	/** the function_definition of each fi.functions[i] */
	fnNodes: Node[];
	/** every ERROR node, in document order */
	errorNodes: Node[];
}

/** 1-based line of a string index, by binary search over the newline positions (same as lineOf()). */
export function lineMap(src: string): (index: number) => number {
	let nl: number[] | undefined;
	return (index) => {
		if (!nl) {
			nl = [];
			for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) nl.push(i);
		}
		let lo = 0;
		let hi = nl.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (nl[mid]! < index) lo = mid + 1;
			else hi = mid;
		}
		return lo + 1;
	};
}

/** Index a parsed file: its wiring sites, the functions that take a vma, its ERROR count. */
export function indexTree(file: string, src: string, root: Node): IndexedTree {
	const lineAt = lineMap(src);
	const sites: WiringSite[] = [];
	for (const m of src.matchAll(SITE_RE)) {
		const at = m.index! + m[1]!.length; // the field name
		const node = root.descendantForIndex(at, at + m[2]!.length);
		if (!node || ancestor(node, 'comment', 'string_literal', 'string_content', 'char_literal')) continue;
		if (m[5] === 'NULL' || m[2]!.includes('prepare')) continue;
		const site: WiringSite = {
			file,
			line: lineAt(m.index!),
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
	const fnNodes: Node[] = [];
	const errorNodes: Node[] = [];
	for (const { name: cap, node: n } of captures(root, INDEX_QUERY)) {
		if (cap === 'error') {
			errorNodes.push(n);
			continue;
		}
		const fd = functionDeclarator(n.childForFieldName('declarator'));
		const name = declaredName(fd?.childForFieldName('declarator') ?? null);
		if (!fd || !name) continue;
		if (!parameters(fd).some((p) => p.type === 'struct vm_area_struct' && p.pointer)) continue;
		functions.push({
			name: name.text,
			file,
			line: lineAt(n.startIndex),
			start: n.startIndex,
			end: n.endIndex,
			isStatic: hasStorageClass(n, 'static'),
		});
		fnNodes.push(n);
	}
	return { fi: { file, sites, functions, parseErrors: errorNodes.length }, fnNodes, errorNodes };
}

export function indexSource(file: string, src: string): FileIndex {
	return withTree(src, (root) => indexTree(file, src, root).fi);
}

/**
 * More work to do on the parse of every file addFile() indexes (the scan's
 * per-function facts), and optionally which parts of a file to parse (the
 * scan parses only the top-level items that can hold what the index takes).
 */
export interface FileAnalyzer {
	analyze(file: string, src: string, root: Node, indexed: IndexedTree): void;
	ranges?(src: string): SourceRange[] | undefined;
}
let analyzer: FileAnalyzer | undefined;
export function setFileAnalyzer(a: FileAnalyzer | undefined): void {
	analyzer = a;
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

/**
 * Can the file matter to a plan before anything asks for it? Only if it wires
 * a hook (SITE_RE) or calls through a field named *mmap* (what chainKeys()
 * looks for in the targets). Both need "mmap" in the file.
 */
export function isIndexCandidate(src: string): boolean {
	if (!src.includes('mmap')) return false;
	SITE_RE.lastIndex = 0;
	const site = SITE_RE.test(src);
	SITE_RE.lastIndex = 0;
	return site || FIELD_CALL_RE.test(src);
}
const FIELD_CALL_RE = /(?:->|\.)\s*\w*mmap\w*\s*\(/;

/** Runs this large read the tree through the mmap corpus (one pooled pass) instead of file by file. */
const CORPUS_RUN = 3000;
/** Candidates this large (bytes) are parsed in the worker pool. */
const POOL_BYTES = 2_000_000;

/**
 * Index the files of a run. The candidates (isIndexCandidate()) are indexed
 * now, in the worker pool when there is much to parse; any other file only
 * when something asks for it (addFile(), e.g. from findDefinitions()), with the
 * same result it would have had here: a plan sees the same sites, functions
 * and chains either way.
 */
export function buildIndex(root: string, files: string[]): TreeIndex {
	const index: TreeIndex = { root, files: new Map(), unreadable: [] };
	// Nearly every plan asks the corpus something (callers, chains): the workers read it meanwhile.
	prefetchCorpus(root);
	const cands: Array<{ file: string; src?: string; bytes: number }> = [];
	/** files that are not UTF-8 but hold hooks: indexed as Latin-1 on this thread, so that they are reported */
	const latin1: Array<{ file: string; src: string }> = [];
	const unreadable = (file: string) => {
		index.unreadable.push(file);
		const text = readLatin1Fallback(root, file);
		if (text !== undefined && isIndexCandidate(text)) latin1.push({ file, src: text });
	};
	if (files.length >= CORPUS_RUN) {
		// Every candidate holds "mmap", so the corpus has it (and has read the rest of the tree once).
		hookCorpus(root);
		for (const file of files) {
			const b = corpusBytes(root, file);
			if (!b || !isIndexCandidate(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'))) continue;
			if (b.byteLength > MAX_PARSE_BYTES) noteFileProblem(root, tooLargeProblem(file, b.byteLength));
			else cands.push({ file, bytes: b.byteLength });
		}
	} else {
		for (const file of files) {
			const src = readSource(root, file);
			if (src === undefined) unreadable(file);
			else if (isIndexCandidate(src)) cands.push({ file, src, bytes: src.length });
		}
	}
	const total = cands.reduce((n, c) => n + c.bytes, 0);
	if (total >= POOL_BYTES) {
		// Big files first, so that the last tasks are short ones.
		const order = [...cands].sort((a, b) => b.bytes - a.bytes);
		const tasks: IndexTask[] = [];
		let cur: string[] = [];
		let size = 0;
		for (const c of order) {
			cur.push(c.file);
			size += c.bytes;
			if (size >= 200_000) {
				tasks.push({ kind: 'index', root, files: cur });
				cur = [];
				size = 0;
			}
		}
		if (cur.length) tasks.push({ kind: 'index', root, files: cur });
		const got = new Map<string, FileIndex>();
		runTasks(tasks, (r) => {
			const ir = r as IndexResult;
			for (const fi of ir.indexed) got.set(fi.file, fi);
			// read again here: the reason is recorded on this thread, and a Latin-1 file is indexed as such
			for (const f of ir.unreadable) if (readSource(root, f) === undefined) unreadable(f);
		});
		for (const c of cands) {
			const fi = got.get(c.file);
			if (fi) index.files.set(c.file, fi);
		}
	} else {
		for (const c of cands) {
			const src = c.src ?? readSource(root, c.file);
			if (src === undefined) unreadable(c.file);
			else index.files.set(c.file, indexSource(c.file, src));
		}
	}
	for (const l of latin1) index.files.set(l.file, { ...indexSource(l.file, l.src), notUtf8: fileProblem(root, l.file)!.reason });
	return index;
}

export function addFile(index: TreeIndex, file: string): FileIndex | undefined {
	const have = index.files.get(file);
	if (have) return have;
	let src = readSource(index.root, file);
	let notUtf8: string | undefined;
	if (src === undefined) {
		index.unreadable.push(file);
		src = readLatin1Fallback(index.root, file);
		if (src === undefined) return undefined;
		notUtf8 = fileProblem(index.root, file)!.reason;
	}
	let fi: FileIndex = { file, sites: [], functions: [], parseErrors: 0 };
	if (mayHoldHooks(src)) {
		const tree = parseC(src, analyzer?.ranges?.(src));
		try {
			const t = indexTree(file, src, tree.rootNode);
			analyzer?.analyze(file, src, tree.rootNode, t);
			fi = t.fi;
		} finally {
			tree.delete();
		}
	}
	if (notUtf8) fi.notUtf8 = notUtf8;
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
		for (const f of candidates(index.root, dir, name)) {
			if (seen.has(f) || !f.endsWith('.c')) continue;
			seen.add(f);
			// An indexed file answers from its index (a definition of name contains the needle anyway).
			if (!index.files.has(f)) {
				const src = readSource(index.root, f);
				if (src === undefined || !needle.test(src)) continue;
			}
			const fi = addFile(index, f);
			for (const fn of fi?.functions ?? []) if (fn.name === name) hits.push(fn);
		}
		if (hits.length) return hits;
		if (dir === '.' || dir === '') return [];
		dir = path.posix.dirname(dir);
	}
}

/**
 * The files of dir that can define name. A file that defines a function
 * named *mmap* contains `name (`, and the corpus knows those files; so for
 * such names, in folders the whole-tree listing covers, they are the files to
 * read; for other names every file of dir.
 */
function candidates(root: string, dir: string, name: string): string[] {
	const top = dir === '' || dir === '.';
	if (name.includes('mmap') && (top || !dir.split('/').some((p) => SKIPPED.has(p)))) {
		const hook = filesCalling(root, name);
		if (top) return hook;
		const prefix = `${dir}/`;
		return hook.filter((f) => f.startsWith(prefix));
	}
	return cachedListing(root, dir);
}
const SKIPPED = new Set(['.git', 'Documentation', 'tools', 'scripts', 'usr', 'LICENSES', '.cache', 'node_modules']);

const listings = new Map<string, string[]>();
function cachedListing(root: string, dir: string): string[] {
	const key = `${root}\0${dir}`;
	let l = listings.get(key);
	if (!l) listings.set(key, (l = listSourceFiles(root, [dir === '' ? '.' : dir])));
	return l;
}
