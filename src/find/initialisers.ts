// The struct an initialiser list initialises.
import type { Node } from '../c/parser.js';
import type { StructScope } from './typing.js';

/** The struct an initializer list initialises, following nested designators. */
export function initialiserType(list: Node, scope: StructScope): string | undefined {
	const p = list.parent;
	if (!p) return undefined;
	if (p.type === 'init_declarator') {
		const decl = p.parent;
		const t = decl?.childForFieldName('type');
		if (t?.type === 'struct_specifier') return t.childForFieldName('name')?.text;
		if (t?.type === 'type_identifier') return t.text;
		return undefined;
	}
	if (p.type === 'compound_literal_expression') {
		const t = p.childForFieldName('type')?.childForFieldName('type') ?? p.childForFieldName('type');
		return t?.type === 'struct_specifier' ? t.childForFieldName('name')?.text : t?.text;
	}
	if (p.type === 'initializer_pair') {
		const outer = p.parent?.type === 'initializer_list' ? initialiserType(p.parent, scope) : undefined;
		const member = p.childForFieldName('designator')?.namedChildren[0]?.text ?? p.namedChildren[0]?.namedChildren[0]?.text;
		return outer && member ? scope.field(outer, member)?.type.name : undefined;
	}
	if (p.type === 'initializer_list') return initialiserType(p, scope); // array of structs
	return undefined;
}
