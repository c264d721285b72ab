// Git objects and diffs, byte-compatible with what `git format-patch` writes.
//
// The diff is a port of git's xdiff (xprepare.c, xdiffi.c, xemit.c) with the
// settings git uses by default: Myers with xdiff's cost heuristics, the
// indent heuristic for sliding change groups, 3 lines of context and the
// default funcname finder. A lookalike diff (e.g. the `diff` package) applies
// just as well, but only the same algorithm gives the same hunks as the
// maintainer's own `git format-patch` of the same commit, which is what
// reviewers compare against and what `git am -3` round-trips through.
import { createHash } from 'node:crypto';
import type { FileChange } from '../base/types.js';

/** git's abbreviation when it cannot or need not check uniqueness (FALLBACK_DEFAULT_ABBREV). */
export const DEFAULT_ABBREV = 7;

/** Full 40-hex git blob id of text (UTF-8): sha1("blob <len>\0" + bytes). */
export function blobSha1(text: string): string {
	const bytes = Buffer.from(text, 'utf8');
	return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * The blob id as an `index` line shows it. git abbreviates to 7 hex in a small
 * repository and to more in a big one (12 in linux.git); `git am -3` accepts
 * any unambiguous prefix, and 40 always works.
 */
export function blobId(text: string, abbrev = DEFAULT_ABBREV): string {
	return blobSha1(text).slice(0, Math.max(4, Math.min(40, abbrev)));
}

// ---------------------------------------------------------------------------
// Path quoting (quote.c: quote_c_style with core.quotePath=true)

const NAMED_ESCAPES: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\' };

/** A path as git prints it in diff headers: verbatim, or C-quoted when it has odd bytes. */
export function quotePath(path: string): string {
	const bytes = Buffer.from(path, 'utf8');
	if (!bytes.some((b) => b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f)) return path;
	let out = '"';
	for (const b of bytes) {
		if (NAMED_ESCAPES[b] !== undefined) out += '\\' + NAMED_ESCAPES[b];
		else if (b < 0x20 || b >= 0x7f) out += '\\' + b.toString(8).padStart(3, '0');
		else out += String.fromCharCode(b);
	}
	return out + '"';
}

function prefixed(prefix: string, path: string): string {
	const q = quotePath(path);
	return q.startsWith('"') ? `"${prefix}${q.slice(1)}` : prefix + q;
}

// ---------------------------------------------------------------------------
// xdiff: records and classification (xprepare.c)

/** One change of the edit script: chg1 lines at i1 in the old file became chg2 lines at i2. */
export interface Change {
	i1: number;
	i2: number;
	chg1: number;
	chg2: number;
}

/** A file's records (lines with their '\n') plus the state xdiff keeps per file. */
interface XdFile {
	recs: string[];
	ha: Int32Array; // equivalence class of each record
	/** changed[i + 1] for record i; slots 0 and nrec + 1 are always-false guards */
	changed: Uint8Array;
	rindex: number[]; // records that take part in the Myers pass
	nreff: number;
}

/** Split text into git's records: each line keeps its '\n'; a last line may lack it. */
export function splitLines(text: string): string[] {
	return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const MAX_EQLIMIT = 1024;
const KPDIS_RUN = 4;
const SIMSCAN_WINDOW = 100;
const MAX_COST_MIN = 256;
const HEUR_MIN_COST = 256;
const SNAKE_CNT = 20;
const K_HEUR = 4;
const LINE_MAX = 2 ** 52;

function bogosqrt(n: number): number {
	let i = 1;
	for (; n > 0; n = Math.floor(n / 4)) i *= 2;
	return i;
}

/** xdl_clean_mmatch: discard a multi-match line only inside a run of unmatched ones. */
function cleanMmatch(dis: Uint8Array, i: number, s: number, e: number): boolean {
	if (i - s > SIMSCAN_WINDOW) s = i - SIMSCAN_WINDOW;
	if (e - i > SIMSCAN_WINDOW) e = i + SIMSCAN_WINDOW;
	let r: number;
	let rdis0 = 0;
	let rpdis0 = 1;
	for (r = 1; i - r >= s; r++) {
		if (!dis[i - r]) rdis0++;
		else if (dis[i - r] === 2) rpdis0++;
		else break;
	}
	if (rdis0 === 0) return false;
	let rdis1 = 0;
	let rpdis1 = 1;
	for (r = 1; i + r <= e; r++) {
		if (!dis[i + r]) rdis1++;
		else if (dis[i + r] === 2) rpdis1++;
		else break;
	}
	if (rdis1 === 0) return false;
	rdis1 += rdis0;
	rpdis1 += rpdis0;
	return rpdis1 * KPDIS_RUN < rpdis1 + rdis1;
}

function prepare(a: string, b: string): [XdFile, XdFile] {
	const classes = new Map<string, number>();
	const mk = (text: string): XdFile => {
		const recs = splitLines(text);
		const ha = new Int32Array(recs.length);
		recs.forEach((r, i) => {
			let c = classes.get(r);
			if (c === undefined) classes.set(r, (c = classes.size));
			ha[i] = c;
		});
		return { recs, ha, changed: new Uint8Array(recs.length + 2), rindex: [], nreff: 0 };
	};
	const x1 = mk(a);
	const x2 = mk(b);

	// xdl_trim_ends: the common head and tail never enter the Myers pass.
	const lim = Math.min(x1.recs.length, x2.recs.length);
	let start = 0;
	while (start < lim && x1.ha[start] === x2.ha[start]) start++;
	let tail = 0;
	while (tail < lim - start && x1.ha[x1.recs.length - 1 - tail] === x2.ha[x2.recs.length - 1 - tail]) tail++;

	// xdl_cleanup_records: lines with no match on the other side are changed
	// outright; lines with very many matches are dropped when inside such runs.
	const count = (x: XdFile) => {
		const m = new Map<number, number>();
		for (const c of x.ha) m.set(c, (m.get(c) ?? 0) + 1);
		return m;
	};
	const cnt1 = count(x1);
	const cnt2 = count(x2);
	const clean = (x: XdFile, other: Map<number, number>) => {
		const n = x.recs.length;
		const dend = n - tail - 1;
		const mlim = Math.min(bogosqrt(n), MAX_EQLIMIT);
		const dis = new Uint8Array(n + 1);
		for (let i = start; i <= dend; i++) {
			const nm = other.get(x.ha[i]!) ?? 0;
			dis[i] = nm === 0 ? 0 : nm >= mlim ? 2 : 1;
		}
		for (let i = start; i <= dend; i++) {
			if (dis[i] === 1 || (dis[i] === 2 && !cleanMmatch(dis, i, start, dend))) x.rindex.push(i);
			else x.changed[i + 1] = 1;
		}
		x.nreff = x.rindex.length;
	};
	// Both passes count against the other file before either marks anything.
	clean(x1, cnt2);
	clean(x2, cnt1);
	return [x1, x2];
}

// ---------------------------------------------------------------------------
// xdiff: Myers with heuristics (xdiffi.c: xdl_split, xdl_recs_cmp)

interface Env {
	x1: XdFile;
	x2: XdFile;
	kvd: Float64Array;
	fo: number; // offset of diagonal 0 in the forward vector
	bo: number; // ... and in the backward vector
	mxcost: number;
}

function hash(x: XdFile, i: number): number {
	return x.ha[x.rindex[i]!]!;
}

function split(env: Env, off1: number, lim1: number, off2: number, lim2: number, needMin: boolean) {
	const { x1, x2, kvd, fo, bo } = env;
	const dmin = off1 - lim2;
	const dmax = lim1 - off2;
	const fmid = off1 - off2;
	const bmid = lim1 - lim2;
	const odd = (fmid - bmid) & 1;
	let fmin = fmid;
	let fmax = fmid;
	let bmin = bmid;
	let bmax = bmid;
	let i1: number;
	let i2: number;

	kvd[fo + fmid] = off1;
	kvd[bo + bmid] = lim1;

	for (let ec = 1; ; ec++) {
		let gotSnake = false;

		if (fmin > dmin) kvd[fo + --fmin - 1] = -1;
		else ++fmin;
		if (fmax < dmax) kvd[fo + ++fmax + 1] = -1;
		else --fmax;

		for (let d = fmax; d >= fmin; d -= 2) {
			if (kvd[fo + d - 1]! >= kvd[fo + d + 1]!) i1 = kvd[fo + d - 1]! + 1;
			else i1 = kvd[fo + d + 1]!;
			const prev1 = i1;
			i2 = i1 - d;
			for (; i1 < lim1 && i2 < lim2 && hash(x1, i1) === hash(x2, i2); i1++, i2++);
			if (i1 - prev1 > SNAKE_CNT) gotSnake = true;
			kvd[fo + d] = i1;
			if (odd && bmin <= d && d <= bmax && kvd[bo + d]! <= i1) return { i1, i2, minLo: true, minHi: true };
		}

		if (bmin > dmin) kvd[bo + --bmin - 1] = LINE_MAX;
		else ++bmin;
		if (bmax < dmax) kvd[bo + ++bmax + 1] = LINE_MAX;
		else --bmax;

		for (let d = bmax; d >= bmin; d -= 2) {
			if (kvd[bo + d - 1]! < kvd[bo + d + 1]!) i1 = kvd[bo + d - 1]!;
			else i1 = kvd[bo + d + 1]! - 1;
			const prev1 = i1;
			i2 = i1 - d;
			for (; i1 > off1 && i2 > off2 && hash(x1, i1 - 1) === hash(x2, i2 - 1); i1--, i2--);
			if (prev1 - i1 > SNAKE_CNT) gotSnake = true;
			kvd[bo + d] = i1;
			if (!odd && fmin <= d && d <= fmax && i1 <= kvd[fo + d]!) return { i1, i2, minLo: true, minHi: true };
		}

		if (needMin) continue;

		// A long snake far from the start is "interesting" enough to split on.
		if (gotSnake && ec > HEUR_MIN_COST) {
			let best = 0;
			let spl = { i1: 0, i2: 0 };
			for (let d = fmax; d >= fmin; d -= 2) {
				const dd = d > fmid ? d - fmid : fmid - d;
				i1 = kvd[fo + d]!;
				i2 = i1 - d;
				const v = i1 - off1 + (i2 - off2) - dd;
				if (v > K_HEUR * ec && v > best && off1 + SNAKE_CNT <= i1 && i1 < lim1 && off2 + SNAKE_CNT <= i2 && i2 < lim2) {
					for (let k = 1; hash(x1, i1 - k) === hash(x2, i2 - k); k++)
						if (k === SNAKE_CNT) {
							best = v;
							spl = { i1, i2 };
							break;
						}
				}
			}
			if (best > 0) return { ...spl, minLo: true, minHi: false };

			best = 0;
			for (let d = bmax; d >= bmin; d -= 2) {
				const dd = d > bmid ? d - bmid : bmid - d;
				i1 = kvd[bo + d]!;
				i2 = i1 - d;
				const v = lim1 - i1 + (lim2 - i2) - dd;
				if (v > K_HEUR * ec && v > best && off1 < i1 && i1 <= lim1 - SNAKE_CNT && off2 < i2 && i2 <= lim2 - SNAKE_CNT) {
					for (let k = 0; hash(x1, i1 + k) === hash(x2, i2 + k); k++)
						if (k === SNAKE_CNT - 1) {
							best = v;
							spl = { i1, i2 };
							break;
						}
				}
			}
			if (best > 0) return { ...spl, minLo: false, minHi: true };
		}

		// Enough is enough: take the furthest-reaching path found so far.
		if (ec >= env.mxcost) {
			let fbest = -1;
			let fbest1 = -1;
			for (let d = fmax; d >= fmin; d -= 2) {
				i1 = Math.min(kvd[fo + d]!, lim1);
				i2 = i1 - d;
				if (lim2 < i2) {
					i1 = lim2 + d;
					i2 = lim2;
				}
				if (fbest < i1 + i2) {
					fbest = i1 + i2;
					fbest1 = i1;
				}
			}
			let bbest = LINE_MAX;
			let bbest1 = LINE_MAX;
			for (let d = bmax; d >= bmin; d -= 2) {
				i1 = Math.max(off1, kvd[bo + d]!);
				i2 = i1 - d;
				if (i2 < off2) {
					i1 = off2 + d;
					i2 = off2;
				}
				if (i1 + i2 < bbest) {
					bbest = i1 + i2;
					bbest1 = i1;
				}
			}
			if (lim1 + lim2 - bbest < fbest - (off1 + off2)) return { i1: fbest1, i2: fbest - fbest1, minLo: true, minHi: false };
			return { i1: bbest1, i2: bbest - bbest1, minLo: false, minHi: true };
		}
	}
}

function recsCmp(env: Env, off1: number, lim1: number, off2: number, lim2: number, needMin: boolean): void {
	const { x1, x2 } = env;
	for (; off1 < lim1 && off2 < lim2 && hash(x1, off1) === hash(x2, off2); off1++, off2++);
	for (; off1 < lim1 && off2 < lim2 && hash(x1, lim1 - 1) === hash(x2, lim2 - 1); lim1--, lim2--);
	if (off1 === lim1) {
		for (; off2 < lim2; off2++) x2.changed[x2.rindex[off2]! + 1] = 1;
	} else if (off2 === lim2) {
		for (; off1 < lim1; off1++) x1.changed[x1.rindex[off1]! + 1] = 1;
	} else {
		const spl = split(env, off1, lim1, off2, lim2, needMin);
		recsCmp(env, off1, spl.i1, off2, spl.i2, spl.minLo);
		recsCmp(env, spl.i1, lim1, spl.i2, lim2, spl.minHi);
	}
}

// ---------------------------------------------------------------------------
// xdiff: sliding change groups (xdiffi.c: xdl_change_compact, indent heuristic)

const MAX_INDENT = 200;
const MAX_BLANKS = 20;
const START_OF_FILE_PENALTY = 1;
const END_OF_FILE_PENALTY = 21;
const TOTAL_BLANK_WEIGHT = -30;
const POST_BLANK_WEIGHT = 6;
const RELATIVE_INDENT_PENALTY = -4;
const RELATIVE_INDENT_WITH_BLANK_PENALTY = 10;
const RELATIVE_OUTDENT_PENALTY = 24;
const RELATIVE_OUTDENT_WITH_BLANK_PENALTY = 17;
const RELATIVE_DEDENT_PENALTY = 23;
const RELATIVE_DEDENT_WITH_BLANK_PENALTY = 17;
const INDENT_WEIGHT = 60;
const INDENT_HEURISTIC_MAX_SLIDING = 100;

/** Indentation with tabs at 8, or -1 for a blank line (git's isspace: SP, TAB, LF, CR). */
function getIndent(rec: string): number {
	let ret = 0;
	for (let i = 0; i < rec.length; i++) {
		const c = rec[i];
		if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return ret;
		if (c === ' ') ret += 1;
		else if (c === '\t') ret += 8 - (ret % 8);
		if (ret >= MAX_INDENT) return MAX_INDENT;
	}
	return -1;
}

interface Score {
	effectiveIndent: number;
	penalty: number;
}

function scoreSplit(x: XdFile, split: number, s: Score): void {
	const n = x.recs.length;
	const eof = split >= n;
	const indent0 = eof ? -1 : getIndent(x.recs[split]!);
	let preBlank = 0;
	let preIndent = -1;
	for (let i = split - 1; i >= 0; i--) {
		preIndent = getIndent(x.recs[i]!);
		if (preIndent !== -1) break;
		preBlank += 1;
		if (preBlank === MAX_BLANKS) {
			preIndent = 0;
			break;
		}
	}
	let postBlank = 0;
	let postIndent = -1;
	for (let i = split + 1; i < n; i++) {
		postIndent = getIndent(x.recs[i]!);
		if (postIndent !== -1) break;
		postBlank += 1;
		if (postBlank === MAX_BLANKS) {
			postIndent = 0;
			break;
		}
	}

	if (preIndent === -1 && preBlank === 0) s.penalty += START_OF_FILE_PENALTY;
	if (eof) s.penalty += END_OF_FILE_PENALTY;
	const post = indent0 === -1 ? 1 + postBlank : 0;
	const total = preBlank + post;
	s.penalty += TOTAL_BLANK_WEIGHT * total;
	s.penalty += POST_BLANK_WEIGHT * post;
	const indent = indent0 !== -1 ? indent0 : postIndent;
	const anyBlanks = total !== 0;
	s.effectiveIndent += indent;
	if (indent === -1 || preIndent === -1) {
		// no adjustment
	} else if (indent > preIndent) {
		s.penalty += anyBlanks ? RELATIVE_INDENT_WITH_BLANK_PENALTY : RELATIVE_INDENT_PENALTY;
	} else if (indent === preIndent) {
		// no adjustment
	} else if (postIndent !== -1 && postIndent > indent) {
		s.penalty += anyBlanks ? RELATIVE_OUTDENT_WITH_BLANK_PENALTY : RELATIVE_OUTDENT_PENALTY;
	} else {
		s.penalty += anyBlanks ? RELATIVE_DEDENT_WITH_BLANK_PENALTY : RELATIVE_DEDENT_PENALTY;
	}
}

function scoreCmp(a: Score, b: Score): number {
	const cmp = Number(a.effectiveIndent > b.effectiveIndent) - Number(a.effectiveIndent < b.effectiveIndent);
	return INDENT_WEIGHT * cmp + (a.penalty - b.penalty);
}

interface Group {
	start: number;
	end: number;
}

const chg = (x: XdFile, i: number) => x.changed[i + 1] === 1;

function groupInit(x: XdFile): Group {
	const g = { start: 0, end: 0 };
	while (chg(x, g.end)) g.end++;
	return g;
}

function groupNext(x: XdFile, g: Group): boolean {
	if (g.end === x.recs.length) return false;
	g.start = g.end + 1;
	for (g.end = g.start; chg(x, g.end); g.end++);
	return true;
}

function groupPrevious(x: XdFile, g: Group): boolean {
	if (g.start === 0) return false;
	g.end = g.start - 1;
	for (g.start = g.end; chg(x, g.start - 1); g.start--);
	return true;
}

function slideDown(x: XdFile, g: Group): boolean {
	if (g.end < x.recs.length && x.ha[g.start] === x.ha[g.end]) {
		x.changed[g.start++ + 1] = 0;
		x.changed[g.end++ + 1] = 1;
		while (chg(x, g.end)) g.end++;
		return true;
	}
	return false;
}

function slideUp(x: XdFile, g: Group): boolean {
	if (g.start > 0 && x.ha[g.start - 1] === x.ha[g.end - 1]) {
		x.changed[--g.start + 1] = 1;
		x.changed[--g.end + 1] = 0;
		while (chg(x, g.start - 1)) g.start--;
		return true;
	}
	return false;
}

function must(ok: boolean, what: string): void {
	if (!ok) throw new Error(`xdiff port: ${what}`);
}

function changeCompact(x: XdFile, xo: XdFile): void {
	const g = groupInit(x);
	const go = groupInit(xo);
	for (;;) {
		if (g.end !== g.start) {
			let groupsize: number;
			let earliestEnd: number;
			let endMatchingOther: number;
			do {
				groupsize = g.end - g.start;
				endMatchingOther = -1;
				while (slideUp(x, g)) must(groupPrevious(xo, go), 'group sync broken sliding up');
				earliestEnd = g.end;
				if (go.end > go.start) endMatchingOther = g.end;
				for (;;) {
					if (!slideDown(x, g)) break;
					must(groupNext(xo, go), 'group sync broken sliding down');
					if (go.end > go.start) endMatchingOther = g.end;
				}
			} while (groupsize !== g.end - g.start);

			if (g.end === earliestEnd) {
				// no shifting was possible
			} else if (endMatchingOther !== -1) {
				// Line up with the last group of changes in the other file.
				while (go.end === go.start) {
					must(slideUp(x, g), 'match disappeared');
					must(groupPrevious(xo, go), 'group sync broken sliding to match');
				}
			} else {
				// Indent heuristic (on by default since git 2.14).
				let shift = earliestEnd;
				if (g.end - groupsize - 1 > shift) shift = g.end - groupsize - 1;
				if (g.end - INDENT_HEURISTIC_MAX_SLIDING > shift) shift = g.end - INDENT_HEURISTIC_MAX_SLIDING;
				let bestShift = -1;
				let best: Score = { effectiveIndent: 0, penalty: 0 };
				for (; shift <= g.end; shift++) {
					const score = { effectiveIndent: 0, penalty: 0 };
					scoreSplit(x, shift, score);
					scoreSplit(x, shift - groupsize, score);
					if (bestShift === -1 || scoreCmp(score, best) <= 0) {
						best = score;
						bestShift = shift;
					}
				}
				while (g.end > bestShift) {
					must(slideUp(x, g), 'best shift unreached');
					must(groupPrevious(xo, go), 'group sync broken sliding to blank line');
				}
			}
		}
		if (!groupNext(x, g)) break;
		must(groupNext(xo, go), 'group sync broken moving to next group');
	}
	must(!groupNext(xo, go), 'group sync broken at end of file');
}

/** The edit script git computes for before → after, in file order. */
export function diffLines(before: string, after: string): { a: string[]; b: string[]; changes: Change[] } {
	const [x1, x2] = prepare(before, after);
	const ndiags = x1.nreff + x2.nreff + 3;
	const env: Env = {
		x1,
		x2,
		kvd: new Float64Array(2 * ndiags + 2),
		fo: x2.nreff + 1,
		bo: ndiags + x2.nreff + 1,
		mxcost: Math.max(bogosqrt(ndiags), MAX_COST_MIN),
	};
	recsCmp(env, 0, x1.nreff, 0, x2.nreff, false);
	changeCompact(x1, x2);
	changeCompact(x2, x1);

	// xdl_build_script
	const changes: Change[] = [];
	let i1 = x1.recs.length;
	let i2 = x2.recs.length;
	for (; i1 >= 0 || i2 >= 0; i1--, i2--) {
		if (chg(x1, i1 - 1) || chg(x2, i2 - 1)) {
			const l1 = i1;
			const l2 = i2;
			for (; chg(x1, i1 - 1); i1--);
			for (; chg(x2, i2 - 1); i2--);
			changes.unshift({ i1, i2, chg1: l1 - i1, chg2: l2 - i2 });
		}
	}
	return { a: x1.recs, b: x2.recs, changes };
}

// ---------------------------------------------------------------------------
// Hunks (xemit.c)

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

// ---------------------------------------------------------------------------
// diffstat (diff.c: show_stats, print_stat_summary)

/** Lines added and deleted, counted the way git's diffstat counts them. */
export function countChanges(change: FileChange): { added: number; deleted: number } {
	let added = 0;
	let deleted = 0;
	if (change.before !== change.after)
		for (const c of diffLines(change.before, change.after).changes) {
			added += c.chg2;
			deleted += c.chg1;
		}
	return { added, deleted };
}

/** `git format-patch`'s summary line, with its singular/plural and omission rules. */
export function statSummary(files: number, insertions: number, deletions: number): string {
	if (!files) return ' 0 files changed\n';
	let s = files === 1 ? ` ${files} file changed` : ` ${files} files changed`;
	if (insertions || deletions === 0) s += insertions === 1 ? `, ${insertions} insertion(+)` : `, ${insertions} insertions(+)`;
	if (deletions || insertions === 0) s += deletions === 1 ? `, ${deletions} deletion(-)` : `, ${deletions} deletions(-)`;
	return s + '\n';
}

const scaleLinear = (it: number, width: number, maxChange: number) =>
	it ? 1 + Math.floor((it * (width - 1)) / maxChange) : 0;

/**
 * The diffstat block git prints below `---` (width 72 = MAIL_DEFAULT_WRAP),
 * one line per changed file in the given order plus the summary line.
 */
export function diffstat(changes: FileChange[], width = 72): string {
	const files = changes
		.map((c) => ({ name: quotePath(c.path), ...countChanges(c) }))
		.filter((f) => f.added + f.deleted > 0);
	if (!files.length) return '';
	const maxLen = Math.max(...files.map((f) => f.name.length));
	const maxChange = Math.max(...files.map((f) => f.added + f.deleted));
	const numberWidth = String(maxChange).length;
	width = Math.max(width, 16 + 6 + numberWidth);
	let graphWidth = maxChange;
	let nameWidth = maxLen;
	if (nameWidth + numberWidth + 6 + graphWidth > width) {
		if (graphWidth > Math.trunc((width * 3) / 8) - numberWidth - 6) {
			graphWidth = Math.max(Math.trunc((width * 3) / 8) - numberWidth - 6, 6);
		}
		if (nameWidth > width - numberWidth - 6 - graphWidth) nameWidth = width - numberWidth - 6 - graphWidth;
		else graphWidth = width - numberWidth - 6 - nameWidth;
	}
	let out = '';
	let adds = 0;
	let dels = 0;
	for (const f of files) {
		let prefix = '';
		let name = f.name;
		let len = nameWidth;
		if (nameWidth < name.length) {
			// Keep the tail of the path, from a '/' if there is one.
			prefix = '...';
			len -= 3;
			name = name.slice(name.length - len);
			const slash = name.indexOf('/');
			if (slash >= 0) name = name.slice(slash);
		}
		let add = f.added;
		let del = f.deleted;
		if (graphWidth <= maxChange) {
			let total = scaleLinear(add + del, graphWidth, maxChange);
			if (total < 2 && add && del) total = 2;
			if (add < del) {
				add = scaleLinear(add, graphWidth, maxChange);
				del = total - add;
			} else {
				del = scaleLinear(del, graphWidth, maxChange);
				add = total - del;
			}
		}
		const n = f.added + f.deleted;
		out += ` ${prefix}${name.padEnd(len)} | ${String(n).padStart(numberWidth)}${n ? ' ' : ''}${'+'.repeat(add)}${'-'.repeat(del)}\n`;
		adds += f.added;
		dels += f.deleted;
	}
	return out + statSummary(files.length, adds, dels);
}
