// A chain whose files span subsystems goes out as patches each subsystem can
// take on its own, as kernel developers send an API transition: one patch adds
// the new field and its dispatch (the subsystem that owns the struct), one per
// subsystem moves its implementors to the new field, and, when the chain
// replaces the old field, a last one removes it. Every state in between is
// the chain with both fields (its coexist form): the dispatchers call the new
// hook when it is set and the old one otherwise, so the implementors not moved
// yet keep working and every patch builds on its own.
import type { HookReport } from '../base/types.js';
import { EditSet, type Edit } from '../rewrite/edits.js';
import type { ChainPlan } from './chain.js';

export type StageKind = 'add' | 'convert' | 'remove';

export interface ChainStage {
	kind: StageKind;
	/** the chain's files after this stage, as edits of their base text */
	state: EditSet;
	/** add: the dispatchers that get the shim; convert: the subsystem's implementors; remove: dispatchers that become mmap_prepare hooks */
	hooks: HookReport[];
	/** convert: the subsystem folder it moves */
	subsystem?: string;
}

/**
 * The subsystem folder of a tree-relative file: its first two path components
 * ("drivers/gpu", "sound/core", "kernel/dma"), or its top folder for a file
 * directly in one ("mm", "block").
 */
export function subsystemFolder(file: string): string {
	const parts = file.split('/');
	return parts.length >= 3 ? `${parts[0]}/${parts[1]}` : parts.length === 2 ? parts[0]! : '';
}

/** The subsystem folders of files outside include/, sorted. */
export function subsystemsOf(files: Iterable<string>, subsystemOf: (f: string) => string = subsystemFolder): string[] {
	return [...new Set([...files].filter((f) => !f.startsWith('include/')).map(subsystemOf))].sort();
}

const sameEdit = (a: Edit, b: Edit) => a.start === b.start && a.end === b.end && a.text === b.text;

/** The edits of `all` that none of `parts` holds. */
function minus(all: EditSet, parts: Iterable<EditSet>): EditSet {
	const out = new EditSet();
	const ps = [...parts];
	for (const [f, es] of all.byFile) for (const e of es) if (!ps.some((p) => (p.byFile.get(f) ?? []).some((x) => sameEdit(x, e)))) out.add(f, e);
	return out;
}

function union(...sets: EditSet[]): EditSet {
	const out = new EditSet();
	for (const s of sets) out.merge(s);
	return out;
}

/** Why a converted chain goes out as one patch, or its stages. */
export type ChainSplit = { stages: ChainStage[] } | { whole: string };

/**
 * The stages of a converted chain. `coexisting` is the chain planned with both
 * fields (planChainCoexisting), needed when the chain replaces its field: its
 * edits are the states in between; when it is not converted (registration
 * functions cannot take both kinds of hook, a shim the dispatcher cannot
 * take, ...), or converts other implementors, the chain goes out whole.
 */
export function chainStages(cp: ChainPlan, coexisting: ChainPlan | undefined, subsystemOf: (f: string) => string = subsystemFolder): ChainSplit {
	if (cp.status !== 'converted') return { whole: 'not converted' };
	const subsystems = subsystemsOf(cp.edits.files, subsystemOf);
	if (subsystems.length <= 1) return { whole: 'its files are in one subsystem' };
	const between = cp.mode === 'coexist' ? cp : coexisting;
	if (!between || between.status !== 'converted') return { whole: `it cannot keep both fields between patches${between?.reason ? `: ${between.reason}` : ''}` };
	const moved = (p: ChainPlan) => [...p.implementorEdits.keys()].sort().join(',');
	if (moved(between) !== moved(cp)) return { whole: 'with both fields, other implementors would convert' };
	const dispatcherFns = new Set(cp.dispatchers.map((d) => d.fn));
	if ([...cp.implementorEdits.keys()].some((i) => dispatcherFns.has(i))) return { whole: 'an implementor is also a dispatcher' };

	const implReport = (p: ChainPlan, fn: string) => p.reports.find((r) => r.function === fn && r.status === 'converted' && !p.dispatchers.some((d) => d.fn === r.function && d.file === r.file));
	// Implementors by the subsystem of their definition; the owner's subsystem (a dispatcher's) first.
	const owner = subsystemOf(cp.dispatchers[0]!.file);
	const bySub = new Map<string, string[]>();
	for (const fn of [...between.implementorEdits.keys()].sort()) {
		const r = implReport(cp, fn);
		if (!r) return { whole: `no report for implementor ${fn}()` };
		const s = subsystemOf(r.file);
		bySub.set(s, [...(bySub.get(s) ?? []), fn]);
	}
	const order = [...bySub.keys()].sort((a, b) => Number(b === owner) - Number(a === owner) || a.localeCompare(b));

	const infra = minus(between.edits, between.implementorEdits.values());
	const stages: ChainStage[] = [];
	const shims = between.dispatchers.map((d) => between.reports.find((r) => r.function === d.fn && r.file === d.file)!).filter(Boolean);
	stages.push({ kind: 'add', state: infra, hooks: shims });
	let state = infra;
	for (const s of order) {
		const fns = bySub.get(s)!;
		state = union(state, ...fns.map((fn) => between.implementorEdits.get(fn)!));
		stages.push({ kind: 'convert', state, hooks: fns.map((fn) => implReport(cp, fn)!), subsystem: s });
	}
	if (cp.mode !== 'coexist') {
		const whole = cp.dispatchers.filter((d) => d.mode === 'whole-chain').map((d) => cp.reports.find((r) => r.function === d.fn && r.file === d.file)!).filter(Boolean);
		stages.push({ kind: 'remove', state: cp.edits, hooks: whole });
	}
	return { stages };
}
