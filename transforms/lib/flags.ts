// VM_* flag expressions and their VMA_*_BIT names (the 7.x vma_flags_t API).
import type { Node } from '../../src/c/parser.js';
import type { HookContext } from '../../src/rewrite/rule.js';
import { Refusal } from '../../src/rewrite/refusals.js';
import { formatCall } from '../../src/c/style/call.js';

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
		if (!m) throw new Refusal('flags-not-constant', `flags are not a constant OR of VM_* bits: ${n.text}`, ctx.line(n));
		if (!ctx.api.vmaBits.has(m[1]!))
			throw new Refusal('flag-not-init', `${n.text} is not always INIT_VM_FLAG(${m[1]}) in this tree (VM_NONE or an alias in some configurations, or no VMA_${m[1]}_BIT)`, ctx.line(n));
		out.push(m[1]!);
	};
	visit(expr);
	return out;
}

export const bit = (name: string) => `VMA_${name}_BIT`;

/** `helper(desc, VMA_A_BIT, VMA_B_BIT)`, wrapped kernel-style when the line would pass 100 columns. */
export function flagCall(helper: string, names: string[], column: number): string {
	return formatCall(helper, ['desc', ...names.map(bit)], column);
}
