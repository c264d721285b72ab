// P17: generic_file_mmap(file, vma) / generic_file_readonly_mmap(file, vma) in a body
// -> generic_file_mmap_prepare(desc) / generic_file_readonly_mmap_prepare(desc).
import { callArgs, callee, isVma, type Rule } from '../../src/rewrite/rule.js';
import { GENERIC_HOOKS as MAP } from '../site/naming.js';

export const genericFile: Rule = {
	id: 'P17',
	phrase: 'calls the generic_file_*mmap_prepare() helper instead of its VMA-based counterpart',
	requires: ['genericPrepare'],
	rewrite(node, ctx) {
		const name = callee(node);
		if (!name || !(name in MAP)) return undefined;
		const args = callArgs(node);
		if (args.length !== 2 || !isVma(args[1]!, ctx)) return undefined;
		if (!ctx.api.genericPrepare) ctx.refuse(node, 'api-missing', `this tree has no ${MAP[name]}()`);
		if (args[0]!.text !== ctx.fileParam)
			ctx.refuse(node, 'generic-file-other-file', `${name}() is called on another file (${args[0]!.text}) than the one being mapped`);
		return `${MAP[name]}(desc)`;
	},
};
