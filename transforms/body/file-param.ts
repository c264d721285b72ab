// P3: the old `struct file *` parameter becomes desc->file, inline for a single
// read, or a local of the same name (declared by the engine) otherwise.
import type { Rule } from '../../src/rewrite/rule.js';

export const fileParam: Rule = {
	id: 'P3',
	phrase: 'takes the file from desc->file',
	rewrite(node, ctx) {
		if (node.type !== 'identifier' || !ctx.fileParam || node.text !== ctx.fileParam) return undefined;
		return ctx.fileUse;
	},
};
