// What a run did, counted the one way the text report, the cover letter and
// the JSON report all use: a dispatcher that keeps its VMA and calls a
// converted nested hook through the compat shim is not a converted hook.
import type { HookReport } from '../base/types.js';
import { convertedHooks, isShim } from './message.js';

export interface HookCounts {
	/** hooks that became mmap_prepare hooks */
	converted: number;
	/** dispatchers that kept f_op->mmap and were given the compat shim */
	shims: number;
	/** hooks left on f_op->mmap, with a reason */
	refused: number;
}

export function hookCounts(hooks: HookReport[]): HookCounts {
	return {
		converted: convertedHooks(hooks).length,
		shims: hooks.filter((h) => h.status !== 'skipped' && isShim(h)).length,
		refused: hooks.filter((h) => h.status === 'skipped').length,
	};
}

const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;

/** "5 hooks converted, 1 dispatcher given a compat shim, 2 refused" */
export function countsPhrase(c: HookCounts): string {
	return `${n(c.converted, 'hook', 'hooks')} converted, ${n(c.shims, 'dispatcher', 'dispatchers')} given a compat shim, ${c.refused} refused`;
}
