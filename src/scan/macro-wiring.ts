// The scan's second phase: the wiring that macros generate. A use of a
// header's macro that wires a hook is a site where it is used; a .c file's
// own macro is counted at its definition.
import { underTargets } from './file.js';
import { collectDefines, localDefinitionSites, macroUses, stripComments, wiringMacros, type MacroDef } from './macros.js';
import { entryText, type ReadPass } from './read-pass.js';
import type { ScanSite } from './report.js';

/** The sites of macro-generated wiring under targets, from the files the pass read. */
export function macroWiringSites(pass: ReadPass, targets: string[]): ScanSite[] {
	const { corpus, macroFiles, headerDefs, headersInCorpus } = pass;
	const texts = new Map<string, string>();
	// The headers' definitions are known since the first pass: the corpus starts with those headers.
	const allDefs: MacroDef[] = [...headerDefs];
	[...corpus, ...macroFiles].forEach((e, i) => {
		const s = entryText(e);
		texts.set(e.file, s);
		if (i >= headersInCorpus) allDefs.push(...collectDefines(e.file, s));
	});
	const macros = wiringMacros(allDefs);
	const defsByFile = new Map<string, MacroDef[]>();
	for (const d of allDefs) if (macros.has(d.name)) defsByFile.set(d.file, [...(defsByFile.get(d.file) ?? []), d]);
	const sites: ScanSite[] = [];
	const named = macros.size ? new RegExp(`\\b(${[...macros.keys()].join('|')})\\b`) : undefined;
	for (const [file, raw] of texts) {
		if (!underTargets(file, targets) || !named?.test(raw)) continue;
		const s = stripComments(raw);
		const own = defsByFile.get(file) ?? [];
		// A file's own definition of a name wins over a header's.
		const local = own.length ? new Map([...macros, ...groupDefs(own)]) : macros;
		for (const u of macroUses(file, s, local)) {
			const def = local.get(u.macro)![0]!;
			if (!def.file.endsWith('.h')) continue; // a .c file's own macros are counted at their definitions
			for (const site of u.sites) sites.push({ file, line: u.line, struct: site.struct, field: site.field, hook: site.hook, kind: 'macro-use', via: u.macro, instance: u.instance, counted: true });
		}
		if (file.endsWith('.c') && own.length)
			for (const { def, line, site } of localDefinitionSites(own, local)) sites.push({ file, line, struct: site.struct, field: site.field, hook: site.hook, kind: 'macro-def', via: def.name, counted: true });
	}
	return sites;
}

function groupDefs(defs: MacroDef[]): Map<string, MacroDef[]> {
	const m = new Map<string, MacroDef[]>();
	for (const d of defs) m.set(d.name, [...(m.get(d.name) ?? []), d]);
	return m;
}
