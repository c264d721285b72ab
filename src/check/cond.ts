// Path conditions: the branch decisions a path has taken, as atoms with their
// truth, plus a small decision procedure over them (exact atoms, linear facts
// `L <= 0` combined one or two at a time, bounds of error constants, and the
// page-alignment lemma PAGE_ALIGN(x) <= A <=> x <= A for a page-aligned A).
// It is incomplete on purpose: "undecided" makes the evaluator branch, which
// is always sound; it only declares a combination impossible when it is.
import { atomOf, linOf, linTerm, mentions, mul, num, show, sub, substitute, truth, type Term } from './term.js';

export interface Literal {
	atom: Term;
	val: boolean;
}

/** A linear form c + sum(coef * part) with the parts by key: cheap to subtract and bound. */
type Lin = { c: bigint; parts: Map<string, [bigint, Term]> };

function lin(t: Term): Lin {
	const { c, parts } = linOf(t);
	return { c, parts: new Map(parts.map(([k, p]) => [p.key, [k, p]])) };
}

/** a - b - ... */
function minus(a: Lin, ...bs: Lin[]): Lin {
	const parts = new Map(a.parts);
	let c = a.c;
	for (const b of bs) {
		c -= b.c;
		for (const [key, [k, p]] of b.parts) {
			const cur = parts.get(key);
			const v = (cur?.[0] ?? 0n) - k;
			if (v === 0n) parts.delete(key);
			else parts.set(key, [v, p]);
		}
	}
	return { c, parts };
}

export class PathCond {
	private readonly byKey: Map<string, Literal>;
	/** linear facts L <= 0 implied by the literals */
	private readonly facts: Lin[];
	/** decisions already made on this condition */
	private readonly memo = new Map<string, boolean | undefined>();
	/** L with L != 0 */
	private readonly nonzero: string[];
	/**
	 * The path's exact equalities L == 0 solved for one part each (a pivot with
	 * coefficient 1 or -1): pivot key -> its value in the other parts. No value
	 * mentions a pivot, so one pass of substitution is a normal form.
	 */
	private readonly subs: Map<string, Term>;
	constructor(
		readonly literals: Literal[] = [],
		byKey?: Map<string, Literal>,
		facts?: Lin[],
		nonzero?: string[],
		subs?: Map<string, Term>,
	) {
		this.byKey = byKey ?? new Map(literals.map((l) => [l.atom.key, l]));
		this.facts = facts ?? [];
		this.nonzero = nonzero ?? [];
		this.subs = subs ?? new Map();
	}

	/**
	 * t in the path's normal form: every pivot of the path's equalities replaced
	 * by its value. Two terms with one normal form are equal on the path.
	 */
	normalise(t: Term): Term {
		return this.subs.size ? substitute(t, this.subs) : t;
	}

	/** The condition with b assumed true; undefined when that contradicts it. */
	assume(b: Term, why?: 'hidden'): PathCond | undefined {
		const t = truth(b);
		const d = this.decide(t);
		if (d === true) return this;
		if (d === false) return undefined;
		if (t.k === 'app' && t.f === '&&') {
			let pc: PathCond | undefined = this;
			for (const a of t.args) if (!(pc = pc.assume(a, why))) return undefined;
			return pc;
		}
		if (t.k === 'app' && t.f === '||') throw new Error('assume() of a disjunction: split it first');
		const lit = atomOf(t);
		const byKey = new Map(this.byKey);
		byKey.set(lit.atom.key, lit);
		const facts = [...this.facts];
		const nonzero = [...this.nonzero];
		const a = lit.atom;
		if (a.k === 'cmp' && a.op === 'le') facts.push(lin(lit.val ? a.lin : negPlusOne(a.lin)));
		let subs = this.subs;
		if (a.k === 'cmp' && a.op === 'eq') {
			if (lit.val) {
				facts.push(lin(a.lin), lin(scaleLin(a.lin, -1n)));
				subs = withEquality(this.subs, this.normalise(a.lin));
			} else nonzero.push(a.lin.key);
		}
		const literals = why === 'hidden' ? this.literals : [...this.literals, lit];
		return new PathCond(literals, byKey, facts, nonzero, subs);
	}

	/** Both conditions at once, or undefined when they contradict. */
	merge(other: PathCond): PathCond | undefined {
		let pc: PathCond | undefined = this;
		for (const l of other.literals) {
			pc = pc.assume(l.val ? l.atom : negate(l.atom));
			if (!pc) return undefined;
		}
		return pc;
	}

	/** true / false when the condition decides the boolean term b, else undefined. */
	decide(b: Term): boolean | undefined {
		const t = truth(b);
		if (this.memo.has(t.key)) return this.memo.get(t.key);
		const d = this.decideNow(t);
		this.memo.set(t.key, d);
		return d;
	}

	private decideNow(t: Term): boolean | undefined {
		if (t.k === 'num') return t.v !== 0n;
		if (t.k === 'app' && (t.f === '&&' || t.f === '||')) {
			const ds = t.args.map((a) => this.decide(a));
			if (t.f === '&&') return ds.includes(false) ? false : ds.every((x) => x === true) ? true : undefined;
			return ds.includes(true) ? true : ds.every((x) => x === false) ? false : undefined;
		}
		const { atom, val } = atomOf(t);
		const known = this.byKey.get(atom.key);
		if (known) return known.val === val;
		if (atom.k === 'cmp' && atom.op === 'le') {
			if (this.implied(atom.lin)) return val;
			if (this.implied(negPlusOne(atom.lin))) return !val;
		}
		if (atom.k === 'cmp' && atom.op === 'eq') {
			if (this.implied(atom.lin) && this.implied(scaleLin(atom.lin, -1n))) return val;
			if (this.nonzero.includes(atom.lin.key) || this.implied(addConst(atom.lin, 1n)) || this.implied(negPlusOne(atom.lin))) return !val;
		}
		// The same question in the path's normal form (its equalities substituted):
		// a fixpoint of normalise(), so this recurses once at most.
		if (!this.subs.size) return undefined;
		const n = this.normalise(t);
		// a literal of the path that has the same normal form (taken before the equality was known)
		const na = atomOf(n);
		for (const l of this.byKey.values()) if (this.normalise(l.atom).key === na.atom.key) return l.val === na.val;
		return n.key === t.key ? undefined : this.decide(n);
	}

	/** Is L <= 0 implied? */
	implied(l: Term): boolean {
		return this.impliedLin(lin(l), 0);
	}

	private impliedLin(l: Lin, depth: number): boolean {
		if (boundedAbove(l)) return true;
		// facts must cancel every part of L that has no bound
		const free = [...l.parts].filter(([, [, p]]) => bounds(p)[0] === undefined && bounds(p)[1] === undefined).map(([k]) => k);
		const covers = (fs: Lin[]) => free.every((k) => fs.some((f) => f.parts.has(k)));
		const near = this.facts.filter((f) => free.some((k) => f.parts.has(k)) || !free.length);
		for (const f of near) if (covers([f]) && boundedAbove(minus(l, f))) return true;
		for (let i = 0; i < near.length; i++)
			for (let j = i + 1; j < near.length; j++) if (covers([near[i]!, near[j]!]) && boundedAbove(minus(l, near[i]!, near[j]!))) return true;
		// PAGE_ALIGN(x) + R <= 0 when x + R <= 0 and -R is page-aligned;
		// -PAGE_ALIGN(x) + R <= 0 when -x + R <= 0 (PAGE_ALIGN(x) >= x).
		if (depth > 2) return false;
		for (const [key, [k, p]] of l.parts) {
			if (p.k !== 'app' || p.f !== 'PAGE_ALIGN' || (k !== 1n && k !== -1n)) continue;
			const rest = new Map(l.parts);
			rest.delete(key);
			if (k === 1n && !aligned(linTerm(-l.c, [...rest.values()].map(([kk, q]) => [-kk, q])))) continue;
			const x = lin(p.args[0]!);
			const replaced = k === 1n ? minus({ c: l.c, parts: rest }, { c: -x.c, parts: new Map([...x.parts].map(([kk, [v, q]]) => [kk, [-v, q]])) }) : minus({ c: l.c, parts: rest }, x);
			if (this.impliedLin(replaced, depth + 1)) return true;
		}
		return false;
	}

	/** The literals as C-like text, for messages. */
	describe(): string[] {
		return this.literals.map((l) => (l.val ? show(l.atom) : showNot(l.atom)));
	}
}

/** Macro constants (PAGE_SIZE, EINVAL): kept as they are when a variable can be the pivot. */
const isConstantName = (p: Term) => p.k === 'sym' && /^[A-Z][A-Z0-9_]*$/.test(p.name);

/**
 * subs with the equality L == 0 (L already in their normal form) solved for
 * one of its parts: one with coefficient 1 or -1 that no other part mentions,
 * a variable rather than a macro constant, the last by key (deterministic).
 * The earlier values are rewritten with the new pivot, so that none mentions a
 * pivot. Without such a part the equality stays a linear fact only.
 */
function withEquality(subs: Map<string, Term>, l: Term): Map<string, Term> {
	const { parts } = linOf(l);
	const candidates = parts.filter(([k, p]) => (k === 1n || k === -1n) && !parts.some(([, q]) => q.key !== p.key && mentions(q, (u) => u.key === p.key)));
	if (!candidates.length) return subs;
	const pick = [...candidates].sort(([, x], [, y]) => Number(isConstantName(y)) - Number(isConstantName(x)) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)).pop()!;
	const [k, p] = pick;
	// k*p + rest == 0, k = +-1: p == -k * rest
	const value = mul(num(-k), sub(l, mul(num(k), p)));
	const one = new Map([[p.key, value]]);
	const out = new Map<string, Term>();
	for (const [key, v] of subs) out.set(key, substitute(v, one));
	out.set(p.key, value);
	return out;
}

function showNot(a: Term): string {
	if (a.k === 'bit') return show({ ...a, neg: true });
	if (a.k === 'cmp' && a.op === 'eq') return show({ ...a, op: 'ne' });
	return `!(${show(a)})`;
}

/** The boolean term asserting that atom a is false. */
function negate(a: Term): Term {
	if (a.k === 'bit') return { ...a, neg: !a.neg, key: `${a.neg ? '' : '!'}bit(${a.base.key},${a.bit})` };
	if (a.k === 'cmp' && a.op === 'eq') return { ...a, op: 'ne', key: `ne(${a.lin.key})` };
	if (a.k === 'cmp' && a.op === 'le') {
		const l = negPlusOne(a.lin);
		return { k: 'cmp', op: 'le', lin: l, key: `le(${l.key})` };
	}
	throw new Error(`cannot negate ${a.key}`);
}

function scaleLin(t: Term, k: bigint): Term {
	const { c, parts } = linOf(t);
	return linTerm(c * k, parts.map(([kk, p]) => [kk * k, p]));
}
function addConst(t: Term, k: bigint): Term {
	const { c, parts } = linOf(t);
	return linTerm(c + k, parts);
}
/** !(L <= 0) over the integers: -L + 1 <= 0 */
function negPlusOne(t: Term): Term {
	return addConst(scaleLin(t, -1n), 1n);
}

/** Known bounds of a term: error codes are 1..4095, PAGE_SIZE/PAGE_SHIFT are positive. */
function bounds(p: Term): [bigint | undefined, bigint | undefined] {
	if (p.k === 'sym' && isErrno(p.name)) return [1n, 4095n];
	if (p.k === 'sym' && (p.name === 'PAGE_SIZE' || p.name === 'PAGE_SHIFT')) return [1n, undefined];
	// a function or a named object's address is never NULL
	if (p.k === 'app' && (p.f === 'fn' || (p.f === '&' && p.args[0]?.k === 'sym'))) return [1n, undefined];
	// the VMA's bounds and offset, shifts and PAGE_ALIGN() of them: unsigned quantities
	if (p.k === 'sym' && (p.name === 'start0' || p.name === 'end0' || p.name === 'pgoff0')) return [0n, undefined];
	if (p.k === 'app' && (p.f === '<<' || p.f === '>>' || p.f === 'PAGE_ALIGN' || p.f === 'sizeof')) return [0n, undefined];
	return [undefined, undefined];
}

export const isErrno = (name: string) => /^E[A-Z0-9]+$/.test(name) && name !== 'E';

/** Is max(l) <= 0 from the parts' bounds alone? */
function boundedAbove(l: Lin): boolean {
	let max = l.c;
	for (const [coef, p] of l.parts.values()) {
		if (coef === 0n) continue;
		const [lo, hi] = bounds(p);
		const b = coef > 0n ? hi : lo;
		if (b === undefined) return false;
		max += coef * b;
	}
	return max <= 0n;
}

/** A multiple of the page size: the VMA's start and end, PAGE_SIZE, PAGE_ALIGN(), x << PAGE_SHIFT, x * PAGE_SIZE, 0. */
export function aligned(t: Term): boolean {
	const { c, parts } = linOf(t);
	if (c !== 0n) return false;
	return parts.every(([, p]) => alignedAtom(p));
}

function alignedAtom(p: Term): boolean {
	if (p.k === 'sym') return p.name === 'PAGE_SIZE' || p.name === 'start0' || p.name === 'end0';
	if (p.k === 'app') {
		if (p.f === 'PAGE_ALIGN') return true;
		if (p.f === '<<') return p.args[1]?.k === 'sym' && p.args[1].name === 'PAGE_SHIFT';
		if (p.f === '*') return p.args.some(alignedAtom);
	}
	return false;
}
