// P5: `vma->vm_private_data = X` -> `desc->private_data = X` (write-only, starts NULL).
import { isWritten, vmaField, type Rule } from '../../src/rewrite/rule.js';

export const privateData: Rule = {
	id: 'P5',
	phrase: 'sets desc->private_data instead of vma->vm_private_data',
	rewrite(node, ctx) {
		if (vmaField(node, ctx) !== 'vm_private_data') return undefined;
		if (!isWritten(node) || node.parent?.childForFieldName('operator')?.text !== '=')
			ctx.refuse(node, 'write-only-field', `vm_private_data is write-only in vm_area_desc, but it is read here: ${node.parent?.text}`);
		return 'desc->private_data';
	},
};
