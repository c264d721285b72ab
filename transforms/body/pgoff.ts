// P12: `vma->vm_pgoff` -> `desc->pgoff` (mutable: it is written back to the VMA),
// and `vma_start_pgoff(vma)`, which is `return vma->vm_pgoff;` in 7.3 (mm.h:4417),
// -> `desc->pgoff` (a read; the core seeds it from the same offset:
// set_desc_from_map(), mm/vma.c:2528; compat_set_desc_from_vma(), mm/util.c:1191).
import { callArgs, callee, isAddressTaken, isVma, vmaField, type Rule } from '../../src/rewrite/rule.js';

export const pgoff: Rule = {
	id: 'P12',
	phrase: 'reads the page offset from desc->pgoff',
	rewrite(node, ctx) {
		if (callee(node) === 'vma_start_pgoff') {
			const args = callArgs(node);
			return args.length === 1 && isVma(args[0]!, ctx) ? 'desc->pgoff' : undefined;
		}
		if (vmaField(node, ctx) !== 'vm_pgoff') return undefined;
		if (isAddressTaken(node)) ctx.refuse(node, 'pgoff-address', `the address of vm_pgoff escapes: ${node.parent?.parent?.text}`);
		return 'desc->pgoff';
	},
};
