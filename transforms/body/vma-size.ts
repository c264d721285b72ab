// P10: `vma->vm_end - vma->vm_start` -> `vma_desc_size(desc)`; start/end reads -> desc->start/end.
import { isAddressTaken, isWritten, unparen, vmaField, type Rule } from '../../src/rewrite/rule.js';

export const vmaSize: Rule = {
	id: 'P10',
	phrase: 'takes the mapping size and range from vma_desc_size(), desc->start and desc->end',
	rewrite(node, ctx) {
		// `(vma->vm_end - vma->vm_start)`: the call needs no parentheses of its own
		// (unless they are a statement's, as in `if (...)`).
		if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1 && !/_statement$/.test(node.parent?.type ?? '')) {
			const inner = node.namedChildren[0]!;
			if (inner.type === 'binary_expression' && vmaSize.rewrite!(inner, ctx) === 'vma_desc_size(desc)') return 'vma_desc_size(desc)';
			return undefined;
		}
		if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '-') {
			if (vmaField(unparen(node.childForFieldName('left')), ctx) === 'vm_end' && vmaField(unparen(node.childForFieldName('right')), ctx) === 'vm_start')
				return 'vma_desc_size(desc)';
			return undefined;
		}
		const f = vmaField(node, ctx);
		if (f !== 'vm_start' && f !== 'vm_end') return undefined;
		if (isWritten(node) || isAddressTaken(node)) ctx.refuse(node, 'vma-bounds-written', `${f} of the new mapping cannot be changed: ${node.parent?.text}`);
		return f === 'vm_start' ? 'desc->start' : 'desc->end';
	},
};
