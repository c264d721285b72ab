// The corpus's pool tasks (dispatched by src/worker.ts, also run inline on one
// core): read files and keep those that contain some byte strings, optionally
// running a named read-analysis on them; find which files mention a set of names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listSourceFiles } from '../kernel/tree.js';
import { readShared } from '../base/fs.js';
import { namesRegex } from '../base/text.js';

/** Read files; return those containing any needle (flags: bit i = needles[i] found) with their bytes. */
export interface ReadTask {
	kind: 'read';
	root: string;
	files: string[];
	/** pieces of the tree to list (listSourceFiles()) and read too */
	pieces?: string[];
	/**
	 * Shared with the other workers given the same pieces: each takes the
	 * next piece not yet taken (Atomics.add), so big and small pieces even out.
	 */
	claim?: Int32Array;
	needles: string[];
	/**
	 * Also run the read-analysis of this name (src/worker.ts holds them; the
	 * direct fops callers of src/find/fops-callers.ts are one) on the files with
	 * needles[0]: 'parse' runs it in the worker; 'announce' only names the
	 * files worth it, as they are read (a worker sends notes, for the calling
	 * thread to analyse while it waits).
	 */
	analysis?: { name: string; mode: 'parse' | 'announce' };
}
export interface ReadResult {
	kind: 'read';
	bytes: number;
	hits: Array<{ file: string; flags: number; data: Uint8Array }>;
	/** the files the pieces listed */
	listed?: string[];
	/** what the read-analysis found, by file (mode 'parse') */
	analyzed?: Array<[string, unknown]>;
}

/** Which of the names (whole words) each file mentions; only files that mention one are returned. */
export interface GrepTask {
	kind: 'grep';
	root: string;
	files: string[];
	names: string[];
}
export interface GrepResult {
	kind: 'grep';
	hits: Array<[string, string[]]>;
}

/**
 * An analysis run on some files as they are read: which files it wants
 * (may) and what it finds in one (run). The corpus keeps the findings by name.
 */
export interface ReadAnalysis<T = unknown> {
	name: string;
	may(file: string, text: string): boolean;
	run(root: string, file: string, text: string): T;
}

/** The analysis on the read files that contain needles[0] (flag bit 0) and that it wants. */
export function analyzeHits<T>(root: string, hits: ReadResult['hits'], a: ReadAnalysis<T>): Array<[string, T]> {
	const out: Array<[string, T]> = [];
	for (const h of hits) {
		if (!(h.flags & 1)) continue;
		const text = Buffer.from(h.data.buffer, h.data.byteOffset, h.data.byteLength).toString('latin1');
		if (a.may(h.file, text)) out.push([h.file, a.run(root, h.file, text)]);
	}
	return out;
}

export interface ReadHooks {
	/** the read-analysis the task names (the worker's table has them) */
	analysis?: ReadAnalysis;
	/** a read task in mode 'announce' names each file worth analysing */
	announce?(file: string): void;
}

export function readTask(t: ReadTask, hooks: ReadHooks = {}): ReadResult {
	const needles = t.needles.map((n) => Buffer.from(n));
	const hits: ReadResult['hits'] = [];
	let bytes = 0;
	let listed: string[] | undefined;
	const read = (files: string[]) => {
		for (const file of files) {
			const buf = readShared(path.join(t.root, file));
			if (!buf) continue; // vanished since the listing
			bytes += buf.length;
			let flags = 0;
			needles.forEach((n, i) => {
				if (buf.indexOf(n) !== -1) flags |= 1 << i;
			});
			if (!flags) continue;
			const data = Uint8Array.prototype.slice.call(buf) as Uint8Array;
			hits.push({ file, flags, data });
			if (t.analysis?.mode === 'announce' && flags & 1 && hooks.analysis?.may(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1'))) hooks.announce?.(file);
		}
	};
	read(t.files);
	if (t.pieces && t.claim) {
		// A piece is listed and read before the next is claimed: a worker that
		// started late still gets its share of the reading.
		listed = [];
		for (let i = Atomics.add(t.claim, 0, 1); i < t.pieces.length; i = Atomics.add(t.claim, 0, 1)) {
			const files = listSourceFiles(t.root, [t.pieces[i]!]);
			listed.push(...files);
			read(files);
		}
	} else if (t.pieces) read((listed = listSourceFiles(t.root, t.pieces)));
	const out: ReadResult = { kind: 'read', bytes, hits, ...(listed ? { listed } : {}) };
	if (t.analysis?.mode === 'parse' && hooks.analysis) out.analyzed = analyzeHits(t.root, hits, hooks.analysis);
	return out;
}

export function grepTask(t: GrepTask): GrepResult {
	const re = namesRegex(t.names);
	// A file can only mention a name if it holds the name's bytes; "mmap" names share one needle.
	const needles = [...new Set(t.names.map((n) => (n.includes('mmap') ? 'mmap' : n)))].map((n) => Buffer.from(n));
	const hits: GrepResult['hits'] = [];
	for (const file of t.files) {
		let buf: Buffer;
		try {
			buf = fs.readFileSync(path.join(t.root, file));
		} catch {
			continue;
		}
		if (!needles.some((n) => buf.indexOf(n) !== -1)) continue;
		const seen = new Set<string>();
		for (const m of buf.toString('latin1').matchAll(re)) seen.add(m[1]!);
		if (seen.size) hits.push([file, [...seen]]);
	}
	return { kind: 'grep', hits };
}
