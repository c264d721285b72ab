// The plan's use of the equivalence checker (src/check/): for every hook the
// rules converted, the text before and after its edits goes to the checker,
// which shares no code with the rules. A conversion it cannot prove is
// refused. f_op hooks are checked on the mmap path; a chain is checked per
// dispatcher (its shim or its whole-chain outer hook) with every converted
// implementor run in place, so the implementors are checked in the context
// they are called from.
import { checkConversion, type CheckInput, type Source } from '../check/check.js';
import type { CheckCode, CheckResult } from '../check/report.js';
import type { EntryFacts } from '../check/observe.js';
import { applyEdits, EditSet } from '../rewrite/edits.js';
import { Refusal, type RefusalCode } from '../rewrite/refusals.js';
import { readSource } from '../kernel/tree.js';
import { HeaderDefinitions } from '../kernel/header-defs.js';
import { addFile } from '../find/build-index.js';
import type { TreeIndex } from '../find/sites.js';
import type { ChainPlan } from './chain.js';
import { callerFacts } from './caller-facts.js';
import { statefulEffect } from '../../transforms/lib/effects.js';
import type { HookReport } from '../base/types.js';

/** What the equivalence checker did in one plan: checks run (hooks and chain dispatchers), their verdicts, its time. */
export interface EquivalenceStats {
	checks: number;
	proven: number;
	refused: number;
	ms: number;
}

export const noChecks = (): EquivalenceStats => ({ checks: 0, proven: 0, refused: 0, ms: 0 });

/** A converted f_op hook as the plan holds it: its report and its edits (dropped when refused). */
export interface CheckedHook {
	report: HookReport;
	edits: EditSet;
}

/** How the plan abandons a chain (every hook of it skipped with the code and reason). */
export type AbandonChain = (cp: ChainPlan, code: RefusalCode, reason: string) => void;

/**
 * Check every conversion the rules made: each converted f_op hook, and each
 * converted chain through its dispatchers. What is not proven is refused: the
 * hook loses its edits, the chain is abandoned as a whole.
 */
export function checkEquivalence(index: TreeIndex, hooks: Iterable<CheckedHook>, chains: ChainPlan[], abandon: AbandonChain): EquivalenceStats {
	const headers = new HeaderDefinitions(index.root);
	const stats = noChecks();
	for (const h of hooks) if (h.report.status === 'converted') verifyHook(index.root, h, headers, stats);
	for (const cp of chains) if (cp.status === 'converted') verifyChain(index, cp, headers, stats, abandon);
	return stats;
}

/** The catalogue's code for a refused check. */
export function refusalCode(r: CheckResult): CheckCode {
	return r.code ?? 'not-modelled';
}

/**
 * The refusal text of a check. A side effect is the effect analysis's verdict,
 * not a difference of results: it is said as such, with what the call's name
 * says it does when the vocabulary knows it ("atomic_inc() takes a reference:
 * every path: atomic_inc(&dev->n) [line 14] now runs in mmap_prepare, ...").
 */
export function checkerReason(r: CheckResult, dispatcher?: string): string {
	if (r.code !== 'side-effect') return `equivalence not proven${dispatcher ? ` for ${dispatcher}()` : ''}: ${r.message}`;
	const callee = r.difference?.callee;
	const effect = callee && statefulEffect(callee);
	const text = r.message.replace(/^side-effect: /, '');
	return `${dispatcher ? `through ${dispatcher}(): ` : ''}${effect ? `${callee}() ${effect}: ` : ''}${text}`;
}

/** Check a converted f_op hook; refuse it (no edits) when its equivalence is not proven. */
function verifyHook(root: string, h: CheckedHook, headers: HeaderDefinitions, stats: EquivalenceStats): void {
	const t0 = performance.now();
	const result = checkHook(root, h.report, h.edits, headers);
	stats.ms += performance.now() - t0;
	stats.checks++;
	stats[result.equivalence === 'proven' ? 'proven' : 'refused']++;
	h.report.equivalence = toReport(result);
	if (result.equivalence === 'proven') return;
	h.report.status = 'skipped';
	h.report.reason = checkerReason(result);
	// a side effect is a construct of the hook as it is: point at it
	const line = result.code === 'side-effect' ? result.difference?.line?.old : undefined;
	if (line) h.report.at = { file: h.report.file, line };
	h.report.code = refusalCode(result);
	delete h.report.newName;
	delete h.report.rules;
	h.edits = new EditSet();
}

/**
 * Check every dispatcher of a converted chain; a chain converts only when all
 * are proven. When the difference is in the world of one implementor (the
 * field holds it) and the chain coexists (its old field stays), only that
 * implementor is refused: the chain is planned again without it, and it keeps
 * the old field, reported with the checker's code and message. A chain that
 * renames its field has no old field to keep, so there one implementor's
 * refusal still refuses the chain, and the reason says so.
 */
function verifyChain(index: TreeIndex, cp: ChainPlan, headers: HeaderDefinitions, stats: EquivalenceStats, abandon: AbandonChain): void {
	const entryOf: EntryOf = (fn, file) => {
		const sites = (addFile(index, file)?.sites ?? []).filter((s) => s.value === fn && !s.macro);
		const fop = sites.find((s) => s.structType === 'file_operations' && s.field === 'mmap');
		if (fop) return { fresh: true, because: `${fn}() is wired as file_operations.mmap (${fop.file}:${fop.line}), which __mmap_new_file_vma() calls on a fresh VMA` };
		// every wiring of the dispatcher must be one the caller facts vouch for
		const facts = sites.map((s) => callerFacts(index.root, s.structType, s.field));
		return facts.length && facts.every((f) => f) ? facts[0] : undefined;
	};
	const check = (only?: string[]): ChainCheck => {
		const t0 = performance.now();
		const res = checkChain(index.root, cp, entryOf, headers, only);
		stats.ms += performance.now() - t0;
		stats.checks += cp.dispatchers.length;
		stats.proven += cp.dispatchers.length - (res.failure ? 1 : 0);
		stats.refused += res.failure ? 1 : 0;
		return res;
	};
	// verdicts of the implementors dropped on the way, kept on their reports
	const dropped = new Map<string, EquivalenceReport>();
	for (;;) {
		const res = check();
		for (const r of cp.reports) {
			const v = res.verdicts.get(`${r.function}@${r.file}`) ?? dropped.get(`${r.function}@${r.file}`);
			if (v && (r.status === 'converted' || dropped.has(`${r.function}@${r.file}`))) r.equivalence = v;
		}
		if (!res.failure) return;
		const { dispatcher, result } = res.failure;
		const impl = result.implementor && cp.reports.find((r) => r.function === result.implementor && r.status === 'converted' && !cp.dispatchers.some((d) => d.fn === r.function && d.file === r.file));
		if (!impl) return abandon(cp, refusalCode(result), checkerReason(result, dispatcher));
		const field = cp.chain.key.field;
		if (cp.mode !== 'coexist' || !cp.replan)
			return abandon(
				cp,
				refusalCode(result),
				`${checkerReason(result, dispatcher)}; ${impl.function}() cannot keep .${field}: the chain replaces .${field} with .${cp.newField} (no implementor keeps the old field), so it converts only with all its implementors`,
			);
		// The dispatcher must be proven for the field unset and for an unconverted
		// hook on its own: else the fault is not the implementor's.
		const bare = check([]);
		if (bare.failure) return abandon(cp, refusalCode(bare.failure.result), checkerReason(bare.failure.result, bare.failure.dispatcher));
		dropped.set(`${impl.function}@${impl.file}`, toReport(result));
		const next = cp.replan(new Map([[impl.function, new Refusal(refusalCode(result), checkerReason(result, dispatcher))]]));
		for (const k of Object.keys(cp)) delete (cp as unknown as Record<string, unknown>)[k];
		Object.assign(cp, next);
		for (const r of cp.reports) {
			const v = dropped.get(`${r.function}@${r.file}`);
			if (v && r.status === 'skipped') r.equivalence = v;
		}
		if (cp.status !== 'converted') return;
	}
}

/** What the report says of the check. */
export interface EquivalenceReport {
	status: 'proven' | 'refused';
	/** the checker's refusal code (not-equivalent, not-modelled, side-effect) */
	code?: string;
	message?: string;
	assumptions?: string[];
}

export function toReport(r: CheckResult): EquivalenceReport {
	return r.equivalence === 'proven'
		? { status: 'proven', assumptions: r.assumptions }
		: { status: 'refused', code: r.code, message: r.message, assumptions: r.assumptions };
}

/** Texts before and after a set of edits. */
class Texts {
	private readonly before = new Map<string, string>();
	private readonly after = new Map<string, string>();
	constructor(
		private readonly root: string,
		private readonly edits: EditSet,
	) {}
	old(file: string): Source {
		let t = this.before.get(file);
		if (t === undefined) this.before.set(file, (t = readSource(this.root, file) ?? ''));
		return { label: file, text: t };
	}
	new(file: string): Source {
		let t = this.after.get(file);
		if (t === undefined) this.after.set(file, (t = applyEdits(this.old(file).text, this.edits.byFile.get(file) ?? [])));
		return { label: file, text: t };
	}
}

const mmHeader = new Map<string, string | undefined>();
function mmH(root: string): string | undefined {
	if (!mmHeader.has(root)) {
		let text: string | undefined;
		try {
			text = readSource(root, 'include/linux/mm.h');
		} catch {
			text = undefined;
		}
		mmHeader.set(root, text);
	}
	return mmHeader.get(root);
}

/** Check one converted f_op hook (its definition file, or a kernel function wired directly). */
export function checkHook(root: string, report: HookReport, edits: EditSet, headers?: HeaderDefinitions): CheckResult {
	const t = new Texts(root, edits);
	const file = report.file || report.wiring[0]!.file;
	const others = edits.files.filter((f) => f !== file);
	return checkConversion({
		kind: 'fop',
		old: { ...t.old(file), fn: report.function },
		new: { ...t.new(file), fn: report.newName! },
		files: { old: others.map((f) => t.old(f)), new: others.map((f) => t.new(f)) },
		mmH: mmH(root),
		resolve: headers && ((name) => headers.find(file, name)),
	});
}

/** Is a dispatcher reached with a fresh VMA (wired as a file_operations .mmap)? */
export type EntryOf = (fn: string, file: string) => EntryFacts | undefined;

export interface ChainCheck {
	/** the first refusal, with the dispatcher it came from */
	failure?: { dispatcher: string; result: CheckResult };
	/** per report (function@file): the verdict */
	verdicts: Map<string, EquivalenceReport>;
}

/**
 * Check every dispatcher of a converted chain with its implementors run in
 * place (only: just those of them, by name; [] checks the field unset and,
 * coexisting, an unconverted hook).
 */
export function checkChain(root: string, cp: ChainPlan, entryOf: EntryOf, headers?: HeaderDefinitions, only?: string[]): ChainCheck {
	const t = new Texts(root, cp.edits);
	const files = cp.edits.files;
	const implementors = cp.reports.filter((r) => r.status === 'converted' && !cp.dispatchers.some((d) => d.fn === r.function && d.file === r.file) && (!only || only.includes(r.function)));
	const verdicts = new Map<string, EquivalenceReport>();
	const key = (r: { function: string; file: string }) => `${r.function}@${r.file}`;
	const chain: CheckInput['chain'] = {
		oldField: cp.chain.key.field,
		newField: cp.newField,
		mode: cp.mode ?? 'rename',
		implementors: implementors.map((r) => ({ old: r.function, new: r.newName! })),
	};
	let failure: ChainCheck['failure'];
	const all: CheckResult[] = [];
	for (const d of cp.dispatchers) {
		const report = cp.reports.find((r) => r.function === d.fn && r.file === d.file);
		const whole = d.mode === 'whole-chain';
		const result = checkConversion({
			kind: whole ? 'whole-chain' : 'shim',
			old: { ...t.old(d.file), fn: d.fn },
			new: { ...t.new(d.file), fn: whole ? report?.newName ?? d.fn : d.fn },
			chain,
			entry: whole ? undefined : entryOf(d.fn, d.file),
			files: { old: files.map((f) => t.old(f)), new: files.map((f) => t.new(f)) },
			mmH: mmH(root),
			resolve: headers && ((name) => [d.file, ...implementors.map((r) => r.file)].map((f) => headers.find(f, name)).find((x) => x)),
		});
		all.push(result);
		verdicts.set(key({ function: d.fn, file: d.file }), toReport(result));
		if (result.equivalence !== 'proven' && !failure) failure = { dispatcher: d.fn, result };
	}
	// An implementor is proven when every dispatcher it can be called from is.
	const worst = all.find((r) => r.equivalence !== 'proven');
	const assumptions = [...new Set(all.flatMap((r) => r.assumptions))];
	for (const r of implementors)
		verdicts.set(key(r), worst ? { status: 'refused', code: worst.code, message: worst.message, assumptions } : { status: 'proven', assumptions });
	return { failure, verdicts };
}
