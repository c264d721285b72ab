// Uninterpreted calls: an event of the trace with its arguments as the callee
// sees them (a modelled object with all its fields, an address with what it
// points to), a fresh symbol for the value it returns, and whatever it was
// handed a pointer to (the VMA, the descriptor, a field, a local) replaced by
// fresh symbols, since it may have changed it. The n-th call of a path names
// its results `fn#n`: when two paths make the same calls in the same order,
// their results are the same symbols.
import type { State } from './state.js';
import { app, flagsTerm, str, sym, type Term } from './term.js';

export function opaqueCall(s: State, name: string, args: Term[], line: number, harmless?: string): Array<{ s: State; v: Term }> {
	const n = s.nextCall;
	s.emit({ k: 'call', fn: name, args: args.map((a) => snapshot(s, a)), line, phase: s.phase, harmless });
	args.forEach((a, i) => havoc(s, a, `${name}#${n}.arg${i}`));
	return [{ s, v: sym(`${name}#${n}`) }];
}

/** An argument as the callee sees it: modelled objects with their fields, addresses with their contents. */
export function snapshot(s: State, a: Term): Term {
	if (a.k === 'obj') {
		const o = s.obj(a.id);
		const names = [...o.fields.keys()].sort();
		return app(`${o.kind}{${names.join(',')}}`, names.map((f) => o.fields.get(f)!));
	}
	if (a.k === 'faddr' && s.obj(a.obj).kind === 'cell') {
		const o = s.obj(a.obj);
		const v = o.fields.get('value')!;
		const members = [...o.fields.keys()].filter((k) => k !== 'value').sort();
		return app(`&local{${members.join(',')}}`, [v.k !== 'undef' ? v : str('(no value yet)'), ...members.map((m) => o.fields.get(m)!)]);
	}
	if (a.k === 'faddr') return app(`&${a.field}`, [s.get(a.obj, a.field)]);
	return a;
}

/**
 * A VMA's bounds and mm stay: drivers cannot alter the address of the VMA
 * (mm/vma.c:2640 __mmap_new_file_vma() WARNs), so a callee handed the VMA is
 * taken to leave vm_start, vm_end and vm_mm alone.
 */
const VMA_FIXED = new Set(['start', 'end', 'mm']);

function havoc(s: State, a: Term, tag: string): void {
	const fresh = (f: string) => (f === 'flags' ? flagsTerm(sym(`${tag}.flags`)) : sym(`${tag}.${f}`));
	if (a.k === 'obj') {
		const o = s.obj(a.id);
		for (const f of o.fields.keys()) if (o.kind !== 'vma' || !VMA_FIXED.has(f)) s.set(a.id, f, fresh(f));
	}
	else if (a.k === 'faddr' && s.obj(a.obj).kind === 'cell') s.setCell(a.obj, sym(tag));
	else if (a.k === 'faddr' && !(s.obj(a.obj).kind === 'vma' && VMA_FIXED.has(a.field))) s.set(a.obj, a.field, fresh(a.field));
}
