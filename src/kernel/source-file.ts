// The tree's files as a run reads them, and the ones it could not use: not
// UTF-8 (read as Latin-1 to find their hooks, which are then refused: a patch
// is written for UTF-8 files only), too large to parse, unreadable. Each such
// file is recorded once per tree and reported by the run (the JSON report's
// skippedFiles and a note per file), never dropped in silence.
import { isEnvironmentFailure, errnoText } from '../base/envfail.js';

/**
 * Files larger than this are not parsed. tree-sitter's wasm build aborts the
 * whole process on files of some tens of MB (50 MB: RuntimeError: Aborted(),
 * 2.2 GB of memory); 12 MB takes half a minute and a GB. Linux 7.3's largest
 * .c is 1.8 MB; its larger files are generated register headers that never
 * mention mmap.
 */
export const MAX_PARSE_BYTES = 8 * 1024 * 1024;

export type FileProblemCode = 'not-utf8' | 'too-large' | 'unreadable';

export interface FileProblem {
	/** tree-relative path */
	file: string;
	/** skip: mmapify chose not to use it; error: it could not be read */
	status: 'skip' | 'error';
	code: FileProblemCode;
	reason: string;
}

const problems = new Map<string, Map<string, FileProblem>>();

export function noteFileProblem(root: string, p: FileProblem): void {
	let m = problems.get(root);
	if (!m) problems.set(root, (m = new Map()));
	if (!m.has(p.file)) m.set(p.file, p);
}

/** Every file of the tree a run could not use, by path. */
export function fileProblems(root: string): FileProblem[] {
	return [...(problems.get(root)?.values() ?? [])].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export function fileProblem(root: string, file: string): FileProblem | undefined {
	return problems.get(root)?.get(file);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The first line holding a byte that is not UTF-8 (1-based). */
function badLine(buf: Uint8Array): number {
	let line = 1;
	for (let i = 0; i < buf.length; ) {
		const b = buf[i]!;
		if (b === 10) line++;
		const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
		if (!n || i + n > buf.length) return line;
		try {
			if (n > 1) utf8.decode(buf.subarray(i, i + n));
		} catch {
			return line;
		}
		i += n;
	}
	return line;
}

export interface Decoded {
	/** the text, when the file is UTF-8 */
	text?: string;
	/** the bytes as Latin-1 (every byte one character): always there */
	latin1: string;
	/** for a file that is not UTF-8: why, with the first bad line */
	notUtf8?: string;
}

export function decodeSource(buf: Uint8Array): Decoded {
	const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
	try {
		return { text: utf8.decode(buf), latin1 };
	} catch {
		return { latin1, notUtf8: `not valid UTF-8 (line ${badLine(buf)}); read as Latin-1 to find its hooks, which mmapify does not convert (it writes patches for UTF-8 files only)` };
	}
}

export function notUtf8Problem(file: string, why: string): FileProblem {
	return { file, status: 'skip', code: 'not-utf8', reason: why };
}

export function tooLargeReason(bytes: number): string {
	const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
	return `too large to parse (${mb(bytes)}; mmapify parses files up to ${mb(MAX_PARSE_BYTES)})`;
}

export function tooLargeProblem(file: string, bytes: number): FileProblem {
	return { file, status: 'skip', code: 'too-large', reason: tooLargeReason(bytes) };
}

export function readErrorProblem(file: string, e: unknown): FileProblem {
	return { file, status: 'error', code: 'unreadable', reason: `cannot read it: ${isEnvironmentFailure(e) ? errnoText(e) : (e as Error).message}` };
}

/** Thrown by parseC() for a source over MAX_PARSE_BYTES; the plan refuses what needs it. */
export class TooLargeError extends Error {
	constructor(readonly bytes: number) {
		super(tooLargeReason(bytes));
	}
}
