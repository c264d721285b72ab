// The xdiff port (see ../gitobj.ts): hunks and the file diff (xemit.c).
import type { FileChange } from '../../base/types.js';
import { prefixed } from './quote.js';
import { diffLines } from './compact.js';
import { DEFAULT_ABBREV, blobId } from '../gitobj.js';

const FUNC_BYTES = 80; // xemit.c: struct func_line { char buf[80]; }

/**
 * git's default funcname (xemit.c def_ff): a line starting with an ASCII
 * letter, '_' or '$', cut to 80 bytes, trailing whitespace dropped.
 */
function funcName(rec: string): string | undefined {
	if (!/^[A-Za-z_$]/.test(rec)) return undefined;
	let bytes = Buffer.from(rec, 'utf8').subarray(0, FUNC_BYTES);
	let len = bytes.length;
	while (len > 0 && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[len - 1]!)) len--;
	bytes = bytes.subarray(0, len);
	// git may cut a UTF-8 sequence in two; a JS string cannot carry half a
	// character, so drop the incomplete tail instead of inventing U+FFFD.
	let cut = bytes.length;
	let k = cut - 1;
	while (k >= 0 && (bytes[k]! & 0xc0) === 0x80) k--;
	if (k >= 0 && bytes[k]! >= 0xc0) {
		const need = bytes[k]! >= 0xf0 ? 4 : bytes[k]! >= 0xe0 ? 3 : 2;
		if (cut - k < need) cut = k;
	}
	return bytes.subarray(0, cut).toString('utf8');
}

function emitRecord(out: string[], prefix: string, rec: string): void {
	out.push(prefix + rec);
	if (!rec.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
}

/** The hunks of a unified diff (everything after the `+++` line), as git prints them. */
export function hunks(before: string, after: string, context = 3): string {
	const { a, b, changes } = diffLines(before, after);
	const out: string[] = [];
	let func = '';
	let funcLimit = -1;
	for (let h = 0; h < changes.length; ) {
		// xdl_get_hunk: changes closer than 2 * context share a hunk.
		let e = h;
		while (e + 1 < changes.length && changes[e + 1]!.i1 - (changes[e]!.i1 + changes[e]!.chg1) <= 2 * context) e++;
		const first = changes[h]!;
		const last = changes[e]!;
		const s1 = Math.max(first.i1 - context, 0);
		const s2 = Math.max(first.i2 - context, 0);
		const lctx = Math.min(context, a.length - (last.i1 + last.chg1), b.length - (last.i2 + last.chg2));
		const e1 = last.i1 + last.chg1 + lctx;
		const e2 = last.i2 + last.chg2 + lctx;
		// Nearest funcname line above the hunk. Like git, search back only to
		// where the previous hunk's search started and otherwise keep its result.
		for (let l = s1 - 1; l !== funcLimit && l >= 0; l--) {
			const f = funcName(a[l]!);
			if (f !== undefined) {
				func = f;
				break;
			}
		}
		funcLimit = s1 - 1;
		const range = (s: number, c: number) => (c === 1 ? `${s}` : `${c ? s : s - 1},${c}`);
		out.push(`@@ -${range(s1 + 1, e1 - s1)} +${range(s2 + 1, e2 - s2)} @@${func ? ' ' + func : ''}\n`);
		let p1 = s1;
		for (; p1 < first.i1; p1++) emitRecord(out, ' ', a[p1]!);
		for (let c = h; c <= e; c++) {
			const ch = changes[c]!;
			for (; p1 < ch.i1; p1++) emitRecord(out, ' ', a[p1]!);
			for (let i = ch.i1; i < ch.i1 + ch.chg1; i++) emitRecord(out, '-', a[i]!);
			for (let i = ch.i2; i < ch.i2 + ch.chg2; i++) emitRecord(out, '+', b[i]!);
			p1 = ch.i1 + ch.chg1;
		}
		for (; p1 < e1; p1++) emitRecord(out, ' ', a[p1]!);
		h = e + 1;
	}
	return out.join('');
}

export interface DiffOptions {
	/** hex digits of the blob ids in the `index` line (default 7, like git in a small repo) */
	abbrev?: number;
	context?: number;
}

/**
 * One `diff --git` section for a modified regular file, exactly as git
 * format-patch prints it. Returns '' when the file did not change.
 */
export function fileDiff(change: FileChange, opts: DiffOptions = {}): string {
	if (change.before === change.after) return '';
	const abbrev = opts.abbrev ?? DEFAULT_ABBREV;
	// diff.c adds a TAB after ---/+++ names with a space, for GNU patch.
	const tab = change.path.includes(' ') ? '\t' : '';
	return (
		`diff --git ${prefixed('a/', change.path)} ${prefixed('b/', change.path)}\n` +
		`index ${blobId(change.before, abbrev)}..${blobId(change.after, abbrev)} 100644\n` +
		`--- ${prefixed('a/', change.path)}${tab}\n` +
		`+++ ${prefixed('b/', change.path)}${tab}\n` +
		hunks(change.before, change.after, opts.context ?? 3)
	);
}
