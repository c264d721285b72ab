// Tests of a VMA flag word, in the form the path conditions can decide: the
// legacy `vma->vm_flags & MASK` (true when any bit of MASK is set),
// `(vm_flags & MASK) == 0`, `== MASK` and `== SUBSET` become conjunctions and
// disjunctions of single-bit atoms, the same atoms vma_desc_test*() produce.
import type { Ctx } from './context.js';
import { maskBits } from './flags.js';
import { and, hasBit, not, or, truth, type Term } from './term.js';

/** `flags & mask` with a flag word and a constant mask: the word and the mask's bits. */
function masked(ctx: Ctx, t: Term): { f: Term; bits: string[] } | undefined {
	if (t.k !== 'app' || t.f !== '&' || t.args.length !== 2) return undefined;
	const [a, b] = t.args as [Term, Term];
	const f = a.k === 'flags' ? a : b.k === 'flags' ? b : undefined;
	if (!f) return undefined;
	const bits = maskBits(f === a ? b : a, ctx.flags, ctx.usedFlags);
	return bits ? { f, bits } : undefined;
}

/** Any of bits set in flag word f. */
export const anyBit = (f: Term, bits: string[]) => or(...bits.map((b) => hasBit(f, b)));
/** All of bits set in flag word f. */
export const allBits = (f: Term, bits: string[]) => and(...bits.map((b) => hasBit(f, b)));

/** The truth of t, with masked flag words as bit atoms. */
export function flagTruth(ctx: Ctx, t: Term): Term {
	const m = masked(ctx, t);
	if (m) return anyBit(m.f, m.bits);
	return truth(t);
}

/** `(flags & M) == V` / `!=` as bit atoms, when V is 0 or a constant mask within M. */
export function flagCompare(ctx: Ctx, op: string, a: Term, b: Term): Term | undefined {
	if (op !== '==' && op !== '!=') return undefined;
	let m = masked(ctx, a);
	let v = b;
	if (!m) {
		m = masked(ctx, b);
		v = a;
	}
	if (!m) return undefined;
	const vbits = maskBits(v, ctx.flags, ctx.usedFlags);
	if (!vbits || vbits.some((x) => !m!.bits.includes(x))) return undefined;
	const eq = and(allBits(m.f, vbits), not(anyBit(m.f, m.bits.filter((x) => !vbits.includes(x)))));
	return op === '==' ? eq : not(eq);
}
