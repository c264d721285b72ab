// P1 in prototypes: a declaration of a converted hook takes the descriptor
// too. An f_op hook's (struct file *, struct vm_area_struct *) becomes
// (struct vm_area_desc *desc), or (struct vm_area_desc *) where the
// prototype leaves its parameters unnamed; a nested hook swaps only its vma
// parameter, its continuation lines follow the moved parenthesis and a
// line the longer name pushes past 100 columns is wrapped. Upstream dropped
// `extern` from the prototypes it rewrote (kernel-api.md §2.5).
import type { Node } from '../../src/c/parser.js';
import { ancestor, declaredName, displayWidth } from '../../src/c/node.js';
import { realign } from '../../src/c/style/align.js';
import { wrapParams } from '../../src/c/style/call.js';
import type { Edit } from '../../src/rewrite/edits.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';

/** A prototype of a converted hook: its parameters (and `extern`) follow the definition. */
export const prototypeInfo: RuleInfo = { id: 'prototype' };

/**
 * The edits of one prototype, whose parameter_list is params (src is its
 * file): the parameters, and `extern` dropped; undefined when the
 * parameters are not those of the hook (the caller refuses). delta is how
 * much longer the new name is.
 */
export function prototypeEdits(src: string, params: Node, nested: boolean, delta: number, newName: string): Edit[] | undefined {
	const out = prototypeParams(src, params, nested, delta, newName);
	if (!out) return undefined;
	const decl = ancestor(params, 'declaration');
	const ext = decl?.namedChildren.find((k) => k?.type === 'storage_class_specifier' && k.text === 'extern');
	if (ext) out.push({ start: ext.startIndex, end: src.slice(ext.endIndex).search(/\S/) + ext.endIndex, text: '' });
	return out;
}

/** Prototype parameters: (file, vma) -> (desc) for f_op hooks; only the vma one for nested hooks. */
function prototypeParams(src: string, params: Node, nested: boolean, delta: number, newName: string): Edit[] | undefined {
	const decls = params.namedChildren.filter((p): p is Node => !!p && p.type === 'parameter_declaration');
	const isVma = (p: Node) => /^(const\s+)?struct\s+vm_area_struct\s*\*/.test(p.text);
	const named = (p: Node) => !!declaredName(p.childForFieldName('declarator'));
	if (!nested) {
		if (decls.length !== 2 || !/^(const\s+)?struct\s+file\s*\*/.test(decls[0]!.text) || !isVma(decls[1]!)) return undefined;
		return [{ start: params.startIndex, end: params.endIndex, text: decls.every(named) ? '(struct vm_area_desc *desc)' : '(struct vm_area_desc *)' }];
	}
	const v = decls.filter(isVma);
	if (v.length !== 1) return undefined;
	const text = src.slice(params.startIndex, v[0]!.startIndex) + (named(v[0]!) ? 'struct vm_area_desc *desc' : 'struct vm_area_desc *') + src.slice(v[0]!.endIndex, params.endIndex);
	let out = realign(src, params.startIndex, text, delta);
	// The renamed prototype may pass 100 columns: wrap it (the name ends where the list starts).
	const name = params.parent?.childForFieldName('declarator');
	if (name) out = wrapParams(out, newName, displayWidth(src.slice(src.lastIndexOf('\n', name.startIndex - 1) + 1, name.startIndex)), ';');
	return [{ start: params.startIndex, end: params.endIndex, text: out }];
}
