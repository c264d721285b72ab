// P13: `vma->vm_page_prot` -> `desc->page_prot` (mutable, becomes the VMA's prot).
import { vmaField, type Rule } from '../../src/rewrite/rule.js';

export const pageProt: Rule = {
	id: 'P13',
	phrase: 'changes desc->page_prot instead of vma->vm_page_prot',
	rewrite(node, ctx) {
		if (vmaField(node, ctx) !== 'vm_page_prot') return undefined;
		return 'desc->page_prot';
	},
};
