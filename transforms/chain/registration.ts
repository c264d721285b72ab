// A registration function of a chain (one that stores its function-pointer
// parameter into the field, like hv_create_ring_sysfs()) keeps its name; its
// parameter follows the field: the pointer takes the descriptor, a parameter
// named *mmap* takes the _prepare infix (hv_mmap_ring_buffer ->
// hv_mmap_prepare_ring_buffer), the body's uses of it and its kernel-doc
// `@param:` paragraph follow (kernel-api.md §2.5: "pointer to vm_area_desc,
// used for mmap_prepare").
import type { Node } from '../../src/c/parser.js';
import { realign } from '../../src/c/style/align.js';
import type { Edit } from '../../src/rewrite/edits.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';
import { preparedFieldName } from '../site/naming.js';

/** A registration function's parameter follows the field (its edits report as chain and kernel-doc). */
export const registrationInfo: RuleInfo = { id: 'registration' };

/** The parameter's new name. */
export function registrationParamName(paramName: string): string {
	return /mmap/.test(paramName) ? preparedFieldName(paramName) : paramName;
}

/**
 * The edits for one declaration or definition of the registration function in
 * src: p is the parameter_declaration, def the function_definition (null for a
 * prototype). undefined when the parameter does not take a vma (the caller refuses).
 */
export function registrationEdits(src: string, p: Node, def: Node | null, paramName: string): Array<{ edit: Edit; rule?: string }> | undefined {
	const newParam = registrationParamName(paramName);
	const renamed = p.text
		.replace(new RegExp(`\\(\\s*\\*\\s*${paramName}\\s*\\)`), `(*${newParam})`)
		.replace(/(const\s+)?struct\s+vm_area_struct\s*\*\s*(\w*)/, (_, _c, n: string) => (n ? 'struct vm_area_desc *desc' : 'struct vm_area_desc *'));
	const innerParen = p.startIndex + p.text.indexOf('(', p.text.indexOf(paramName));
	const text = realign(src, innerParen, renamed, newParam.length - paramName.length);
	if (text === p.text) return undefined;
	const out: Array<{ edit: Edit; rule?: string }> = [{ edit: { start: p.startIndex, end: p.endIndex, text }, rule: 'chain' }];
	if (!def || newParam === paramName) return out;
	const body = def.childForFieldName('body')!;
	for (const u of body.text.matchAll(new RegExp(`\\b${paramName}\\b`, 'g')))
		out.push({ edit: { start: body.startIndex + u.index!, end: body.startIndex + u.index! + paramName.length, text: newParam } });
	// kernel-doc: @param: ... vm_area_struct ...
	const docEnd = src.lastIndexOf('*/', def.startIndex);
	const docStart = src.lastIndexOf('/**', def.startIndex);
	if (docStart >= 0 && docEnd > docStart && src.slice(docEnd + 2, def.startIndex).trim() === '') {
		const doc = src.slice(docStart, docEnd);
		const pm = new RegExp(`@${paramName}\\b`).exec(doc);
		if (pm) {
			// The description runs until the next @param, a blank doc line or the end.
			const rest = doc.slice(pm.index);
			const stop = rest.search(/\n\s*\*\s*(@|\n|$)/);
			const para = stop < 0 ? rest : rest.slice(0, stop);
			const next = para
				.replace(new RegExp(`\\b${paramName}\\b`, 'g'), newParam)
				.replace(/\bstruct vm_area_struct \*vma\b/g, 'struct vm_area_desc *desc')
				.replace(/vm_area_struct/g, 'vm_area_desc')
				.replace(/\bused for mmap\b(?!_)/g, 'used for mmap_prepare');
			out.push({ edit: { start: docStart + pm.index, end: docStart + pm.index + para.length, text: next }, rule: 'kernel-doc' });
		}
	}
	return out;
}
