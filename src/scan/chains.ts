// The scan's chains: the plan's (with its verdicts), or without the plan the
// hook fields a function under the paths calls with its vma; their
// implementors and wirings completed from the inventory (macros too).
import { chainName } from '../find/chains.js';
import type { Plan } from '../plan/plan.js';
import { underTargets, type FileScan } from './file.js';
import type { ScanChain, ScanSite } from './report.js';

/** The chains under targets, the ones with the most implementors first. */
export function assembleChains(
	plan: Plan,
	planned: boolean,
	scans: Map<string, FileScan>,
	sites: ScanSite[],
	targets: string[],
	isVmaField: (struct: string, field: string, file: string) => boolean | undefined,
): ScanChain[] {
	const chains: ScanChain[] = planned ? plan.chains.map((c) => ({
		chain: chainName(c.chain.key),
		decl: `${c.chain.decl.file}:${c.chain.decl.line}`,
		dispatchers: dedupe(c.chain.uses.filter((u) => u.kind === 'call').map((u) => ({ function: u.fn ?? '?', file: u.file, line: u.line }))),
		implementors: [...new Set(c.chain.wirings.map((w) => w.impl))].sort(),
		wirings: c.chain.wirings.length,
		registrations: [...new Set(c.chain.registrations.map((r) => r.fn))],
		status: c.status,
		...(c.mode ? { mode: c.mode } : {}),
		...(c.reason ? { reason: c.reason } : {}),
		...(c.code ? { code: c.code } : {}),
	})) : chainsFromCalls(scans, sites, targets, isVmaField);
	// Implementors and wirings from the inventory: every hook wired into the field, by macros too.
	for (const ch of chains) {
		const mine = sites.filter((x) => x.counted && `${x.struct}.${x.field}` === ch.chain);
		if (!mine.length) continue;
		ch.implementors = [...new Set([...ch.implementors, ...mine.map((x) => x.hook)])].sort();
		ch.wirings = Math.max(ch.wirings, mine.length);
	}
	chains.sort((a, b) => b.implementors.length - a.implementors.length || a.chain.localeCompare(b.chain));
	return chains;
}

/**
 * Without the plan: a chain for every hook field (struct.field taking a vma)
 * that a function under the paths calls with its vma; its implementors are
 * the hooks wired into that field.
 */
function chainsFromCalls(scans: Map<string, FileScan>, sites: ScanSite[], targets: string[], isVmaField: (s: string, f: string, file: string) => boolean | undefined): ScanChain[] {
	const byKey = new Map<string, ScanChain>();
	for (const s of scans.values()) {
		if (!underTargets(s.index.file, targets)) continue;
		for (const fn of s.facts)
			for (const c of fn.calls) {
				if (c.via !== 'field' || !c.vma || !c.owner || c.owner === 'file_operations' || isVmaField(c.owner, c.callee, s.index.file) !== true) continue;
				const key = `${c.owner}.${c.callee}`;
				let ch = byKey.get(key);
				if (!ch) byKey.set(key, (ch = { chain: key, decl: '', dispatchers: [], implementors: [], wirings: 0, registrations: [], status: 'not-planned' }));
				ch.dispatchers.push({ function: fn.name, file: s.index.file, line: c.line });
			}
	}
	for (const site of sites) {
		if (!site.counted) continue;
		const ch = byKey.get(`${site.struct}.${site.field}`);
		if (!ch) continue;
		ch.wirings++;
		if (!ch.implementors.includes(site.hook)) ch.implementors.push(site.hook);
	}
	for (const ch of byKey.values()) ch.implementors.sort();
	return [...byKey.values()];
}

function dedupe<T>(xs: T[]): T[] {
	const seen = new Set<string>();
	return xs.filter((x) => {
		const k = JSON.stringify(x);
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
}

