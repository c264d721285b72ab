// Issue #11, class 6: file_operations that may replace each other at run
// time (src/find/fops-swaps.ts) convert all or none. A family is the
// file_operations wired with an mmap hook in the folder of a run-time swap
// (with its subfolders): when one of them keeps .mmap, every conversion of
// another is withdrawn, so that no file can see ->mmap_prepare tested on one
// fops and called on the other.
import { addFile } from '../find/build-index.js';
import type { TreeIndex } from '../find/sites.js';
import { fopsSwaps } from '../find/fops-swaps.js';
import { mmapCorpus } from '../corpus/corpus.js';
import type { RefusalCode } from '../rewrite/refusals.js';
import type { HookReport } from '../base/types.js';

/** A unit of conversion (an f_op hook, or a chain) and how to withdraw it. */
export interface SwapUnit {
	reports: HookReport[];
	abandon(code: RefusalCode, reason: string): void;
}

/** Withdraw the converted units of every mixed family; returns the families' reasons (for tests and logs). */
export function applySwapFamilies(index: TreeIndex, units: SwapUnit[]): string[] {
	const reasons: string[] = [];
	const swaps = fopsSwaps(index.root);
	if (!swaps.length) return reasons;
	const corpus = mmapCorpus(index.root).map((e) => e.file);
	const converted = (fn: string, file: string) =>
		units.find((u) => u.reports.some((r) => r.status === 'converted' && r.function === fn && (r.file === file || r.wiring.some((w) => w.file === file))));
	for (const swap of swaps) {
		const members = corpus
			.filter((f) => f.startsWith(swap.family))
			.flatMap((f) => (addFile(index, f)?.sites ?? []).filter((s) => s.structType === 'file_operations' && (s.field === 'mmap' || s.field === 'mmap_prepare') && !s.macro));
		const old = members.filter((s) => s.field === 'mmap' && !converted(s.value, s.file));
		const moving = [...new Set(members.filter((s) => s.field === 'mmap').map((s) => converted(s.value, s.file)).filter((u): u is SwapUnit => !!u))];
		if (!old.length || !moving.length) continue;
		const keep = old[0]!;
		const reason = `${swap.fn}() (${swap.file}:${swap.line}) swaps a file's f_op to ${swap.to} at run time, and file_operations of ${swap.family} that may replace each other must all keep .mmap or all move to .mmap_prepare: ${keep.value}() (${keep.file}:${keep.line})${old.length > 1 ? ` and ${old.length - 1} more keep` : ' keeps'} .mmap`;
		reasons.push(reason);
		for (const u of moving) u.abandon('fops-swap-family', reason);
	}
	return reasons;
}
