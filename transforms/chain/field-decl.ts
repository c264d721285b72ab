// A chain's field declaration: the function pointer takes the descriptor
// under its _prepare name, `int (*mmap_ring_buffer)(struct vmbus_channel *,
// struct vm_area_struct *vma);` -> `int (*mmap_prepare_ring_buffer)(struct
// vmbus_channel *, struct vm_area_desc *desc);`, continuation lines aligned
// to the parameter list's parenthesis following it. Rename: the declaration
// and its kernel-doc `@field:` line are rewritten in place (the name and
// mentions of it in the description follow; a tab-aligned description keeps
// its column). Coexist: the new declaration is added below the old one, and
// a kernel-doc line for it below the old field's. An unnamed struct pointer
// parameter of the new declaration gets a name (checkpatch wants named
// parameters in new prototypes; a prototype's names change nothing).
import { displayWidth, lineIndent } from '../../src/c/node.js';
import { realign } from '../../src/c/style/align.js';
import { formatCall } from '../../src/c/style/call.js';
import type { Edit } from '../../src/rewrite/edits.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';
import { escapeRegExp as esc } from '../../src/base/text.js';

/** The field's declaration (and kernel-doc) follows the rename; its edits report as chain, coexist, kernel-doc. */
export const fieldDeclInfo: RuleInfo = { id: 'field-decl' };

export interface FieldDecl {
	struct: string;
	field: string;
	/** the field_declaration's range in src */
	start: number;
	end: number;
}

/** The edits of the declaration in its file's text src, each with the report id it counts under. */
export function fieldDeclEdits(src: string, decl: FieldDecl, newField: string, coexist: boolean): Array<{ edit: Edit; rule: string }> {
	const { field } = decl;
	const text = src.slice(decl.start, decl.end);
	const renamed = text
		.replace(new RegExp(`\\(\\s*\\*\\s*${esc(field)}\\s*\\)`), `(*${newField})`)
		.replace(/(const\s+)?struct\s+vm_area_struct\s*\*\s*(\w*)/, (_, _c, n: string) => (n ? 'struct vm_area_desc *desc' : 'struct vm_area_desc *'));
	// Continuation lines aligned to the parameter list's parenthesis follow it.
	const paren = decl.start + text.indexOf('(', text.search(new RegExp(`\\b${esc(field)}\\b`)));
	const next = nameParams(renamed, newField, displayWidth(lineIndent(src, decl.start))) ?? realign(src, paren, renamed, newField.length - field.length);
	const doc = structDocParam(src, decl.struct, field, decl.start);
	const out: Array<{ edit: Edit; rule: string }> = [];
	if (coexist) {
		const indent = lineIndent(src, decl.start);
		out.push({ edit: { start: decl.end, end: decl.end, text: `\n${indent}${next}` }, rule: 'coexist' });
		if (doc) {
			const bol = src.lastIndexOf('\n', doc.start) + 1;
			const lead = src.slice(bol, doc.start);
			out.push({ edit: { start: doc.end, end: doc.end, text: `\n${lead}@${newField}: like @${field}, but prepares the mapping from a &struct vm_area_desc` }, rule: 'kernel-doc' });
		}
	} else {
		out.push({ edit: { start: decl.start, end: decl.end, text: next }, rule: 'chain' });
		if (doc) out.push({ edit: { start: doc.start, end: doc.end, text: docLine(src, doc, field, newField) }, rule: 'kernel-doc' });
	}
	return out;
}

/** The names the kernel gives these structs' parameters; any other struct is named after its tag. */
const USUAL_NAME: Record<string, string> = { file: 'file', kobject: 'kobj', inode: 'inode', device: 'dev', vm_area_desc: 'desc' };

/**
 * The declaration `int (*f)(struct file *, struct kobject *, ...);` with its
 * unnamed struct pointer parameters named and the list wrapped like a call
 * (continuation lines after the parenthesis, 100 columns), when it has any;
 * undefined when it has none, a parameter list with nested parentheses, or a
 * name that would clash.
 */
export function nameParams(decl: string, field: string, col: number): string | undefined {
	const m = new RegExp(`^([^]*?\\(\\*${esc(field)}\\))\\s*\\(([^()]*)\\)([^()]*)$`).exec(decl);
	if (!m) return undefined;
	const params = m[2]!.split(',').map((p) => p.trim().replace(/\s+/g, ' '));
	const unnamed = (p: string) => /^(const )?struct \w+ ?\*$/.test(p);
	if (!params.some(unnamed)) return undefined;
	const taken = new Set(params.map((p) => /(\w+)$/.exec(p)?.[1]).filter((n): n is string => !!n && !params.some((q) => unnamed(q) && q.includes(` ${n} `))));
	const named = params.map((p) => {
		if (!unnamed(p)) return p;
		const tag = /struct (\w+)/.exec(p)![1]!;
		const name = USUAL_NAME[tag] ?? tag;
		if (taken.has(name)) return undefined;
		taken.add(name);
		return `${p.replace(/ ?\*$/, ' *')}${name}`;
	});
	if (named.some((p) => p === undefined)) return undefined;
	return formatCall(m[1]!, named as string[], col, 100, m[3]!) + m[3]!;
}

/** `@field:` in the kernel-doc comment right before `struct name {`. */
function structDocParam(src: string, struct: string, field: string, before: number): { start: number; end: number } | undefined {
	const head = src.slice(0, before).search(new RegExp(`struct\\s+${struct}\\s*\\{[^]*$`));
	if (head < 0) return undefined;
	const docEnd = src.lastIndexOf('*/', head);
	const docStart = src.lastIndexOf('/**', head);
	if (docStart < 0 || docEnd < docStart || src.slice(docEnd + 2, head).trim() !== '') return undefined;
	const m = new RegExp(`@${field}\\b(?=\\s*:)`).exec(src.slice(docStart, docEnd));
	if (!m) return undefined;
	const start = docStart + m.index;
	const lineEnd = src.indexOf('\n', start);
	return { start, end: lineEnd < 0 ? docEnd : lineEnd };
}

/**
 * The kernel-doc line `@field:<ws>description` for the new field: the name and
 * mentions of it in the description follow, and tab-aligned descriptions keep
 * their column.
 */
function docLine(src: string, at: { start: number; end: number }, field: string, newField: string): string {
	const line = src.slice(at.start, at.end);
	const m = /^@(\w+)(\s*:)([ \t]*)(.*)$/.exec(line);
	if (!m) return line;
	const bol = src.lastIndexOf('\n', at.start - 1) + 1;
	const lead = displayWidth(src.slice(bol, at.start));
	let ws = m[3]!;
	if (ws.includes('\t')) {
		const col = displayWidth(src.slice(bol, at.start) + `@${m[1]}${m[2]}${ws}`);
		let c = lead + 1 + newField.length + m[2]!.length;
		ws = '';
		while (c < col) {
			ws += '\t';
			c = (c + 8) & ~7;
		}
		if (!ws) ws = ' ';
	}
	return `@${newField}${m[2]}${ws}${m[4]!.replace(new RegExp(`\\b${field}\\b(?!_)`, 'g'), newField)}`;
}
