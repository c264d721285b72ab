// P1: the signature takes the descriptor instead of (file, vma); a nested hook
// only swaps its vma parameter (continuation lines are aligned to the moved
// parenthesis; a longer name that pushes the line past 100 columns wraps it).
// P3: a file parameter used more than once or written is kept as a local
// `struct file *file = desc->file;`, the first declaration, as upstream did.
import type { Node } from '../../src/c/parser.js';
import { declaredName, displayWidth } from '../../src/c/node.js';
import { alignToParen, realign } from '../../src/c/style/align.js';
import { wrapParams } from '../../src/c/style/call.js';
import type { Edit } from '../../src/rewrite/edits.js';
import type { RuleInfo, SignatureRule } from '../../src/rewrite/rule.js';

/** The report lists P1 for every conversion; P3 (the file) is the body rule file-param's id. */
export const signatureInfo: RuleInfo = { id: 'P1' };

export const signature: SignatureRule = {
	params(source, fd, vmaParam, nested, newName) {
		const plist = fd.childForFieldName('parameters')!;
		if (!nested) return { start: plist.startIndex, end: plist.endIndex, text: '(struct vm_area_desc *desc)' };
		const text = source.slice(plist.startIndex, vmaParam.startIndex) + 'struct vm_area_desc *desc' + source.slice(vmaParam.endIndex, plist.endIndex);
		const nameNode = declaredName(fd.childForFieldName('declarator'));
		const delta = newName ? newName.length - (nameNode?.text.length ?? newName.length) : 0;
		// The list is rewritten: its continuation lines align to the (moved) parenthesis.
		let params = alignToParen(source, plist.startIndex, text, delta) ?? realign(source, plist.startIndex, text, delta);
		if (nameNode && newName) params = wrapParams(params, newName, displayWidth(source.slice(source.lastIndexOf('\n', nameNode.startIndex - 1) + 1, nameNode.startIndex)), '');
		return { start: plist.startIndex, end: plist.endIndex, text: params };
	},
	fileLocal(source, body, fileParam, fileParamNode) {
		const first = body.namedChildren.find((n): n is Node => !!n && n.type !== 'comment');
		const indent = first ? lineIndentAt(source, first.startIndex) : '\t';
		const at = source.indexOf('\n', body.startIndex) + 1;
		const gap = first?.type === 'declaration' ? '' : '\n';
		// Written afresh in kernel style (`struct file *file`), whatever the parameter looked like.
		const constq = /^\s*const\b/.test(fileParamNode.text) ? 'const ' : '';
		return { start: at, end: at, text: `${indent}${constq}struct file *${fileParam} = desc->file;\n${gap}` } satisfies Edit;
	},
};

function lineIndentAt(source: string, index: number): string {
	const bol = source.lastIndexOf('\n', index - 1) + 1;
	return /^[ \t]*/.exec(source.slice(bol))![0] || '\t';
}
