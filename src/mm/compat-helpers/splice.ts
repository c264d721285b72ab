// Splicing the generated functions into the tree's files: mm/util.c,
// the prototypes in <linux/fs.h>, the const members of vm_area_desc, and the
// userland VMA tests' mirror.
import { scanItems, tokenize } from '../dup/scan.js';
import { SET_DESC_PARAMS, VMA_PARAMS, kernelFunctions, layoutSignature, type Generated } from './generate.js';
import { findFunction, paramList, type Single } from './parse.js';
import { CompatHelpersError, F_OP_FORM, FS_H } from './shared.js';

function withLeadingComment(src: string, at: number): number {
	let i = at;
	while (i > 0 && /\s/.test(src[i - 1]!)) i--;
	if (src.slice(i - 2, i) !== '*/') return lineStart(src, at);
	const open = src.lastIndexOf('/*', i - 2);
	return open < 0 ? lineStart(src, at) : lineStart(src, open);
}
const lineStart = (src: string, at: number) => src.lastIndexOf('\n', at - 1) + 1;

/** Offset just after the item and its line's newline (and one blank line after it). */
function afterItem(src: string, end: number): number {
	let i = end;
	const nl = src.indexOf('\n', i);
	i = nl < 0 ? src.length : nl + 1;
	const m = /^[ \t]*\n/.exec(src.slice(i));
	return m ? i + m[0].length : i;
}

export function rewriteKernel(util: string, s: Single, g: Generated): string {
	const header = util.slice(s.fn.start, s.fn.start + s.fn.text.indexOf('{'));
	let out = util.slice(0, s.fn.start) + header + g.compatBody.replace(/\n$/, '') + util.slice(s.fn.end);
	// the new functions go right before compat_vma_mmap()'s kernel-doc
	const at = withLeadingComment(out, s.fn.start);
	out = out.slice(0, at) + kernelFunctions(g) + out.slice(at);
	if (s.helper) {
		// drop the static helper (and its comment) that the body came from
		const items = scanItems(out);
		const h = items.find((it) => it.kind === 'function' && it.name === '__compat_vma_mmap' && /^static\b/.test(it.text));
		if (!h) throw new Error('compathelpers: lost the static __compat_vma_mmap()');
		out = out.slice(0, withLeadingComment(out, h.start)) + out.slice(afterItem(out, h.end));
	}
	return out;
}

export function addPrototypes(fsh: string): string {
	const m = /^([ \t]*)(?:extern\s+)?int\s+compat_vma_mmap\s*\(\s*struct\s+file\s*\*\s*\w+\s*,\s*struct\s+vm_area_struct\s*\*\s*\w+\s*\)\s*;[ \t]*\n/m.exec(fsh);
	if (!m) throw new CompatHelpersError('missing', `${FS_H} does not declare int compat_vma_mmap(struct file *, struct vm_area_struct *)`);
	if (/\b__compat_vma_mmap\s*\(\s*const\s+struct\s+file_operations\b/.test(fsh))
		throw new CompatHelpersError('shape', `${FS_H} declares __compat_vma_mmap(const struct file_operations *, ...) (${F_OP_FORM})`);
	const protos = layoutSignature('void compat_set_desc_from_vma', SET_DESC_PARAMS, ';') + '\n' + layoutSignature('int __compat_vma_mmap', VMA_PARAMS, ';') + '\n';
	return fsh.slice(0, m.index) + protos + fsh.slice(m.index);
}

/**
 * Drop the const qualifiers that stop compat_set_desc_from_vma() from
 * assigning vm_area_desc's members: the member's own (`*const mm`,
 * `const unsigned long start`) for every member it assigns, and for mm and
 * file the target's too (`const struct mm_struct *`), as upstream did.
 */
export function dropConst(src: string, where: string, assigned: Set<string>): { text: string; changed: string[] } {
	const st = scanItems(src).find((it) => it.kind === 'struct' && it.name === 'vm_area_desc');
	if (!st) throw new CompatHelpersError('missing', `${where} does not define struct vm_area_desc`);
	const open = st.start + st.text.indexOf('{') + 1;
	const close = st.start + st.text.lastIndexOf('}');
	const body = src.slice(open, close);
	// the same text with comments blanked out (same offsets), to find the code
	const code = body.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
	const changed: string[] = [];
	const cuts: Array<[number, number]> = [];
	// one member per ";" at the top level of the struct body
	const member = /([^;{}]*?)\b([A-Za-z_]\w*)\s*(?::\s*\d+\s*)?;/g;
	let m: RegExpExecArray | null;
	while ((m = member.exec(code))) {
		const name = m[2]!;
		if (!assigned.has(name)) continue;
		const declStart = m.index;
		const decl = m[1]!;
		const star = decl.lastIndexOf('*');
		// mm and file lose every const; other members only their own
		const from = name === 'mm' || name === 'file' || star < 0 ? 0 : star;
		const re = /\bconst\b\s*/g;
		re.lastIndex = from;
		let c: RegExpExecArray | null;
		let any = false;
		while ((c = re.exec(decl))) {
			cuts.push([declStart + c.index, declStart + c.index + c[0].length]);
			any = true;
		}
		if (any) changed.push(name);
	}
	let out = body;
	for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + out.slice(b);
	return { text: src.slice(0, open) + out + src.slice(close), changed };
}

export function rewriteMirror(src: string, where: string, g: Generated): string {
	const items = scanItems(src);
	const fn = findFunction(items, 'compat_vma_mmap');
	if (!fn) throw new CompatHelpersError('missing', `${where} has no compat_vma_mmap() to mirror the split in`);
	if (findFunction(items, 'compat_set_desc_from_vma'))
		throw new CompatHelpersError('present', `${where} already has compat_set_desc_from_vma() while the kernel does not`);
	const helper = items.find((it) => it.kind === 'function' && it.name === '__compat_vma_mmap');
	if (helper && paramList(helper).some((p) => /file_operations/.test(p.type)))
		throw new CompatHelpersError('shape', `${where}:${helper.line}: __compat_vma_mmap() takes a struct file_operations * (${F_OP_FORM})`);
	const text =
		layoutSignature('static inline void compat_set_desc_from_vma', SET_DESC_PARAMS, '') +
		'\n' +
		g.setDescBody +
		'\n' +
		layoutSignature('static inline int __compat_vma_mmap', VMA_PARAMS, '') +
		'\n' +
		g.vmaBody +
		'\n' +
		layoutSignature('static inline int compat_vma_mmap', g.compatParams, '') +
		'\n' +
		g.compatBody;
	// Everything the copies use that the mirror itself defines must come before them.
	const defined = new Map(items.filter((it) => it.kind !== 'prototype').map((it) => [it.name, it]));
	const mine = new Set(['compat_set_desc_from_vma', '__compat_vma_mmap', 'compat_vma_mmap', 'desc', 'vma', 'file', 'err', 'action']);
	const toks = tokenize(text);
	const used = new Set(toks.filter((t, i) => /^[A-Za-z_]/.test(t) && (toks[i + 1] === '(' || toks[i - 1] === 'struct' || /^[A-Z][A-Z0-9_]+$/.test(t))));
	for (const t of used) {
		const d = defined.get(t);
		if (!d || mine.has(t) || d.start < fn.start || d === helper) continue;
		const declared = items.some((it) => it.kind === 'prototype' && it.name === t && it.start < fn.start);
		if (!declared)
			throw new CompatHelpersError('shape', `${where}:${d.line}: ${t} is defined after compat_vma_mmap() (line ${fn.line}), but the new copies use it`);
	}
	let out = src.slice(0, fn.start) + text.replace(/\n$/, '') + src.slice(fn.end);
	if (helper) {
		const h = scanItems(out).find((it) => it.kind === 'function' && it.name === '__compat_vma_mmap' && /\bstruct\s+file\s*\*/.test(it.text.slice(0, it.text.indexOf('{'))));
		if (h) out = out.slice(0, withLeadingComment(out, h.start)) + out.slice(afterItem(out, h.end));
	}
	return out;
}

