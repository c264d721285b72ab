// What the caller of a hook ends up with, path by path, for each kind of
// conversion. The entry state is symbolic (start0, end0, pgoff0, flags0,
// prot0, ...); what is known about it is an explicit fact with its reason.
//   f_op hook, old:  mmap_file() on a fresh VMA (mm/vma.c:2613 __mmap_new_file_vma:
//                    vm_ops = &vma_dummy_vm_ops by vma_init(), vm_private_data NULL,
//                    vm_file = the file); the result is the hook's.
//   f_op hook, new:  the descriptor of __mmap_region() (vma.c:2869: vm_ops =
//                    &vma_dummy_vm_ops, private_data NULL, then set_desc_from_map()
//                    :2522), the hook, then deferred.ts (prepare, the VMA from the
//                    descriptor, complete on the mmap path).
//   nested hook:     the same on the mmap path (whole chain), or, on the compat
//                    path, the implementor's VMA vs compat_set_desc_from_vma() +
//                    the new implementor + __compat_vma_mmap() (compat.ts).
//   dispatcher:      the old-style hook before and after, both run on the same VMA.
import type { Node } from '../c/parser.js';
import { PathCond } from './cond.js';
import type { Ctx } from './context.js';
import { actionComplete, actionPrepare } from './deferred.js';
import { execFunction } from './eval.js';
import { ACTION_FIELDS, CANONICAL } from './fields.js';
import { compatModels } from './compat.js';
import { branch, OOPS, State, type Event, type Forks } from './state.js';
import { ZERO, app, compare, flagsTerm, obj, sym, truth, type Term } from './term.js';

export interface EntryFacts {
	/** the VMA is fresh from the mmap path: vm_ops = &vma_dummy_vm_ops, vm_private_data NULL, vm_file = the file */
	fresh?: boolean;
	/** vm_private_data is NULL at entry */
	privateDataNull?: boolean;
	/** the file the dispatcher passes is the VMA's vm_file */
	fileIsVmFile?: boolean;
	/** where these facts come from */
	because?: string;
}

export interface Outcome {
	pc: PathCond;
	ok: boolean;
	ret: Term;
	/** the VMA as the caller finds it (on success) */
	fields: Record<string, Term>;
	trace: Event[];
}

export const DUMMY_OPS = app('&', [sym('vma_dummy_vm_ops')]);

/** The base path condition: a VMA is never empty (start0 < end0). */
export function basePc(): PathCond {
	return new PathCond().assume(compare('<', sym('start0'), sym('end0')), 'hidden')!;
}

/** The VMA at entry. */
export function entryVma(s: State, facts: EntryFacts, ctx: Ctx): number {
	const fresh = !!facts.fresh;
	if (fresh) ctx.assumptions.add(`entry: a fresh VMA (vm_ops = &vma_dummy_vm_ops, vm_private_data = NULL, vm_file = the file)${facts.because ? `: ${facts.because}` : ''}`);
	else if (facts.privateDataNull) ctx.assumptions.add(`entry: vm_private_data is NULL${facts.because ? `: ${facts.because}` : ''}`);
	return s.newObj('vma', {
		start: sym('start0'),
		end: sym('end0'),
		pgoff: sym('pgoff0'),
		flags: flagsTerm(sym('flags0')),
		page_prot: sym('prot0'),
		vm_ops: fresh ? DUMMY_OPS : sym('vm_ops0'),
		private_data: fresh || facts.privateDataNull ? ZERO : sym('private_data0'),
		vm_file: fresh || facts.fileIsVmFile ? sym('file0') : sym('vm_file0'),
		mm: sym('mm0'),
	});
}

/** The descriptor __mmap_region() hands mmap_prepare (vma.c:2877 and set_desc_from_map()). */
export function mmapDesc(s: State): number {
	const fields: Record<string, Term> = {
		mm: sym('mm0'),
		file: sym('file0'),
		start: sym('start0'),
		end: sym('end0'),
		pgoff: sym('pgoff0'),
		vm_file: sym('file0'),
		flags: flagsTerm(sym('flags0')),
		page_prot: sym('prot0'),
		vm_ops: DUMMY_OPS,
		private_data: ZERO,
	};
	for (const f of ACTION_FIELDS) fields[f] = ZERO;
	return s.newObj('desc', fields);
}

function fieldsOf(s: State, id: number): Record<string, Term> {
	const out: Record<string, Term> = {};
	for (const f of CANONICAL) out[f] = s.get(id, f);
	return out;
}

/** Split a returned value into success (0) and error outcomes. */
function outcomes(s: State, ret: Term, vma: number | undefined): Outcome[] {
	if (s.ctrl?.k === 'oops') return [{ pc: s.pc, ok: false, ret: OOPS, fields: {}, trace: s.trace }];
	return branch(s, truth(ret)).map(([s1, failed]) => ({
		pc: s1.pc,
		ok: !failed,
		ret: failed ? ret : ZERO,
		fields: !failed && vma !== undefined ? fieldsOf(s1, vma) : {},
		trace: s1.trace,
	}));
}

type Invoke = (n: string, s: State, a: Term[]) => Forks;

/** The hook returned ret: an error ends the path (an outcome), success goes on with next. */
function afterHook(s: State, ret: Term, next: (s: State) => Outcome[]): Outcome[] {
	if (s.ctrl?.k === 'oops') return outcomes(s, ret, undefined);
	return branch(s, truth(ret)).flatMap(([s1, failed]) => (failed ? [{ pc: s1.pc, ok: false, ret, fields: {}, trace: s1.trace }] : next(s1)));
}

/**
 * The continuation of a new hook on the mmap path after it returned ret:
 * mmap_action_prepare(), the VMA made from the descriptor, then the complete
 * stage (deferred.ts).
 */
export function mmapPathAfter(ctx: Ctx, s: State, desc: number, ret: Term, invoke: Invoke, line: number): Outcome[] {
	return afterHook(s, ret, (s1) =>
		actionPrepare(ctx, s1, desc, line).flatMap(({ s: s2, err }) => {
			if (err.key !== ZERO.key) return outcomes(s2, err, undefined);
			// set_vma_user_defined_fields(): vm_ops (NULL: vma_set_anonymous()), vm_private_data
			const vma = s2.newObj('vma', {
				start: sym('start0'),
				end: sym('end0'),
				pgoff: s2.get(desc, 'pgoff'),
				flags: s2.get(desc, 'flags'),
				page_prot: s2.get(desc, 'page_prot'),
				vm_ops: s2.get(desc, 'vm_ops'),
				private_data: s2.get(desc, 'private_data'),
				vm_file: s2.get(desc, 'vm_file'),
				mm: sym('mm0'),
			});
			return actionComplete(ctx, s2, vma, desc, false, invoke, line).flatMap((r) => outcomes(r.s, r.v, vma));
		}),
	);
}

/** The compat path after the new implementor returned ret: `if (err) return err; return __compat_vma_mmap(&desc, vma);` */
export function compatPathAfter(ctx: Ctx, s: State, desc: number, vma: number, ret: Term, invoke: Invoke, line: number): Outcome[] {
	const model = compatModels.find(([n]) => n === '__compat_vma_mmap')![1];
	return afterHook(s, ret, (s1) =>
		model({ ctx, s: s1, name: '__compat_vma_mmap', args: [obj(desc), obj(vma)], line, invoke })!.flatMap((f) => outcomes(f.s, f.v, vma)),
	);
}

/** Run fn with args and turn each return into outcomes on the given VMA. */
export function runOn(ctx: Ctx, s: State, fn: Node, argv: Term[], vma: number): Outcome[] {
	return execFunction(ctx, s, fn, argv).flatMap(({ s: s1, ret }) => outcomes(s1, ret, vma));
}

