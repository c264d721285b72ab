// Where the scan finds what a site names: the definition of a hook (the same
// file, the same folder, ever wider for a name with "mmap"), the facts of a
// function, a helper the hook hands its vma to, and whether a struct's field
// takes a vma. Files not parsed yet are indexed on demand (addFile()). One
// ScanLookup per scan holds what its lookups learnt.
import * as path from 'node:path';
import { addFile, findDefinitions } from '../find/build-index.js';
import type { TreeIndex, VmaFunction } from '../find/sites.js';
import { corpusBytes, filesCalling } from '../corpus/corpus.js';
import { listSourceFiles, readSource } from '../kernel/tree.js';
import { StructScope } from '../find/typing.js';
import { isVmaHookField } from '../find/hook-fields.js';
import type { FileScan, FnFacts } from './file.js';

/**
 * The definition a site's hook name resolves to: the same file, the same
 * folder, then (like findDefinitions()) ever wider folders, but the whole-tree
 * search only for names with "mmap" (the corpus has their files): a name like
 * min() in `pgmap->vmemmap_shift = min(...)` is not looked for tree-wide.
 */
function definitionOf(index: TreeIndex, name: string, file: string): VmaFunction | undefined {
	if (name.includes('mmap')) {
		const def = findDefinitions(index, name, file)[0];
		if (def) return def;
		// findDefinitions() reads .c files; a static inline hook lives in a header.
		for (const h of filesCalling(index.root, name)) {
			if (!h.endsWith('.h')) continue;
			const fn = addFile(index, h)?.functions.find((f) => f.name === name);
			if (fn) return fn;
		}
		return undefined;
	}
	const own = addFile(index, file)?.functions.find((f) => f.name === name);
	if (own) return own;
	const needle = new RegExp(`\\b${name}\\s*\\(`);
	for (const f of listSourceFiles(index.root, [path.posix.dirname(file)])) {
		if (f === file || !f.endsWith('.c')) continue;
		const b = corpusBytes(index.root, f);
		const src = b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1') : readSource(index.root, f);
		if (src === undefined || !needle.test(src)) continue;
		const fn = addFile(index, f)?.functions.find((x) => x.name === name);
		if (fn) return fn;
	}
	return undefined;
}

/** Does struct.field take a vma? undefined when the struct is not visible from file. */
function fieldChecker(root: string): (struct: string, field: string, file: string) => boolean | undefined {
	const cache = new Map<string, boolean | undefined>();
	/** what some file that sees the struct said (struct tags are tree-wide names) */
	const known = new Map<string, boolean>();
	return (struct, field, file) => {
		if (struct === 'file_operations' && field === 'mmap') return true;
		const key = `${struct}.${field}\0${file}`;
		const seen = known.get(`${struct}.${field}`);
		if (seen !== undefined) return seen; // struct tags name one struct tree-wide: asked once
		if (!cache.has(key)) {
			const decl = new StructScope(root, file).field(struct, field);
			const v = decl ? isVmaHookField(decl) : undefined;
			if (v !== undefined) known.set(`${struct}.${field}`, v);
			cache.set(key, v);
		}
		return cache.get(key) ?? known.get(`${struct}.${field}`);
	};
}

/** What one scan looks up (definitions, facts, helpers, fields) and what it learnt doing so: made by scanTree(), passed to its phases. */
export class ScanLookup {
	private readonly defs = new Map<string, VmaFunction | undefined>();
	/** folder (and whether the name has "mmap") -> its .c files that can define the name */
	private readonly dirs = new Map<string, string[]>();
	/** Does struct.field take a vma? undefined when the struct is not visible from file. */
	readonly isVmaField: (struct: string, field: string, file: string) => boolean | undefined;

	constructor(
		readonly index: TreeIndex,
		readonly scans: Map<string, FileScan>,
	) {
		this.isVmaField = fieldChecker(index.root);
	}

	/** definitionOf(), once per name and file; undefined for a name that is not an identifier. */
	definition(name: string, file: string): VmaFunction | undefined {
		const key = `${name}\0${file}`;
		if (!this.defs.has(key)) this.defs.set(key, /^[A-Za-z_]\w*$/.test(name) ? definitionOf(this.index, name, file) : undefined);
		return this.defs.get(key);
	}

	facts(file: string, name: string, start?: number): FnFacts | undefined {
		if (!this.scans.has(file)) addFile(this.index, file);
		const s = this.scans.get(file);
		return s?.facts.find((f) => f.name === name && (start === undefined || f.start === start)) ?? s?.facts.find((f) => f.name === name);
	}

	/** A helper that receives the vma: defined in the same file, or (not static) in the same folder. */
	helper(name: string, from: string): (FnFacts & { file: string }) | undefined {
		const own = this.facts(from, name);
		if (own) return { ...own, file: from };
		const dir = path.posix.dirname(from);
		const needle = new RegExp(`\\b${name}\\s*\\(`);
		for (const f of this.sameDir(dir, name)) {
			if (f === from) continue;
			const b = corpusBytes(this.index.root, f);
			const src = b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1') : undefined;
			if (src !== undefined && !needle.test(src)) continue;
			const facts = this.facts(f, name);
			if (facts && !facts.isStatic) return { ...facts, file: f };
		}
		return undefined;
	}

	/** .c files of dir that can define name: for a name with "mmap", the corpus ones; else all. */
	private sameDir(dir: string, name: string): string[] {
		const root = this.index.root;
		const key = `${dir}\0${name.includes('mmap')}`;
		let l = this.dirs.get(key);
		if (!l) {
			l = listSourceFiles(root, [dir]).filter((f) => f.endsWith('.c') && path.posix.dirname(f) === dir && (!name.includes('mmap') || corpusBytes(root, f)));
			this.dirs.set(key, l);
		}
		return l;
	}
}
