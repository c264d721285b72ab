// Small helpers over tree-sitter C nodes, shared by the index and the transforms.
import type { Node } from './parser.js';

/** The identifier a declarator declares (through pointers, arrays, parens, calls). */
export function declaredName(decl: Node | null): Node | null {
	let d = decl;
	while (d) {
		if (d.type === 'identifier' || d.type === 'field_identifier' || d.type === 'type_identifier') return d;
		d = d.childForFieldName('declarator') ?? (d.type === 'parenthesized_declarator' ? d.namedChildren[0] ?? null : null);
	}
	return null;
}

/** The function_declarator inside a declarator chain, if any. */
export function functionDeclarator(decl: Node | null): Node | null {
	let d = decl;
	while (d) {
		if (d.type === 'function_declarator') return d;
		d = d.childForFieldName('declarator') ?? (d.type === 'parenthesized_declarator' ? d.namedChildren[0] ?? null : null);
	}
	return null;
}

export interface Param {
	node: Node;
	/** e.g. "struct file", "struct vm_area_struct" */
	type: string;
	pointer: boolean;
	name?: string;
}

export function parameters(fnDecl: Node): Param[] {
	const list = fnDecl.childForFieldName('parameters');
	if (!list) return [];
	return list.namedChildren
		.filter((p): p is Node => !!p && p.type === 'parameter_declaration')
		.map((p) => {
			const type = p.childForFieldName('type');
			const decl = p.childForFieldName('declarator');
			const name = declaredName(decl);
			return {
				node: p,
				type: (type?.text ?? '').replace(/\s+/g, ' '),
				pointer: !!decl && /^(abstract_)?pointer_declarator$/.test(decl.type),
				name: name?.text,
			};
		});
}

export function hasStorageClass(node: Node, word: string): boolean {
	return node.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === word);
}

/** Nearest ancestor (inclusive) of one of the given types. */
export function ancestor(node: Node | null, ...types: string[]): Node | null {
	for (let n = node; n; n = n.parent) if (types.includes(n.type)) return n;
	return null;
}

export function isInside(inner: Node, outer: Node): boolean {
	return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** Leading whitespace of the line that holds index. */
export function lineIndent(source: string, index: number): string {
	const bol = source.lastIndexOf('\n', index - 1) + 1;
	return /^[ \t]*/.exec(source.slice(bol))![0];
}

/** Display column (tabs of 8) reached after text that starts at column 0. */
export function displayWidth(text: string): number {
	let col = 0;
	for (const ch of text) col = ch === '\t' ? (col + 8) & ~7 : col + 1;
	return col;
}
