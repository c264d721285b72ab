// Comparing the base kernel's boot with the tip's: every probe's steps must
// give the same results, every setup line the same status, and the tip's
// console must show no kernel report (WARNING:, BUG:, Oops, Call Trace,
// lockdep) that the base's does not.
import type { Probe } from './catalogue.js';
import { newHits, quote, type ConsoleRecord, type ProbeRun } from './console.js';

export type ProbeStatus = 'equal' | 'different' | 'not-run';

export interface ProbeVerdict {
	id: string;
	status: ProbeStatus;
	/** an mmap() call was made on at least one kernel: the probe's hooks ran */
	reached: boolean;
	/** what differs, one line each ("data.munmap: ok at base, no result at the tip") */
	differences: string[];
	/** the tip's new kernel report, quoted */
	quote?: string[];
	/** why it did not run, or did not reach its hooks */
	why?: string;
	/** the results at base, "step=result" */
	results: string[];
}

const fmt = (s: { step: string; result: string }) => `${s.step}=${s.result}`;

function firstFailure(run: ProbeRun | undefined): string | undefined {
	const f = run?.steps.find((s) => s.result.startsWith('err=') && !/\./.test(s.step));
	return f ? `${f.step} failed with ${f.result.slice(4)}` : undefined;
}

export function compareProbe(p: Probe, base: ConsoleRecord, tip: ConsoleRecord): ProbeVerdict {
	const b = base.probes.get(p.id);
	const t = tip.probes.get(p.id);
	const results = b ? b.steps.map(fmt) : [];
	const reached = [b, t].some((r) => r?.steps.some((s) => s.step.endsWith('.mmap')));
	if (!b) return { id: p.id, status: 'not-run', reached: false, differences: [], results, why: base.reachedInit ? 'the base kernel did not run it' : 'the base kernel did not reach /init' };
	const differences: string[] = [];
	const bs = base.setup.get(p.id) ?? [];
	const ts = tip.setup.get(p.id) ?? [];
	for (let i = 0; i < Math.max(bs.length, ts.length); i++)
		if (bs[i] !== ts[i]) differences.push(`setup line ${i + 1} (${p.setup[i] ?? '?'}): ${bs[i] ?? 'not run'} at base, ${ts[i] ?? 'not run'} at the tip`);
	if (!t) {
		differences.push(`did not run at the tip (${tip.reachedInit ? 'an earlier probe stopped the boot' : 'the tip did not reach /init'})`);
		return { id: p.id, status: 'different', reached, differences, results };
	}
	const n = Math.max(b.steps.length, t.steps.length);
	for (let i = 0; i < n; i++) {
		const x = b.steps[i];
		const y = t.steps[i];
		if (x && y && x.step === y.step && x.result === y.result) continue;
		if (x && y && x.step === y.step) differences.push(`${x.step}: ${x.result} at base, ${y.result} at the tip`);
		else if (x && !y) differences.push(`${x.step}: ${x.result} at base, no result at the tip (it ${t.end === 'stuck' ? 'got stuck in the kernel' : `ended: ${t.end ?? 'never'}`} after ${t.steps.at(-1) ? fmt(t.steps.at(-1)!) : 'no step'})`);
		else if (!x && y) differences.push(`${y.step}: no result at base, ${y.result} at the tip`);
		else differences.push(`step ${i + 1}: ${fmt(x!)} at base, ${fmt(y!)} at the tip`);
		break; // later steps follow from the first difference
	}
	if (b.end !== t.end && !differences.length) differences.push(`ended ${b.end ?? 'never'} at base, ${t.end ?? 'never'} at the tip`);
	const added = newHits(b.hits, t.hits);
	let q: string[] | undefined;
	if (added.length) {
		q = quote(t.reports);
		differences.push(`the tip's console: ${added[0]}`);
	} else if (t.oops > b.oops || t.warn > b.warn) differences.push(`oops_count +${t.oops} / warn_count +${t.warn} at the tip, +${b.oops} / +${b.warn} at base`);
	const why = reached ? undefined : `${firstFailure(b) ?? 'no mmap() was made'} on ${firstFailure(t) === firstFailure(b) ? 'both kernels' : 'the base kernel'}`;
	return { id: p.id, status: differences.length ? 'different' : 'equal', reached, differences, results, ...(q ? { quote: q } : {}), ...(why ? { why } : {}) };
}

export interface BootComparison {
	probes: ProbeVerdict[];
	/** reports of the tip's console outside any probe that the base's does not have */
	bootHits: string[];
	bootQuote?: string[];
	/** the tip did not get through /init */
	tipIncomplete?: string;
	/** the base did not: nothing can be compared */
	baseIncomplete?: string;
}

export function compareBoots(probes: Probe[], base: ConsoleRecord, tip: ConsoleRecord): BootComparison {
	const res: BootComparison = { probes: probes.map((p) => compareProbe(p, base, tip)), bootHits: newHits(base.bootHits, tip.bootHits) };
	if (res.bootHits.length) res.bootQuote = quote(tip.bootReports);
	if (!base.reachedInit) res.baseIncomplete = 'the base kernel did not reach /init';
	else if (!base.done) res.baseIncomplete = 'the base kernel did not finish the probes';
	if (!tip.reachedInit) res.tipIncomplete = 'the tip kernel did not reach /init';
	else if (!tip.done) res.tipIncomplete = 'the tip kernel did not finish the probes';
	return res;
}
