// The C evaluator: runs one function body symbolically over tree-sitter
// nodes, forking the state at every branch whose condition the path does not
// decide. Statements: blocks, declarations, expressions, if/else, switch,
// return, forward goto, `do { } while (0)`, #ifdef/#if (a configuration atom).
// Loops, backward gotos and statement expressions are not modelled (the hook
// is refused). Calls go to calls.ts (the mm models, the purity list, chain
// slots, uninterpreted calls).
import type { Node } from '../c/parser.js';
import { lineOfNode, type Ctx } from './context.js';
import { callExpr } from './calls.js';
import { fieldPath, readField, writeField, type FieldRef } from './fields.js';
import { flagTruth, flagCompare } from './flagops.js';
import { branch, NotModelled, OOPS, type Forks, type Returned, type State } from './state.js';
import {
	ONE, ZERO, add, app, compare, faddr, mul, neg, not, num, obj, str, sub, sym, truth, undef, type Term,
} from './term.js';
import { ACTION_FIELDS } from './fields.js';
import { declName } from './source.js';

/** More live paths than this and the hook is refused (not modelled). */
export const PATH_LIMIT = 4096;

const kids = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');

function limit(states: unknown[], n: Node): void {
	if (states.length > PATH_LIMIT) throw new NotModelled(`more than ${PATH_LIMIT} paths`, lineOfNode(n));
}

// ---- functions ----


/** Run a function definition with its parameters bound to args (by position). */
export function execFunction(ctx: Ctx, s0: State, fn: Node, args: Term[]): Returned[] {
	const s = s0;
	s.scopes.push(new Map());
	const params = parameterNames(fn);
	params.forEach((p, i) => s.declare(p, args[i] ?? undef(p)));
	const body = fn.childForFieldName('body');
	if (!body) throw new NotModelled('a function without a body', lineOfNode(fn));
	const out: Returned[] = [];
	for (const r of execStmt(ctx, [s], body)) {
		if (r.ctrl?.k === 'goto') throw new NotModelled(`goto ${r.ctrl.label} leaves no label to go to in this function`, lineOfNode(body));
		if (r.ctrl?.k === 'oops') {
			r.scopes.pop();
			out.push({ s: r, ret: OOPS });
			continue;
		}
		if (r.ctrl && r.ctrl.k !== 'return') throw new NotModelled(`${r.ctrl.k} outside a loop or switch`, lineOfNode(body));
		const ret = r.ctrl?.k === 'return' ? r.ctrl.v : undef('the return value (the function ends without return)');
		r.ctrl = undefined;
		r.popScope(lineOfNode(body));
		out.push({ s: r, ret });
	}
	return out;
}

/** Parameter names of a function definition, in order. */
export function parameterNames(fn: Node): string[] {
	let d = fn.childForFieldName('declarator');
	while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
	const list = d?.childForFieldName('parameters');
	if (!list) return [];
	return kids(list)
		.filter((p) => p.type === 'parameter_declaration')
		.map((p, i) => declName(p.childForFieldName('declarator')) ?? `arg${i}`);
}

// ---- statements ----

function execStmt(ctx: Ctx, states: State[], n: Node): State[] {
	const live = states.filter((s) => !s.ctrl);
	const done = states.filter((s) => s.ctrl);
	if (!live.length) return states;
	limit(live, n);
	return [...done, ...execLive(ctx, live, n)];
}

function execLive(ctx: Ctx, live: State[], n: Node): State[] {
	switch (n.type) {
		case 'compound_statement':
			return execBlock(ctx, live, kids(n), true);
		case 'expression_statement': {
			const e = kids(n)[0];
			return e ? live.flatMap((s) => evalExpr(ctx, s, e).map((f) => f.s)) : live;
		}
		case 'declaration':
			return live.flatMap((s) => declaration(ctx, s, n));
		case 'if_statement':
			return live.flatMap((s) => {
				const cond = n.childForFieldName('condition')!;
				const alt = n.childForFieldName('alternative');
				return evalCond(ctx, s, cond).flatMap(([s1, v]) => {
					if (v) return execStmt(ctx, [s1], n.childForFieldName('consequence')!);
					if (!alt) return [s1];
					const body = alt.type === 'else_clause' ? kids(alt)[0] : alt;
					return body ? execStmt(ctx, [s1], body) : [s1];
				});
			});
		case 'return_statement': {
			const e = kids(n)[0];
			return live.flatMap((s) => {
				if (!e) {
					s.ctrl = { k: 'return', v: ZERO };
					return [s];
				}
				return evalExpr(ctx, s, e).map(({ s: s1, v }) => {
					if (!s1.ctrl) s1.ctrl = { k: 'return', v };
					return s1;
				});
			});
		}
		case 'goto_statement': {
			const label = n.childForFieldName('label')!.text;
			for (const s of live) s.ctrl = { k: 'goto', label };
			return live;
		}
		case 'break_statement':
			for (const s of live) s.ctrl = { k: 'break' };
			return live;
		case 'continue_statement':
			for (const s of live) s.ctrl = { k: 'continue' };
			return live;
		case 'labeled_statement': {
			const inner = kids(n).find((k) => k.type !== 'statement_identifier');
			return inner ? execStmt(ctx, live, inner) : live;
		}
		case 'attributed_statement': {
			const inner = kids(n).find((k) => k.type !== 'attribute_declaration');
			return inner ? execStmt(ctx, live, inner) : live;
		}
		case 'switch_statement':
			return live.flatMap((s) => switchStmt(ctx, s, n));
		case 'do_statement': {
			const cond = n.childForFieldName('condition');
			if (!cond || !/^\(\s*0\s*\)$/.test(cond.text)) throw new NotModelled('a loop', lineOfNode(n));
			const out = execStmt(ctx, live, n.childForFieldName('body')!);
			for (const s of out) if (s.ctrl?.k === 'break') s.ctrl = undefined;
			return out;
		}
		case 'for_statement':
		case 'while_statement':
			throw new NotModelled('a loop', lineOfNode(n));
		case 'preproc_ifdef':
		case 'preproc_if':
		case 'preproc_elif':
		case 'preproc_elifdef':
			return live.flatMap((s) => preprocIf(ctx, s, n));
		case 'preproc_else':
			return execBlock(ctx, live, kids(n), false);
		case 'preproc_call':
		case 'preproc_def':
		case 'preproc_function_def':
		case 'preproc_include':
			return live;
		case ';':
			return live;
		default:
			if (n.type === 'empty_statement' || n.text.trim() === ';') return live;
			throw new NotModelled(`the statement kind ${n.type}`, lineOfNode(n));
	}
}

/** Statements in order, with forward gotos to labels of this block. */
function execBlock(ctx: Ctx, states: State[], stmts: Node[], scoped: boolean): State[] {
	if (scoped) for (const s of states) s.scopes.push(new Map());
	const labels = new Map<string, number>();
	stmts.forEach((st, i) => {
		if (st.type === 'labeled_statement') labels.set(st.childForFieldName('label')!.text, i);
	});
	const pending = new Map<number, State[]>();
	const out: State[] = [];
	let running = states;
	for (let i = 0; i < stmts.length; i++) {
		running = [...running, ...(pending.get(i) ?? [])];
		if (!running.length) continue;
		const next: State[] = [];
		for (const s of execStmt(ctx, running, stmts[i]!)) {
			if (!s.ctrl) next.push(s);
			else if (s.ctrl.k === 'goto' && labels.has(s.ctrl.label)) {
				const j = labels.get(s.ctrl.label)!;
				if (j <= i) throw new NotModelled(`a backward goto to ${s.ctrl.label}`, lineOfNode(stmts[i]!));
				s.ctrl = undefined;
				pending.set(j, [...(pending.get(j) ?? []), s]);
			} else out.push(s);
		}
		running = next;
	}
	out.push(...running);
	const end = stmts.length ? lineOfNode(stmts[stmts.length - 1]!) : 0;
	if (scoped) for (const s of out) s.popScope(end);
	return out;
}

function switchStmt(ctx: Ctx, s: State, n: Node): State[] {
	const body = n.childForFieldName('body')!;
	const cases = kids(body).filter((k) => k.type === 'case_statement');
	const out: State[] = [];
	for (const { s: s0, v } of evalExpr(ctx, s, n.childForFieldName('condition')!)) {
		// Each case is entered when the value equals it and no earlier case; default when none.
		let rest: State[] = [s0];
		const values: Array<{ index: number; val: Term }> = [];
		for (const [i, c] of cases.entries()) {
			const val = c.childForFieldName('value');
			if (!val) continue;
			const forks = evalExpr(ctx, s0.clone(), val);
			if (forks.length !== 1) throw new NotModelled('a case label with side effects', lineOfNode(c));
			values.push({ index: i, val: forks[0]!.v });
		}
		const entries: Array<{ s: State; from: number }> = [];
		for (const { index, val } of values) {
			const next: State[] = [];
			for (const r of rest)
				for (const [s1, hit] of branch(r, compare('==', v, val))) (hit ? entries.push({ s: s1, from: index }) : next.push(s1));
			rest = next;
		}
		const dflt = cases.findIndex((c) => !c.childForFieldName('value'));
		if (dflt >= 0) for (const r of rest) entries.push({ s: r, from: dflt });
		else out.push(...rest);
		for (const { s: s1, from } of entries) {
			let live = [s1];
			for (const c of cases.slice(from)) {
				const valueId = c.childForFieldName('value')?.id;
				const stmts = kids(c).filter((k) => k.id !== valueId);
				live = execBlock(ctx, live, stmts, false);
				if (live.every((x) => x.ctrl)) break;
			}
			for (const x of live) if (x.ctrl?.k === 'break') x.ctrl = undefined;
			out.push(...live);
		}
	}
	return out;
}

/** #ifdef NAME / #if EXPR: both branches, under a configuration atom. */
function preprocIf(ctx: Ctx, s: State, n: Node): State[] {
	const name = n.childForFieldName('name');
	const cond = n.childForFieldName('condition');
	let atom: Term;
	if (name) atom = truth(sym(`defined(${name.text})`));
	else if (cond) atom = truth(sym(`#if ${cond.text.replace(/\s+/g, ' ')}`));
	else throw new NotModelled('a preprocessor conditional', lineOfNode(n));
	if (n.text.startsWith('#ifndef') || /^#\s*ifndef/.test(n.text)) atom = not(atom);
	const alt = n.childForFieldName('alternative');
	const skip = new Set([name?.id, cond?.id, alt?.id]);
	const body = kids(n).filter((k) => !skip.has(k.id));
	return branch(s, atom).flatMap(([s1, v]) => {
		if (v) return execBlock(ctx, [s1], body, false);
		return alt ? execStmt(ctx, [s1], alt) : [s1];
	});
}

function declaration(ctx: Ctx, s: State, n: Node): State[] {
	const type = n.childForFieldName('type');
	const typeText = (type?.text ?? '').replace(/\s+/g, ' ');
	if (n.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static'))
		throw new NotModelled('a static local variable', lineOfNode(n));
	const isBoolType = /^(const )?(bool|_Bool)$/.test(typeText);
	let states = [s];
	for (const d of kids(n).filter((k) => k.id !== type?.id && k.type !== 'primitive_type' && k.type !== 'type_qualifier' && k.type !== 'storage_class_specifier' && k.type !== 'attribute_specifier')) {
		const decl = d.type === 'init_declarator' ? d.childForFieldName('declarator')! : d;
		const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
		const name = declName(decl);
		if (!name) throw new NotModelled(`the declaration ${d.text}`, lineOfNode(d));
		const isPointer = decl.type === 'pointer_declarator';
		const isArray = decl.type === 'array_declarator';
		states = states.flatMap((st) => {
			if (typeText === 'struct vm_area_desc' && !isPointer && !isArray) {
				const zeroed = value !== null && /^\{\s*(0\s*)?\}$/.test(value.text);
				if (value && !zeroed) throw new NotModelled('a struct vm_area_desc initialiser other than {}', lineOfNode(d));
				const fill = (f: string) => (zeroed ? ZERO : undef(`${name}.${f}`));
				const fields: Record<string, Term> = {};
				for (const f of ['start', 'end', 'pgoff', 'flags', 'page_prot', 'vm_ops', 'private_data', 'vm_file', 'mm', 'file', ...ACTION_FIELDS]) fields[f] = fill(f);
				const id = st.newObj('desc', fields);
				st.declare(name, obj(id));
				st.declare(`&struct:${name}`, ONE);
				return [st];
			}
			if (!value) {
				st.declare(name, undef(name));
				return [st];
			}
			if (value.type === 'initializer_list') {
				st.declare(name, str(`{${value.text.replace(/\s+/g, ' ')}}`));
				return [st];
			}
			return evalExpr(ctx, st, value).map(({ s: s1, v }) => {
				s1.declare(name, isBoolType ? flagTruth(ctx, v) : v);
				return s1;
			});
		});
	}
	return states;
}

// ---- conditions ----

/** The state split on the truth of a condition expression (&&, || and ! by control flow). */
export function evalCond(ctx: Ctx, s: State, n: Node): Array<[State, boolean]> {
	const e = unparen(n);
	if (e.type === 'binary_expression') {
		const op = e.childForFieldName('operator')!.text;
		if (op === '&&' || op === '||') {
			return evalCond(ctx, s, e.childForFieldName('left')!).flatMap(([s1, v]) => {
				if (op === '&&' ? !v : v) return [[s1, v] as [State, boolean]];
				return evalCond(ctx, s1, e.childForFieldName('right')!);
			});
		}
	}
	if (e.type === 'unary_expression' && e.childForFieldName('operator')!.text === '!')
		return evalCond(ctx, s, e.childForFieldName('argument')!).map(([s1, v]) => [s1, !v]);
	return evalExpr(ctx, s, e).flatMap(({ s: s1, v }) => branch(s1, flagTruth(ctx, v)));
}

function unparen(n: Node): Node {
	let x = n;
	while (x.type === 'parenthesized_expression' && kids(x).length === 1) x = kids(x)[0]!;
	return x;
}

// ---- expressions ----

/** Evaluate several expressions left to right. */
export function evalSeq(ctx: Ctx, s: State, nodes: Node[]): Array<{ s: State; vs: Term[] }> {
	let acc: Array<{ s: State; vs: Term[] }> = [{ s, vs: [] }];
	for (const n of nodes) acc = acc.flatMap(({ s: s1, vs }) => evalExpr(ctx, s1, n).map(({ s: s2, v }) => ({ s: s2, vs: [...vs, v] })));
	return acc;
}

export function evalExpr(ctx: Ctx, s: State, n: Node): Forks {
	const line = lineOfNode(n);
	switch (n.type) {
		case 'parenthesized_expression': {
			const inner = kids(n);
			if (inner.length !== 1) throw new NotModelled(`the expression ${n.text}`, line);
			return evalExpr(ctx, s, inner[0]!);
		}
		case 'number_literal':
			return [{ s, v: numberLiteral(n.text) }];
		case 'string_literal':
		case 'concatenated_string':
		case 'char_literal':
			return [{ s, v: str(n.text) }];
		case 'true':
			return [{ s, v: ONE }];
		case 'false':
		case 'null':
			return [{ s, v: ZERO }];
		case 'identifier':
			return [{ s, v: identifier(s, n.text, line) }];
		case 'field_expression': {
			const local = localMember(s, n);
			if (local) return [{ s, v: local }];
			return evalExpr(ctx, s, n.childForFieldName('argument')!).map(({ s: s1, v }) => ({ s: s1, v: fieldValue(ctx, s1, v, n, line) }));
		}
		case 'pointer_expression':
			return pointerExpr(ctx, s, n);
		case 'subscript_expression':
			return evalSeq(ctx, s, [n.childForFieldName('argument')!, n.childForFieldName('index')!]).map(({ s: s1, vs }) => ({
				s: s1,
				v: app('[]', [vs[0]!, vs[1]!, num(s1.epoch)]),
			}));
		case 'call_expression':
			return callExpr(ctx, s, n, { evalExpr, evalSeq, execFunction });
		case 'binary_expression':
			return binary(ctx, s, n);
		case 'unary_expression': {
			const op = n.childForFieldName('operator')!.text;
			if (op === '!') return evalCond(ctx, s, n).map(([s1, v]) => ({ s: s1, v: v ? ONE : ZERO }));
			return evalExpr(ctx, s, n.childForFieldName('argument')!).map(({ s: s1, v }) => ({
				s: s1,
				v: op === '-' ? neg(v) : op === '+' ? v : op === '~' ? app('~', [v]) : app(op, [v]),
			}));
		}
		case 'update_expression': {
			const arg = n.childForFieldName('argument')!;
			const op = n.text.includes('++') ? '+' : '-';
			const prefix = n.text.trimStart().startsWith(op + op);
			return evalExpr(ctx, s, arg).flatMap(({ s: s1, v }) => {
				const nv = op === '+' ? add(v, ONE) : sub(v, ONE);
				return assignTo(ctx, s1, arg, nv, line).map((s2) => ({ s: s2, v: prefix ? nv : v }));
			});
		}
		case 'assignment_expression': {
			const left = n.childForFieldName('left')!;
			const op = n.childForFieldName('operator')!.text;
			return evalExpr(ctx, s, n.childForFieldName('right')!).flatMap(({ s: s1, v }) => {
				const compute = (cur: Term): Term => (op === '=' ? v : arith(op.slice(0, -1), cur, v));
				if (op === '=') return assignTo(ctx, s1, left, v, line).map((s2) => ({ s: s2, v }));
				return evalExpr(ctx, s1, left).flatMap(({ s: s2, v: cur }) => {
					const nv = compute(cur);
					return assignTo(ctx, s2, left, nv, line).map((s3) => ({ s: s3, v: nv }));
				});
			});
		}
		case 'conditional_expression': {
			const cons = n.childForFieldName('consequence');
			const alt = n.childForFieldName('alternative')!;
			const cond = n.childForFieldName('condition')!;
			if (!cons) {
				// GNU a ?: b
				return evalExpr(ctx, s, cond).flatMap(({ s: s1, v }) =>
					branch(s1, flagTruth(ctx, v)).flatMap(([s2, t]) => (t ? [{ s: s2, v }] : evalExpr(ctx, s2, alt))),
				);
			}
			return evalCond(ctx, s, cond).flatMap(([s1, t]) => evalExpr(ctx, s1, t ? cons : alt));
		}
		case 'comma_expression':
			return evalExpr(ctx, s, n.childForFieldName('left')!).flatMap(({ s: s1 }) => evalExpr(ctx, s1, n.childForFieldName('right')!));
		case 'cast_expression': {
			const type = n.childForFieldName('type')!.text.replace(/\s+/g, ' ');
			return evalExpr(ctx, s, n.childForFieldName('value')!).map(({ s: s1, v }) => ({
				s: s1,
				v: /^(const )?(bool|_Bool)$/.test(type) ? flagTruth(ctx, v) : type === 'void' ? ZERO : app(`(${type})`, [v]),
			}));
		}
		case 'sizeof_expression':
		case 'offsetof_expression':
		case 'alignof_expression':
			return [{ s, v: app('sizeof', [str(n.text.replace(/\s+/g, ''))]) }];
		case 'compound_literal_expression':
		case 'initializer_list':
			return [{ s, v: str(n.text.replace(/\s+/g, ' ')) }];
		default:
			throw new NotModelled(`the expression kind ${n.type}: ${n.text.split('\n')[0]}`, line);
	}
}

function numberLiteral(text: string): Term {
	const t = text.replace(/[uUlL]+$/, '');
	try {
		if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[bB][01]+$/.test(t) || /^[1-9][0-9]*$|^0$/.test(t)) return num(BigInt(t));
		if (/^0[0-7]+$/.test(t)) return num(BigInt(`0o${t.slice(1)}`));
	} catch {
		/* fall through */
	}
	return str(text);
}

function identifier(s: State, name: string, line: number): Term {
	const v = s.lookup(name);
	if (v) {
		if (v.k === 'undef') throw new Uninitialised(name, line);
		return v;
	}
	if (name === 'NULL') return ZERO;
	if (/^[A-Z_][A-Z0-9_]*$/.test(name)) return sym(name);
	// a global: its value may change with any state-changing event
	return sym(s.epoch ? `${name}@${s.epoch}` : name);
}

/** A read of a local variable that holds no value yet (generated code must never do this). */
export class Uninitialised extends Error {
	constructor(
		readonly variable: string,
		readonly line: number,
	) {
		super(`reads ${variable} before it has a value (line ${line})`);
		this.name = 'Uninitialised';
	}
}

function fieldValue(ctx: Ctx, s: State, base: Term, n: Node, line: number): Term {
	const field = n.childForFieldName('field')!.text;
	const arrow = n.childForFieldName('operator')?.text === '->' || n.text.includes('->');
	const ref = objectField(s, base, field, line);
	if (ref) {
		if (ref.k === 'value') {
			if (ref.v.k === 'undef') throw new Uninitialised(ref.v.name, line);
			return ref.v;
		}
		return faddr(base.k === 'obj' ? base.id : (base as { obj: number }).obj, ref.path);
	}
	const slot = ctx.slots?.values.get(field);
	if (slot) {
		// a chain's field: what it holds in this world, for one object per path
		const key = identity(base);
		if (s.slotBase === undefined) s.slotBase = key;
		else if (s.slotBase !== key) throw new NotModelled(`the chain field .${field} is read through two objects (${s.slotBase}, ${key})`, line);
		return slot;
	}
	return app(`${arrow ? '->' : '.'}${field}`, [base, num(s.epoch)]);
}

/** A term's key with the memory versions of its field reads left out: which object it names. */
function identity(t: Term): string {
	if (t.k === 'app' && (t.f.startsWith('->') || t.f.startsWith('.'))) return `${identity(t.args[0]!)}${t.f}`;
	if (t.k === 'app') return `${t.f}(${t.args.map(identity).join(',')})`;
	if (t.k === 'sym') return t.name.replace(/@\d+$/, '');
	return t.key;
}

/** `x.a.b` with x a local (not a modelled object): the local and the member path. */
function localPath(s: State, n: Node): { name: string; path: string } | undefined {
	const fields: string[] = [];
	let x: Node | null = n;
	while (x?.type === 'field_expression' && x.childForFieldName('operator')?.text === '.') {
		fields.unshift(x.childForFieldName('field')!.text);
		x = x.childForFieldName('argument');
	}
	if (x?.type !== 'identifier' || !fields.length || !s.has(x.text) || s.lookup(x.text)?.k === 'obj') return undefined;
	return { name: x.text, path: fields.map((f) => `.${f}`).join('') };
}

/** A member of a local struct that was assigned member by member (kept in its cell). */
function localMember(s: State, n: Node): Term | undefined {
	const lp = localPath(s, n);
	const cell = lp && s.cellId(lp.name);
	if (!lp || cell === undefined) return undefined;
	const fields = s.obj(cell).fields;
	// the member itself, or a member of an enclosing member that was assigned whole
	for (let p = lp.path; p; p = p.slice(0, p.lastIndexOf('.'))) {
		const v = fields.get(p);
		if (!v) continue;
		const rest = lp.path.slice(p.length).split('.').filter(Boolean);
		return rest.reduce((acc, f) => app(`.${f}`, [acc, num(s.epoch)]), v);
	}
	return undefined;
}

/** obj->field of a modelled object (or a sub-struct of it). */
function objectField(s: State, base: Term, field: string, line: number): FieldRef | undefined {
	if (base.k === 'obj') return readField(s, base.id, fieldPath(s.obj(base.id).kind, undefined, field), line);
	if (base.k === 'faddr' && s.obj(base.obj).kind !== 'cell') return readField(s, base.obj, fieldPath(s.obj(base.obj).kind, base.field, field), line);
	return undefined;
}

function pointerExpr(ctx: Ctx, s: State, n: Node): Forks {
	const op = n.childForFieldName('operator')!.text;
	const arg = n.childForFieldName('argument')!;
	const line = lineOfNode(n);
	if (op === '*') {
		return evalExpr(ctx, s, arg).map(({ s: s1, v }) => {
			if (v.k === 'faddr') {
				const r = readField(s1, v.obj, v.field, line);
				if (r.k === 'value') {
					if (r.v.k === 'undef') throw new Uninitialised(r.v.name, line);
					return { s: s1, v: r.v };
				}
			}
			if (v.k === 'obj') throw new NotModelled('a copy of a whole modelled object', line);
			return { s: s1, v: app('*deref', [v, num(s1.epoch)]) };
		});
	}
	// &x
	const a = unparen(arg);
	if (a.type === 'identifier') {
		const v = s.lookup(a.text);
		// a struct vm_area_desc local: its address is the object
		if (v?.k === 'obj' && s.lookup(`&struct:${a.text}`)) return [{ s, v }];
		if (s.has(a.text)) return [{ s, v: s.cellOf(a.text) }];
		return [{ s, v: app('&', [sym(a.text)]) }];
	}
	if (a.type === 'field_expression') {
		const field = a.childForFieldName('field')!.text;
		return evalExpr(ctx, s, a.childForFieldName('argument')!).map(({ s: s1, v }) => {
			if (v.k === 'obj') return { s: s1, v: faddr(v.id, fieldPath(s1.obj(v.id).kind, undefined, field)) };
			if (v.k === 'faddr' && s1.obj(v.obj).kind !== 'cell') return { s: s1, v: faddr(v.obj, fieldPath(s1.obj(v.obj).kind, v.field, field)) };
			const arrow = a.childForFieldName('operator')?.text === '->' || a.text.includes('->');
			return { s: s1, v: app(`&${arrow ? '->' : '.'}${field}`, [v]) };
		});
	}
	if (a.type === 'subscript_expression')
		return evalSeq(ctx, s, [a.childForFieldName('argument')!, a.childForFieldName('index')!]).map(({ s: s1, vs }) => ({ s: s1, v: add(vs[0]!, mul(vs[1]!, app('sizeof', [str('elem')]))) }));
	return evalExpr(ctx, s, a).map(({ s: s1, v }) => ({ s: s1, v: app('&', [v]) }));
}

function arith(op: string, a: Term, b: Term): Term {
	switch (op) {
		case '+': return add(a, b);
		case '-': return sub(a, b);
		case '*': return mul(a, b);
		default: return app(op, [a, b]);
	}
}

function binary(ctx: Ctx, s: State, n: Node): Forks {
	const op = n.childForFieldName('operator')!.text;
	if (op === '&&' || op === '||') return evalCond(ctx, s, n).map(([s1, v]) => ({ s: s1, v: v ? ONE : ZERO }));
	return evalSeq(ctx, s, [n.childForFieldName('left')!, n.childForFieldName('right')!]).map(({ s: s1, vs }) => {
		const [a, b] = vs as [Term, Term];
		if (['<', '<=', '>', '>=', '==', '!='].includes(op)) return { s: s1, v: flagCompare(ctx, op, a, b) ?? compare(op, a, b) };
		return { s: s1, v: arith(op, a, b) };
	});
}

/** Store v into the lvalue node. */
function assignTo(ctx: Ctx, s: State, lhs: Node, v: Term, line: number): State[] {
	const l = unparen(lhs);
	if (l.type === 'identifier') {
		if (s.has(l.text)) {
			s.assign(l.text, v);
			return [s];
		}
		s.emit({ k: 'store', target: sym(l.text), value: v, line, phase: s.phase });
		return [s];
	}
	if (l.type === 'field_expression') {
		const field = l.childForFieldName('field')!.text;
		// a member of a local struct: the local's cell keeps it
		const member = localPath(s, l);
		if (member) {
			const cell = s.cellOf(member.name) as { obj: number };
			s.set(cell.obj, member.path, v);
			return [s];
		}
		return evalExpr(ctx, s, l.childForFieldName('argument')!).map(({ s: s1, v: base }) => {
			if (base.k === 'obj') writeField(s1, base.id, fieldPath(s1.obj(base.id).kind, undefined, field), v, line);
			else if (base.k === 'faddr' && s1.obj(base.obj).kind !== 'cell') writeField(s1, base.obj, fieldPath(s1.obj(base.obj).kind, base.field, field), v, line);
			else {
				const arrow = l.childForFieldName('operator')?.text === '->' || l.text.includes('->');
				s1.emit({ k: 'store', target: app(`&${arrow ? '->' : '.'}${field}`, [base]), value: v, line, phase: s1.phase });
			}
			return s1;
		});
	}
	if (l.type === 'pointer_expression' && l.childForFieldName('operator')!.text === '*') {
		return evalExpr(ctx, s, l.childForFieldName('argument')!).map(({ s: s1, v: p }) => {
			if (p.k === 'faddr') writeField(s1, p.obj, p.field, v, line);
			else s1.emit({ k: 'store', target: p, value: v, line, phase: s1.phase });
			return s1;
		});
	}
	if (l.type === 'subscript_expression') {
		return evalSeq(ctx, s, [l.childForFieldName('argument')!, l.childForFieldName('index')!]).map(({ s: s1, vs }) => {
			s1.emit({ k: 'store', target: app('&[]', vs), value: v, line, phase: s1.phase });
			return s1;
		});
	}
	throw new NotModelled(`an assignment to ${l.text}`, line);
}
