// P4: `vma->vm_ops = X` -> `desc->vm_ops = X`. vm_ops is write-only in a descriptor.
import { isWritten, vmaField, type Rule } from '../../src/rewrite/rule.js';

export const vmOps: Rule = {
	id: 'P4',
	phrase: 'sets desc->vm_ops instead of vma->vm_ops',
	rewrite(node, ctx) {
		if (vmaField(node, ctx) !== 'vm_ops') return undefined;
		if (!isWritten(node) || node.parent?.type !== 'assignment_expression' || node.parent.childForFieldName('operator')?.text !== '=')
			ctx.refuse(node, 'write-only-field', `vm_ops is write-only in vm_area_desc, but it is read here: ${node.parent?.text}`);
		return 'desc->vm_ops';
	},
};
