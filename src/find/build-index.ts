// The index: every old-style mmap wiring site and every function that takes a
// struct vm_area_struct *, over the files of a run (each file's entry is
// sites.ts's). Positions only: trees are freed as soon as a file is indexed.
import * as path from 'node:path';
import { parseC } from '../c/parser.js';
import { listSourceFiles, readLatin1Fallback, readSource, SKIP_DIRS } from '../kernel/tree.js';
import { fileProblem, MAX_PARSE_BYTES, noteFileProblem, tooLargeProblem } from '../kernel/source-file.js';
import { corpusBytes, filesCalling, hookCorpus, prefetchCorpus } from '../corpus/corpus.js';
import { fopsCallersAnalysis } from './fops-callers.js';
import { indexTask, type IndexResult, type IndexTask } from './index-task.js';
import { indexSource, indexTree, isIndexCandidate, mayHoldHooks, memoOf, type FileIndex, type TreeIndex, type VmaFunction } from './sites.js';
import { runTasks } from '../pool/pool.js';

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
	prefetchCorpus(root, fopsCallersAnalysis);
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
		runTasks(tasks, indexTask, (ir: IndexResult) => {
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
		const tree = parseC(src, index.analyzer?.ranges?.(src));
		try {
			const t = indexTree(file, src, tree.rootNode);
			index.analyzer?.analyze(file, src, tree.rootNode, t);
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
		for (const f of candidates(index, dir, name)) {
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
function candidates(index: TreeIndex, dir: string, name: string): string[] {
	const root = index.root;
	const top = dir === '' || dir === '.';
	if (name.includes('mmap') && (top || !dir.split('/').some((p) => SKIP_DIRS.has(p)))) {
		const hook = filesCalling(root, name);
		if (top) return hook;
		const prefix = `${dir}/`;
		return hook.filter((f) => f.startsWith(prefix));
	}
	return cachedListing(index, dir);
}

function cachedListing(index: TreeIndex, dir: string): string[] {
	const { listings } = memoOf(index);
	let l = listings.get(dir);
	if (!l) listings.set(dir, (l = listSourceFiles(index.root, [dir === '' ? '.' : dir])));
	return l;
}
