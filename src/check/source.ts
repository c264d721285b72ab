// Finding things in the parsed files of one side: a function definition by
// name and the initialiser of a static vm_operations_struct (for its .close
// and .mapped).
import { parseC, topLevelItems, toRanges, type Node, type Tree } from '../c/parser.js';

const kids = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');

/** The identifier a declarator declares (through pointers, arrays, parentheses). */
export function declName(d: Node | null): string | undefined {
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
		if (/^(preproc_(if|ifdef|else|elif|elifdef)|ERROR)$/.test(c.type)) yield* topLevel(c);
		else yield c;
	}
}

/**
 * One file of one side, parsed piece by piece: only the top-level items that
 * can hold what is asked for (a definition of a name, a vm_operations_struct
 * initialiser) are parsed, each on its own (positions stay the file's).
 */
export class Unit {
	private items?: Array<[number, number]>;
	private readonly parsed = new Map<number, Node>();
	private readonly trees: Tree[] = [];
	private readonly fns = new Map<string, Node[]>();
	constructor(
		/** a name for messages (the file's path) */
		readonly label: string,
		readonly src: string,
	) {}

	/** The roots of the items whose text matches re. */
	roots(re: RegExp): Node[] {
		this.items ??= topLevelItems(this.src);
		const out: Node[] = [];
		this.items.forEach(([a, b], i) => {
			re.lastIndex = 0;
			if (!re.test(this.src.slice(a, b))) return;
			let root = this.parsed.get(i);
			if (!root) {
				const tree = parseC(this.src, toRanges(this.src, [[a, b]]));
				this.trees.push(tree);
				this.parsed.set(i, (root = tree.rootNode));
			}
			out.push(root);
		});
		return out;
	}

	/** The definitions of name in this file, in order. */
	functions(name: string): Node[] {
		let fs = this.fns.get(name);
		if (!fs) {
			fs = [];
			for (const r of this.roots(new RegExp(`\\b${name}\\s*\\(`)))
				for (const c of topLevel(r)) if (c.type === 'function_definition' && declName(c.childForFieldName('declarator')) === name) fs.push(c);
			this.fns.set(name, fs);
		}
		return fs;
	}

	/** Free the parse trees (wasm memory is not garbage collected). */
	dispose(): void {
		for (const t of this.trees) t.delete();
		this.trees.length = 0;
		this.parsed.clear();
		this.fns.clear();
	}
}

/** Every definition of name in the first file that has one (several under #if/#else). */
export function findFunctions(units: Unit[], name: string): { unit: Unit; fns: Node[] } | undefined {
	for (const unit of units) {
		const fns = unit.functions(name);
		if (fns.length) return { unit, fns };
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
		for (const c of u.roots(new RegExp(`\\b${name}\\b`)).flatMap((r) => [...topLevel(r)])) {
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
