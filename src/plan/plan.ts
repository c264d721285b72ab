// The plan: for every old-style f_op->mmap hook under the targets, decide
// convert or refuse (with the construct and line), and collect the edits of the
// hooks that convert, grouped into patches (one per set of files that belong together).
import { withItemsTree } from '../c/partial.js';
import { ancestor } from '../c/node.js';
import { addFile, findDefinitions } from '../find/build-index.js';
import type { TreeIndex, VmaFunction } from '../find/sites.js';
import { applyEdits } from '../rewrite/edits.js';
import { Refusal, type RefusalCode } from '../rewrite/refusals.js';
import { EditSet } from '../rewrite/edits.js';
import { convertFunction, type Span } from './function.js';
import { attempt } from './attempt.js';
import { applySwapFamilies } from './swap-families.js';
import { chainName, discoverChains, fieldDecl } from '../find/chains.js';
import { planChain, planChainCoexisting, type ChainPlan, type OuterHookConverter } from './chain.js';
import { chainStages, subsystemsOf, type ChainSplit, type StageKind } from './stages.js';
import { chainKeys } from '../find/chain-keys.js';
import { reachedDirectly } from '../find/fops-callers.js';
import { compatHelpersPatch, CompatHelpersError, type CompatHelpersPatch } from '../mm/compat-helpers/index.js';
import type { Rule } from '../rewrite/rule.js';
import { readSource, type KernelApi } from '../kernel/tree.js';
import { scanMentions, unreadableFiles } from '../corpus/corpus.js';
import type { FileChange, HookReport, WiringSite } from '../base/types.js';
import { preparedName, GENERIC_HOOKS } from '../../transforms/site/naming.js';
import { rewriteInitialiser } from '../../transforms/site/initialiser.js';
import { rulePhrases } from '../../transforms/index.js';
import { selectUnits, type Selection, type SelectionReport } from './select.js';
import { checkEquivalence, type EquivalenceStats } from './equivalence.js';
import { describeRegion, errorRegionAt } from '../find/parse-errors.js';
import { unusableFile } from './unreadable.js';
import { oneReportPerHook } from './one-report.js';

export interface PlannedPatch {
	files: string[];
	hooks: HookReport[];
	changes: FileChange[];
	/** the nested chains this patch converts */
	chains: ChainPlan[];
	/** a patch with its own message (the compat helpers' mm patch) */
	message?: { subject: string; body: string };
	/** one step of a chain split by subsystem (src/plan/stages.ts): its hooks are the step's */
	stage?: { kind: StageKind; chain: ChainPlan; subsystem?: string };
}

export interface Plan {
	hooks: HookReport[];
	/** rule id -> its commit-message phrase (transforms/index.ts) */
	phrases: Readonly<Record<string, string>>;
	patches: PlannedPatch[];
	chains: ChainPlan[];
	/** what --only / --exclude did (absent without them) */
	selection?: SelectionReport;
	/** what the equivalence checker (src/check/) did */
	equivalence: EquivalenceStats;
}

/** How the plan may convert (the convert command's options). */
export interface PlanOptions {
	/** false (--no-coexist): a chain converts only by renaming its field, never with the new field beside the old one */
	coexist?: boolean;
}

interface Hook {
	name: string;
	sites: WiringSite[];
	defs: VmaFunction[];
	report: HookReport;
	edits: EditSet;
	newName: string;
}

/** How the plan orders its patches (what a run knows of the tree beyond its C files). */
export interface PatchOrder {
	/** the MAINTAINERS section a file belongs to (its most specific), when the tree has MAINTAINERS */
	sectionOf?: (file: string) => string | undefined;
}

export function planConversions(index: TreeIndex, targetFiles: string[], api: KernelApi, selection: Selection = {}, options: PlanOptions & PatchOrder = {}): Plan {
	const hooks = new Map<string, Hook>();
	const nestedReports: HookReport[] = [];
	for (const file of targetFiles) {
		for (const site of index.files.get(file)?.sites ?? []) {
			if (site.structType !== 'file_operations' || site.field !== 'mmap' || site.macro) {
				noteOtherSite(index, site, nestedReports);
				continue;
			}
			// Two drivers may each have a static foo_mmap: a static definition in the
			// wiring file makes the hook local to that file.
			const localStatic = index.files.get(site.file)?.functions.some((f) => f.name === site.value && f.isStatic);
			const key = GENERIC_HOOKS[site.value] || localStatic ? `${site.value}@${site.file}` : site.value;
			let h = hooks.get(key);
			if (!h) hooks.set(key, (h = newHook(site.value)));
			addSite(h, site);
		}
	}

	// Callers of non-static hooks may be anywhere in the tree: find them all in one pass.
	for (const h of hooks.values()) if (!GENERIC_HOOKS[h.name]) h.defs = findDefinitions(index, h.name, h.sites[0]!.file);
	const global = [...hooks.values()].filter((h) => h.defs.length && !h.defs.every((d) => d.isStatic));
	const mentions = scanMentions(index.root, global.flatMap((h) => [h.name, preparedName(h.name)]));
	for (const h of hooks.values()) tryHook(index, h, api, mentions);

	// Nested chains reached from the targets: each converts as one unit.
	const chainPlans: ChainPlan[] = [];
	const convertOuter: OuterHookConverter = (fn, file, extraRules) => {
		const sites = (addFile(index, file)?.sites ?? []).filter((s) => s.value === fn && s.structType === 'file_operations' && s.field === 'mmap' && !s.macro);
		if (!sites.length) return undefined;
		const h = newHook(fn);
		for (const s of sites) addSite(h, s);
		h.defs = findDefinitions(index, fn, file);
		const m = h.defs.every((d) => d.isStatic) ? new Map<string, string[]>() : scanMentions(index.root, [fn, preparedName(fn)]);
		return tryHook(index, h, api, m, extraRules) ? { converted: true, edits: h.edits, report: h.report } : { converted: false, edits: new EditSet(), report: h.report };
	};
	// A tree with mmap_prepare but without the compat helpers gets them from the
	// seed patch, made once and only when a shim needs it.
	let helpers: CompatHelpersPatch | string | undefined;
	const helperPatch = (): CompatHelpersPatch | string =>
		(helpers ??= (() => {
			try {
				return compatHelpersPatch(index.root);
			} catch (e) {
				if (e instanceof CompatHelpersError) return e.message;
				throw e;
			}
		})());
	const compatHelpers = () => (typeof helperPatch() === 'string' ? (helperPatch() as string) : true);
	const inTargets = new Set(targetFiles);
	const entries = chainKeys(index, targetFiles).flatMap((t) => {
		const decl = fieldDecl(index.root, t.key, t.from);
		return decl ? [{ key: t.key, decl }] : [];
	});
	for (const chain of discoverChains(index.root, entries)) {
		const cp = planChain(index, chain, api, convertOuter, compatHelpers, { coexist: options.coexist ?? true });
		// as for f_op hooks: nothing converts in a tree without mmap_prepare (scan and the converter agree)
		if (cp.status === 'converted' && !api.mmapPrepare) abandonChain(cp, 'api-missing', 'this tree has no f_op->mmap_prepare');
		// A chain is converted for the targets' sake: some hook it converts must be under them.
		if (cp.status === 'converted' && !cp.reports.some((r) => r.status === 'converted' && inTargets.has(r.file)))
			abandonChain(cp, 'chain-outside-targets', 'none of its hooks under the given paths can be converted');
		chainPlans.push(cp);
	}

	// Every conversion the rules made is checked by the equivalence checker,
	// which shares no code with them; what it cannot prove is refused.
	const equivalence = checkEquivalence(index, hooks.values(), chainPlans, abandonChain);
	// The checker may have dropped implementors of a coexisting chain: those under the targets may be all it had.
	for (const cp of chainPlans)
		if (cp.status === 'converted' && !cp.reports.some((r) => r.status === 'converted' && inTargets.has(r.file)))
			abandonChain(cp, 'chain-outside-targets', 'none of its hooks under the given paths can be converted');

	// File operations swapped at run time convert all or none (issue #11, class 6): after the checker,
	// so that a member it refused takes its family with it.
	applySwapFamilies(index, [
		...[...hooks.values()].map((h) => ({ reports: [h.report], abandon: (code: RefusalCode, reason: string) => withdrawHook(h, code, reason) })),
		...chainPlans.filter((c) => c.status === 'converted').map((c) => ({ reports: c.reports, abandon: (code: RefusalCode, reason: string) => abandonChain(c, code, reason) })),
	]);

	// A chain's report on a hook replaces what the f_op plan or the nested-site
	// note said about it.
	// Hooks of a chain that is not converted are only news under the targets.
	const chainReports = chainPlans.flatMap((c) => (c.status === 'converted' ? c.reports : c.reports.filter((r) => inTargets.has(r.file))));
	const same = (a: HookReport, b: HookReport) => a.function === b.function && (a.file === b.file || !a.file || !b.file);
	const leaf = [...hooks.values()].filter((h) => !chainReports.some((r) => same(r, h.report)));
	const notes = nestedReports.filter((n) => !chainReports.some((r) => same(r, n)));
	let units: Unit[] = [
		...leaf.filter((h) => h.report.status === 'converted').map((h) => ({ edits: h.edits, hooks: [h.report] })),
		...chainPlans.filter((c) => c.status === 'converted').map((c) => ({ edits: c.edits, hooks: c.reports, chain: c })),
	];
	let selected: SelectionReport | undefined;
	if (selection.only?.length || selection.excluded) {
		const helperFiles = (u: Unit) => (u.chain?.needsCompatHelpers ? (helperPatch() as CompatHelpersPatch).changes.map((c) => c.path) : []);
		({ units, report: selected } = selectUnits(units, selection, {
			hooks: (u) => u.hooks,
			files: (u) => [...u.edits.files, ...helperFiles(u)],
			chain: (u) => (u.chain ? chainName(u.chain.chain.key) : undefined),
			dropped: (u, code, reason) => {
				if (!u.chain) return;
				Object.assign(u.chain, { status: 'skipped', code, reason, edits: new EditSet() });
			},
		}));
	}
	// A chain across subsystems goes out in steps that each build (stages.ts):
	// when it replaces its field, the steps pass through its form with both fields.
	const splits = new Map<ChainPlan, ChainSplit>();
	for (const u of units) {
		if (!u.chain) continue;
		const cp = u.chain;
		let coexisting: ChainPlan | undefined;
		if (cp.mode === 'rename' && subsystemsOf(cp.edits.files).length > 1) {
			// a shim the tree lacks the helpers for is only added when the chain needs it anyway
			coexisting = planChainCoexisting(index, cp.chain, api, cp.needsCompatHelpers ? compatHelpers : () => 'they are added only for a chain that needs the shim at its tip');
			// the states in between are checked as every conversion is
			if (coexisting.status === 'converted') checkEquivalence(index, [], [coexisting], abandonChain);
		}
		splits.set(cp, chainStages(cp, coexisting));
	}
	const patches = groupPatches(index.root, units, splits, options.sectionOf);
	// The helpers come first: the shims of the later patches call them.
	if (chainPlans.some((c) => c.status === 'converted' && c.needsCompatHelpers)) {
		const h = helperPatch() as CompatHelpersPatch;
		patches.unshift({ files: h.changes.map((c) => c.path), hooks: [], changes: h.changes, chains: [], message: { subject: h.subject, body: h.body } });
	}
	// One status per hook: a dispatcher that is also another chain's implementor is reported once.
	const reports = oneReportPerHook(leaf.map((h) => h.report).concat(notes, chainReports));
	reports.sort((a, b) => (a.file || a.wiring[0]?.file || '').localeCompare(b.file || b.wiring[0]?.file || '') || a.line - b.line);
	// Every refusal has a place: the construct's when the rule knew it, else the hook's.
	for (const r of reports) if (r.status === 'skipped' && !r.at) r.at = { file: r.file || r.wiring[0]?.file || '', line: r.line || r.wiring[0]?.line || 0 };
	if (selected) selected.unmatched = selected.only.filter((n) => !reports.some((r) => r.function === n));
	return { hooks: reports, phrases: rulePhrases, patches, chains: chainPlans, equivalence, ...(selected ? { selection: selected } : {}) };
}

function abandonChain(cp: ChainPlan, code: RefusalCode, reason: string): void {
	cp.status = 'skipped';
	cp.reason = reason;
	cp.code = code;
	cp.edits = new EditSet();
	cp.implementorEdits = new Map();
	for (const r of cp.reports) if (r.status === 'converted') {
		r.status = 'skipped';
		r.reason = `chain ${r.chain} not converted: ${reason}`;
		r.code = code;
		delete r.newName;
	}
}

function withdrawHook(h: Hook, code: RefusalCode, reason: string): void {
	if (h.report.status !== 'converted') return;
	h.report.status = 'skipped';
	h.report.reason = reason;
	h.report.code = code;
	delete h.report.newName;
	delete h.report.rules;
	h.edits = new EditSet();
}

function newHook(name: string): Hook {
	return { name, sites: [], defs: [], report: { function: name, file: '', line: 0, wiring: [], status: 'skipped' }, edits: new EditSet(), newName: '' };
}

function addSite(h: Hook, site: WiringSite): void {
	h.sites.push(site);
	h.report.wiring.push({ struct: site.structType, field: site.field, file: site.file, line: site.line });
}

/** Plan one f_op hook; on refusal its report says why and it has no edits. */
function tryHook(index: TreeIndex, h: Hook, api: KernelApi, mentions: Map<string, string[]>, extraRules: Rule[] = []): boolean {
	const ok = attempt(h.report, () => planHook(index, h, api, mentions, extraRules), () => h.report.file || h.sites[0]!.file);
	if (!ok) {
		h.edits = new EditSet();
		return false;
	}
	h.report.status = 'converted';
	h.report.newName = h.newName;
	h.report.rules = [...h.edits.rules].sort(ruleOrder);
	return true;
}

function ruleOrder(a: string, b: string): number {
	const n = (s: string) => (/^P(\d+)/.exec(s) ? Number(/^P(\d+)/.exec(s)![1]) : 100);
	return n(a) - n(b) || a.localeCompare(b);
}

/** Hooks wired into other structs or by macros are reported; chains are a later step. */
function noteOtherSite(index: TreeIndex, site: WiringSite, out: HookReport[]): void {
	let defs = index.files.get(site.file)?.functions.filter((f) => f.name === site.value) ?? [];
	const fop = site.structType === 'file_operations' && site.field === 'mmap';
	if (!defs.length && !fop) {
		// Not known to take a vma, unless the file does define it so but the parser could not read
		// where (the definition swallowed by an unclosed initialiser): say so rather than drop it.
		const src = readSource(index.root, site.file);
		const defined = src !== undefined && new RegExp(`\\b${site.value}\\s*\\([^;{)]*\\bstruct\\s+vm_area_struct\\s*\\*[^;{]*\\)\\s*\\{`).test(src);
		const region = defined ? errorRegionAt(index.root, site.file, site.start) : undefined;
		if (region)
			out.push({
				function: site.value,
				file: site.file,
				line: site.line,
				wiring: [{ struct: site.structType, field: site.field, file: site.file, line: site.line }],
				status: 'skipped',
				code: 'parse-error-region',
				reason: `wired as .${site.field} at ${site.file}:${site.line}, inside ${describeRegion(site.file, region)}; not converted`,
			});
		return;
	}
	// A macro's hook is usually defined elsewhere (drm_gem_mmap for DRM's fops macros).
	if (!defs.length) defs = findDefinitions(index, site.value, site.file);
	const why = site.macro
		? `wired inside macro ${site.macro}; macro-generated wiring is not converted`
		: `nested hook of struct ${site.structType || '(unknown)'} .${site.field}; it converts only with its chain`;
	out.push({
		function: site.value,
		// Without a definition, the wiring site is the best place to point at.
		file: defs[0]?.file ?? site.file,
		line: defs[0]?.line ?? site.line,
		wiring: [{ struct: site.structType, field: site.field, file: site.file, line: site.line }],
		status: 'skipped',
		reason: `${why} (${site.file}:${site.line})${defs.length ? '' : `; no definition of ${site.value}() taking a vma was found`}`,
		code: site.macro ? 'macro-wiring' : 'nested-hook',
	});
}

function siteEdit(index: TreeIndex, h: Hook, site: WiringSite, newValue: string): void {
	const src = readSource(index.root, site.file)!;
	const text = src.slice(site.start, site.end);
	const bol = src.lastIndexOf('\n', site.start - 1) + 1;
	// can_mmap_file(): a file may set .mmap or .mmap_prepare, never both.
	withItemsTree(src, { at: [site.start + 1] }, (root) => {
		const list = ancestor(root.descendantForIndex(site.start + 1), 'initializer_list');
		if (list && /\.mmap_prepare\s*=/.test(list.text)) throw new Refusal('already-prepare', `${site.file}:${site.line}: the initialiser already sets .mmap_prepare`);
		// Some code calls a file_operations' .mmap directly (drm_gem_prime_mmap()).
		const v = list?.parent?.type === 'init_declarator' ? list.parent.childForFieldName('declarator')?.text : undefined;
		const direct = v ? reachedDirectly(index, v.replace(/\[.*$/, '')) : undefined;
		if (direct) throw new Refusal('fops-called-directly', `${v} is stored in a .${direct.field} whose ->mmap() is called directly (${direct.where}); it must keep .mmap`);
	});
	h.edits.add(site.file, { start: site.start, end: site.end, text: rewriteInitialiser(src.slice(bol, site.start), text, 'mmap_prepare', newValue) }, 'P2');
}

function planHook(index: TreeIndex, h: Hook, api: KernelApi, mentions: Map<string, string[]>, extraRules: Rule[] = []): void {
	const first = h.sites[0]!;
	if (!api.mmapPrepare) throw new Refusal('api-missing', 'this tree has no f_op->mmap_prepare');
	// A file read as Latin-1 (not UTF-8) is reported, never patched.
	for (const f of new Set([...h.sites.map((s) => s.file), ...h.defs.map((d) => d.file)])) {
		const why = index.files.get(f)?.notUtf8;
		if (why) {
			if (!h.report.file) [h.report.file, h.report.line] = h.defs[0] ? [h.defs[0].file, h.defs[0].line] : [first.file, first.line];
			throw new Refusal('not-utf8', `${f} is ${why}`);
		}
	}
	const generic = GENERIC_HOOKS[h.name];
	if (generic) {
		h.report.file = first.file;
		h.report.line = first.line;
		if (!api.genericPrepare) throw new Refusal('api-missing', `this tree has no ${generic}()`);
		h.newName = generic;
		for (const s of h.sites) siteEdit(index, h, s, generic);
		h.edits.rules.add('P17');
		return;
	}
	if (!h.defs.length) throw new Refusal('no-definition', `no definition of ${h.name}() taking a struct vm_area_struct * was found (wired at ${first.file}:${first.line})`);
	const def = h.defs[0]!;
	h.report.file = def.file;
	h.report.line = def.line;
	if (h.defs.some((d) => d.isStatic) && h.sites.some((s) => !h.defs.some((d) => d.file === s.file)))
		throw new Refusal('static-wired-elsewhere', `static ${h.name}() is wired from another file`);
	h.newName = preparedName(h.name);

	// Every mention of the name must be one we rewrite; anything else means the
	// function has another caller that still passes a vma.
	const static_ = h.defs.every((d) => d.isStatic);
	if (!static_) {
		// its other callers could be in a file nobody could read
		const blind = unreadableFiles(index.root);
		if (blind.length) throw new Refusal('unreadable', `${h.name}() is not static and ${blind.length === 1 ? 'a file' : `${blind.length} files`} of the tree could not be read (${blind[0]![0]}: ${blind[0]![1]}), which may use it`);
	}
	const files = static_ ? [...new Set([...h.defs.map((d) => d.file), ...h.sites.map((s) => s.file)])] : mentions.get(h.name)!;
	const clash = static_ ? files : mentions.get(h.newName)!;
	for (const f of clash) {
		const text = readSource(index.root, f);
		// a file that cannot be read cannot be checked for the name
		if (text === undefined) throw unusableFile(index.root, f, `${f} mentions ${h.name} or ${h.newName}`);
		if (new RegExp(`\\b${h.newName}\\b`).test(text)) throw new Refusal('name-taken', `the new name ${h.newName} is already used in ${f}`);
	}
	const inSite = (sp: Span) => h.sites.some((st) => st.file === sp.file && st.start <= sp.start && sp.end <= st.end);
	const converted = convertFunction(index, {
		name: h.name,
		newName: h.newName,
		defs: h.defs,
		nested: false,
		extraRules,
		files,
		isWiring: inSite,
		adoptInitialiser(sp) {
			// wired from a file outside the targets: convert that site too
			const site = addFile(index, sp.file)?.sites.find((s) => s.start <= sp.start && sp.end <= s.end);
			if (!site || site.structType !== 'file_operations' || site.field !== 'mmap' || site.macro) return false;
			if (!h.sites.includes(site)) {
				h.sites.push(site);
				h.report.wiring.push({ struct: site.structType, field: site.field, file: site.file, line: site.line });
			}
			return true;
		},
	}, api);
	h.edits.merge(converted);
	for (const s of h.sites) siteEdit(index, h, s, h.newName);
}

interface Unit {
	edits: EditSet;
	hooks: HookReport[];
	chain?: ChainPlan;
}

/** The units whose edits touch a common file, together (connected through their files). */
function components(units: Unit[]): Unit[][] {
	const parent = new Map<string, string>();
	const find = (x: string): string => {
		while (parent.get(x) !== x) x = parent.get(x)!;
		return x;
	};
	for (const u of units) for (const f of u.edits.files) if (!parent.has(f)) parent.set(f, f);
	for (const u of units) for (const f of u.edits.files.slice(1)) parent.set(find(f), find(u.edits.files[0]!));
	const groups = new Map<string, Unit[]>();
	for (const u of units) {
		const g = find(u.edits.files[0]!);
		groups.set(g, [...(groups.get(g) ?? []), u]);
	}
	return [...groups.values()];
}

/**
 * Units (hooks, chains) whose edits touch a common file go into one patch,
 * unless a chain of them is split by subsystem: then the group goes out as a
 * sequence of patches, each the difference between two states of its files
 * (the chains one after the other, each in its steps, then the other hooks).
 */
function groupPatches(root: string, units: Unit[], splits: Map<ChainPlan, ChainSplit>, sectionOf?: PatchOrder['sectionOf']): PlannedPatch[] {
	const groups: PlannedPatch[][] = [];
	for (const us of components(units)) {
		const staged = us.some((u) => u.chain && 'stages' in (splits.get(u.chain) ?? { whole: '' }));
		let ps: PlannedPatch[] | undefined;
		if (staged) {
			try {
				ps = stagedPatches(root, us, splits);
			} catch (e) {
				// steps whose edits collide with another unit's: the group goes out whole
				if (!/^overlapping edits/.test((e as Error).message)) throw e;
			}
		}
		groups.push(ps ?? [wholePatch(root, us)]);
	}
	const first = (g: PlannedPatch[]) => g.flatMap((p) => p.files).sort()[0]!;
	groups.sort((a, b) => first(a).localeCompare(first(b)));
	return bySection(groups, (g) => sectionOf?.(g[0]!.files.filter((f) => !f.startsWith('include/'))[0] ?? g[0]!.files[0]!)).flat();
}

/**
 * Groups of one MAINTAINERS section next to each other, in the order their
 * first group comes (by path); groups without a section stay where they are.
 */
function bySection<G>(groups: G[], section: (g: G) => string | undefined): G[] {
	const keys = groups.map((g) => section(g));
	const out: G[] = [];
	const done = new Set<number>();
	for (const [i, g] of groups.entries()) {
		if (done.has(i)) continue;
		out.push(g);
		const k = keys[i];
		if (k === undefined) continue;
		for (let j = i + 1; j < groups.length; j++)
			if (!done.has(j) && keys[j] === k) {
				out.push(groups[j]!);
				done.add(j);
			}
	}
	return out;
}

function wholePatch(root: string, us: Unit[]): PlannedPatch {
	const all = new EditSet();
	us.forEach((u) => all.merge(u.edits));
	const changes: FileChange[] = all.files.sort().map((f) => {
		const before = readSource(root, f)!;
		return { path: f, before, after: applyEdits(before, all.byFile.get(f)!) };
	});
	return { files: changes.map((c) => c.path), hooks: us.flatMap((u) => u.hooks.filter((h) => h.status === 'converted')), changes, chains: us.flatMap((u) => (u.chain ? [u.chain] : [])) };
}

function stagedPatches(root: string, us: Unit[], splits: Map<ChainPlan, ChainSplit>): PlannedPatch[] {
	const union = (...sets: EditSet[]) => {
		const out = new EditSet();
		sets.forEach((s) => out.merge(s));
		return out;
	};
	const steps: Array<{ state: EditSet; hooks: HookReport[]; chains: ChainPlan[]; stage?: PlannedPatch['stage'] }> = [];
	let done = new EditSet();
	const chains = us.filter((u) => u.chain).sort((a, b) => chainName(a.chain!.chain.key).localeCompare(chainName(b.chain!.chain.key)));
	for (const u of chains) {
		const split = splits.get(u.chain!);
		if (split && 'stages' in split)
			for (const s of split.stages) steps.push({ state: union(done, s.state), hooks: s.hooks, chains: [], stage: { kind: s.kind, chain: u.chain!, subsystem: s.subsystem } });
		else steps.push({ state: union(done, u.edits), hooks: u.hooks.filter((h) => h.status === 'converted'), chains: [u.chain!] });
		done = union(done, u.edits);
	}
	for (const c of components(us.filter((u) => !u.chain))) {
		done = union(done, ...c.map((u) => u.edits));
		steps.push({ state: done, hooks: c.flatMap((u) => u.hooks.filter((h) => h.status === 'converted')), chains: [] });
	}
	const base = new Map<string, string>();
	const text = (f: string, s: EditSet) => {
		if (!base.has(f)) base.set(f, readSource(root, f)!);
		return applyEdits(base.get(f)!, s.byFile.get(f) ?? []);
	};
	const out: PlannedPatch[] = [];
	let prev = new EditSet();
	for (const st of steps) {
		const changes: FileChange[] = [];
		for (const f of [...new Set([...prev.files, ...st.state.files])].sort()) {
			const before = text(f, prev);
			const after = text(f, st.state);
			if (before !== after) changes.push({ path: f, before, after });
		}
		prev = st.state;
		if (!changes.length) continue;
		out.push({ files: changes.map((c) => c.path), hooks: st.hooks, changes, chains: st.chains, ...(st.stage ? { stage: st.stage } : {}) });
	}
	return out;
}
