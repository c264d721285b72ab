// Symbolic terms of the equivalence checker: the values a hook computes, in a
// canonical form so that two computations of the same value compare equal by
// their key. Sums are kept as linear combinations (so `vm_end - vm_start` and
// `vma_desc_size(desc)` = `desc->end - desc->start` are one term), commutative
// operators have sorted operands, and comparisons are normalised to
// `L <= 0`, `L == 0` or `L != 0` over a linear L. Anything else is an
// uninterpreted application. Integer semantics without wrap-around are
// assumed for the linear part (the assumption is listed in every result).

export type Term =
	| { k: 'num'; v: bigint; key: string }
	/** a named value: an entry symbol (start0, prot0...), a macro constant (VM_IO, EINVAL), a global */
	| { k: 'sym'; name: string; key: string }
	| { k: 'str'; v: string; key: string }
	/** an uninterpreted operator or pure function application */
	| { k: 'app'; f: string; args: Term[]; key: string }
	/** c + sum(coef * part), parts sorted by key, no zero coefficient */
	| { k: 'sum'; c: bigint; parts: Array<[bigint, Term]>; key: string }
	/** a VMA flag word: base with some bits known set or clear */
	| { k: 'flags'; base: Term; set: string[]; clr: string[]; key: string }
	/** lin <= 0 (le), lin == 0 (eq), lin != 0 (ne) */
	| { k: 'cmp'; op: 'le' | 'eq' | 'ne'; lin: Term; key: string }
	/** flag bit `bit` set in flag word base (neg: clear) */
	| { k: 'bit'; base: Term; bit: string; neg: boolean; key: string }
	/** pointer to a modelled object (the vma, a descriptor, a local struct) */
	| { k: 'obj'; id: number; key: string }
	/** address of a modelled object's field */
	| { k: 'faddr'; obj: number; field: string; key: string }
	/** a local variable read before any value was assigned */
	| { k: 'undef'; name: string; key: string };

export const num = (v: bigint | number): Term => {
	const b = BigInt(v);
	return { k: 'num', v: b, key: `${b}` };
};
export const ZERO = num(0);
export const ONE = num(1);
export const sym = (name: string): Term => ({ k: 'sym', name, key: `$${name}` });
export const str = (v: string): Term => ({ k: 'str', v, key: JSON.stringify(v) });
export const obj = (id: number): Term => ({ k: 'obj', id, key: `obj#${id}` });
export const faddr = (o: number, field: string): Term => ({ k: 'faddr', obj: o, field, key: `&obj#${o}.${field}` });
export const undef = (name: string): Term => ({ k: 'undef', name, key: `undef:${name}` });

const COMMUTATIVE = new Set(['&', '|', '^', '*', 'max', 'min']);

/** f(args) as an uninterpreted term; commutative operators sort their operands, constants fold. */
export function app(f: string, args: Term[]): Term {
	if (args.every((a) => a.k === 'num')) {
		const folded = fold(f, args.map((a) => (a as { v: bigint }).v));
		if (folded !== undefined) return num(folded);
	}
	let as = args;
	if (COMMUTATIVE.has(f)) as = flattenSort(f, args);
	if (f === '|' || f === '^') {
		as = as.filter((a) => !(a.k === 'num' && a.v === 0n));
		if (as.length === 1) return as[0]!;
		if (as.length === 0) return ZERO;
	}
	return { k: 'app', f, args: as, key: `${f}(${as.map((a) => a.key).join(',')})` };
}

function flattenSort(f: string, args: Term[]): Term[] {
	const out: Term[] = [];
	for (const a of args) if (a.k === 'app' && a.f === f) out.push(...a.args);
	else out.push(a);
	// constants fold together
	const nums = out.filter((a) => a.k === 'num') as Array<{ v: bigint }>;
	const rest = out.filter((a) => a.k !== 'num').sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
	if (nums.length > 1) {
		const v = nums.map((n) => n.v).reduce((a, b) => fold(f, [a, b]) ?? a);
		return [...rest, num(v)];
	}
	return nums.length ? [...rest, num(nums[0]!.v)] : rest;
}

function fold(f: string, v: bigint[]): bigint | undefined {
	const [a, b] = v;
	if (v.length === 2 && a !== undefined && b !== undefined) {
		switch (f) {
			case '*': return a * b;
			case '/': return b === 0n ? undefined : a / b;
			case '%': return b === 0n ? undefined : a % b;
			case '<<': return b >= 0n && b < 64n ? a << b : undefined;
			case '>>': return b >= 0n && b < 64n ? a >> b : undefined;
			case '&': return a & b;
			case '|': return a | b;
			case '^': return a ^ b;
			case 'max': return a > b ? a : b;
			case 'min': return a < b ? a : b;
		}
	}
	if (v.length === 1 && a !== undefined && f === '~') return ~a;
	return undefined;
}

// ---- linear arithmetic ----

type Lin = { c: bigint; parts: Map<string, [bigint, Term]> };

function toLin(t: Term): Lin {
	if (t.k === 'num') return { c: t.v, parts: new Map() };
	if (t.k === 'sum') return { c: t.c, parts: new Map(t.parts.map(([k, p]) => [p.key, [k, p]])) };
	return { c: 0n, parts: new Map([[t.key, [1n, t]]]) };
}

function fromLin(l: Lin): Term {
	const parts = [...l.parts.values()].filter(([k]) => k !== 0n).sort((x, y) => (x[1].key < y[1].key ? -1 : x[1].key > y[1].key ? 1 : 0));
	if (!parts.length) return num(l.c);
	if (parts.length === 1 && l.c === 0n && parts[0]![0] === 1n) return parts[0]![1];
	const key = `sum(${l.c};${parts.map(([k, p]) => `${k}*${p.key}`).join(';')})`;
	return { k: 'sum', c: l.c, parts, key };
}

function addLin(a: Lin, b: Lin, scale = 1n): Lin {
	const parts = new Map(a.parts);
	for (const [key, [k, p]] of b.parts) {
		const cur = parts.get(key);
		parts.set(key, [(cur?.[0] ?? 0n) + scale * k, p]);
	}
	return { c: a.c + scale * b.c, parts };
}

export const add = (a: Term, b: Term): Term => fromLin(addLin(toLin(a), toLin(b)));
export const sub = (a: Term, b: Term): Term => fromLin(addLin(toLin(a), toLin(b), -1n));
export const neg = (a: Term): Term => fromLin(addLin({ c: 0n, parts: new Map() }, toLin(a), -1n));
export function mul(a: Term, b: Term): Term {
	if (a.k === 'num' && b.k !== 'num') return scale(b, a.v);
	if (b.k === 'num' && a.k !== 'num') return scale(a, b.v);
	return app('*', [a, b]);
}
function scale(t: Term, k: bigint): Term {
	const l = toLin(t);
	return fromLin({ c: l.c * k, parts: new Map([...l.parts].map(([key, [c, p]]) => [key, [c * k, p]])) });
}

/** The linear parts of a term (for the decision procedure). */
export function linOf(t: Term): { c: bigint; parts: Array<[bigint, Term]> } {
	const l = toLin(t);
	return { c: l.c, parts: [...l.parts.values()].filter(([k]) => k !== 0n) };
}
export function linTerm(c: bigint, parts: Array<[bigint, Term]>): Term {
	const m = new Map<string, [bigint, Term]>();
	for (const [k, p] of parts) m.set(p.key, [(m.get(p.key)?.[0] ?? 0n) + k, p]);
	return fromLin({ c, parts: m });
}

// ---- comparisons and truth ----

function cmpTerm(op: 'le' | 'eq' | 'ne', lin: Term): Term {
	if (lin.k === 'num') {
		const v = lin.v;
		return num(op === 'le' ? (v <= 0n ? 1 : 0) : op === 'eq' ? (v === 0n ? 1 : 0) : v !== 0n ? 1 : 0);
	}
	let l: Term = lin;
	if (op !== 'le') {
		// a == b and b == a are one atom: the first part's coefficient is positive
		const first = linOf(l).parts[0];
		if (first && first[0] < 0n) l = neg(l);
	}
	return { k: 'cmp', op, lin: l, key: `${op}(${l.key})` };
}

/** C comparison a OP b as a canonical atom (or a constant 0/1). */
export function compare(op: string, a: Term, b: Term): Term {
	if (isFlags(a) || isFlags(b)) return app(op, [a, b]);
	switch (op) {
		case '<': return cmpTerm('le', add(sub(a, b), ONE));
		case '<=': return cmpTerm('le', sub(a, b));
		case '>': return cmpTerm('le', add(sub(b, a), ONE));
		case '>=': return cmpTerm('le', sub(b, a));
		case '==': return cmpTerm('eq', sub(a, b));
		case '!=': return cmpTerm('ne', sub(a, b));
	}
	throw new Error(`not a comparison: ${op}`);
}

const isFlags = (t: Term) => t.k === 'flags';

export function bitTerm(base: Term, bit: string, negated = false): Term {
	return { k: 'bit', base, bit, neg: negated, key: `${negated ? '!' : ''}bit(${base.key},${bit})` };
}

/** Is t a boolean term (an atom, its negation, or an && / || of them)? */
export const isBool = (t: Term) => t.k === 'cmp' || t.k === 'bit' || (t.k === 'app' && (t.f === '&&' || t.f === '||'));

/** The truth of t as a boolean term: t itself for atoms, `t != 0` otherwise. */
export function truth(t: Term): Term {
	if (t.k === 'num') return t.v !== 0n ? ONE : ZERO;
	// a function or a named object's address is never NULL
	if (t.k === 'app' && (t.f === 'fn' || (t.f === '&' && t.args[0]?.k === 'sym'))) return ONE;
	if (isBool(t)) return t;
	return cmpTerm('ne', t);
}

/** a && b && ... as a boolean term (constants fold). */
export function and(...ts: Term[]): Term {
	const parts: Term[] = [];
	for (const t of ts.map(truth)) {
		if (t.k === 'num') {
			if (t.v === 0n) return ZERO;
			continue;
		}
		if (t.k === 'app' && t.f === '&&') parts.push(...t.args);
		else parts.push(t);
	}
	if (!parts.length) return ONE;
	if (parts.length === 1) return parts[0]!;
	return { k: 'app', f: '&&', args: parts, key: `&&(${parts.map((p) => p.key).join(',')})` };
}

/** a || b || ... as a boolean term (constants fold). */
export function or(...ts: Term[]): Term {
	const parts: Term[] = [];
	for (const t of ts.map(truth)) {
		if (t.k === 'num') {
			if (t.v !== 0n) return ONE;
			continue;
		}
		if (t.k === 'app' && t.f === '||') parts.push(...t.args);
		else parts.push(t);
	}
	if (!parts.length) return ZERO;
	if (parts.length === 1) return parts[0]!;
	return { k: 'app', f: '||', args: parts, key: `||(${parts.map((p) => p.key).join(',')})` };
}

/** !t */
export function not(t: Term): Term {
	const b = truth(t);
	if (b.k === 'num') return b.v !== 0n ? ZERO : ONE;
	if (b.k === 'app' && b.f === '&&') return or(...b.args.map(not));
	if (b.k === 'app' && b.f === '||') return and(...b.args.map(not));
	if (b.k === 'bit') return bitTerm(b.base, b.bit, !b.neg);
	if (b.k === 'cmp') {
		if (b.op === 'le') return cmpTerm('le', add(neg(b.lin), ONE));
		return cmpTerm(b.op === 'eq' ? 'ne' : 'eq', b.lin);
	}
	throw new Error('unreachable');
}

/** The atom a boolean term tests, and whether the term asserts it (true) or its negation. */
export function atomOf(b: Term): { atom: Term; val: boolean } {
	if (b.k === 'bit') return { atom: b.neg ? bitTerm(b.base, b.bit) : b, val: !b.neg };
	if (b.k === 'cmp' && b.op === 'ne') return { atom: cmpTerm('eq', b.lin), val: false };
	return { atom: b, val: true };
}

// ---- flag words ----

export function flagsTerm(base: Term, set: Iterable<string> = [], clr: Iterable<string> = []): Term {
	const s = [...new Set(set)].sort();
	const c = [...new Set(clr)].filter((x) => !s.includes(x)).sort();
	return { k: 'flags', base, set: s, clr: c, key: `flags(${base.key};+${s.join('+')};-${c.join('-')})` };
}

export function setBits(f: Term, bits: Iterable<string>): Term {
	if (f.k !== 'flags') return flagsTerm(f, bits);
	const add_ = [...bits];
	return flagsTerm(f.base, [...f.set, ...add_], f.clr.filter((b) => !add_.includes(b)));
}

export function clearBits(f: Term, bits: Iterable<string>): Term {
	if (f.k !== 'flags') return flagsTerm(f, [], bits);
	const rm = [...bits];
	return flagsTerm(f.base, f.set.filter((b) => !rm.includes(b)), [...f.clr, ...rm]);
}

/** Is bit set in flag word f: 1, 0, or an atom on its base. */
export function hasBit(f: Term, bit: string): Term {
	if (f.k !== 'flags') return bitTerm(f, bit);
	if (f.set.includes(bit)) return ONE;
	if (f.clr.includes(bit)) return ZERO;
	return bitTerm(f.base, bit);
}

// ---- printing ----

const OPS = new Set(['&', '|', '^', '*', '/', '%', '<<', '>>', '<', '>', '<=', '>=', '==', '!=']);

/** A readable C-like rendering (for messages; equality uses key). */
export function show(t: Term): string {
	switch (t.k) {
		case 'num': return t.v > 0xffffn ? `0x${t.v.toString(16)}` : `${t.v}`;
		case 'sym': return t.name;
		case 'str': return t.v;
		case 'obj': return `object#${t.id}`;
		case 'faddr': return `&object#${t.obj}.${t.field}`;
		case 'undef': return `uninitialised ${t.name}`;
		case 'app': {
			if (t.f.startsWith('.') || t.f.startsWith('->')) {
				const at = t.args[1] && t.args[1].k === 'num' && t.args[1].v > 0n ? `@${t.args[1].v}` : '';
				return `${paren(t.args[0]!)}${t.f}${at}`;
			}
			if (t.f === '*deref') return `*${paren(t.args[0]!)}`;
			if (t.f.startsWith('&->') || t.f.startsWith('&.')) return `&${paren(t.args[0]!)}${t.f.slice(1)}`;
			if (t.f === '&' && t.args.length === 1) return `&${paren(t.args[0]!)}`;
			if (t.f === '[]') return `${paren(t.args[0]!)}[${show(t.args[1]!)}]`;
			if (t.f === '~') return `~${paren(t.args[0]!)}`;
			if (t.f.startsWith('(') && t.args.length === 1) return `${t.f}${paren(t.args[0]!)}`;
			if (OPS.has(t.f) || t.f === '&&' || t.f === '||') return t.args.map(paren).join(` ${t.f} `);
			return `${t.f}(${t.args.map(show).join(', ')})`;
		}
		case 'sum': {
			let out = '';
			for (const [k, p] of t.parts) {
				const mag = k < 0n ? -k : k;
				const body = mag === 1n ? paren(p) : `${mag} * ${paren(p)}`;
				out += out ? (k < 0n ? ` - ${body}` : ` + ${body}`) : k < 0n ? `-${body}` : body;
			}
			if (t.c !== 0n) out += t.c < 0n ? ` - ${-t.c}` : ` + ${t.c}`;
			return out;
		}
		case 'flags': {
			const mods = [...t.set.map((b) => `+${b}`), ...t.clr.map((b) => `-${b}`)];
			return mods.length ? `${show(t.base)}{${mods.join(',')}}` : show(t.base);
		}
		case 'cmp': {
			const { lhs, rhs } = splitSides(t.lin);
			if (t.op === 'le') return `${lhs} <= ${rhs}`;
			return `${lhs} ${t.op === 'eq' ? '==' : '!='} ${rhs}`;
		}
		case 'bit': return `${t.neg ? '!' : ''}(${show(t.base)} & VM_${t.bit})`;
	}
}

/** lin <= 0 shown as "positive parts <= negative parts". */
function splitSides(lin: Term): { lhs: string; rhs: string } {
	const { c, parts } = linOf(lin);
	const pos = parts.filter(([k]) => k > 0n);
	const negs = parts.filter(([k]) => k < 0n).map(([k, p]) => [-k, p] as [bigint, Term]);
	const side = (ps: Array<[bigint, Term]>, cc: bigint) => paren(linTerm(cc, ps));
	if (!pos.length) return { lhs: side([], c), rhs: side(negs, 0n) };
	return { lhs: side(pos, c > 0n ? c : 0n), rhs: side(negs, c < 0n ? -c : 0n) };
}

function paren(t: Term): string {
	const s = show(t);
	if (t.k === 'sum' || (t.k === 'app' && (OPS.has(t.f) || t.f === '&&' || t.f === '||')) || t.k === 'cmp') return `(${s})`;
	return s;
}

/** Does t mention the term u anywhere (by key)? */
export function mentions(t: Term, pred: (u: Term) => boolean): boolean {
	if (pred(t)) return true;
	switch (t.k) {
		case 'app': return t.args.some((a) => mentions(a, pred));
		case 'sum': return t.parts.some(([, p]) => mentions(p, pred));
		case 'flags': return mentions(t.base, pred);
		case 'cmp': return mentions(t.lin, pred);
		case 'bit': return mentions(t.base, pred);
		default: return false;
	}
}

/**
 * t with every subterm whose key is in subs replaced by its value, rebuilt
 * through the canonical constructors (sums stay linear, comparisons stay
 * atoms, constants fold). Replacing equals by equals: the result has t's
 * value wherever the substitutions' equalities hold.
 */
export function substitute(t: Term, subs: Map<string, Term>): Term {
	const r = subs.get(t.key);
	if (r) return r;
	switch (t.k) {
		case 'app': {
			const args = t.args.map((a) => substitute(a, subs));
			if (args.every((a, i) => a.key === t.args[i]!.key)) return t;
			if (t.f === '&&') return and(...args);
			if (t.f === '||') return or(...args);
			return app(t.f, args);
		}
		case 'sum': {
			let out: Term = num(t.c);
			for (const [k, p] of t.parts) out = add(out, mul(num(k), substitute(p, subs)));
			return out;
		}
		case 'flags': {
			const base = substitute(t.base, subs);
			return base.key === t.base.key ? t : flagsTerm(base, t.set, t.clr);
		}
		case 'cmp': {
			const l = substitute(t.lin, subs);
			return l.key === t.lin.key ? t : compare(t.op === 'le' ? '<=' : t.op === 'eq' ? '==' : '!=', l, ZERO);
		}
		case 'bit': {
			const base = substitute(t.base, subs);
			return base.key === t.base.key ? t : bitTerm(base, t.bit, t.neg);
		}
		default:
			return t;
	}
}
