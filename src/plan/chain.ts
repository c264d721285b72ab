// Planning one chain, all or nothing: every implementor is converted with the
// leaf rules (nested form), the field and every use of it are renamed with the
// _prepare infix rule, registration functions change their parameter type, and
// each dispatcher either becomes mmap_prepare itself (whole chain, when the
// outer hook needs the VMA for nothing else) or gets the compat shim.
import { lineOf } from '../c/parser.js';
import { withItemsTree } from '../c/partial.js';
import { ancestor, lineIndent } from '../c/node.js';
import { findDefinitions } from '../find/build-index.js';
import type { TreeIndex, VmaFunction } from '../find/sites.js';
import { Refusal, type RefusalCode } from '../rewrite/refusals.js';
import { readSource, type KernelApi } from '../kernel/tree.js';
import { EditSet } from '../rewrite/edits.js';
import { convertFunction, type Span } from './function.js';
import { attempt } from './attempt.js';
import { filesCalling, scanMentions } from '../corpus/corpus.js';
import { chainName, type Chain, type FieldUse } from '../find/chains.js';
import { entryFacts, SEEDED, type EntryFacts } from '../find/entry-paths.js';
import { fieldCopies } from '../find/field-copies.js';
import type { HookReport } from '../base/types.js';
import { preparedFieldName, preparedName } from '../../transforms/site/naming.js';
import { rewriteInitialiser } from '../../transforms/site/initialiser.js';
import { nestedCallRule } from '../../transforms/chain/nested-call.js';
import { requestsAction } from '../../transforms/index.js';
import { eitherTest } from '../../transforms/chain/coexist.js';
import { declaresFunction, renameInComments } from '../../transforms/chain/comments.js';
import { compatShim } from '../../transforms/chain/compat-shim.js';
import { fieldDeclEdits } from '../../transforms/chain/field-decl.js';
import { registrationEdits } from '../../transforms/chain/registration.js';
import type { Rule } from '../rewrite/rule.js';
import { unusableFile } from './unreadable.js';
import { notRealImplementor } from './real-implementor.js';
import { otherVmaUse } from './outer-vma.js';

export interface ChainPlan {
	chain: Chain;
	status: 'converted' | 'skipped';
	reason?: string;
	code?: RefusalCode;
	edits: EditSet;
	/** implementors and dispatchers */
	reports: HookReport[];
	newField: string;
	/** rename: the field is replaced; coexist: a new field is added beside the old one */
	mode?: 'rename' | 'coexist';
	/** a shim needs compat helpers the tree lacks: the series adds them first */
	needsCompatHelpers?: boolean;
	/** a shim dispatcher carries the facts of its entry paths (what its callers did to the vma before the call) */
	dispatchers: Array<{ fn: string; file: string; mode: 'whole-chain' | 'compat-shim'; entry?: EntryFacts }>;
	/** each converted implementor's own edits (its function, its callers, its wiring): part of `edits` */
	implementorEdits: Map<string, EditSet>;
	/**
	 * The same chain planned again with more implementors refused (by name, with
	 * the refusal each is reported with): how the equivalence checker drops one
	 * implementor of a coexisting chain. Absent for the coexisting state of a
	 * rename split across subsystems, which must keep every implementor.
	 */
	replan?: (refuse: Map<string, Refusal>) => ChainPlan;
}

/**
 * Converts an outer f_op hook as a whole (with extra rules for its nested
 * calls) including its f_op wiring; provided by the f_op plan. Undefined when
 * fn is not wired as an f_op .mmap (nothing to convert it to); converted:
 * false with the report's reason when it is and cannot convert.
 */
export type OuterHookConverter = (fn: string, file: string, extraRules: Rule[]) => { converted: boolean; edits: EditSet; report: HookReport } | undefined;


/**
 * Can the series add compat_set_desc_from_vma()/__compat_vma_mmap() to a tree
 * that lacks them (true), or why not (the reason)?
 */
export type CompatHelpersCheck = () => true | string;

/** What the user allows a chain (the plan's options). */
export interface ChainOptions {
	/** false: a chain that would keep the old field beside the new one is refused (coexist-off) */
	coexist: boolean;
}

export function planChain(index: TreeIndex, chain: Chain, api: KernelApi, convertOuter: OuterHookConverter, compatHelpers: CompatHelpersCheck = () => 'no generator', options: ChainOptions = { coexist: true }): ChainPlan {
	const plan = (forced: Map<string, Refusal>): ChainPlan => {
		const p = planChainAs(index, chain, api, convertOuter, compatHelpers, false, options, forced);
		p.replan = (refuse) => plan(new Map([...forced, ...refuse]));
		return p;
	};
	return plan(new Map());
}

/**
 * The chain with both fields whatever converts (coexist): the state a series
 * passes through when it adds the new field in one patch and moves the
 * implementors in later ones. Comments keep naming the old field (it is still
 * there). Never calls the outer hook's converter: with both fields the
 * dispatchers keep their VMA and take the shim.
 */
export function planChainCoexisting(index: TreeIndex, chain: Chain, api: KernelApi, compatHelpers: CompatHelpersCheck = () => 'no generator'): ChainPlan {
	return planChainAs(index, chain, api, () => undefined, compatHelpers, true, { coexist: true }, new Map());
}

function planChainAs(index: TreeIndex, chain: Chain, api: KernelApi, convertOuter: OuterHookConverter, compatHelpers: CompatHelpersCheck, coexisting: boolean, options: ChainOptions, forced: Map<string, Refusal>): ChainPlan {
	const first = planChainOnce(index, chain, api, convertOuter, compatHelpers, forced, coexisting, options);
	// Issue #11, class 3: mmap_action_finish() returns the raw error when the
	// action runs from the compat shim (is_compat), so an implementor that keeps
	// its errno with error_override loses it behind a shim: plan again with
	// those implementors refused (the chain then keeps the old field beside the new).
	const shim = first.dispatchers.find((d) => d.mode === 'compat-shim');
	if (first.status !== 'converted' || !shim) return first;
	const implNames = new Set(chain.wirings.map((w) => w.impl));
	const lost = first.reports.filter((r) => r.status === 'converted' && implNames.has(r.function) && r.rules?.includes('error_override'));
	if (!lost.length) return first;
	return planChainOnce(
		index,
		chain,
		api,
		convertOuter,
		compatHelpers,
		new Map([
			...forced,
			...lost.map((r): [string, Refusal] => [
				r.function,
				new Refusal('error-override-compat', `${r.function}() keeps its errno with desc->action.error_override, which mmap_action_finish() ignores when the action runs from the compat shim in ${shim.fn}() (${shim.file})`),
			]),
		]),
		coexisting,
		options,
	);
}

function planChainOnce(index: TreeIndex, chain: Chain, api: KernelApi, convertOuter: OuterHookConverter, compatHelpers: CompatHelpersCheck, forced: Map<string, Refusal>, coexisting: boolean, options: ChainOptions): ChainPlan {
	const key = chain.key;
	const newField = preparedFieldName(key.field);
	const plan: ChainPlan = { chain, status: 'skipped', edits: new EditSet(), reports: [], newField, dispatchers: [], implementorEdits: new Map() };
	const name = chainName(key);
	const skip = (code: RefusalCode, reason: string) => {
		plan.status = 'skipped';
		plan.reason = reason;
		plan.code = code;
		plan.edits = new EditSet();
		plan.implementorEdits = new Map();
		for (const r of plan.reports)
			if (r.status === 'converted' || !r.reason) {
				r.status = 'skipped';
				r.reason = `chain ${name} not converted: ${reason}`;
				r.code = code;
				delete r.newName;
			}
		return plan;
	};
	const root = index.root;

	// Dispatchers get their report first, so that a refusal of the chain names them too.
	const calls = chain.uses.filter((u) => u.kind === 'call');
	const byFn = new Map<string, FieldUse[]>();
	for (const u of calls) byFn.set(`${u.file}\0${u.fn}`, [...(byFn.get(`${u.file}\0${u.fn}`) ?? []), u]);
	const dispatcherReports = new Map<string, HookReport>();
	for (const [k, us] of byFn) {
		const [file, fn] = k.split('\0') as [string, string];
		const report: HookReport = { function: fn, file, line: us[0]!.line, wiring: [], status: 'skipped', chain: name };
		dispatcherReports.set(k, report);
		plan.reports.push(report);
	}

	// Implementors: one report per function, all must convert.
	const impls = new Map<string, typeof chain.wirings>();
	for (const w of chain.wirings) impls.set(w.impl, [...(impls.get(w.impl) ?? []), w]);
	const defsOf = new Map<string, VmaFunction[]>();
	for (const [impl, ws] of impls) defsOf.set(impl, findDefinitions(index, impl, ws[0]!.file));
	const global = [...impls.keys()].filter((i) => defsOf.get(i)!.some((d) => !d.isStatic));
	const mentions = scanMentions(root, global.flatMap((i) => [i, preparedName(i)]));
	const refused: HookReport[] = [];
	const implReports: HookReport[] = [];
	for (const [impl, ws] of impls) {
		const defs = defsOf.get(impl)!;
		const report: HookReport = {
			function: impl,
			// Without a definition (a template like skeletonfb's), point at the wiring.
			file: defs[0]?.file ?? ws[0]!.file,
			line: defs[0]?.line ?? ws[0]!.line,
			wiring: ws.map((w) => ({ struct: key.struct, field: key.field, file: w.file, line: w.line })),
			status: 'skipped',
			chain: name,
		};
		plan.reports.push(report);
		implReports.push(report);
		const ok = attempt(report, () => {
			if (forced.has(impl)) throw forced.get(impl)!;
			if (!defs.length) throw new Refusal('no-definition', `no definition of ${impl}() taking a struct vm_area_struct * was found (wired at ${ws[0]!.file}:${ws[0]!.line})`);
			const newName = preparedName(impl);
			const isStatic = defs.every((d) => d.isStatic);
			const files = isStatic ? [...new Set([...defs.map((d) => d.file), ...ws.map((w) => w.file)])] : mentions.get(impl)!;
			for (const f of isStatic ? files : mentions.get(newName)!) {
				const text = readSource(root, f);
				if (text === undefined) throw unusableFile(root, f, `${f} mentions ${impl} or ${newName}`);
				if (new RegExp(`\\b${newName}\\b`).test(text)) throw new Refusal('name-taken', `the new name ${newName} is already used in ${f}`);
			}
			const isWiring = (sp: Span) => ws.some((w) => w.file === sp.file && w.implStart === sp.start);
			const edits = convertFunction(index, { name: impl, newName, defs, nested: true, files, isWiring }, api);
			for (const w of ws) {
				if (w.kind === 'init') {
					const src = readSource(root, w.file)!;
					const bol = src.lastIndexOf('\n', w.fieldStart! - 1) + 1;
					const text = src.slice(w.fieldStart!, w.fieldEnd!);
					edits.add(w.file, { start: w.fieldStart!, end: w.fieldEnd!, text: rewriteInitialiser(src.slice(bol, w.fieldStart!), text, newField, newName) }, 'P2');
				} else {
					if (w.kind === 'assign') edits.add(w.file, { start: w.fieldStart!, end: w.fieldEnd!, text: newField });
					edits.add(w.file, { start: w.implStart, end: w.implEnd, text: newName });
				}
			}
			report.status = 'converted';
			report.newName = newName;
			report.rules = [...edits.rules].sort();
			plan.edits.merge(edits);
			plan.implementorEdits.set(impl, edits);
		});
		if (!ok) refused.push(report);
	}
	if (chain.problems.length) return skip('chain-problem', chain.problems.join('; '));
	// Issue #11, class 2: a copy of the field that would not copy the new one.
	const copy = fieldCopies(root, key)[0];
	if (copy) return skip('chain-field-copied', `${copy.text} (${copy.file}:${copy.line}) copies ${key.field} from one ${key.struct} to another and would not copy ${newField}`);
	if (!impls.size) return skip('chain-no-implementor', `no implementor of ${name} was found`);
	// Converted hooks nobody calls would be dead: the caller must be found.
	if (!byFn.size) return skip('chain-no-caller', `no call through ${name} was found`);
	// Coexist: when only some implementors convert, the new field is added next to
	// the old one and the dispatcher takes the new path when it is set.
	const coexist = coexisting || refused.length > 0 || chain.macroWired.length > 0;
	const keptList = () =>
		refused.slice(0, 3).map((r) => `${r.function}: ${r.reason}`).join('; ') + (refused.length > 3 ? `; and ${refused.length - 3} more` : '');
	if (coexist) {
		// Name each refused implementor with its reason (a few of them, for big chains).
		const list = keptList();
		if (refused.length === impls.size) return skip('chain-no-implementor', `no implementor of ${name} can be converted (${list || chain.macroWired.map((w) => w.where).join('; ')})`);
		if (chain.registrations.length)
			return skip('chain-registration-mixed', `${list || 'macro-wired hooks'} cannot be converted, and ${name} is set through ${chain.registrations[0]!.fn}(), which cannot take both kinds of hook`);
		// With both fields, every test of the old one must also see the new one; the
		// tests that gate a call sit next to it, in a dispatcher's file.
		const gating = chain.uncertain.filter((u) => byFn.has(u.split(':')[0] + '\0') || [...byFn.keys()].some((k) => k.startsWith(`${u.split(':')[0]}\0`)));
		if (gating.length) return skip('chain-untyped-use', `${list} cannot be converted, and some uses of ${key.field} next to its caller could not be typed: ${gating.slice(0, 3).join('; ')}`);
	}
	plan.mode = coexist ? 'coexist' : 'rename';
	if (new RegExp(`\\(\\s*\\*\\s*${newField}\\s*\\)`).test(readSource(root, chain.decl.file)!.slice(chain.decl.start - 4000 > 0 ? chain.decl.start - 4000 : 0, chain.decl.end + 4000)))
		return skip('chain-field-taken', `struct ${key.struct} already has a field ${newField}`);

	// The field declaration and its kernel-doc.
	for (const { edit, rule } of fieldDeclEdits(readSource(root, chain.decl.file)!, { struct: key.struct, field: key.field, start: chain.decl.start, end: chain.decl.end }, newField, coexist))
		plan.edits.add(chain.decl.file, edit, rule);

	// Dispatchers.
	const claimed = new Set<FieldUse>();
	// A nested hook that requests a mapping action gets it run after the outer
	// hook returns: not under a lock the outer hook holds around the call.
	const actions = plan.reports.some((r) => r.status === 'converted' && (r.rules ?? []).some(requestsAction));
	for (const [k, us] of byFn) {
		const [file, fn] = k.split('\0') as [string, string];
		const inFn = chain.uses.filter((u) => u.file === file && withinFunction(root, file, fn, u.fieldStart));
		const report = dispatcherReports.get(k)!;
		const fnText = functionText(root, file, us[0]!.callStart!);
		const locked = actions && /\b(\w*_lock\w*|guard|scoped_guard|down_read|down_write|down)\s*\(/.test(fnText);
		// Whole chain: the outer hook becomes mmap_prepare too, no shim needed.
		const rule = nestedCallRule(new Set(us.map((u) => u.callStart!)), new Set(inFn.filter((u) => u.kind !== 'call').map((u) => u.fieldStart)), newField);
		const whole = coexist || locked ? undefined : convertOuter(fn, file, [rule]);
		if (whole?.converted) {
			plan.edits.merge(whole.edits);
			Object.assign(report, whole.report, { chain: name, rules: [...(whole.report.rules ?? []), 'whole-chain'].sort() });
			plan.dispatchers.push({ fn, file, mode: 'whole-chain' });
			inFn.forEach((u) => claimed.add(u));
			continue;
		}
		// Issue #11, class 8: a shim only where the outer hook needs the vma for
		// something else. An f_op .mmap that only passes it on converts with the
		// whole chain or not at all: a shim would only work around its refusal.
		// (Coexisting, it needs the vma for the old field's call; under a lock, to
		// map before it unlocks; not an f_op .mmap, for whoever calls it with one.)
		if (whole && !KEEPS_VMA_PARAMETER.has(whole.report.code!)) {
			const other = withItemsTree(readSource(root, file)!, { at: [us[0]!.callStart!] }, (r) =>
				otherVmaUse(readSource(root, file)!, ancestor(r.descendantForIndex(us[0]!.callStart!), 'function_definition')!, us.map((u) => u.callStart!)),
			);
			if (!other)
				return skip('shim-not-needed', `${fn}() (${file}:${report.line}) uses its vma only to pass it to the nested call, so it gets no compat shim; it would become mmap_prepare with the whole chain, but cannot: ${whole.report.reason} [${whole.report.code}]`);
		}
		if (!api.compatHelpers) {
			// The series can start with the mm patch that adds them (issue #4).
			const ok = compatHelpers();
			if (ok !== true)
				return skip('compat-helpers-missing', `${fn}() needs the compat shim, and this tree lacks compat_set_desc_from_vma()/__compat_vma_mmap() (added by "mm: allow handling of stacked mmap_prepare hooks in more drivers"), which mmapify cannot add here: ${ok}`);
			plan.needsCompatHelpers = true;
		}
		// Class 1 of issue #11: the shim belongs in an outer dispatcher that owns
		// the vma, with nothing above it that the shim would lose.
		const entry = entryFacts(index, fn, file);
		const refusal = shimEntryRefusal(fn, file, entry);
		if (refusal) return skip(refusal.code, refusal.reason);
		const src = readSource(root, file)!;
		try {
			withItemsTree(src, { at: us.map((u) => u.callStart!) }, (rootNode) => {
				for (const u of us) {
					const fnNode = ancestor(rootNode.descendantForIndex(u.callStart!), 'function_definition')!;
					for (const e of compatShim(src, fnNode, u.callStart!, newField, coexist, entry.privateDataSetAbove).edits) plan.edits.add(file, e, 'compat-shim');
					claimed.add(u);
				}
			});
		} catch (e) {
			if (!(e instanceof Refusal)) throw e;
			return skip(e.code, `${fn}() (${file}:${e.line ?? us[0]!.line}): ${e.reason}`);
		}
		Object.assign(report, { status: 'converted', newName: fn, rules: ['compat-shim'], line: lineOf(src, us[0]!.callStart!) });
		plan.dispatchers.push({ fn, file, mode: 'compat-shim', entry });
	}

	// Every other use of the field: renamed in place; with coexisting fields a test
	// checks both and a NULL store clears both.
	for (const u of chain.uses) {
		if (claimed.has(u)) continue;
		if (!coexist) {
			plan.edits.add(u.file, { start: u.fieldStart, end: u.fieldEnd, text: newField }, 'chain');
			continue;
		}
		const src = readSource(root, u.file)!;
		const expr = src.slice(u.exprStart, u.exprEnd);
		const other = src.slice(u.exprStart, u.fieldStart) + newField;
		if (u.kind === 'read' && u.cmp) {
			// `x->f != NULL` -> `(x->f || x->f2)`; `x->f == NULL` -> `!(x->f || x->f2)`
			const open = u.cmp.op === '!=' ? (u.cmp.parenthesized ? '' : '(') : '!(';
			const text = eitherTest(src, u.cmp.start, u.cmp.end, open, expr, other, open ? ')' : '');
			plan.edits.add(u.file, { start: u.cmp.start, end: u.cmp.end, text }, 'coexist');
		} else if (u.kind === 'read') {
			const open = u.parenthesized ? '' : '(';
			plan.edits.add(u.file, { start: u.exprStart, end: u.exprEnd, text: eitherTest(src, u.exprStart, u.exprEnd, open, expr, other, open ? ')' : '') }, 'coexist');
		}
		else if (u.stmtEnd !== undefined) plan.edits.add(u.file, { start: u.stmtEnd, end: u.stmtEnd, text: `\n${lineIndent(src, u.exprStart)}${other} = NULL;` }, 'coexist');
		else return skip('chain-clear-in-expression', `${u.file}:${u.line}: ${expr} is cleared inside an expression`);
	}

	// Registration functions: the parameter's type (and name) follow the field.
	for (const r of chain.registrations) {
		try {
			registrationSites(root, r, plan.edits);
		} catch (e) {
			if (!(e instanceof Refusal)) throw e;
			return skip(e.code, `registration function ${r.fn}(): ${e.message}`);
		}
	}
	// Comments that name a distinctive field (not plain "mmap") follow the rename,
	// in the files the patch touches anyway.
	if (key.field !== 'mmap' && !coexisting) {
		const fnNamed = filesCalling(root, key.field).some((f) => declaresFunction(readSource(root, f) ?? '', key.field));
		for (const file of plan.edits.files) renameInComments(readSource(root, file)!, file, key.field, newField, plan.edits, fnNamed);
	}
	// Issue #11, class 8, once the chain would convert (its hazards, if any, are
	// what a refusal names first): a second field is added only for a real
	// user of it, and never with --no-coexist. Not for the coexisting plan of a
	// rename split across subsystems: its two fields last only until the
	// series' last patch removes the old one.
	if (coexist && !coexisting) {
		const kept = keptList() || chain.macroWired.map((w) => w.where).join('; ');
		const churn = churnRefusal(root, implReports.filter((r) => r.status === 'converted'), defsOf);
		if (churn) return skip('coexist-churn', `struct ${key.struct} would get .${newField} beside .${key.field} only for implementors that are no real user of it (${churn}); the others keep .${key.field} (${kept})`);
		if (!options.coexist) return skip('coexist-off', `--no-coexist: struct ${key.struct} would get .${newField} beside .${key.field}, which ${kept} keep${refused.length + chain.macroWired.length === 1 ? 's' : ''}`);
	}
	plan.status = 'converted';
	return plan;
}

/**
 * When none of a coexisting chain's converting implementors is a real user of
 * the hook, each of them with why (the chain must not add its new field for them).
 */
function churnRefusal(root: string, converting: HookReport[], defsOf: Map<string, VmaFunction[]>): string | undefined {
	const why: string[] = [];
	for (const r of converting) {
		const defs = defsOf.get(r.function) ?? [];
		const whys = defs.map((d) => notRealImplementor(d.file, readSource(root, d.file)!.slice(d.start, d.end)));
		if (!defs.length || whys.some((w) => w === undefined)) return undefined;
		why.push(`${r.function}() (${r.file}:${r.line}): ${whys[0]}`);
	}
	if (!why.length) return undefined;
	return why.slice(0, 3).join('; ') + (why.length > 3 ? `; and ${why.length - 3} more` : '');
}

/**
 * Refusals of an outer f_op hook that say it must keep taking a vma: others
 * call it, or its fops' ->mmap, with one.
 */
const KEEPS_VMA_PARAMETER = new Set<string>(['fops-called-directly', 'other-caller']);

/** Why the dispatcher's entry paths forbid a shim in it, if they do. */
function shimEntryRefusal(fn: string, file: string, e: EntryFacts): { code: RefusalCode; reason: string } | undefined {
	if (e.directCallers.length || e.exported) {
		const c = e.directCallers[0];
		const by = c ? `${c.fn}() calls it (${c.file}:${c.line})${e.directCallers.length > 1 ? ` and ${e.directCallers.length - 1} more` : ''}` : 'it is exported';
		return { code: 'shim-library-helper', reason: `${fn}() (${file}) is a library helper that drivers call in the middle of their own mmap (${by}); a compat shim there would write the caller's vma state back from a descriptor that never had it` };
	}
	// vm_private_data set above is seeded into the descriptor (compat-shim.ts); a field the descriptor has no place for is not.
	const w = e.writesAbove.find((x) => x.field !== SEEDED);
	if (w) return { code: 'shim-state-above', reason: `${w.fn}() sets vma->${w.field} (${w.file}:${w.line}) before it reaches ${fn}(); compat_set_desc_from_vma() does not copy it into the descriptor, so the nested hook behind a compat shim could not see it` };
	if (e.unknown) return { code: 'shim-entry-unknown', reason: `${fn}() needs the compat shim, and its entry paths could not all be followed: ${e.unknown}` };
	return undefined;
}

function withinFunction(root: string, file: string, fn: string, at: number): boolean {
	const src = readSource(root, file)!;
	return withItemsTree(src, { at: [at] }, (r) => {
		const f = ancestor(r.descendantForIndex(at), 'function_definition');
		return !!f && new RegExp(`\\b${fn}\\s*\\(`).test(f.text.slice(0, f.text.indexOf('{') >= 0 ? f.text.indexOf('{') : undefined));
	});
}

/** The registration function's function-pointer parameter, in its definition, prototypes and kernel-doc. */
function registrationSites(root: string, r: { fn: string; paramName: string; paramIndex: number }, edits: EditSet): void {
	const files = scanMentions(root, [r.fn]).get(r.fn) ?? [];
	for (const file of files) {
		const src = readSource(root, file)!;
		withItemsTree(src, { words: [r.fn] }, (rootNode) => {
			for (const m of src.matchAll(new RegExp(`\\b${r.fn}\\s*\\(`, 'g'))) {
				const node = rootNode.descendantForIndex(m.index!);
				const fd = node?.parent?.type === 'function_declarator' ? node.parent : null;
				if (!fd) continue;
				const p = fd.childForFieldName('parameters')!.namedChildren.filter((x) => x?.type === 'parameter_declaration')[r.paramIndex];
				if (!p) throw new Refusal('chain-registration', `${file}:${lineOf(src, m.index!)}: parameter ${r.paramIndex + 1} not found`);
				const es = registrationEdits(src, p, fd.parent?.type === 'function_definition' ? fd.parent : null, r.paramName);
				if (!es) throw new Refusal('chain-registration', `${file}:${lineOf(src, p.startIndex)}: parameter ${p.text} does not take a vma`);
				for (const { edit, rule } of es) edits.add(file, edit, rule);
			}
		});
	}
}

function functionText(root: string, file: string, at: number): string {
	const src = readSource(root, file)!;
	return withItemsTree(src, { at: [at] }, (r) => ancestor(r.descendantForIndex(at), 'function_definition')?.text ?? '');
}
