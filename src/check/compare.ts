// Matching the paths of the old hook with those of the new one: every pair
// whose conditions can hold together must end alike: the same result, the
// same events in the same order (calls with the same arguments, stores,
// mappings with the same range, pfn and prot at map time, warnings), and on
// success the same VMA (flags, page_prot, pgoff, vm_ops, vm_private_data,
// vm_file, start, end). On the new side's mmap path, an event of the hook
// itself that is not known harmless is a difference of its own: it now runs
// in mmap_prepare, before the VMA exists and also for mappings that merge.
import type { PathCond } from './cond.js';
import type { Outcome } from './observe.js';
import type { Event } from './state.js';
import { compare, hasBit, show, type Term } from './term.js';

export interface Difference {
	/** what differs: 'result', 'calls', 'mapping', a VMA field, 'side-effect', 'coverage' */
	kind: string;
	/** the branch conditions of the path, as C-like text */
	path: string[];
	message: string;
	line?: { old?: number; new?: number };
	/** for a side effect that is a call: the function called */
	callee?: string;
}

const FIELD_NAMES: Record<string, string> = {
	flags: 'vm_flags',
	page_prot: 'vm_page_prot',
	pgoff: 'vm_pgoff',
	vm_ops: 'vm_ops',
	private_data: 'vm_private_data',
	vm_file: 'vm_file',
	start: 'vm_start',
	end: 'vm_end',
};

/**
 * Equal terms, or terms the path condition proves equal: by its linear facts,
 * by its exact equalities (both terms in the path's normal form), or as the
 * same operator applied to arguments it proves equal.
 */
function same(pc: PathCond, a: Term, b: Term): boolean {
	if (a.key === b.key) return true;
	const na = pc.normalise(a);
	const nb = pc.normalise(b);
	if (na.key === nb.key) return true;
	if (na.k === 'flags' && nb.k === 'flags') return sameFlags(pc, na, nb);
	if (na.k === 'flags' || nb.k === 'flags') return false;
	if (pc.decide(compare('==', a, b)) === true) return true;
	return na.k === 'app' && nb.k === 'app' && na.f === nb.f && na.args.length === nb.args.length && na.args.every((x, i) => same(pc, x, nb.args[i]!));
}

function sameFlags(pc: PathCond, a: Term & { k: 'flags' }, b: Term & { k: 'flags' }): boolean {
	if (a.base.key !== b.base.key) return false;
	for (const bit of new Set([...a.set, ...a.clr, ...b.set, ...b.clr])) {
		const x = hasBit(a, bit);
		const y = hasBit(b, bit);
		if (x.key === y.key) continue;
		const dx = x.k === 'num' ? x.v !== 0n : pc.decide(x);
		const dy = y.k === 'num' ? y.v !== 0n : pc.decide(y);
		if (dx === undefined || dy === undefined || dx !== dy) return false;
	}
	return true;
}

/** Flags shown as what they set and clear relative to the entry. */
function showFlags(t: Term): string {
	if (t.k !== 'flags') return show(t);
	const parts = [...t.set.map((b) => `+VM_${b}`), ...t.clr.map((b) => `-VM_${b}`)];
	return parts.length ? `${show(t.base)} ${parts.join(' ')}` : show(t.base);
}

function showEvent(e: Event): string {
	switch (e.k) {
		case 'call': return `${e.fn}(${e.args.map(show).join(', ')}) [line ${e.line}]`;
		case 'store': return `store ${show(e.value)} to ${show(e.target)} [line ${e.line}]`;
		case 'map': return `${e.how === 'pages' ? 'insert pages' : 'map pfn'} ${show(e.pfn)} at ${show(e.start)}, ${show(e.size)} bytes, prot ${show(e.prot)} [line ${e.line}]`;
		case 'warn': return `warning ${e.what} [line ${e.line}]`;
	}
}

/** The first difference of two events, as text, or undefined when they are the same. */
function eventDiff(pc: PathCond, a: Event, b: Event): { kind: string; message: string } | undefined {
	if (a.k !== b.k) return { kind: 'calls', message: `old: ${showEvent(a)}; new: ${showEvent(b)}` };
	if (a.k === 'call' && b.k === 'call') {
		if (a.fn !== b.fn || a.args.length !== b.args.length || a.args.some((x, i) => !same(pc, x, b.args[i]!)))
			return { kind: 'calls', message: `old calls ${showEvent(a)}; new calls ${showEvent(b)}` };
		return undefined;
	}
	if (a.k === 'store' && b.k === 'store') {
		if (!same(pc, a.target, b.target) || !same(pc, a.value, b.value)) return { kind: 'calls', message: `old: ${showEvent(a)}; new: ${showEvent(b)}` };
		return undefined;
	}
	if (a.k === 'map' && b.k === 'map') {
		const what: Array<[string, Term, Term]> = [
			['range start', a.start, b.start],
			['range size', a.size, b.size],
			['pfn', a.pfn, b.pfn],
			['page_prot at map time', a.prot, b.prot],
		];
		if (a.how !== b.how) return { kind: 'mapping', message: `old: ${showEvent(a)}; new: ${showEvent(b)}` };
		for (const [label, x, y] of what) if (!same(pc, x, y)) return { kind: 'mapping', message: `mapping ${label}: old ${show(x)}, new ${show(y)}` };
		return undefined;
	}
	if (a.k === 'warn' && b.k === 'warn') return a.what === b.what ? undefined : { kind: 'calls', message: `old: ${showEvent(a)}; new: ${showEvent(b)}` };
	return undefined;
}

function traceDiff(pc: PathCond, a: Event[], b: Event[]): { kind: string; message: string } | undefined {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const x = a[i];
		const y = b[i];
		if (!x) return { kind: y!.k === 'map' ? 'mapping' : 'calls', message: `new also: ${showEvent(y!)}` };
		if (!y) return { kind: x.k === 'map' ? 'mapping' : 'calls', message: `old also: ${showEvent(x)}, new does not` };
		const d = eventDiff(pc, x, y);
		if (d) return d;
	}
	return undefined;
}

function outcomeDiff(pc: PathCond, o: Outcome, n: Outcome): { kind: string; message: string } | undefined {
	if (o.ok !== n.ok || (!o.ok && !same(pc, o.ret, n.ret)))
		return { kind: 'result', message: `result: old ${o.ok ? '0' : show(o.ret)}, new ${n.ok ? '0' : show(n.ret)}` };
	const t = traceDiff(pc, o.trace, n.trace);
	if (t) return t;
	if (!o.ok) return undefined;
	for (const f of Object.keys(FIELD_NAMES)) {
		const a = o.fields[f];
		const b = n.fields[f];
		if (!a || !b) continue;
		if (!same(pc, a, b)) return { kind: FIELD_NAMES[f]!, message: `${FIELD_NAMES[f]} after the mmap: old ${f === 'flags' ? showFlags(a) : show(a)}, new ${f === 'flags' ? showFlags(b) : show(b)}` };
	}
	return undefined;
}

/** Events a new hook on the mmap path makes in mmap_prepare that are not known to be harmless there. */
export function sideEffects(n: Outcome): Event | undefined {
	return n.trace.find((e) => (e.k === 'call' && !e.harmless && e.phase === 'hook') || (e.k === 'store' && e.phase === 'hook'));
}

export function compareOutcomes(olds: Outcome[], news: Outcome[], mmapPath: boolean): Difference | undefined {
	if (mmapPath)
		for (const n of news) {
			const e = sideEffects(n);
			if (!e) continue;
			// the same call (or store) of the old hook gives the line in the file as it is
			const was = olds.flatMap((o) => o.trace).find((x) => (e.k === 'call' ? x.k === 'call' && x.fn === e.fn : x.k === 'store' && e.k === 'store' && show(x.target) === show(e.target)));
			const line = was?.line ?? e.line;
			return {
				kind: 'side-effect',
				path: n.pc.describe(),
				message: `${showEvent({ ...e, line })} now runs in mmap_prepare, before the VMA exists and also for mappings that merge; it is not known to be pure or idempotent`,
				line: { ...(was ? { old: was.line } : {}), new: e.line },
				...(e.k === 'call' ? { callee: e.fn } : {}),
			};
		}
	for (const o of olds) {
		let matched = false;
		for (const n of news) {
			const pc = o.pc.merge(n.pc);
			if (!pc) continue;
			matched = true;
			const d = outcomeDiff(pc, o, n);
			if (d) return { ...d, path: pc.describe() };
		}
		if (!matched) return { kind: 'coverage', path: o.pc.describe(), message: 'no path of the new hook covers this path of the old one' };
	}
	return undefined;
}
