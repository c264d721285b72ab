// What a call does: a modelled mm function (mm-old.ts, mm-new.ts, compat.ts),
// a chain slot holding a converted implementor (its body is run in place), a
// call the purity list knows, a small static function of the same file that
// only computes a value, or an uninterpreted call: an event of the trace with
// its arguments (a modelled object is shown with all its fields, so the same
// call on a different object state is a different event) whose return value
// is a fresh symbol and which may change whatever it was handed a pointer to.
import type { Node } from '../c/parser.js';
import { fnRefName, lineOfNode, type Ctx, type Unit } from './context.js';
import { oldModels } from './mm-old.js';
import { newModels } from './mm-new.js';
import { compatModels } from './compat.js';
import type { Model, ModelCall } from './model.js';
import { LOCAL_STORE, purity } from './purity.js';
import { pageAlign } from './pagealign.js';
import { branch, NotModelled, OOPS, type Forks, type Returned, type State } from './state.js';
import { app, num, show, str, truth, type Term } from './term.js';
import { opaqueCall, snapshot } from './opaque.js';
import { findFunction } from './source.js';

/** How deep calls to functions of the given files are run in place. */
const INLINE_DEPTH = 4;


export interface Evaluator {
	evalExpr(ctx: Ctx, s: State, n: Node): Forks;
	evalSeq(ctx: Ctx, s: State, nodes: Node[]): Array<{ s: State; vs: Term[] }>;
	execFunction(ctx: Ctx, s: State, fn: Node, args: Term[]): Returned[];
}

const MODELS = new Map<string, Model>([...oldModels, ...newModels, ...compatModels]);

/** Macros whose arguments include types or member names: only these positions are values. */
const VALUE_ARGS: Record<string, number[]> = {
	container_of: [0],
	container_of_const: [0],
	min_t: [1, 2],
	max_t: [1, 2],
	clamp_t: [1, 2, 3],
	offsetof: [],
	sizeof_field: [],
	typeof: [],
};

const WARNS = /^(WARN_ON|WARN_ON_ONCE|WARN|WARN_ONCE|BUG_ON|VM_WARN_ON|VM_WARN_ON_ONCE|VM_BUG_ON)$/;

/** The argument list split at its top-level commas (macro arguments may not be expressions). */
function argGroups(call: Node): Node[][] {
	const list = call.childForFieldName('arguments');
	if (!list) return [];
	const groups: Node[][] = [[]];
	for (const c of list.children) {
		if (!c || c.type === '(' || c.type === ')' || c.type === 'comment') continue;
		if (c.type === ',') groups.push([]);
		else groups[groups.length - 1]!.push(c);
	}
	return groups.filter((g, i) => g.length || i < groups.length - 1);
}

const groupText = (g: Node[]) => g.map((n) => n.text).join(' ').replace(/\s+/g, ' ');

export function callExpr(ctx: Ctx, s: State, n: Node, ev: Evaluator): Forks {
	const fn = n.childForFieldName('function')!;
	const groups = argGroups(n);
	const line = lineOfNode(n);
	// guard(mutex)(&lock): the lock is held until the end of the enclosing block
	const guard = fn.type === 'call_expression' && /^(guard)$/.test(fn.childForFieldName('function')?.text ?? '') ? fn.text.replace(/\s+/g, '') : undefined;
	if (guard)
		return ev.evalSeq(ctx, s, groups.map((g) => g[0]!).filter(Boolean)).flatMap(({ s: s1, vs }) => {
			const r = opaqueCall(s1, guard, vs, line, 'takes a lock that the end of the block releases');
			s1.declare(`@release:${s1.trace.length}`, app(`${guard} released`, vs.map((v) => snapshot(s1, v))));
			return r;
		});
	const name = fn.type === 'identifier' ? fn.text : undefined;
	const valueArgs = name && VALUE_ARGS[name];
	// Type-like arguments are their text; the others are evaluated.
	const exprs = groups.map((g, i) => (g.length === 1 && g[0]!.type !== 'ERROR' && (!valueArgs || valueArgs.includes(i)) ? g[0]! : undefined));
	if (name && WARNS.test(name) && exprs[0]) return warnCall(ctx, s, name, exprs[0], line, ev);
	if (name && (name === 'likely' || name === 'unlikely') && exprs[0]) return ev.evalExpr(ctx, s, exprs[0]);
	const evaluated = ev.evalSeq(ctx, s, exprs.filter((e): e is Node => !!e));
	return evaluated.flatMap(({ s: s1, vs }) => {
		let k = 0;
		const args = exprs.map((e, i) => (e ? vs[k++]! : str(groupText(groups[i]!))));
		if (name) return namedCall(ctx, s1, name, args, line, ev);
		// a call through a function pointer: the callee expression's value decides
		return ev.evalExpr(ctx, s1, fn).flatMap(({ s: s2, v: callee }) => pointerCall(ctx, s2, callee, args, line, ev));
	});
}

function warnCall(ctx: Ctx, s: State, name: string, cond: Node, line: number, ev: Evaluator): Forks {
	return ev.evalExpr(ctx, s, cond).flatMap(({ s: s1, v }) =>
		branch(s1, truth(v)).map(([s2, hit]) => {
			if (hit) s2.emit({ k: 'warn', what: `${name}(${cond.text.replace(/\s+/g, ' ')})`, line, phase: s2.phase });
			return { s: s2, v: hit ? num(1) : num(0) };
		}),
	);
}

function namedCall(ctx: Ctx, s: State, name: string, args: Term[], line: number, ev: Evaluator): Forks {
	const mc: ModelCall = { ctx, s, name, args, line, invoke: (f, st, as) => invoke(ctx, st, f, as, line, ev) };
	const model = MODELS.get(name);
	if (model) {
		const r = model(mc);
		if (r) return r;
	}
	if (name === 'PAGE_ALIGN' && args.length === 1) return [{ s, v: pageAlign(args[0]!) }];
	// memset(&local, ...): a store into the hook's own variable
	const target = args[0];
	if (LOCAL_STORE.test(name) && target?.k === 'faddr' && s.obj(target.obj).kind === 'cell') {
		s.setCell(target.obj, app(name, args.map((a) => snapshot(s, a))));
		return [{ s, v: target }];
	}
	const modelled = args.some((a) => a.k === 'obj' || a.k === 'faddr');
	const p = purity(name);
	if (p && !modelled) {
		if (p.k === 'pure') return [{ s, v: app(name, args) }];
		if (p.k === 'read') return [{ s, v: app(name, [...args, num(s.epoch)]) }];
	}
	// A function of the given files: run its body in place; if it uses something
	// the checker does not model, it is an uninterpreted call after all.
	if (!p && s.depth < INLINE_DEPTH && !ctx.stack.includes(name)) {
		const unit = findFunction(ctx.units, name) ? undefined : ctx.resolve?.(name);
		if (unit || findFunction(ctx.units, name))
			try {
				return invoke(unit ? { ...ctx, units: [...ctx.units, unit] } : ctx, s.clone(), name, args, line, ev);
			} catch (e) {
				if (!(e instanceof NotModelled) && !(e instanceof Error && e.name === 'Uninitialised')) throw e;
			}
	}
	return opaqueCall(s, name, args, line, p?.k === 'harmless' ? p.why : undefined);
}

function pointerCall(ctx: Ctx, s: State, callee: Term, args: Term[], line: number, ev: Evaluator): Forks {
	const target = fnRefName(callee);
	if (target) return invoke(ctx, s, target, args, line, ev);
	// through a NULL pointer: an oops, an event both sides must have at the same point
	if (callee.k === 'num' && callee.v === 0n) {
		s.emit({ k: "warn", what: "oops: a call through a NULL function pointer", line, phase: s.phase });
		s.ctrl = { k: 'oops' };
		return [{ s, v: OOPS }];
	}
	return opaqueCall(s, show(callee), args, line);
}

/** Run a function defined in this side's files in place (a chain's implementor, a vm_ops->mapped). */
export function invoke(ctx: Ctx, s: State, name: string, args: Term[], line: number, ev: Evaluator): Forks {
	if (ctx.stack.includes(name)) throw new NotModelled(`a recursive call of ${name}()`, line);
	const found = findFunction(ctx.units, name);
	if (!found) throw new NotModelled(`${name}() is not in the files given to the checker`, line);
	const inner: Ctx = { ...ctx, unit: found.unit as Unit, stack: [...ctx.stack, name] };
	s.depth++;
	return ev.execFunction(inner, s, found.fn, args).map(({ s: s1, ret }) => {
		s1.depth--;
		return { s: s1, v: ret };
	});
}

