// `mmapify scan`: the inventory of every old-style mmap wiring site, hook and
// nested chain of a tree, with each hook's census category (a-e) and whether
// mmapify converts it today (and why not).
//
// One pass over the tree in the worker pool reads every .c/.h file once,
// keeps the files that mention "mmap" (the run's corpus), and parses only the
// files under the paths that wire a hook or call through a field named *mmap*
// (the index candidates), each once, extracting the index entry and the facts
// the categories are decided from; trees are freed file by file. Headers go
// first, so that the .c files can be searched for the uses of the macros that
// wire hooks. Then the plan (planConversions(), the same one a conversion
// run makes) decides convert or refuse for every hook and chain; the files it
// needs beyond the candidates are parsed on demand (addFile()).
import * as path from 'node:path';
import { addFile, findDefinitions } from '../find/build-index.js';
import type { TreeIndex, VmaFunction } from '../find/sites.js';
import { planConversions, type Plan } from '../plan/plan.js';
import { analyzeEntries, corpusBytes, filesCalling, setCorpus } from '../corpus/corpus.js';
import { detectApi, listSourceFiles, readSource } from '../kernel/tree.js';
import { chunk, runTasks, workerCount } from '../pool/pool.js';
import { analyzeTree, scanFileTask, relevantRanges, underTargets, type CorpusEntry, type DroppedSite, type FileScan, type FnFacts, type ScanTask } from './file.js';
import { classify, type Category, type Classification } from './classify.js';
import { collectDefines, localDefinitionSites, macroUses, stripComments, wiringMacros, type MacroDef } from './macros.js';
import { StructScope } from '../find/typing.js';
import { chainName } from '../find/chains.js';
import { isVmaHookField } from '../find/hook-fields.js';
import { parseStats } from '../c/parser.js';
import { fopsCallersAnalysis, type DirectCaller } from '../find/fops-callers.js';
import type { Progress } from '../ui/progress.js';
import type { RefusalCode } from '../rewrite/refusals.js';

export type SiteKind = 'init' | 'assign' | 'macro-use' | 'macro-def' | 'register';

export interface ScanSite {
	file: string;
	line: number;
	struct: string;
	field: string;
	/** the function wired, as written (after macro expansion) */
	hook: string;
	kind: SiteKind;
	/** the macro (macro-use, macro-def) or registration function (register) */
	via?: string;
	/** the variable a macro use initialises */
	instance?: string;
	/** the id of the hook it wires (see ScanHook.id); absent when no definition taking a vma was found */
	hookId?: string;
	/** counted in the totals: the field takes a vma (or the hook does) */
	counted: boolean;
	/** why it is not counted, or what is odd about it */
	note?: string;
	/** the site sits inside a region tree-sitter could not parse */
	inError?: boolean;
}

export interface ScanHook {
	/** function@file:line of the definition ('function@' when none was found) */
	id: string;
	function: string;
	file: string;
	line: number;
	isStatic: boolean;
	/** struct.field it is wired into */
	wiredAs: string[];
	sites: number;
	/** wired into a file_operations .mmap (the census's f_op-level hooks) */
	fop: boolean;
	/** census category: a-e, or f when no C definition was found */
	category: Category | 'f';
	pure: boolean;
	cReady: boolean;
	/** the census's "strictly convertible": (a or b) and pure, or c with a _prepare sibling for every delegate */
	strict: boolean;
	why: string[];
	sideEffects: string[];
	/** mmapify today: converted, or skipped with the reason; not-planned when the plan did not report it */
	status: 'converted' | 'skipped' | 'not-planned';
	reason?: string;
	/** the reason's stable code (src/rewrite/refusals.ts) */
	code?: string;
	newName?: string;
	chain?: string;
	/** ERROR nodes inside the definition */
	parseErrors?: number;
	/** the definition sits inside an ERROR region (its facts are partial) */
	inError?: boolean;
}

export interface ScanChain {
	chain: string;
	decl: string;
	dispatchers: Array<{ function: string; file: string; line: number }>;
	implementors: string[];
	wirings: number;
	registrations: string[];
	/** not-planned: found from the dispatchers' calls, without the plan (--no-plan) */
	status: 'converted' | 'skipped' | 'not-planned';
	mode?: string;
	reason?: string;
	code?: string;
}

export interface Totals {
	sites: number;
	hooks: number;
	fopHooks: number;
	nestedHooks: number;
	strict: number;
	converted: number;
	byKind: Record<string, number>;
	byCategory: Record<string, { hooks: number; sites: number; strict: number; converted: number }>;
	byStruct: Array<{ struct: string; sites: number; hooks: number; categories: Record<string, number>; strict: number; converted: number }>;
	byDir: Array<{ dir: string; sites: number; hooks: number; categories: Record<string, number>; strict: number; converted: number }>;
}

export interface ScanReport {
	tree: string;
	version: string;
	targets: string[];
	/** planConversions() ran: the hooks' status and the chains are mmapify's verdicts */
	planned: boolean;
	/** whole files were parsed; otherwise only their relevant top-level items (ERROR counts cover those) */
	fullParse: boolean;
	files: {
		listed: number;
		read: number;
		bytes: number;
		/** files that mention "mmap" */
		corpus: number;
		/** parsed by the workers (each once) */
		parsed: number;
		parsedBytes: number;
		/** parsed later on the main thread by the plan and on-demand indexing (tree-sitter calls, files may repeat) */
		mainThreadParses: number;
		/** parsed files with ERROR nodes, and their count */
		unclean: number;
		errorRegions: number;
		uncleanFiles: Array<{ file: string; regions: number; firstLine: number }>;
		unreadable: string[];
	};
	workers: number;
	timing: { listMs: number; readParseMs: number; macrosMs: number; definitionsMs: number; planMs: number; assembleMs: number; totalMs: number; workers: { readMs: number; parseMs: number; analyzeMs: number } };
	sites: ScanSite[];
	/** `.xmmapx = fn` text the index did not take as a site (inside ERROR regions, or not wiring) */
	dropped: DroppedSite[];
	hooks: ScanHook[];
	chains: ScanChain[];
	totals: Totals;
}

export interface ScanOptions {
	root: string;
	/** tree-relative paths; ['.'] for the whole tree */
	targets: string[];
	version: string;
	progress?: Progress;
	workers?: number;
	/** false: no convert/refuse verdicts (planConversions() is not run; chains come from the dispatchers' calls) */
	plan?: boolean;
	/** parse whole files (an ERROR census of every candidate), not only the items that matter */
	fullParse?: boolean;
	/** read and parse on this thread (default: only for trees under 3,000 files) */
	inline?: boolean;
	/** files per pool task (default 200; tests use small ones to spread a small tree) */
	filesPerTask?: number;
}

/** Files per pool task. */
const FILES_PER_TASK = 200;

export function scanTree(opts: ScanOptions): ScanReport {
	const t0 = performance.now();
	const { root, targets } = opts;
	const progress = opts.progress;
	const all = listSourceFiles(root, ['.']);
	const targetFiles = targets.length === 1 && targets[0] === '.' ? all : listSourceFiles(root, targets);
	const tList = performance.now();

	// ---- one pass: headers, then .c files with the names of the macros that wire hooks
	const corpus: CorpusEntry[] = [];
	const macroFiles: CorpusEntry[] = [];
	const scans = new Map<string, FileScan>();
	const unreadable: string[] = [];
	const fopsCallers = new Map<string, DirectCaller[]>();
	let read = 0;
	let bytes = 0;
	let parsedBytes = 0;
	const workerMs = { read: 0, parse: 0, analyze: 0 };
	const headers = all.filter((f) => f.endsWith('.h'));
	const sources = all.filter((f) => !f.endsWith('.h'));
	progress?.start('mmapify scan: reading and parsing', all.length);
	const inline = opts.inline ?? (opts.workers === 0 || all.length < 3000);
	const pass = (files: string[], macroNames: string[]) => {
		// Spread the big folders: consecutive files of a folder are alike in size.
		const tasks: ScanTask[] = chunk(files, opts.filesPerTask ?? FILES_PER_TASK).map((fs) => ({ kind: 'scan', root, files: fs, targets, macroNames, fullParse: opts.fullParse, hookFields: opts.plan !== false }));
		runTasks(tasks, scanFileTask, (sr) => {
			read += sr.files;
			bytes += sr.bytes;
			parsedBytes += sr.parsed;
			workerMs.read += sr.ms.read;
			workerMs.parse += sr.ms.parse;
			workerMs.analyze += sr.ms.analyze;
			corpus.push(...sr.corpus);
			macroFiles.push(...sr.macroFiles);
			unreadable.push(...sr.unreadable);
			for (const s of sr.scanned) scans.set(s.index.file, s);
			// This thread would only wait for the workers: it finds the direct fops callers (the plan's) meanwhile.
			if (opts.plan !== false) analyzeEntries(root, sr.corpus, fopsCallersAnalysis, fopsCallers);
			progress?.update(read);
		}, { inline });
	};
	pass(headers, []);
	const text = (e: CorpusEntry) => Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength).toString('latin1');
	const headerDefs: MacroDef[] = [];
	for (const e of corpus) headerDefs.push(...collectDefines(e.file, text(e)));
	const headersInCorpus = corpus.length;
	const headerMacros = wiringMacros(headerDefs);
	pass(sources, [...headerMacros.keys()]);
	progress?.end();
	const tPass = performance.now();

	setCorpus(root, all, corpus, bytes, opts.plan !== false ? new Map([[fopsCallersAnalysis.name, fopsCallers]]) : undefined);
	const parsesAfterPass = parseStats.parses;
	const parsedInPass = scans.size;
	// Files indexed on demand get the same analysis.
	const index: TreeIndex = {
		root,
		files: new Map(),
		unreadable: [...unreadable],
		analyzer: {
			analyze: (file, src, node, t) => scans.set(file, analyzeTree(root, file, src, node, t)),
			ranges: opts.fullParse ? undefined : relevantRanges,
		},
	};
	for (const s of scans.values()) index.files.set(s.index.file, s.index);

	// ---- macro-generated wiring
	progress?.start('mmapify scan: macro-generated wiring');
	const texts = new Map<string, string>();
	// The headers' definitions are known since the first pass: the corpus starts with those headers.
	const allDefs: MacroDef[] = [...headerDefs];
	[...corpus, ...macroFiles].forEach((e, i) => {
		const s = text(e);
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
	progress?.end();
	const tMacros = performance.now();

	// ---- the files that define the hooks the sites name, parsed in the pool too (not one by one later)
	{
		const names = new Set<string>();
		for (const s of scans.values()) for (const w of s.index.sites) if (!w.macro && w.value.includes('mmap')) names.add(w.value);
		for (const s of sites) if (/^\w*mmap\w*$/.test(s.hook)) names.add(s.hook);
		const more = new Set<string>();
		for (const n of names) for (const f of filesCalling(root, n)) if (!scans.has(f) && !index.files.has(f)) more.add(f);
		if (more.size) {
			progress?.start('mmapify scan: parsing the hooks\' definitions', more.size);
			const files = [...more].sort();
			let done = 0;
			runTasks(chunk(files, Math.max(4, Math.ceil(files.length / 8))).map((fs): ScanTask => ({ kind: 'scan', root, files: fs, targets, macroNames: [], fullParse: opts.fullParse, parseAll: true, hookFields: opts.plan !== false })), scanFileTask, (sr) => {
				for (const s of sr.scanned) {
					scans.set(s.index.file, s);
					index.files.set(s.index.file, s.index);
				}
				index.unreadable.push(...sr.unreadable);
				workerMs.parse += sr.ms.parse;
				workerMs.analyze += sr.ms.analyze;
				progress?.update((done += sr.files));
			}, { inline });
			progress?.end();
		}
	}
	const tDefs = performance.now();

	// ---- the plan: convert or refuse, for every hook and chain
	const planned = opts.plan !== false;
	let plan: Plan = { hooks: [], phrases: {}, patches: [], chains: [] };
	if (planned) {
		progress?.start('mmapify scan: planning the conversions');
		plan = planConversions(index, targetFiles, detectApi(root));
		progress?.end();
	}
	const tPlan = performance.now();

	// ---- sites found by the index (initialisers, assignments)
	for (const s of [...scans.values()]) {
		if (!underTargets(s.index.file, targets)) continue;
		s.index.sites.forEach((w, i) => {
			if (w.macro) return; // macro bodies: counted at their uses (or definitions, above)
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
	// ---- implementors installed by registration functions (the chains found them)
	for (const c of plan.chains)
		for (const w of c.chain.wirings)
			if (w.kind === 'register' && underTargets(w.file, targets))
				sites.push({ file: w.file, line: w.line, struct: c.chain.key.struct, field: c.chain.key.field, hook: w.impl, kind: 'register', via: w.via, counted: true });
	sites.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.hook.localeCompare(b.hook));

	// ---- hooks: each site's definition, its category, the plan's verdict
	const defCache = new Map<string, VmaFunction | undefined>();
	const defOf = (name: string, file: string): VmaFunction | undefined => {
		const key = `${name}\0${file}`;
		if (!defCache.has(key)) defCache.set(key, /^[A-Za-z_]\w*$/.test(name) ? definitionOf(index, name, file) : undefined);
		return defCache.get(key);
	};
	const isVmaField = fieldChecker(root);
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
		const def = defOf(site.hook, site.file);
		if (!def && vmaField === undefined) {
			site.counted = false;
			site.note = `no definition of ${site.hook}() taking a vma, and the field's type is not known`;
			continue;
		}
		const id = def ? `${def.name}@${def.file}:${def.line}` : `${site.hook}@`;
		site.hookId = id;
		let h = hooks.get(id);
		if (!h) {
			h = newHook(id, site.hook, def, scans, index, hookNames);
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
			if (r.newName) h.newName = r.newName;
			if (r.chain) h.chain = r.chain;
		} else {
			const why = planned ? notPlanned(h, sites) : { code: 'not-planned', reason: 'not planned (--no-plan)' };
			h.reason = why.reason;
			h.code = why.code;
		}
	}

	// ---- chains
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

	delete index.analyzer;
	const hookList = [...hooks.values()].sort((a, b) => (a.file || '~').localeCompare(b.file || '~') || a.line - b.line || a.function.localeCompare(b.function));
	const unclean = [...scans.values()].filter((s) => s.errors.length && underTargets(s.index.file, targets));
	const dropped = [...scans.values()].filter((s) => underTargets(s.index.file, targets)).flatMap((s) => s.dropped);
	const tEnd = performance.now();
	return {
		tree: root,
		version: opts.version,
		targets,
		planned,
		fullParse: !!opts.fullParse,
		files: {
			listed: all.length,
			read,
			bytes,
			corpus: corpus.length,
			parsed: parsedInPass,
			parsedBytes,
			mainThreadParses: parseStats.parses - parsesAfterPass,
			unclean: unclean.length,
			errorRegions: unclean.reduce((n, s) => n + s.errors.length, 0),
			uncleanFiles: unclean.map((s) => ({ file: s.index.file, regions: s.errors.length, firstLine: s.errors[0]!.line })).sort((a, b) => a.file.localeCompare(b.file)),
			unreadable: [...new Set(index.unreadable)].sort(),
		},
		workers: inline ? 0 : Math.min(workerCount(), Math.ceil(all.length / (opts.filesPerTask ?? FILES_PER_TASK))),
		timing: {
			listMs: Math.round(tList - t0),
			readParseMs: Math.round(tPass - tList),
			macrosMs: Math.round(tMacros - tPass),
			definitionsMs: Math.round(tDefs - tMacros),
			planMs: Math.round(tPlan - tDefs),
			assembleMs: Math.round(tEnd - tPlan),
			totalMs: Math.round(tEnd - t0),
			workers: { readMs: Math.round(workerMs.read), parseMs: Math.round(workerMs.parse), analyzeMs: Math.round(workerMs.analyze) },
		},
		sites,
		dropped,
		hooks: hookList,
		chains,
		totals: totals(sites, hookList),
	};
}

/**
 * The definition a site's hook name resolves to: the same file, the same
 * folder, then (like findDefinitions()) ever wider folders, but the whole-tree
 * search only for names with "mmap" (the corpus has their files): a name like
 * min() in `pgmap->vmemmap_shift = min(...)` is not looked for tree-wide.
 */
function definitionOf(index: TreeIndex, name: string, file: string): VmaFunction | undefined {
	if (name.includes('mmap')) {
		const def = findDefinitions(index, name, file)[0];
		if (def) return def;
		// findDefinitions() reads .c files; a static inline hook lives in a header.
		for (const h of filesCalling(index.root, name)) {
			if (!h.endsWith('.h')) continue;
			const fn = addFile(index, h)?.functions.find((f) => f.name === name);
			if (fn) return fn;
		}
		return undefined;
	}
	const own = addFile(index, file)?.functions.find((f) => f.name === name);
	if (own) return own;
	const needle = new RegExp(`\\b${name}\\s*\\(`);
	for (const f of listSourceFiles(index.root, [path.posix.dirname(file)])) {
		if (f === file || !f.endsWith('.c')) continue;
		const b = corpusBytes(index.root, f);
		const src = b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1') : readSource(index.root, f);
		if (src === undefined || !needle.test(src)) continue;
		const fn = addFile(index, f)?.functions.find((x) => x.name === name);
		if (fn) return fn;
	}
	return undefined;
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

function groupDefs(defs: MacroDef[]): Map<string, MacroDef[]> {
	const m = new Map<string, MacroDef[]>();
	for (const d of defs) m.set(d.name, [...(m.get(d.name) ?? []), d]);
	return m;
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

/** Does struct.field take a vma? undefined when the struct is not visible from file. */
function fieldChecker(root: string): (struct: string, field: string, file: string) => boolean | undefined {
	const cache = new Map<string, boolean | undefined>();
	/** what some file that sees the struct said (struct tags are tree-wide names) */
	const known = new Map<string, boolean>();
	return (struct, field, file) => {
		if (struct === 'file_operations' && field === 'mmap') return true;
		const key = `${struct}.${field}\0${file}`;
		const seen = known.get(`${struct}.${field}`);
		if (seen !== undefined) return seen; // struct tags name one struct tree-wide: asked once
		if (!cache.has(key)) {
			const decl = new StructScope(root, file).field(struct, field);
			const v = decl ? isVmaHookField(decl) : undefined;
			if (v !== undefined) known.set(`${struct}.${field}`, v);
			cache.set(key, v);
		}
		return cache.get(key) ?? known.get(`${struct}.${field}`);
	};
}

function newHook(id: string, name: string, def: VmaFunction | undefined, scans: Map<string, FileScan>, index: TreeIndex, hookNames: Set<string>): ScanHook {
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
		why: [],
		sideEffects: [],
		status: 'not-planned',
	};
	if (!def) {
		h.why = [`no C definition of ${name}() taking a struct vm_area_struct * was found`];
		return h;
	}
	const facts = factsOf(scans, index, def.file, def.name, def.start);
	if (!facts) {
		h.why = ['the definition was not analysed'];
		return h;
	}
	const c: Classification = classify({ ...facts, file: def.file }, (callee, from) => lookupHelper(scans, index, callee, from), { hooks: hookNames });
	Object.assign(h, { category: c.category, pure: c.pure, cReady: c.cReady, strict: c.strict, why: c.why, sideEffects: c.sideEffects });
	if (facts.errors) h.parseErrors = facts.errors;
	if (facts.inError) h.inError = true;
	return h;
}

function factsOf(scans: Map<string, FileScan>, index: TreeIndex, file: string, name: string, start?: number): FnFacts | undefined {
	if (!scans.has(file)) addFile(index, file);
	const s = scans.get(file);
	return s?.facts.find((f) => f.name === name && (start === undefined || f.start === start)) ?? s?.facts.find((f) => f.name === name);
}

/** A helper that receives the vma: defined in the same file, or (not static) in the same folder. */
function lookupHelper(scans: Map<string, FileScan>, index: TreeIndex, name: string, from: string): (FnFacts & { file: string }) | undefined {
	const own = factsOf(scans, index, from, name);
	if (own) return { ...own, file: from };
	const dir = path.posix.dirname(from);
	const needle = new RegExp(`\\b${name}\\s*\\(`);
	for (const f of sameDir(index.root, dir, name)) {
		if (f === from) continue;
		const b = corpusBytes(index.root, f);
		const src = b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1') : undefined;
		if (src !== undefined && !needle.test(src)) continue;
		const facts = factsOf(scans, index, f, name);
		if (facts && !facts.isStatic) return { ...facts, file: f };
	}
	return undefined;
}

const dirCache = new Map<string, string[]>();
/** .c files of dir that can define name: for a name with "mmap", the corpus ones; else all. */
function sameDir(root: string, dir: string, name: string): string[] {
	const key = `${root}\0${dir}\0${name.includes('mmap')}`;
	let l = dirCache.get(key);
	if (!l) {
		l = listSourceFiles(root, [dir]).filter((f) => f.endsWith('.c') && path.posix.dirname(f) === dir && (!name.includes('mmap') || corpusBytes(root, f)));
		dirCache.set(key, l);
	}
	return l;
}

function notPlanned(h: ScanHook, sites: ScanSite[]): { code: RefusalCode; reason: string } {
	const mine = sites.filter((s) => s.hookId === h.id);
	if (mine.every((s) => s.kind === 'macro-use' || s.kind === 'macro-def'))
		return { code: 'macro-wiring', reason: `wired only by macros (${[...new Set(mine.map((s) => s.via))].join(', ')}); macro-generated wiring is not converted` };
	return { code: 'not-planned', reason: 'the plan did not report it' };
}

const CATS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** Top-level folder for the per-folder totals: two levels under drivers/, sound/, arch/; one elsewhere. */
export function topDir(file: string): string {
	const parts = file.split('/');
	if (parts.length < 2) return '.';
	if (['drivers', 'sound', 'arch'].includes(parts[0]!) && parts.length > 2) return `${parts[0]}/${parts[1]}`;
	return parts[0]!;
}

function totals(sites: ScanSite[], hooks: ScanHook[]): Totals {
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
