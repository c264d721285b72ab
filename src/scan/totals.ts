// The scan's totals: sites and hooks by kind, census category, struct field
// and folder (as the census counts them).
import type { ScanHook, ScanSite, Totals } from './report.js';

const CATS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** Top-level folder for the per-folder totals: two levels under drivers/, sound/, arch/; one elsewhere. */
export function topDir(file: string): string {
	const parts = file.split('/');
	if (parts.length < 2) return '.';
	if (['drivers', 'sound', 'arch'].includes(parts[0]!) && parts.length > 2) return `${parts[0]}/${parts[1]}`;
	return parts[0]!;
}

export function totals(sites: ScanSite[], hooks: ScanHook[]): Totals {
	const counted = sites.filter((s) => s.counted);
	const real = hooks.filter((h) => h.category !== 'f');
	const byKind: Record<string, number> = {};
	for (const s of counted) byKind[s.kind] = (byKind[s.kind] ?? 0) + 1;
	const hookOf = new Map(hooks.map((h) => [h.id, h]));
	const byCategory: Totals['byCategory'] = {};
	for (const c of CATS) byCategory[c] = { hooks: 0, sites: 0, strict: 0, converted: 0 };
	for (const h of hooks) {
		const b = byCategory[h.category]!;
		b.hooks++;
		if (h.strict) b.strict++;
		if (h.status === 'converted') b.converted++;
	}
	for (const s of counted) if (s.hookId) byCategory[hookOf.get(s.hookId)!.category]!.sites++;
	const group = (keyOf: (s: ScanSite) => string, hookKey: (h: ScanHook) => string[]) => {
		const m = new Map<string, { sites: number; hooks: Set<string> }>();
		const get = (k: string) => {
			let g = m.get(k);
			if (!g) m.set(k, (g = { sites: 0, hooks: new Set() }));
			return g;
		};
		for (const s of counted) get(keyOf(s)).sites++;
		for (const h of real) for (const k of hookKey(h)) get(k).hooks.add(h.id);
		return [...m].map(([k, g]) => {
			const hs = [...g.hooks].map((id) => hookOf.get(id)!);
			const categories: Record<string, number> = {};
			for (const h of hs) categories[h.category] = (categories[h.category] ?? 0) + 1;
			return { key: k, sites: g.sites, hooks: hs.length, categories, strict: hs.filter((h) => h.strict).length, converted: hs.filter((h) => h.status === 'converted').length };
		});
	};
	const structKey = (s: ScanSite) => `${s.struct || '?'}.${s.field}`;
	const byStruct = group(structKey, (h) => h.wiredAs).map(({ key, ...r }) => ({ struct: key, ...r }));
	// Per folder: sites by the wiring file, hooks by their definition (as the census counts them).
	const byDir = group((s) => topDir(s.file), (h) => (h.file ? [topDir(h.file)] : [])).map(({ key, ...r }) => ({ dir: key, ...r }));
	byStruct.sort((a, b) => b.sites - a.sites || a.struct.localeCompare(b.struct));
	byDir.sort((a, b) => b.sites - a.sites || a.dir.localeCompare(b.dir));
	return {
		sites: counted.length,
		hooks: real.length,
		fopHooks: real.filter((h) => h.fop).length,
		nestedHooks: real.filter((h) => !h.fop).length,
		strict: real.filter((h) => h.strict).length,
		converted: real.filter((h) => h.status === 'converted').length,
		byKind,
		byCategory,
		byStruct,
		byDir,
	};
}
