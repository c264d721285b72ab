// Which tree files mention a set of names. Every hook, field and implementor
// name mmapify follows contains "mmap", so one pass over the tree (in the
// worker pool) keeps the files that contain it (about 1,800 of 59,000 in
// Linux 7.3) for the rest of the run; other names fall back to one pooled pass
// over the whole tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { treePieces } from '../kernel/tree.js';
import { chunk, runTasks, startTasks, workerCount, type Started } from '../pool/pool.js';
import { analyzeHits, grepTask, readTask, type ReadAnalysis, type ReadResult, type ReadTask, type GrepResult, type GrepTask } from './tasks.js';
import { parserReady } from '../c/parser.js';
import { forEachMmapWord, isSpace, isWord, mmapCallWords } from '../base/words.js';
import { escapeRegExp as esc } from '../base/text.js';

/** flags bit 0: the file contains "mmap" */
export const MMAP = 1;
export const CORPUS_NEEDLES = ['mmap'];

interface Entry {
	file: string;
	flags: number;
	data: Uint8Array;
	/** `\w*mmap\w*(` tokens, when the pass that read the file collected them */
	tokens?: string[];
}

interface Corpus {
	root: string;
	/** every .c/.h file of the tree (listSourceFiles(root, ['.'])) */
	all: string[];
	entries: Map<string, Entry>;
	/** files that contain "mmap", with their text (latin1: byte offsets are not used) */
	mmap: Array<{ file: string; text: string }>;
	/** the same files' names, sorted */
	hook: string[];
	bytes: number;
	/** identifiers with "mmap" written before a `(`, and the files (sorted) where they are */
	tokens?: Map<string, string[]>;
	texts?: Map<string, string>;
	/** what the pass's read-analysis found (by analysis name, then by file) */
	analyses: Map<string, Map<string, unknown>>;
	words?: MmapWords;
}

/** Where the words with "mmap" in them are, built once per corpus (see mmapWords()). */
interface MmapWords {
	/** every identifier containing "mmap", and the corpus files (in corpus order) that have it */
	files: Map<string, string[]>;
	/** the same for field accesses `x->word`, `x.word`, `x[i].word`, `f(x).word` */
	accessed: Map<string, string[]>;
}
let corpus: Corpus | undefined;

/** Files per pool task: small enough to balance, large enough to keep messages few. */
const FILES_PER_TASK = 250;
/** Below this many files (a test tree, a small checkout) reading inline beats starting workers. */
const INLINE_BELOW = 3000;

/** Install a corpus read elsewhere (the scan reads the tree once for everything). */
export function setCorpus(root: string, all: string[], entries: Iterable<Entry>, bytes = 0, analyses = new Map<string, Map<string, unknown>>()): void {
	const map = new Map<string, Entry>();
	for (const e of entries) map.set(e.file, e);
	const sorted = [...map.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
	corpus = {
		root,
		all,
		entries: map,
		mmap: sorted.filter((e) => e.flags & MMAP).map((e) => ({ file: e.file, text: Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength).toString('latin1') })),
		hook: sorted.map((e) => e.file),
		bytes,
		analyses,
	};
	// The reading pass may have collected the `name(` tokens already.
	const withMmap = sorted.filter((e) => e.flags & MMAP);
	if (withMmap.length && withMmap.every((e) => e.tokens)) {
		const tokens = new Map<string, string[]>();
		for (const e of withMmap)
			for (const n of e.tokens!) {
				const l = tokens.get(n);
				if (l) l.push(e.file);
				else tokens.set(n, [e.file]);
			}
		corpus.tokens = tokens;
	}
}

let prefetch: { root: string; pieces: string[]; job: Started<ReadResult>; inline: boolean; analysis?: ReadAnalysis } | undefined;

/**
 * Start reading the corpus in the worker pool and return at once; the first
 * question that needs it takes the answers. A run calls this as early as it
 * can (buildIndex() does), so that the workers read while it indexes. The
 * workers list the tree too, each its pieces (tree.ts treePieces()).
 * With an analysis, the workers also run it on the files it wants as they
 * read them (corpusAnalysis() has the findings); a pass on this thread does not.
 */
export function prefetchCorpus(root: string, analysis?: ReadAnalysis): void {
	if (corpus?.root === root || prefetch?.root === root) return;
	const pieces = treePieces(root);
	// A small tree (a test's, the example) is read on this thread when asked.
	const inline = workerCount() < 2 || pieces.length < MANY_PIECES;
	// One task per worker; they share the pieces through a claim counter.
	const claim = new Int32Array(new SharedArrayBuffer(4));
	const tasks: ReadTask[] = inline
		? [{ kind: 'read', root, files: [], pieces, needles: CORPUS_NEEDLES }]
		: Array.from({ length: workerCount() }, () => ({ kind: 'read', root, files: [], pieces, claim, needles: CORPUS_NEEDLES, ...(analysis ? { analysis: { name: analysis.name, mode: parserReady() ? 'announce' : 'parse' } as const } : {}) }));
	prefetch = { root, pieces, inline, analysis, job: startTasks(tasks, (t) => readTask(t), { inline }) };
}
/** A kernel tree has some 400 pieces; a test tree a handful. */
const MANY_PIECES = 50;

function load(root: string): Corpus {
	if (corpus?.root === root) return corpus;
	prefetchCorpus(root);
	const { job, inline, analysis } = prefetch!;
	prefetch = undefined;
	const entries: Entry[] = [];
	const all: string[] = [];
	let bytes = 0;
	// The read-analysis (e.g. src/find/fops-callers.ts): the workers name the files as they
	// read them and this thread, otherwise waiting, analyses them (or the workers do).
	const found = new Map<string, unknown>();
	job.wait(
		(rr) => {
			bytes += rr.bytes;
			entries.push(...rr.hits);
			all.push(...(rr.listed ?? []));
			for (const [f, l] of rr.analyzed ?? []) found.set(f, l);
		},
		(file) => {
			const text = readLatin1(root, file);
			if (text !== undefined) found.set(file, analysis!.run(root, file, text));
		},
	);
	all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	setCorpus(root, all, entries, bytes, analysis && !inline ? new Map([[analysis.name, found]]) : undefined);
	return corpus!;
}

function readLatin1(root: string, file: string): string | undefined {
	try {
		return fs.readFileSync(path.join(root, file), 'latin1');
	} catch {
		return undefined;
	}
}

/** Run a read-analysis on some just-read corpus files (those with "mmap"), adding to into. */
export function analyzeEntries<T>(root: string, hits: Entry[], analysis: ReadAnalysis<T>, into: Map<string, T>): void {
	for (const [f, v] of analyzeHits(root, hits, analysis)) into.set(f, v);
}

/** The .c/.h files of the tree that mention "mmap", with their text. */
export function mmapCorpus(root: string): Corpus['mmap'] {
	return load(root).mmap;
}

/** Every .c/.h file of the tree, as listSourceFiles(root, ['.']) lists them. */
export function treeFiles(root: string): string[] {
	return load(root).all;
}

/** Files that mention "mmap" (the only ones that can define a function named *mmap*), sorted. */
export function hookCorpus(root: string): string[] {
	return load(root).hook;
}

/**
 * The corpus files where `name (` occurs for a name with "mmap" in it (a
 * call, a prototype or a definition), sorted: the files findDefinitions()
 * has to look at for that name.
 */
export function filesCalling(root: string, name: string): string[] {
	const c = load(root);
	if (!c.tokens) {
		c.tokens = new Map();
		for (const { file, text } of c.mmap) {
			for (const n of mmapCallWords(text)) {
				const l = c.tokens.get(n);
				if (l) l.push(file);
				else c.tokens.set(n, [file]);
			}
		}
	}
	return c.tokens.get(name) ?? [];
}

/** The text (latin1) of a corpus file. */
export function corpusText(root: string, file: string): string | undefined {
	const c = load(root);
	c.texts ??= new Map(c.mmap.map((e) => [e.file, e.text]));
	return c.texts.get(file);
}

/** What the pass's read-analysis of this name found, by file (undefined when it did not run). */
export function corpusAnalysis<T>(root: string, name: string): Map<string, T> | undefined {
	return corpus?.root === root ? (corpus.analyses.get(name) as Map<string, T> | undefined) : undefined;
}

/** The bytes of a corpus file, when the pass kept them. */
export function corpusBytes(root: string, file: string): Uint8Array | undefined {
	return corpus?.root === root ? corpus.entries.get(file)?.data : undefined;
}

/** Is the corpus of this tree in memory already? */
export function haveCorpus(root: string): boolean {
	return corpus?.root === root;
}

/** Drop the corpus (tests that edit a tree between runs). */
export function resetCorpus(): void {
	corpus = undefined;
	prefetch?.job.wait(() => {});
	prefetch = undefined;
}


/**
 * One pass over the corpus for every word with "mmap" in it: which files have
 * it, and which access it as a field. The names mmapify follows all contain
 * "mmap", so their questions are answered from here instead of running a
 * regular expression over every corpus file per name.
 */
function mmapWords(root: string): MmapWords {
	const c = load(root);
	if (c.words) return c.words;
	const files = new Map<string, string[]>();
	const accessed = new Map<string, string[]>();
	const add = (m: Map<string, string[]>, w: string, file: string) => {
		const l = m.get(w);
		if (!l) m.set(w, [file]);
		else if (l[l.length - 1] !== file) l.push(file);
	};
	for (const { file, text } of c.mmap) {
		forEachMmapWord(text, (w, a) => {
			add(files, w, file);
			// `->w`, or `.w` after a name, `]` or `)` (not a designator `.w =`), blanks between.
			let j = a - 1;
			while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
			if (j >= 1 && text.charCodeAt(j) === 62 /* > */ && text.charCodeAt(j - 1) === 45 /* - */) add(accessed, w, file);
			else if (j >= 1 && text.charCodeAt(j) === 46 /* . */) {
				let k = j - 1;
				while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
				const p = text.charCodeAt(k);
				if (k >= 0 && (isWord(p) || p === 93 /* ] */ || p === 41 /* ) */)) add(accessed, w, file);
			}
		});
	}
	return (c.words = { files, accessed });
}

/** The corpus entries (in corpus order) that may name word: for a word with "mmap" in it, those that do. */
export function corpusNaming(root: string, word: string): Corpus['mmap'] {
	if (!word.includes('mmap')) return mmapCorpus(root);
	const has = new Set(mmapWords(root).files.get(word) ?? []);
	return mmapCorpus(root).filter(({ file }) => has.has(file));
}

/** Corpus files (in corpus order) that access a field `x->field` / `x.field`; field has "mmap" in it. */
export function filesAccessing(root: string, field: string): string[] {
	if (!field.includes('mmap')) {
		const access = new RegExp(`(?:->|[\\w\\])]\\s*\\.)\\s*${esc(field)}\\b`);
		return mmapCorpus(root).filter(({ text }) => access.test(text)).map(({ file }) => file);
	}
	return mmapWords(root).accessed.get(field) ?? [];
}

export function scanMentions(root: string, names: string[]): Map<string, string[]> {
	const out = new Map<string, string[]>(names.map((n) => [n, []]));
	if (!names.length) return out;
	const re = new RegExp(`\\b(${[...new Set(names)].sort((a, b) => b.length - a.length).map(esc).join('|')})\\b`, 'g');
	const record = (file: string, text: string) => {
		const seen = new Set<string>();
		for (const m of text.matchAll(re)) seen.add(m[1]!);
		for (const n of seen) out.get(n)?.push(file);
	};
	if (names.every((n) => n.includes('mmap'))) {
		const words = mmapWords(root).files;
		const files = new Set(names.flatMap((n) => words.get(n) ?? []));
		for (const { file, text } of mmapCorpus(root)) if (files.has(file)) record(file, text);
		return out;
	}
	const found: Array<[string, string[]]> = [];
	runTasks(
		chunk(treeFiles(root), FILES_PER_TASK).map((files): GrepTask => ({ kind: 'grep', root, files, names })),
		grepTask,
		(r: GrepResult) => found.push(...r.hits),
		{ inline: treeFiles(root).length < INLINE_BELOW },
	);
	found.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	for (const [file, ns] of found) for (const n of ns) out.get(n)?.push(file);
	return out;
}

/**
 * For each list of others: the corpus files that mention word and at least
 * one of the others (all as whole words), in one pass over the files that
 * have word: a regular expression finds which of all the names each file
 * holds (as text), then only those are confirmed as words. Much cheaper than
 * one search per list when word is common ("mmap").
 */
export function filesWithEach(root: string, word: string, lists: string[][]): string[][] {
	const names = [...new Set(lists.flat())].sort((a, b) => b.length - a.length);
	if (!names.length) return lists.map(() => []);
	// Every place a name starts (a lookahead finds them all); a name that starts another
	// is only seen where the longer one is not, so those are looked for on their own.
	const any = new RegExp(`(?=(${names.map(esc).join('|')}))`, 'g');
	const prefixes = names.filter((n) => names.some((m) => m !== n && m.startsWith(n)));
	const asWord = new Map(names.map((n) => [n, new RegExp(`\\b${esc(n)}\\b`)]));
	const w = new RegExp(`\\b${esc(word)}\\b`);
	const out = lists.map((): string[] => []);
	for (const { file, text } of corpusNaming(root, word)) {
		if (!w.test(text)) continue;
		const held = new Set<string>();
		for (const m of text.matchAll(any)) held.add(m[1]!);
		for (const p of prefixes) if (!held.has(p) && text.includes(p)) held.add(p);
		if (!held.size) continue;
		lists.forEach((others, i) => {
			if (others.some((o) => held.has(o) && asWord.get(o)!.test(text))) out[i]!.push(file);
		});
	}
	return out;
}
