// VM_* flag expressions and their VMA_*_BIT names (the 7.x vma_flags_t API).
import type { Node } from './parser.js';
import { Refusal, type HookContext } from './rule.js';

/**
 * The VM_X constants OR-ed together in expr, e.g. `VM_IO | VM_PFNMAP` -> [IO, PFNMAP].
 * Refuses anything that is not a constant flag the tree declares a VMA_X_BIT for.
 */
export function flagNames(expr: Node, ctx: HookContext): string[] {
	const out: string[] = [];
	const visit = (n: Node) => {
		if (n.type === 'parenthesized_expression' && n.namedChildren.length === 1) return visit(n.namedChildren[0]!);
		if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '|') {
			visit(n.childForFieldName('left')!);
			visit(n.childForFieldName('right')!);
			return;
		}
		const m = n.type === 'identifier' ? /^VM_(\w+)$/.exec(n.text) : null;
		if (!m) throw new Refusal(`flags are not a constant OR of VM_* bits: ${n.text}`, ctx.line(n));
		if (!ctx.api.vmaBits.has(m[1]!)) throw new Refusal(`${n.text} has no single VMA_${m[1]}_BIT in this tree`, ctx.line(n));
		out.push(m[1]!);
	};
	visit(expr);
	return out;
}

export const bit = (name: string) => `VMA_${name}_BIT`;

/** `helper(desc, VMA_A_BIT, VMA_B_BIT)`, wrapped kernel-style when the line would pass 100 columns. */
export function flagCall(helper: string, names: string[], indentWidth: number, prefixWidth = 0): string {
	const args = ['desc', ...names.map(bit)];
	const one = `${helper}(${args.join(', ')})`;
	if (indentWidth + prefixWidth + one.length + 1 <= 100) return one;
	// Continuation lines align with the opening parenthesis (tabs, then spaces).
	const col = indentWidth + prefixWidth + helper.length + 1;
	const pad = '\t'.repeat(Math.floor(col / 8)) + ' '.repeat(col % 8);
	const lines: string[] = [];
	let cur = `${helper}(${args[0]},`;
	for (let i = 1; i < args.length; i++) {
		const piece = args[i] + (i === args.length - 1 ? ')' : ',');
		const curWidth = (lines.length ? col : indentWidth + prefixWidth) + cur.length;
		if (curWidth + 1 + piece.length + (i === args.length - 1 ? 1 : 0) > 100) {
			lines.push(cur);
			cur = piece;
		} else cur += ` ${piece}`;
	}
	lines.push(cur);
	return lines.join(`\n${pad}`);
}
