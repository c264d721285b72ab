// Finding things in the parsed files of one side: a function definition by
// name and the initialiser of a static vm_operations_struct (for its .close
// and .mapped).
import type { Node } from '../parser.js';
import type { Unit } from './context.js';

const kids = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');

function declName(d: Node | null): string | undefined {
	let x = d;
	while (x) {
		if (x.type === 'identifier') return x.text;
		x = x.childForFieldName('declarator') ?? (x.type === 'parenthesized_declarator' ? kids(x)[0] ?? null : null);
	}
	return undefined;
}

/** Top-level definitions, including those inside #if/#ifdef blocks. */
function* topLevel(n: Node): Generator<Node> {
	for (const c of kids(n)) {
		if (/^preproc_(if|ifdef|else|elif|elifdef)$/.test(c.type)) yield* topLevel(c);
		else yield c;
	}
}

const fnCache = new WeakMap<Node, Map<string, Node[]>>();
function functionsOf(u: Unit): Map<string, Node[]> {
	let m = fnCache.get(u.root);
	if (!m) {
		m = new Map();
		for (const c of topLevel(u.root)) if (c.type === 'function_definition') {
			const name = declName(c.childForFieldName('declarator'));
			if (name) m.set(name, [...(m.get(name) ?? []), c]);
		}
		fnCache.set(u.root, m);
	}
	return m;
}

/** Every definition of name in the first file that has one (several under #if/#else). */
export function findFunctions(units: Unit[], name: string): { unit: Unit; fns: Node[] } | undefined {
	for (const unit of units) {
		const fns = functionsOf(unit).get(name);
		if (fns) return { unit, fns };
	}
	return undefined;
}

/**
 * The definition of name, when it has exactly one: a function defined twice
 * (one per configuration) is not one body to run in place.
 */
export function findFunction(units: Unit[], name: string): { unit: Unit; fn: Node } | undefined {
	const found = findFunctions(units, name);
	return found && found.fns.length === 1 ? { unit: found.unit, fn: found.fns[0]! } : undefined;
}

/**
 * The designated initialiser fields of a top-level `struct vm_operations_struct
 * NAME = { ... }` of these files; an empty map for a static tentative
 * definition without one (all members NULL); undefined when not defined here.
 */
export function vmOpsInitialiser(units: Unit[], name: string): Map<string, string> | undefined {
	let tentative = false;
	for (const u of units)
		for (const c of topLevel(u.root)) {
			if (c.type !== 'declaration' || !/\bvm_operations_struct\b/.test(c.childForFieldName('type')?.text ?? '')) continue;
			const isStatic = c.children.some((k) => k?.type === 'storage_class_specifier' && k.text === 'static');
			for (const d of kids(c)) {
				if (d.type === 'identifier' && d.text === name && isStatic) tentative = true;
				if (d.type !== 'init_declarator' || declName(d.childForFieldName('declarator')) !== name) continue;
				const list = d.childForFieldName('value');
				const out = new Map<string, string>();
				for (const p of list ? kids(list) : []) {
					if (p.type !== 'initializer_pair') continue;
					const field = p.childForFieldName('designator')?.text.replace(/^\./, '') ?? kids(p)[0]?.text.replace(/^\./, '');
					const value = p.childForFieldName('value')?.text;
					if (field && value) out.set(field, value);
				}
				return out;
			}
		}
	return tentative ? new Map() : undefined;
}
