// What the evaluator knows while it runs one side of one world: the parsed
// files of that side (for definitions it may inline and vm_operations_struct
// initialisers it resolves), the flag facts, what a nested chain's field slots
// hold, and the assumptions it used.
import type { Node } from '../c/parser.js';
import type { Unit } from './source.js';
import type { FlagFacts } from './flags.js';
import type { Term } from './term.js';

export type { Unit };

/** The chain field slots as one side sees them in one world. */
export interface Slots {
	/** field name -> value: a function reference, 0 (NULL) or an unknown hook */
	values: Map<string, Term>;
	/** key of the object whose slots these are (fixed by the first read) */
	base?: string;
}

export interface Ctx {
	side: 'old' | 'new';
	/** the file holding the code being evaluated */
	unit: Unit;
	units: Unit[];
	flags: FlagFacts;
	/** legacy VM_ names whose bit was taken from the name (no mm.h given) */
	usedFlags: Set<string>;
	assumptions: Set<string>;
	slots?: Slots;
	/** the functions being evaluated (to refuse recursion) */
	stack: string[];
	/** a definition of an unchanged file (a static inline of a header), to run in place */
	resolve?: (name: string) => Unit | undefined;
}

/** A function reference as a value. */
export function fnRef(name: string): Term {
	return { k: 'app', f: 'fn', args: [{ k: 'str', v: name, key: JSON.stringify(name) }], key: `fn(${JSON.stringify(name)})` };
}

export function fnRefName(t: Term): string | undefined {
	return t.k === 'app' && t.f === 'fn' && t.args[0]?.k === 'str' ? t.args[0].v : undefined;
}

/** 1-based line of a node. */
export const lineOfNode = (n: Node) => n.startPosition.row + 1;

/** `file:line` of a node in the current unit, for messages. */
export function at(ctx: Ctx, n: Node): string {
	return `${ctx.unit.label}:${lineOfNode(n)}`;
}
