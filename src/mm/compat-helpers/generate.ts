// Generating the three functions (compat_set_desc_from_vma(),
// __compat_vma_mmap(), compat_vma_mmap()) from the parsed single function,
// with their kernel-doc, laid out within 80 columns.
import type { Single } from './parse.js';
import { CompatHelpersError, NEW_SET_VMA, OLD_SET_VMA } from './shared.js';

export interface Generated {
	setDescHead: string[];
	setDescBody: string;
	compatHead: string[];
	compatBody: string;
	vmaHead: string[];
	vmaBody: string;
	exportMacro: string;
	/** compat_vma_mmap()'s parameters, with the tree's names */
	compatParams: string[];
}

const TAB = 8;
const width = (s: string) => [...s].reduce((w, c) => (c === '\t' ? w + TAB - (w % TAB) : w + 1), 0);

/** Indentation reaching column col with tabs then spaces. */
const indentTo = (col: number) => '\t'.repeat(Math.floor(col / TAB)) + ' '.repeat(col % TAB);

/** `prefix(p1, p2, ...)suffix`, parameters filled greedily within 80 columns, aligned with the "(". */
export function layoutSignature(prefix: string, params: string[], suffix: string, max = 80): string {
	const lines: string[] = [];
	let cur = `${prefix}(`;
	const col = width(cur);
	params.forEach((p, i) => {
		const piece = p + (i === params.length - 1 ? `)${suffix}` : ',');
		const sep = cur.endsWith('(') ? '' : ' ';
		if (!cur.endsWith('(') && width(cur + sep + piece) > max) {
			lines.push(cur);
			cur = indentTo(col) + piece;
		} else cur += sep + piece;
	});
	lines.push(cur);
	return lines.join('\n');
}

export const SET_DESC_PARAMS = ['struct vm_area_desc *desc', 'const struct file *file', 'const struct vm_area_struct *vma'];
export const VMA_PARAMS = ['struct vm_area_desc *desc', 'struct vm_area_struct *vma'];

export function generate(s: Single): Generated {
	// an identifier, not a member name after "." or "->"
	const id = (name: string, tail = '') => new RegExp(`(?<!(?:\\.|->)\\s*)\\b${name}\\b${tail}`, 'g');
	// --- compat_set_desc_from_vma(): zero, then the initialiser's fields one by one
	const lines: string[] = ['\tmemset(desc, 0, sizeof(*desc));'];
	for (const f of s.fields) {
		if (id(s.D).test(f.expr)) throw new CompatHelpersError('shape', `the initialiser of ${s.D}.${f.path.join('.')} refers to ${s.D} itself`);
		let expr = f.expr.trim() === s.F ? '(struct file *)file' : f.expr.replace(id(s.F), 'file');
		if (s.V !== 'vma') expr = expr.replace(id(s.V), 'vma');
		if (f.blankBefore || lines.length === 1) lines.push('');
		for (const c of f.comments) lines.push(`\t${c.startsWith('//') ? c : c.replace(/\n\s*/g, ' ')}`);
		lines.push(`\tdesc->${f.path.join('.')} = ${expr};`);
	}
	const setDescBody = `{\n${lines.join('\n')}\n}\n`;

	// --- __compat_vma_mmap(): what the single function did after the hook
	const tr = (t: string) => {
		let x = t;
		if (s.A) x = x.replace(id(s.A, '\\s*->\\s*'), 'desc->action.').replace(id(s.A), '&desc->action');
		x = x
			.replace(new RegExp(`&\\s*${s.D}\\s*\\.\\s*`, 'g'), '&desc->')
			.replace(new RegExp(`&\\s*${s.D}\\b(?!\\s*(?:\\.|->))`, 'g'), 'desc')
			.replace(id(s.D, '\\s*\\.\\s*'), 'desc->');
		if (s.V !== 'vma') x = x.replace(id(s.V), 'vma');
		return x.replace(new RegExp(`\\b${OLD_SET_VMA}\\b`, 'g'), NEW_SET_VMA);
	};
	const vb: string[] = [];
	if (s.prepare?.check) vb.push(`\tint ${s.E};`, '');
	if (s.prepare) {
		vb.push(`\t${tr(s.prepare.call)}`);
		if (s.prepare.check) vb.push(`\t${s.prepare.check}`);
		vb.push('');
	}
	vb.push(`\t${tr(s.setVma)}`, `\t${tr(s.complete)}`);
	const vmaBody = `{\n${vb.join('\n')}\n}\n`;

	// --- compat_vma_mmap(): fill, call the hook, apply
	const cb: string[] = [`\tstruct vm_area_desc ${s.D};`];
	if (s.hide?.viaAction) cb.push(`\tstruct mmap_action *${s.A};`);
	cb.push(`\tint ${s.E};`, '', `\tcompat_set_desc_from_vma(&${s.D}, ${s.F}, ${s.V});`, `\t${s.hookCall}`, `\t${s.hookCheck}`);
	if (s.hide) {
		if (s.hide.viaAction) cb.push(`\t${s.A} = &${s.D}.action;`);
		cb.push('');
		for (const c of s.hide.lead) cb.push(`\t${c}`);
		cb.push(`\t${s.hide.text}`);
	}
	cb.push('', `\treturn __compat_vma_mmap(&${s.D}, ${s.V});`);
	const compatBody = `{\n${cb.join('\n')}\n}\n`;

	return {
		setDescHead: ['void', 'compat_set_desc_from_vma'],
		setDescBody,
		vmaHead: ['int', '__compat_vma_mmap'],
		vmaBody,
		compatHead: ['int', 'compat_vma_mmap'],
		compatBody,
		exportMacro: s.exportMacro,
		compatParams: [`struct file *${s.F}`, `struct vm_area_struct *${s.V}`],
	};
}

const SET_DESC_DOC = `/**
 * compat_set_desc_from_vma() - Fill a VMA descriptor from an existing VMA.
 * @desc: The descriptor to fill.
 * @file: The file being mmap()'d. It becomes @desc->file and may differ from
 *        @vma->vm_file in stacked callers.
 * @vma: The VMA whose state is copied into @desc.
 *
 * For an mmap() hook that holds a VMA and must call a nested hook taking a
 * struct vm_area_desc: zeroes @desc, then gives it the VMA's state, with no
 * action requested. Run the nested hook on @desc, then apply the result to
 * @vma with __compat_vma_mmap().
 *
 * Like compat_vma_mmap(), this is temporary: it is removed once mmap() hooks
 * have been converted to mmap_prepare().
 */
`;

const VMA_MMAP_DOC = `/**
 * __compat_vma_mmap() - Apply a VMA descriptor to an existing VMA.
 * @desc: A descriptor from compat_set_desc_from_vma() on which an
 *        mmap_prepare-style hook has run.
 * @vma: The VMA the descriptor was filled from.
 *
 * Prepares the action the hook requested, updates @vma from @desc and
 * completes the action: what compat_vma_mmap() does after calling
 * f_op->mmap_prepare(), for callers that invoke the hook themselves.
 *
 * Like compat_vma_mmap(), this is temporary: it is removed once mmap() hooks
 * have been converted to mmap_prepare().
 *
 * Returns: 0 on success or an error.
 */
`;

export function kernelFunctions(g: Generated): string {
	return (
		SET_DESC_DOC +
		layoutSignature(`${g.setDescHead[0]} ${g.setDescHead[1]}`, SET_DESC_PARAMS, '') +
		'\n' +
		g.setDescBody +
		`${g.exportMacro}(compat_set_desc_from_vma);\n\n` +
		VMA_MMAP_DOC +
		layoutSignature(`${g.vmaHead[0]} ${g.vmaHead[1]}`, VMA_PARAMS, '') +
		'\n' +
		g.vmaBody +
		`${g.exportMacro}(__compat_vma_mmap);\n\n`
	);
}

/** Offset of the comment block that ends right before offset at (else at itself), from its line start. */
