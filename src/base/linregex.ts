// A regular-expression matcher that cannot backtrack: patterns are compiled
// to a Thompson NFA and run as a lazily built DFA, so a match takes time
// linear in the text whatever the pattern (`^(([a-z_/]+)+)+\.x$` included,
// which makes V8's backtracking engine run for hours on a 24-character path).
// MAINTAINERS' F:, X:, N: and K: patterns come from whoever edits that file;
// get_maintainer.pl runs them with Perl, whose engine has other defences.
//
// The syntax is JavaScript's (src/series/maintainers.ts translates Perl's /x, (?i)
// and \A \z \Z first), the subset MAINTAINERS uses: literals, `.`, classes,
// \d \w \s \D \W \S and the usual character escapes, groups (capturing or
// not, named), alternation, * + ? {n} {n,} {n,m} (lazy or not: a test only
// asks whether there is a match), ^ $ \b \B, the `(?=\n?$)` that \Z becomes,
// and the i flag. Anything else (backreferences, other look-arounds, the u, m
// or s flags) is reported as unsupported, and the caller decides.

export interface Matcher {
	test(s: string): boolean;
}

type CharTest = (c: number) => boolean;

type Ast =
	| { t: 'char'; test: CharTest; /** the one code unit it matches, when it is a plain literal */ lit?: number }
	| { t: 'cat'; xs: Ast[] }
	| { t: 'alt'; xs: Ast[] }
	| { t: 'rep'; x: Ast; min: number; max: number } // max Infinity: unbounded
	| { t: 'assert'; a: Assertion }
	| { t: 'empty' };

type Assertion = 'start' | 'end' | 'word' | 'nonword' | 'endOrFinalNewline';

export class Unsupported extends Error {}

const NL = 10;
const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpaceCode = (c: number) =>
	c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
const isDigitCode = (c: number) => c >= 48 && c <= 57;
const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** The case variants of a code unit (the i flag: simple case folding, as JS without u). */
function caseVariants(c: number): number[] {
	const s = String.fromCharCode(c);
	const out = new Set([c, s.toLowerCase().charCodeAt(0), s.toUpperCase().charCodeAt(0)]);
	return [...out].filter((x) => !Number.isNaN(x));
}

class Parser {
	i = 0;
	constructor(
		readonly src: string,
		readonly icase: boolean,
	) {}

	parse(): Ast {
		const ast = this.alt();
		if (this.i < this.src.length) throw new Unsupported(`unexpected ${JSON.stringify(this.src[this.i])} at ${this.i}`);
		return ast;
	}

	private peek(): string | undefined {
		return this.src[this.i];
	}

	private alt(): Ast {
		const xs = [this.cat()];
		while (this.peek() === '|') {
			this.i++;
			xs.push(this.cat());
		}
		return xs.length === 1 ? xs[0]! : { t: 'alt', xs };
	}

	private cat(): Ast {
		const xs: Ast[] = [];
		while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') xs.push(this.repeat());
		return xs.length === 1 ? xs[0]! : xs.length ? { t: 'cat', xs } : { t: 'empty' };
	}

	private repeat(): Ast {
		let x = this.atom();
		for (;;) {
			const c = this.peek();
			let min: number;
			let max: number;
			if (c === '*') [min, max] = [0, Infinity];
			else if (c === '+') [min, max] = [1, Infinity];
			else if (c === '?') [min, max] = [0, 1];
			else if (c === '{') {
				const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
				if (!m) return x; // a literal "{", as JavaScript reads it
				min = Number(m[1]);
				max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
				if (max < min) throw new Unsupported('a {n,m} with m < n');
				if (min > 1000 || (max !== Infinity && max > 1000)) throw new Unsupported('a repetition count over 1000');
				this.i += m[0].length - 1;
			} else return x;
			this.i++;
			if (this.peek() === '?') this.i++; // lazy: the same for a yes/no test
			else if (this.peek() === '+') throw new Unsupported('a possessive quantifier');
			x = { t: 'rep', x, min, max };
		}
	}

	private atom(): Ast {
		const c = this.src[this.i++]!;
		switch (c) {
			case '(':
				return this.group();
			case '[':
				return { t: 'char', test: this.cls() };
			case '.':
				return { t: 'char', test: (x) => !isLineTerminator(x) };
			case '^':
				return { t: 'assert', a: 'start' };
			case '$':
				return { t: 'assert', a: 'end' };
			case '\\':
				return this.escape();
			case '*':
			case '+':
			case '?':
				throw new Unsupported(`nothing to repeat before ${JSON.stringify(c)}`);
			default:
				return this.literal(c.charCodeAt(0));
		}
	}

	private literal(code: number): Ast {
		if (!this.icase) return { t: 'char', test: (x) => x === code, lit: code };
		const v = caseVariants(code);
		return { t: 'char', test: (x) => v.includes(x) };
	}

	private group(): Ast {
		if (this.src.startsWith('?=\\n?$)', this.i)) {
			this.i += '?=\\n?$)'.length;
			return { t: 'assert', a: 'endOrFinalNewline' };
		}
		if (this.peek() === '?') {
			const m = /^\?(?::|<([A-Za-z_$][\w$]*)>)/.exec(this.src.slice(this.i));
			if (!m) throw new Unsupported(`the group (${this.src.slice(this.i, this.i + 3)}...`);
			this.i += m[0].length;
		}
		const x = this.alt();
		if (this.peek() !== ')') throw new Unsupported('an unclosed group');
		this.i++;
		return x;
	}

	/** An escape outside a class. */
	private escape(): Ast {
		const c = this.src[this.i++];
		if (c === undefined) throw new Unsupported('a trailing backslash');
		if (c === 'b') return { t: 'assert', a: 'word' };
		if (c === 'B') return { t: 'assert', a: 'nonword' };
		if (/[1-9]/.test(c)) throw new Unsupported('a backreference');
		if (c === 'k' && this.peek() === '<') throw new Unsupported('a named backreference');
		const t = this.classEscape(c);
		if (typeof t === 'function') return { t: 'char', test: t };
		return this.literal(t);
	}

	/** \d \w \s and friends as a test, or a single character's code. */
	private classEscape(c: string): CharTest | number {
		switch (c) {
			case 'd':
				return isDigitCode;
			case 'D':
				return (x) => !isDigitCode(x);
			case 'w':
				return isWordCode;
			case 'W':
				return (x) => !isWordCode(x);
			case 's':
				return isSpaceCode;
			case 'S':
				return (x) => !isSpaceCode(x);
			case 'n':
				return 10;
			case 't':
				return 9;
			case 'r':
				return 13;
			case 'f':
				return 12;
			case 'v':
				return 11;
			case '0':
				return 0;
			case 'x': {
				const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
				if (!m) return 'x'.charCodeAt(0);
				this.i += 2;
				return parseInt(m[0], 16);
			}
			case 'u': {
				const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
				if (!m) return 'u'.charCodeAt(0);
				this.i += 4;
				return parseInt(m[0], 16);
			}
			case 'c': {
				const l = this.peek();
				if (l && /[A-Za-z]/.test(l)) {
					this.i++;
					return l.charCodeAt(0) % 32;
				}
				return '\\'.charCodeAt(0);
			}
			default:
				return c.charCodeAt(0);
		}
	}

	/** A class [...], after its "[". */
	private cls(): CharTest {
		let negate = false;
		if (this.peek() === '^') {
			negate = true;
			this.i++;
		}
		const parts: CharTest[] = [];
		let first = true;
		for (;;) {
			if (this.i >= this.src.length) throw new Unsupported('an unclosed class');
			const c = this.src[this.i++]!;
			if (c === ']' && !first) break;
			first = false;
			if (c === ']') {
				// "[]" matches nothing in JavaScript, "[^]" anything
				break;
			}
			const lo: CharTest | number = c === '\\' ? this.classEscapeInClass() : c.charCodeAt(0);
			if (typeof lo === 'number' && this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
				this.i++;
				const h = this.src[this.i++]!;
				const hi = h === '\\' ? this.classEscapeInClass() : h.charCodeAt(0);
				if (typeof hi !== 'number') {
					// [a-\d]: JavaScript (without u) reads a, -, \d
					const a = lo;
					parts.push((x) => x === a || x === 45);
					parts.push(hi);
					continue;
				}
				if (hi < lo) throw new Unsupported('a class range out of order');
				const a = lo;
				parts.push(this.icase ? (x) => caseVariants(x).some((v) => v >= a && v <= hi) : (x) => x >= a && x <= hi);
				continue;
			}
			if (typeof lo === 'number') {
				const a = lo;
				parts.push(this.icase ? (x) => caseVariants(x).includes(a) : (x) => x === a);
			} else parts.push(lo);
		}
		const any = (x: number) => parts.some((p) => p(x));
		return negate ? (x) => !any(x) : any;
	}

	private classEscapeInClass(): CharTest | number {
		const c = this.src[this.i++];
		if (c === undefined) throw new Unsupported('a trailing backslash');
		if (c === 'b') return 8; // backspace inside a class
		if (/[1-9]/.test(c)) throw new Unsupported('a backreference in a class');
		return this.classEscape(c);
	}
}

// ---------------------------------------------------------------------------
// Thompson NFA

interface State {
	/** consume one code unit that passes test, then go to out */
	test?: CharTest;
	/** an assertion to pass (no input consumed), then go to out */
	assert?: Assertion;
	out: number;
	/** a second epsilon edge (split) */
	out2?: number;
	match?: boolean;
}

/** More states than this and the pattern is refused (a {1000}{1000} bomb). */
const MAX_STATES = 20_000;

class Nfa {
	states: State[] = [];

	add(s: State): number {
		if (this.states.length >= MAX_STATES) throw new Unsupported(`a pattern of more than ${MAX_STATES} states`);
		this.states.push(s);
		return this.states.length - 1;
	}

	/** Compile ast so that it continues at next; returns its entry state. */
	build(ast: Ast, next: number): number {
		switch (ast.t) {
			case 'empty':
				return next;
			case 'char':
				return this.add({ test: ast.test, out: next });
			case 'assert':
				return this.add({ assert: ast.a, out: next });
			case 'cat': {
				let at = next;
				for (let k = ast.xs.length - 1; k >= 0; k--) at = this.build(ast.xs[k]!, at);
				return at;
			}
			case 'alt': {
				const entries = ast.xs.map((x) => this.build(x, next));
				let at = entries[entries.length - 1]!;
				for (let k = entries.length - 2; k >= 0; k--) at = this.add({ out: entries[k]!, out2: at });
				return at;
			}
			case 'rep': {
				let at = next;
				if (ast.max === Infinity) {
					// x* : a split that loops back through x
					const loop = this.add({ out: -1, out2: next });
					const body = this.build(ast.x, loop);
					this.states[loop]!.out = body;
					at = loop;
				} else {
					// x{0,k}: (x(x(...)?)?)? — skipping one optional copy skips the rest
					for (let k = ast.min; k < ast.max; k++) {
						const body = this.build(ast.x, at);
						at = this.add({ out: body, out2: next });
					}
				}
				for (let k = 0; k < ast.min; k++) at = this.build(ast.x, at);
				return at;
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Running it: sets of NFA states, memoised as DFA transitions

/** What the assertions of a closure can see at a position. */
interface Context {
	atStart: boolean;
	prevWord: boolean;
	/** the next code unit, -1 at the end */
	next: number;
	/** the next code unit is a newline and the last one */
	finalNewline: boolean;
}

/** A DFA state: a set of NFA states, and what it does at each (context, next code unit). */
interface Kernel {
	states: number[];
	/** context key -> next kernel */
	next: Map<number, number>;
	/** context key -> does its closure hold the match state */
	accepts: Map<number, boolean>;
}

class Program implements Matcher {
	private readonly ids = new Map<string, number>();
	private kernels: Kernel[] = [];
	private cached = 0;

	constructor(
		private readonly nfa: Nfa,
		private readonly start: number,
		/** a literal every match starts with at position 0 (the pattern is ^lit...), or contains */
		private readonly prefix: string | undefined,
		private readonly needle: string | undefined,
	) {}

	private kernelId(states: number[]): number {
		const sorted = [...new Set(states)].sort((a, b) => a - b);
		const key = sorted.join(',');
		let id = this.ids.get(key);
		if (id === undefined) {
			id = this.kernels.length;
			this.ids.set(key, id);
			this.kernels.push({ states: sorted, next: new Map(), accepts: new Map() });
		}
		return id;
	}

	private closure(states: number[], ctx: Context): { consumers: number[]; match: boolean } {
		const seen = new Set<number>();
		const consumers: number[] = [];
		let match = false;
		const stack = [...states];
		while (stack.length) {
			const s = stack.pop()!;
			if (seen.has(s)) continue;
			seen.add(s);
			const st = this.nfa.states[s]!;
			if (st.match) {
				match = true;
				continue;
			}
			if (st.test) {
				consumers.push(s);
				continue;
			}
			if (st.assert && !holdsAt(st.assert, ctx)) continue;
			stack.push(st.out);
			if (st.out2 !== undefined) stack.push(st.out2);
		}
		return { consumers, match };
	}

	test(s: string): boolean {
		if (this.prefix !== undefined && !s.startsWith(this.prefix)) return false;
		if (this.needle !== undefined && !s.includes(this.needle)) return false;
		if (this.cached > 200_000) {
			// bounded memory: start the cache again
			this.ids.clear();
			this.kernels = [];
			this.cached = 0;
		}
		let kernel = this.kernelId([this.start]);
		for (let i = 0; ; i++) {
			const atEnd = i >= s.length;
			const next = atEnd ? -1 : s.charCodeAt(i);
			const atStart = i === 0;
			const prevWord = i > 0 && isWordCode(s.charCodeAt(i - 1));
			const finalNewline = next === NL && i === s.length - 1;
			const key = (next + 1) * 8 + (atStart ? 4 : 0) + (prevWord ? 2 : 0) + (finalNewline ? 1 : 0);
			const k = this.kernels[kernel]!;
			let acc = k.accepts.get(key);
			let nextKernel = k.next.get(key);
			if (acc === undefined || (nextKernel === undefined && !atEnd)) {
				const ctx: Context = { atStart, prevWord, next, finalNewline };
				const { consumers, match } = this.closure(k.states, ctx);
				acc = match;
				k.accepts.set(key, acc);
				this.cached++;
				if (!atEnd) {
					// the search is unanchored: a match may also start at the next position
					const after = consumers.filter((q) => this.nfa.states[q]!.test!(next)).map((q) => this.nfa.states[q]!.out);
					after.push(this.start);
					nextKernel = this.kernelId(after);
					k.next.set(key, nextKernel);
				}
			}
			if (acc) return true;
			if (atEnd) return false;
			kernel = nextKernel!;
		}
	}
}

function holdsAt(a: Assertion, ctx: Context): boolean {
	switch (a) {
		case 'start':
			return ctx.atStart;
		case 'end':
			return ctx.next === -1;
		case 'endOrFinalNewline':
			return ctx.next === -1 || ctx.finalNewline;
		case 'word':
		case 'nonword': {
			const boundary = ctx.prevWord !== (ctx.next !== -1 && isWordCode(ctx.next));
			return a === 'word' ? boundary : !boundary;
		}
	}
}

/**
 * A linear-time matcher for a JavaScript regex source (flags: '' or 'i'),
 * searching anywhere in the text as RegExp.test() does. Throws Unsupported
 * for what it does not handle.
 */
export function linearRegex(source: string, flags = ''): Matcher {
	if (/[^i]/.test(flags)) throw new Unsupported(`the flags ${flags}`);
	const ast = new Parser(source, flags.includes('i')).parse();
	const nfa = new Nfa();
	const match = nfa.add({ out: -1, match: true });
	const start = nfa.build(ast, match);
	const { prefix, needle } = literals(ast);
	return new Program(nfa, start, prefix, needle);
}

const litText = (xs: Ast[]) => String.fromCharCode(...xs.map((x) => (x as { lit: number }).lit));
const isLit = (x: Ast | undefined) => x?.t === 'char' && x.lit !== undefined;

/**
 * Literal text a match needs, to skip the automaton for most texts: the
 * pattern is ^ then literals (prefix), or it is a concatenation holding a
 * run of literals (needle, the longest). Only for patterns that are one
 * concatenation: an alternation or a repetition around them could do
 * without.
 */
function literals(ast: Ast): { prefix?: string; needle?: string } {
	const xs = ast.t === 'cat' ? ast.xs : [ast];
	if (xs[0]?.t === 'assert' && xs[0].a === 'start') {
		let j = 1;
		while (isLit(xs[j])) j++;
		if (j > 1) return { prefix: litText(xs.slice(1, j)) };
	}
	let best = '';
	for (let i = 0; i < xs.length; ) {
		if (!isLit(xs[i])) {
			i++;
			continue;
		}
		let j = i;
		while (isLit(xs[j])) j++;
		const run = litText(xs.slice(i, j));
		if (run.length > best.length) best = run;
		i = j;
	}
	return best ? { needle: best } : {};
}
