// Which tree files mention a set of names. Every hook, field and implementor
// name mmapify follows contains "mmap", so the files that mention "mmap" (about
// 2,200 of 64,000 in Linux 7.3) are read once per run and kept; other names
// fall back to one pass over the whole tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listSourceFiles } from './tree.js';

interface Corpus {
	root: string;
	files: Array<{ file: string; text: string }>;
}
let corpus: Corpus | undefined;

/** The .c/.h files of the tree that mention "mmap", with their text (latin1: byte offsets are not used). */
export function mmapCorpus(root: string): Corpus['files'] {
	if (corpus?.root === root) return corpus.files;
	const files: Corpus['files'] = [];
	const needle = Buffer.from('mmap');
	for (const f of listSourceFiles(root, ['.'])) {
		const buf = fs.readFileSync(path.join(root, f));
		if (buf.indexOf(needle) !== -1) files.push({ file: f, text: buf.toString('latin1') });
	}
	corpus = { root, files };
	return files;
}

const esc = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
		for (const { file, text } of mmapCorpus(root)) record(file, text);
		return out;
	}
	const needles = [...new Set(names.map((n) => (n.includes('mmap') ? 'mmap' : n)))].map((n) => Buffer.from(n));
	for (const f of listSourceFiles(root, ['.'])) {
		const buf = fs.readFileSync(path.join(root, f));
		if (needles.some((n) => buf.indexOf(n) !== -1)) record(f, buf.toString('latin1'));
	}
	return out;
}

/** Corpus files that mention word and at least one of others. */
export function filesWith(root: string, word: string, others: string[]): string[] {
	const w = new RegExp(`\\b${esc(word)}\\b`);
	const o = new RegExp(`\\b(${others.map(esc).join('|')})\\b`);
	return mmapCorpus(root).filter(({ text }) => w.test(text) && o.test(text)).map(({ file }) => file);
}
