// P9d: other reads of the whole vma->vm_flags word. vm_get_page_prot(vma->vm_flags)
// -> vma_flags_to_page_prot(desc->vma_flags); any other read (a debug print, a
// value passed on) -> vma_flags_to_legacy(desc->vma_flags), the same vm_flags_t.
import { callArgs, callee, isAddressTaken, isWritten, vmaField, type Rule } from '../../src/rewrite/rule.js';

export const flagsWord: Rule = {
	id: 'P9d',
	requires: ['flagsToLegacy'],
	rewrite(node, ctx) {
		if (callee(node) === 'vm_get_page_prot') {
			const args = callArgs(node);
			if (args.length === 1 && vmaField(args[0]!, ctx) === 'vm_flags') return 'vma_flags_to_page_prot(desc->vma_flags)';
			return undefined;
		}
		if (vmaField(node, ctx) !== 'vm_flags') return undefined;
		if (isWritten(node) || isAddressTaken(node)) ctx.refuse(node, 'vm-flags-written', `vm_flags is changed directly: ${node.parent?.text}`);
		if (!ctx.api.flagsToLegacy) ctx.refuse(node, 'flags-word-read', `vm_flags is read as a word and this tree has no vma_flags_to_legacy(): ${node.parent?.text}`);
		return 'vma_flags_to_legacy(desc->vma_flags)';
	},
};
