// P11: `vma_pages(vma)` -> `vma_desc_pages(desc)`.
import { callArgs, callee, isVma, type Rule } from '../../src/rewrite/rule.js';

export const vmaPages: Rule = {
	id: 'P11',
	phrase: 'counts pages with vma_desc_pages() instead of vma_pages()',
	rewrite(node, ctx) {
		if (callee(node) !== 'vma_pages') return undefined;
		const args = callArgs(node);
		if (args.length !== 1 || !isVma(args[0]!, ctx)) return undefined;
		return 'vma_desc_pages(desc)';
	},
};
