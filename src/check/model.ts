// The interface of a modelled kernel function: it receives the evaluated
// arguments and returns the forked states with the call's value, or
// undefined when the call is not one it models (e.g. the first argument is
// not the VMA), in which case the call is uninterpreted.
import type { Ctx } from './context.js';
import type { Forks, State } from './state.js';
import type { Term } from './term.js';

export interface ModelCall {
	ctx: Ctx;
	s: State;
	name: string;
	args: Term[];
	line: number;
	/** run a function of this side's files in place (vm_ops->mapped) */
	invoke(fn: string, s: State, args: Term[]): Forks;
}

export type Model = (c: ModelCall) => Forks | undefined;

/** The object id of a VMA or descriptor argument, if it is one. */
export function objOf(c: ModelCall, t: Term | undefined, kind: 'vma' | 'desc'): number | undefined {
	if (t?.k !== 'obj') return undefined;
	return c.s.obj(t.id).kind === kind ? t.id : undefined;
}
