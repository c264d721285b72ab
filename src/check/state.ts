// The symbolic state of one path: its condition, the local variables, the
// modelled objects (the VMA, descriptors) with their fields, and the trace of
// observable events in order (calls the checker does not model, stores to
// memory it does not own, mappings established, warnings). States are
// copied when a path forks.
import { PathCond } from './cond.js';
import { and, or, not, truth, type Term } from './term.js';

/** Which part of the kernel's sequence an event happened in. */
export type Phase =
	/** inside the hook; on the new side's mmap path this is mmap_prepare, before the VMA exists */
	| 'hook'
	/** mmap_action_prepare() after the hook (mm/util.c) */
	| 'action-prepare'
	/** mmap_action_complete(): the VMA exists and is mapped */
	| 'complete'
	/** vm_ops->mapped() (call_vma_mapped(), mm/util.c) */
	| 'mapped'
	/** an old-style dispatcher around a compat shim */
	| 'dispatcher';

export type Event =
	| { k: 'call'; fn: string; args: Term[]; line: number; phase: Phase; harmless?: string }
	| { k: 'store'; target: Term; value: Term; line: number; phase: Phase }
	/** page table entries for [start, start + size) from pfn with prot (remap_pfn_range()'s work) */
	| { k: 'map'; how: 'pfn' | 'pages'; start: Term; pfn: Term; size: Term; prot: Term; line: number; phase: Phase; result: Term }
	| { k: 'warn'; what: string; line: number; phase: Phase };

/** vma, desc: the modelled objects; cell: a local variable whose address was taken */
export type ObjKind = 'vma' | 'desc' | 'cell';

/** A modelled object: fields under canonical names shared by the VMA and the descriptor. */
export interface Obj {
	kind: ObjKind;
	fields: Map<string, Term>;
}

/** How control leaves a statement; oops: a call through NULL, which ends the path in every caller. */
export type Ctrl = { k: 'return'; v: Term } | { k: 'goto'; label: string } | { k: 'break' } | { k: 'continue' } | { k: 'oops' };

export const OOPS: Term = { k: 'sym', name: 'oops (a call through a NULL pointer)', key: '$oops' };

export class NotModelled extends Error {
	constructor(
		readonly what: string,
		readonly line?: number,
	) {
		super(line ? `${what} (line ${line})` : what);
	}
}

export class State {
	pc: PathCond;
	scopes: Array<Map<string, Term>>;
	objs: Map<number, Obj>;
	trace: Event[];
	/** number of state-changing events so far: memory reads are versioned by it */
	epoch: number;
	ctrl?: Ctrl;
	phase: Phase;
	/** the nesting of inlined functions (for recursion limits) */
	depth: number;
	/** which object's chain field slots this path reads (fixed by its first read) */
	slotBase?: string;

	constructor(pc = new PathCond()) {
		this.pc = pc;
		this.scopes = [new Map()];
		this.objs = new Map();
		this.trace = [];
		this.epoch = 0;
		this.phase = 'hook';
		this.depth = 0;
	}

	clone(): State {
		const s = new State(this.pc);
		s.scopes = this.scopes.map((m) => new Map(m));
		s.objs = new Map([...this.objs].map(([id, o]) => [id, { kind: o.kind, fields: new Map(o.fields) }]));
		s.trace = [...this.trace];
		s.epoch = this.epoch;
		s.ctrl = this.ctrl;
		s.phase = this.phase;
		s.depth = this.depth;
		s.slotBase = this.slotBase;
		return s;
	}

	lookup(name: string): Term | undefined {
		for (let i = this.scopes.length - 1; i >= 0; i--) {
			const v = this.scopes[i]!.get(name);
			if (v) return v.k === 'faddr' && v.field === 'value' && this.objs.get(v.obj)?.kind === 'cell' && v.key.startsWith('cell:') ? this.get(v.obj, 'value') : v;
		}
		return undefined;
	}

	/** The cell object of a local, if it has one. */
	cellId(name: string): number | undefined {
		for (let i = this.scopes.length - 1; i >= 0; i--) {
			const v = this.scopes[i]!.get(name);
			if (v) return v.k === 'faddr' && v.key.startsWith('cell:') ? v.obj : undefined;
		}
		return undefined;
	}

	/** A new whole value for a cell: the members assigned one by one are gone. */
	setCell(id: number, v: Term): void {
		const o = this.obj(id);
		for (const k of [...o.fields.keys()]) if (k !== 'value') o.fields.delete(k);
		o.fields.set('value', v);
	}

	/** The cell of a local whose address is taken (made on first use): &x is its value field. */
	cellOf(name: string): Term {
		for (let i = this.scopes.length - 1; i >= 0; i--) {
			const v = this.scopes[i]!.get(name);
			if (!v) continue;
			if (v.k === 'faddr' && v.key.startsWith('cell:')) return { ...v, key: `&obj#${v.obj}.value` };
			const id = this.newObj('cell', { value: v });
			this.scopes[i]!.set(name, { k: 'faddr', obj: id, field: 'value', key: `cell:${id}` });
			return { k: 'faddr', obj: id, field: 'value', key: `&obj#${id}.value` };
		}
		throw new Error(`no local ${name}`);
	}
	has(name: string): boolean {
		return this.scopes.some((m) => m.has(name));
	}
	/** Leave the innermost scope: locks its guard()s took are released (events, last first). */
	popScope(line: number): void {
		const scope = this.scopes.pop()!;
		const releases = [...scope].filter(([k]) => k.startsWith('@release:')).reverse();
		for (const [, r] of releases) if (r.k === 'app') this.emit({ k: 'call', fn: r.f, args: r.args, line, phase: this.phase, harmless: 'releases the lock guard() took' });
	}

	declare(name: string, v: Term): void {
		this.scopes[this.scopes.length - 1]!.set(name, v);
	}
	assign(name: string, v: Term): void {
		for (let i = this.scopes.length - 1; i >= 0; i--)
			if (this.scopes[i]!.has(name)) {
				const cur = this.scopes[i]!.get(name)!;
				if (cur.k === 'faddr' && cur.key.startsWith('cell:')) this.setCell(cur.obj, v);
				else this.scopes[i]!.set(name, v);
				return;
			}
		throw new Error(`assign to undeclared ${name}`);
	}

	newObj(kind: ObjKind, fields: Record<string, Term>): number {
		let id = 1;
		while (this.objs.has(id)) id++;
		this.objs.set(id, { kind, fields: new Map(Object.entries(fields)) });
		return id;
	}
	obj(id: number): Obj {
		const o = this.objs.get(id);
		if (!o) throw new Error(`no object ${id}`);
		return o;
	}
	get(id: number, field: string): Term {
		const v = this.obj(id).fields.get(field);
		if (!v) throw new Error(`object ${id} has no field ${field}`);
		return v;
	}
	set(id: number, field: string, v: Term): void {
		this.obj(id).fields.set(field, v);
	}

	emit(e: Event): void {
		this.trace.push(e);
		if (e.k !== 'warn') this.epoch++;
	}
	/** The index the next call event will have (names the values it returns). */
	get nextCall(): number {
		return this.trace.length;
	}
}

/** A path out of a function, with its return value. */
export interface Returned {
	s: State;
	ret: Term;
}

/** States with a value, the result of evaluating an expression on a state. */
export type Forks = Array<{ s: State; v: Term }>;

/**
 * The state split on a boolean term: [(state assuming it, true), (state
 * assuming its negation, false)], leaving out the impossible ones. && and ||
 * terms split one operand at a time.
 */
export function branch(s: State, b: Term): Array<[State, boolean]> {
	const t = truth(b);
	if (t.k === 'num') return [[s, t.v !== 0n]];
	const d = s.pc.decide(t);
	if (d !== undefined) return [[s, d]];
	if (t.k === 'app' && (t.f === '&&' || t.f === '||')) {
		const [first, ...rest] = t.args;
		const tail = t.f === '&&' ? and(...rest) : or(...rest);
		const out: Array<[State, boolean]> = [];
		for (const [s1, v1] of branch(s, first!)) {
			if (t.f === '&&' ? !v1 : v1) out.push([s1, v1]);
			else out.push(...branch(s1, tail));
		}
		return out;
	}
	const out: Array<[State, boolean]> = [];
	const yes = s.pc.assume(t);
	const no = s.pc.assume(not(t));
	if (yes) {
		const s1 = s.clone();
		s1.pc = yes;
		out.push([s1, true]);
	}
	if (no) {
		const s2 = s.clone();
		s2.pc = no;
		out.push([s2, false]);
	}
	return out;
}
