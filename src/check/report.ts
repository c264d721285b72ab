// The checker's verdict on one conversion: proven, or refused with a stable
// code, the path (its branch conditions) and the difference, plus the
// assumptions the proof rests on.
import type { Difference } from './compare.js';
// The codes are the catalogue's (src/rewrite/refusals.ts): types only, the
// checker takes no code from the rules' side.
import type { RefusalCode } from '../rewrite/refusals.js';

export type CheckKind = 'fop' | 'nested' | 'whole-chain' | 'shim';

/**
 * Refusal codes:
 *   not-equivalent  some path of the old hook ends differently in the new one
 *   not-modelled    the hook uses a construct the checker cannot evaluate (a loop, ...)
 *   side-effect     on the mmap path the new hook makes a call the checker does not know to be
 *                   pure, read-only or harmless, or a store outside its locals: it would run in
 *                   mmap_prepare, before the VMA exists and also for mappings that merge
 */
export type CheckCode = Extract<RefusalCode, 'not-equivalent' | 'not-modelled' | 'side-effect'>;

export interface CheckResult {
	equivalence: 'proven' | 'refused';
	code?: CheckCode;
	kind: CheckKind;
	function: string;
	/** for a chain: the implementor (or "unset") whose world differs */
	world?: string;
	/**
	 * for a chain: the converted implementor (its old name) whose world differs
	 * or could not be evaluated; absent when the difference is in a world of no
	 * implementor (the field unset, an unconverted hook) or outside the worlds
	 */
	implementor?: string;
	difference?: Difference;
	/** one line for people */
	message: string;
	assumptions: string[];
	paths: { old: number; new: number };
	/** time the check took, in milliseconds */
	ms: number;
}

export function describe(r: CheckResult): string {
	if (r.equivalence === 'proven') return `equivalence proven (${r.paths.old} old / ${r.paths.new} new paths)`;
	return r.message;
}

/** The refusal text for a difference. */
export function differenceText(d: Difference, world?: string): string {
	const path = d.path.length ? `path [${d.path.join(' && ')}]` : 'every path';
	return `${world ? `with ${world}: ` : ''}${path}: ${d.message}`;
}
