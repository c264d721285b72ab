// P12: `vma->vm_pgoff` -> `desc->pgoff` (mutable: it is written back to the VMA).
import { isAddressTaken, vmaField, type Rule } from '../../src/rewrite/rule.js';

export const pgoff: Rule = {
	id: 'P12',
	phrase: 'reads the page offset from desc->pgoff',
	rewrite(node, ctx) {
		if (vmaField(node, ctx) !== 'vm_pgoff') return undefined;
		if (isAddressTaken(node)) ctx.refuse(node, 'pgoff-address', `the address of vm_pgoff escapes: ${node.parent?.parent?.text}`);
		return 'desc->pgoff';
	},
};
