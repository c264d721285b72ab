// vma->vm_file / vma->vm_mm reads -> desc->vm_file / desc->mm (same values at mmap time).
import { isAddressTaken, isWritten, vmaField, type Rule } from '../../src/rewrite/rule.js';

const MAP: Record<string, string> = { vm_file: 'desc->vm_file', vm_mm: 'desc->mm' };

export const vmaFileMm: Rule = {
	id: 'vm_file/vm_mm',
	rewrite(node, ctx) {
		const f = vmaField(node, ctx);
		if (!f || !(f in MAP)) return undefined;
		if (isWritten(node) || isAddressTaken(node))
			ctx.refuse(node, 'vm-file-changed', `${f} is changed here; only desc->vm_file = f (no fput) has a descriptor form: ${node.parent?.text}`);
		return MAP[f];
	},
};
