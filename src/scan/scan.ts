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
//
// scanTree() runs the phases in that order, each in a file of its own:
// read-pass.ts, macro-wiring.ts, hook-files.ts, then the plan, sites.ts,
// hooks.ts (with lookup.ts), chains.ts, totals.ts; report.ts is the shape of
// what it returns.
import { fileProblems } from '../kernel/source-file.js';
import type { TreeIndex } from '../find/sites.js';
import { planConversions, type Plan } from '../plan/plan.js';
import { noChecks } from '../plan/equivalence.js';
import { detectApi, listSourceFiles } from '../kernel/tree.js';
import { workerCount } from '../pool/pool.js';
import { parseStats } from '../c/parser.js';
import { analyzeTree, relevantRanges, underTargets } from './file.js';
import { FILES_PER_TASK, readPass } from './read-pass.js';
import { macroWiringSites } from './macro-wiring.js';
import { parseHookFiles } from './hook-files.js';
import { indexSites, registrationSites, sortSites } from './sites.js';
import { ScanLookup } from './lookup.js';
import { assembleHooks } from './hooks.js';
import { assembleChains } from './chains.js';
import { totals } from './totals.js';
import type { ScanOptions, ScanReport } from './report.js';

export function scanTree(opts: ScanOptions): ScanReport {
	const t0 = performance.now();
	const { root, targets } = opts;
	const progress = opts.progress;
	const all = listSourceFiles(root, ['.']);
	const targetFiles = targets.length === 1 && targets[0] === '.' ? all : listSourceFiles(root, targets);
	const tList = performance.now();

	// ---- one pass: headers, then .c files with the names of the macros that wire hooks
	const pass = readPass(opts, all);
	const { corpus, scans, unreadable, tooLarge, read, bytes, parsedBytes, workerMs, inline } = pass;
	const tPass = performance.now();

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
	const macroSites = macroWiringSites(pass, targets);
	progress?.end();
	const tMacros = performance.now();

	// ---- the files that define the hooks the sites name, parsed in the pool too (not one by one later)
	parseHookFiles(opts, pass, index, macroSites);
	const tDefs = performance.now();

	// ---- the plan: convert or refuse, for every hook and chain
	const planned = opts.plan !== false;
	let plan: Plan = { hooks: [], phrases: {}, patches: [], chains: [], equivalence: noChecks() };
	if (planned) {
		progress?.start('mmapify scan: planning the conversions');
		plan = planConversions(index, targetFiles, detectApi(root));
		progress?.end();
	}
	const tPlan = performance.now();

	// ---- the sites: macro-generated, found by the index, installed by registration functions
	const sites = sortSites([...macroSites, ...indexSites(scans, targets), ...registrationSites(plan, targets)]);

	// ---- hooks: each site's definition, its category, the plan's verdict
	const lookup = new ScanLookup(index, scans);
	const hooks = assembleHooks(lookup, sites, plan, planned);

	// ---- chains
	const chains = assembleChains(plan, planned, scans, sites, targets, lookup.isVmaField);

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
			tooLarge: [...new Set([...tooLarge, ...fileProblems(root).filter((p) => p.code === 'too-large').map((p) => p.file)])].sort(),
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

