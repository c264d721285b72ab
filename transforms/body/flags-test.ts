// P9: tests of vma->vm_flags -> vma_desc_test*(). Only in a boolean context, where
// "non-zero" and "true" mean the same; comparisons of the masked word are
// translated exactly: == 0, != 0, == mask, != mask, == subset.
import { flagNames, bit } from '../lib/flags.js';
import type { Node } from '../../src/c/parser.js';
import { unparen, vmaField, type HookContext, type Rule } from '../../src/rewrite/rule.js';

/** `vma->vm_flags & MASK` -> the mask's flag names. */
function maskedFlags(node: Node | null, ctx: HookContext): string[] | undefined {
	const n = unparen(node);
	if (n?.type !== 'binary_expression' || n.childForFieldName('operator')?.text !== '&') return undefined;
	const l = unparen(n.childForFieldName('left'));
	const r = unparen(n.childForFieldName('right'));
	if (vmaField(l, ctx) === 'vm_flags') return flagNames(r!, ctx);
	if (vmaField(r, ctx) === 'vm_flags') return flagNames(l!, ctx);
	return undefined;
}

const any = (names: string[]) =>
	names.length === 1 ? `vma_desc_test(desc, ${bit(names[0]!)})` : `vma_desc_test_any(desc, ${names.map(bit).join(', ')})`;
const all = (names: string[]) =>
	names.length === 1 ? `vma_desc_test(desc, ${bit(names[0]!)})` : `vma_desc_test_all(desc, ${names.map(bit).join(', ')})`;

/** Is the value of node only used for its truth? */
function booleanContext(node: Node): boolean {
	let n = node;
	while (n.parent?.type === 'parenthesized_expression') n = n.parent;
	const p = n.parent;
	if (!p) return false;
	switch (p.type) {
		case 'if_statement':
		case 'while_statement':
		case 'do_statement':
			return p.childForFieldName('condition')?.id === n.id;
		case 'for_statement':
			return p.childForFieldName('condition')?.id === n.id;
		case 'conditional_expression':
			return p.childForFieldName('condition')?.id === n.id;
		case 'unary_expression':
			return p.childForFieldName('operator')?.text === '!';
		case 'binary_expression':
			return ['&&', '||'].includes(p.childForFieldName('operator')?.text ?? '');
		case 'init_declarator': {
			// `bool rw = vma->vm_flags & VM_WRITE;` converts the value to bool anyway.
			const t = p.parent?.childForFieldName('type')?.text;
			return p.childForFieldName('value')?.id === n.id && (t === 'bool' || t === '_Bool');
		}
		default:
			return false;
	}
}

/** Parentheses a statement needs (if (...)) must stay; others around a call can go. */
function statementParens(node: Node): boolean {
	const p = node.parent;
	return !!p && ['if_statement', 'while_statement', 'do_statement', 'switch_statement'].includes(p.type);
}

export const flagsTest: Rule = {
	id: 'P9',
	phrase: 'tests VMA flags with the vma_desc_test*() helpers instead of reading vma->vm_flags',
	requires: ['vmaBits'],
	rewrite(node, ctx) {
		// Redundant parentheses around a converted test are dropped: `!(x & VM_A)` -> `!vma_desc_test(...)`.
		if (node.type === 'parenthesized_expression' && !statementParens(node)) {
			const inner = unparen(node);
			if (inner && inner !== node && (inner.type === 'binary_expression') && (maskedFlags(inner, ctx) || comparison(inner, ctx)))
				return this.rewrite!(inner, ctx);
			return undefined;
		}
		if (node.type !== 'binary_expression') return undefined;
		const all2 = testAll(node, ctx);
		if (all2) return all2;
		const cmp = comparison(node, ctx);
		if (cmp) return cmp;
		const names = maskedFlags(node, ctx);
		if (!names) return undefined;
		if (!booleanContext(node)) ctx.refuse(node, 'flags-value-used', `the value of a vm_flags mask is used, not only its truth: ${node.parent?.text}`);
		return any(names);
	},
};

/** `(vma->vm_flags & MASK) ==/!= VALUE` with VALUE 0, MASK or a subset of MASK. */
function comparison(node: Node, ctx: HookContext): string | undefined {
	const op = node.childForFieldName('operator')?.text;
	if (op !== '==' && op !== '!=') return undefined;
	let mask = maskedFlags(node.childForFieldName('left'), ctx);
	let value = unparen(node.childForFieldName('right'));
	if (!mask) {
		mask = maskedFlags(node.childForFieldName('right'), ctx);
		value = unparen(node.childForFieldName('left'));
	}
	if (!mask || !value) return undefined;
	const not = op === '!=' ? '!' : '';
	if (value.type === 'number_literal' && /^0[uUlL]*$/.test(value.text)) return op === '==' ? `!${any(mask)}` : any(mask);
	const vals = flagNames(value, ctx);
	if (vals.some((v) => !mask.includes(v))) ctx.refuse(node, 'flags-never-true', `comparison can never hold as written: ${node.text}`);
	const rest = mask.filter((m) => !vals.includes(m));
	if (rest.length === 0) return `${not}${all(vals)}`;
	const both = `${all(vals)} && !${any(rest)}`;
	if (op !== '==') return `!(${both})`;
	// Alone in an if/while condition's parentheses, the && needs no more of its own.
	const p = node.parent;
	return p?.type === 'parenthesized_expression' && /_statement$/.test(p.parent?.type ?? '') ? both : `(${both})`;
}

/** `(f & VM_A) && (f & VM_B) && ...` (single bits, no negation) -> vma_desc_test_all(desc, A, B, ...). */
function testAll(node: Node, ctx: HookContext): string | undefined {
	if (node.childForFieldName('operator')?.text !== '&&') return undefined;
	const names: string[] = [];
	const visit = (n: Node | null): boolean => {
		const u = unparen(n);
		if (u?.type === 'binary_expression' && u.childForFieldName('operator')?.text === '&&')
			return visit(u.childForFieldName('left')) && visit(u.childForFieldName('right'));
		const m = u ? maskedFlags(u, ctx) : undefined;
		if (!m || m.length !== 1) return false;
		names.push(m[0]!);
		return true;
	};
	if (!visit(node) || names.length < 2) return undefined;
	return all(names);
}
