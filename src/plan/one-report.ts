// One report per hook. A function can be reported from several places: as an
// f_op hook, as a nested hook wired in another struct, as the implementor of
// one chain and as the dispatcher of another (sysfs_kf_bin_mmap is wired in
// kernfs_ops.mmap and calls battr->mmap). Each hook gets one status, so that it
// is counted once: converted (or given the compat shim) when any of its
// reports says so; otherwise refused, with the reason of the report that says
// the most (a "converts only with its chain" refusal defers to the chain's own
// report on the same function).
import type { HookReport } from '../base/types.js';

/** A refusal that only points at the chain the hook dispatches: that chain's report says why. */
const defers = (r: HookReport): boolean => r.code === 'nested-call';

function rank(r: HookReport): number {
	if (r.status !== 'skipped') return 0;
	return defers(r) ? 2 : 1;
}

/**
 * The reports, one per hook (same function defined in the same file), in the
 * order of their first report. A refused hook keeps every place it is wired
 * from; a converted one keeps only its own report's wiring, which is what its
 * patch changes.
 */
export function oneReportPerHook(reports: HookReport[]): HookReport[] {
	const groups = new Map<string, HookReport[]>();
	const order: HookReport[][] = [];
	for (const r of reports) {
		// Without a definition file the function name alone does not identify the hook.
		const key = r.file ? `${r.function}\0${r.file}` : undefined;
		const g = key !== undefined ? groups.get(key) : undefined;
		if (g) g.push(r);
		else {
			const fresh = [r];
			if (key !== undefined) groups.set(key, fresh);
			order.push(fresh);
		}
	}
	return order.map((g) => {
		if (g.length === 1) return g[0]!;
		const keep = g.reduce((best, r) => (rank(r) < rank(best) ? r : best));
		if (keep.status === 'skipped') {
			const seen = new Set(keep.wiring.map((w) => JSON.stringify(w)));
			for (const r of g)
				for (const w of r.wiring)
					if (!seen.has(JSON.stringify(w))) {
						seen.add(JSON.stringify(w));
						keep.wiring.push(w);
					}
		}
		return keep;
	});
}
