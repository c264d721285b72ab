// The xdiff port (see ../gitobj.ts): sliding change groups (xdiffi.c: xdl_change_compact, the indent heuristic).
import { Change, MAX_COST_MIN, XdFile, bogosqrt, prepare } from './prepare.js';
import { Env, recsCmp } from './myers.js';

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
