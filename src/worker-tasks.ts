// What the pool's workers do (src/workers.ts), also run inline on one core:
// read files and keep those that contain some byte strings, find which files
// mention a set of names, index files (parse + wiring sites + vma functions),
// and the scan's one-pass read-prefilter-parse of a slice of the tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexTree, mayHoldHooks, type FileIndex } from './index.js';
import { withTree } from './parser.js';
import { hookFieldsOnParse } from './chainkeys.js';
import { chainsTask, type ChainsTask, type ChainsResult } from './chains.js';
import { listSourceFiles } from './tree.js';
import { directCallersIn, mayCallFopsDirectly, type DirectCaller } from './fopscallers.js';
import { scanFileTask, type ScanTask, type ScanResult } from './scan-file.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
	 * Also find the direct callers of a file_operations' .mmap
	 * (src/fopscallers.ts) in the files with needles[0]; 'announce': only name
	 * the files worth parsing for them, as they are read (a worker sends notes,
	 * for the calling thread to parse while it waits).
	 */
	fopsCallers?: boolean | 'announce';
}
export interface ReadResult {
	kind: 'read';
	bytes: number;
	hits: Array<{ file: string; flags: number; data: Uint8Array }>;
	/** the files the pieces listed */
	listed?: string[];
	fopsCallers?: Array<[string, DirectCaller[]]>;
	/** files that could not be read, with the errno code (a file that vanished since the listing is not one) */
	unreadable?: Array<[string, string]>;
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

/** Index files like addFile() does. */
export interface IndexTask {
	kind: 'index';
	root: string;
	files: string[];
}
export interface IndexResult {
	kind: 'index';
	indexed: FileIndex[];
	unreadable: string[];
}

export type Task = ReadTask | GrepTask | IndexTask | ScanTask | ChainsTask;
export type TaskResult = ReadResult | GrepResult | IndexResult | ScanResult | ChainsResult;

export function needsParser(t: Task): boolean {
	return t.kind === 'index' || t.kind === 'scan' || t.kind === 'chains' || (t.kind === 'read' && t.fopsCallers === true);
}

/** The ArrayBuffers of a result that can be moved rather than copied to the caller. */
export function transferables(r: TaskResult): ArrayBuffer[] {
	const out: ArrayBuffer[] = [];
	const add = (d: Uint8Array) => {
		if (d.byteOffset === 0 && d.buffer.byteLength === d.byteLength && d.buffer instanceof ArrayBuffer && !out.includes(d.buffer)) out.push(d.buffer);
	};
	if (r.kind === 'read') r.hits.forEach((h) => add(h.data));
	if (r.kind === 'scan') [...r.corpus, ...r.macroFiles].forEach((h) => add(h.data));
	return out;
}

let shared = Buffer.allocUnsafe(1 << 20);
/**
 * A file's bytes in a buffer that the next call reuses (open + read + close:
 * cheaper than readFileSync, which also stats and allocates); undefined when
 * the file cannot be read.
 */
export function readShared(abs: string, onError?: (code: string) => void): Buffer | undefined {
	let fd: number;
	try {
		fd = fs.openSync(abs, 'r');
	} catch (e) {
		onError?.((e as NodeJS.ErrnoException).code ?? 'EIO');
		return undefined;
	}
	try {
		let n = 0;
		for (;;) {
			if (n === shared.length) {
				const bigger = Buffer.allocUnsafe(shared.length * 2);
				shared.copy(bigger, 0, 0, n);
				shared = bigger;
			}
			const k = fs.readSync(fd, shared, n, shared.length - n, null);
			if (k === 0) break;
			n += k;
		}
		return shared.subarray(0, n);
	} catch (e) {
		onError?.((e as NodeJS.ErrnoException).code ?? 'EIO');
		return undefined;
	} finally {
		fs.closeSync(fd);
	}
}

const esc = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex matching any of names as a whole word, longest first. */
export function namesRegex(names: string[]): RegExp {
	return new RegExp(`\\b(${[...new Set(names)].sort((a, b) => b.length - a.length).map(esc).join('|')})\\b`, 'g');
}

/** The direct fops callers (src/fopscallers.ts) in read files that contain "mmap" (flag bit 0). */
export function findFopsCallersIn(root: string, hits: ReadResult['hits']): Array<[string, DirectCaller[]]> {
	const out: Array<[string, DirectCaller[]]> = [];
	for (const h of hits) {
		if (!(h.flags & 1)) continue;
		const text = Buffer.from(h.data.buffer, h.data.byteOffset, h.data.byteLength).toString('latin1');
		if (mayCallFopsDirectly(h.file, text)) out.push([h.file, directCallersIn(root, h.file, text)]);
	}
	return out;
}

export interface TaskHooks {
	/** a read task with fopsCallers 'announce' names each file worth parsing for direct fops callers */
	announce?(file: string): void;
}

export function runTask(t: Task, hooks: TaskHooks = {}): TaskResult {
	switch (t.kind) {
		case 'read': {
			const needles = t.needles.map((n) => Buffer.from(n));
			const hits: ReadResult['hits'] = [];
			const unreadable: Array<[string, string]> = [];
			let bytes = 0;
			let listed: string[] | undefined;
			const read = (files: string[]) => {
				for (const file of files) {
					const buf = readShared(path.join(t.root, file), (code) => {
						if (code !== 'ENOENT') unreadable.push([file, code]);
					});
					if (!buf) continue; // vanished since the listing, or unreadable (reported)
					bytes += buf.length;
					let flags = 0;
					needles.forEach((n, i) => {
						if (buf.indexOf(n) !== -1) flags |= 1 << i;
					});
					if (!flags) continue;
					const data = Uint8Array.prototype.slice.call(buf) as Uint8Array;
					hits.push({ file, flags, data });
					if (t.fopsCallers === 'announce' && flags & 1 && mayCallFopsDirectly(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1'))) hooks.announce?.(file);
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
			const out: ReadResult = { kind: 'read', bytes, hits, ...(listed ? { listed } : {}), ...(unreadable.length ? { unreadable } : {}) };
			if (t.fopsCallers === true) out.fopsCallers = findFopsCallersIn(t.root, hits);
			return out;
		}
		case 'grep': {
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
		case 'index': {
			const indexed: FileIndex[] = [];
			const unreadable: string[] = [];
			for (const file of t.files) {
				let src: string;
				try {
					src = utf8.decode(fs.readFileSync(path.join(t.root, file)));
				} catch {
					unreadable.push(file);
					continue;
				}
				indexed.push(
					mayHoldHooks(src)
						? withTree(src, (root) => {
								const fi = indexTree(file, src, root).fi;
								const keys = hookFieldsOnParse(t.root, src, root, fi, false);
								if (keys) fi.hookFields = keys;
								return fi;
							})
						: { file, sites: [], functions: [], parseErrors: 0 },
				);
			}
			return { kind: 'index', indexed, unreadable };
		}
		case 'scan':
			return scanFileTask(t);
		case 'chains':
			return chainsTask(t);
	}
}
