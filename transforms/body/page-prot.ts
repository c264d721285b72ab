// P13: `vma->vm_page_prot` -> `desc->page_prot` (mutable, becomes the VMA's prot).
import { vmaField, type Rule } from '../../src/rewrite/rule.js';

export const pageProt: Rule = {
	id: 'P13',
	describe: 'read and write the page protection through the descriptor',
	rewrite(node, ctx) {
		if (vmaField(node, ctx) !== 'vm_page_prot') return undefined;
		return 'desc->page_prot';
	},
};
