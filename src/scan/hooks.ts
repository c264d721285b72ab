// The scan's hooks: each counted site's definition (lookup.ts), its census
// category (classify.ts) and the plan's verdict; a site whose field is not a
// hook field, or takes no vma, is left out of the count with a note.
import type { VmaFunction } from '../find/sites.js';
import type { Plan } from '../plan/plan.js';
import type { RefusalCode } from '../rewrite/refusals.js';
import { classify, type Classification } from './classify.js';
import type { ScanLookup } from './lookup.js';
import type { ScanHook, ScanSite } from './report.js';

/** The hooks the sites wire, by id; marks the sites that are not counted. */
export function assembleHooks(lookup: ScanLookup, sites: ScanSite[], plan: Plan, planned: boolean): Map<string, ScanHook> {
	const { isVmaField } = lookup;
	const hookNames = new Set(sites.map((s) => s.hook));
	// What each struct's field takes, learnt from every file that sees the struct, before any verdict.
	for (const site of sites) if (site.struct && /(^|_)mmap/.test(site.field)) isVmaField(site.struct, site.field, site.file);
	const hooks = new Map<string, ScanHook>();
	const reportsByName = new Map<string, Plan['hooks']>();
	for (const r of plan.hooks) reportsByName.set(r.function, [...(reportsByName.get(r.function) ?? []), r]);
	for (const site of sites) {
		// Every hook field's name has mmap as a word part (mmap, fb_mmap, map_mmap...): a
		// `->memmap =` or `.vmemmap_shift =` with a hook name without mmap is not looked up.
		if (!/(^|_)mmap/.test(site.field) && !site.hook.includes('mmap')) {
			site.counted = false;
			site.note = `.${site.field} is not a hook field`;
			continue;
		}
		const vmaField = site.struct ? isVmaField(site.struct, site.field, site.file) : undefined;
		if (vmaField === false) {
			site.counted = false;
			site.note = `struct ${site.struct} .${site.field} does not take a vma`;
			continue;
		}
		const def = lookup.definition(site.hook, site.file);
		if (!def && vmaField === undefined) {
			site.counted = false;
			site.note = `no definition of ${site.hook}() taking a vma, and the field's type is not known`;
			continue;
		}
		const id = def ? `${def.name}@${def.file}:${def.line}` : `${site.hook}@`;
		site.hookId = id;
		let h = hooks.get(id);
		if (!h) {
			h = newHook(id, site.hook, def, lookup, hookNames);
			hooks.set(id, h);
		}
		h.sites++;
		const as = `${site.struct || '?'}.${site.field}`;
		if (!h.wiredAs.includes(as)) h.wiredAs.push(as);
		if (site.struct === 'file_operations' && site.field === 'mmap') h.fop = true;
	}
	for (const h of hooks.values()) {
		// A hook can have several reports (an implementor of one chain and the dispatcher of
		// another, a leaf hook and a macro note): it converts if one of them says so.
		const reports = (reportsByName.get(h.function) ?? []).filter((x) => x.file === h.file || !x.file || !h.file);
		const r = reports.find((x) => x.status === 'converted') ?? reports.find((x) => x.file === h.file) ?? reports[0];
		if (r) {
			h.status = r.status;
			if (r.reason) h.reason = r.reason;
			if (r.code) h.code = r.code;
			if (r.at) h.at = r.at;
			if (r.newName) h.newName = r.newName;
			if (r.chain) h.chain = r.chain;
		} else {
			const why = planned ? notPlanned(h, sites) : { code: 'not-planned', reason: 'not planned (--no-plan)' };
			h.reason = why.reason;
			h.code = why.code;
		}
	}
	return hooks;
}

function newHook(id: string, name: string, def: VmaFunction | undefined, lookup: ScanLookup, hookNames: Set<string>): ScanHook {
	const h: ScanHook = {
		id,
		function: name,
		file: def?.file ?? '',
		line: def?.line ?? 0,
		isStatic: def?.isStatic ?? false,
		wiredAs: [],
		sites: 0,
		fop: false,
		category: 'f',
		pure: true,
		cReady: false,
		strict: false,
		evidence: [],
		sideEffects: [],
		status: 'not-planned',
	};
	if (!def) {
		h.evidence = [`no C definition of ${name}() taking a struct vm_area_struct * was found`];
		return h;
	}
	const facts = lookup.facts(def.file, def.name, def.start);
	if (!facts) {
		h.evidence = ['the definition was not analysed'];
		return h;
	}
	const c: Classification = classify({ ...facts, file: def.file }, (callee, from) => lookup.helper(callee, from), { hooks: hookNames });
	Object.assign(h, { category: c.category, pure: c.pure, cReady: c.cReady, strict: c.strict, evidence: c.why, sideEffects: c.sideEffects });
	if (facts.errors) h.parseErrors = facts.errors;
	if (facts.inError) h.inError = true;
	return h;
}

function notPlanned(h: ScanHook, sites: ScanSite[]): { code: RefusalCode; reason: string } {
	const mine = sites.filter((s) => s.hookId === h.id);
	if (mine.every((s) => s.kind === 'macro-use' || s.kind === 'macro-def'))
		return { code: 'macro-wiring', reason: `wired only by macros (${[...new Set(mine.map((s) => s.via))].join(', ')}); macro-generated wiring is not converted` };
	return { code: 'not-planned', reason: 'the plan did not report it' };
}

