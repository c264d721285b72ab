// The wiring sites the index and the plan found (the macro-generated ones are
// macro-wiring.ts's): initialisers and assignments, and the implementors that
// registration functions install (the chains found them).
import type { Plan } from '../plan/plan.js';
import { underTargets, type FileScan } from './file.js';
import type { ScanSite, SiteKind } from './report.js';

/** Sites found by the index (initialisers, assignments) under targets. */
export function indexSites(scans: Map<string, FileScan>, targets: string[]): ScanSite[] {
	const sites: ScanSite[] = [];
	for (const s of [...scans.values()]) {
		if (!underTargets(s.index.file, targets)) continue;
		s.index.sites.forEach((w, i) => {
			if (w.macro) return; // macro bodies: counted at their uses (or definitions, macro-wiring.ts)
			if (s.siteKinds[i] === 'param') return; // a registration function's store: its callers are the sites
			sites.push({
				file: w.file,
				line: w.line,
				struct: s.siteStructs[i] || w.structType,
				field: w.field,
				hook: w.value,
				kind: s.siteKinds[i] as SiteKind,
				counted: true,
				...(s.sitesInError.includes(i) ? { inError: true, note: 'inside a region tree-sitter could not parse' } : {}),
			});
		});
	}
	return sites;
}

/** Implementors installed by registration functions under targets (the chains found them). */
export function registrationSites(plan: Plan, targets: string[]): ScanSite[] {
	const sites: ScanSite[] = [];
	for (const c of plan.chains)
		for (const w of c.chain.wirings)
			if (w.kind === 'register' && underTargets(w.file, targets))
				sites.push({ file: w.file, line: w.line, struct: c.chain.key.struct, field: c.chain.key.field, hook: w.impl, kind: 'register', via: w.via, counted: true });
	return sites;
}

/** The inventory's order: by file, line, hook. */
export function sortSites(sites: ScanSite[]): ScanSite[] {
	return sites.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.hook.localeCompare(b.hook));
}
