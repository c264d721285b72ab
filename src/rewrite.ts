// The rewrite engine: converts one hook function into position-based edits by
// letting the rules in transforms/ claim the nodes that use the vma or file
// parameter. A use no rule claims refuses the whole conversion, so nothing
// unexplained is ever rewritten. Edits are applied with magic-string; every
// byte outside them stays as it was.
import MagicString from 'magic-string';
import { lineOf, walk, type Node } from './parser.js';
import { declaredName, functionDeclarator, parameters } from './cnode.js';
import { Refusal, type HookContext, type Rule } from './rule.js';
import { realign } from './align.js';
import { wrapParams } from './callfmt.js';
import { displayWidth } from './cnode.js';
import type { KernelApi } from './tree.js';

export interface Edit {
	start: number;
	end: number;
	text: string;
}

/** Apply non-overlapping edits to source; throws if two edits overlap. */
export function applyEdits(source: string, edits: Edit[]): string {
	const ms = new MagicString(source);
	const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
	const crlf = source.includes('\r\n');
	for (let i = 0; i < sorted.length; i++) {
		const e = sorted[i]!;
		const prev = sorted[i - 1];
		if (prev && e.start < prev.end) throw new Error(`overlapping edits at ${prev.start}-${prev.end} and ${e.start}-${e.end}`);
		// New lines end as the line they go into does (a CRLF file keeps CRLF).
		const text = crlf && endsInCrlf(source, e.start) ? e.text.replace(/(?<!\r)\n/g, '\r\n') : e.text;
		if (e.start === e.end) ms.appendLeft(e.start, text);
		else ms.overwrite(e.start, e.end, text);
	}
	return ms.toString();
}

/** Does the line holding index i end in CRLF (the last line: the one before it)? */
function endsInCrlf(source: string, i: number): boolean {
	let nl = source.indexOf('\n', i);
	if (nl === -1) nl = source.lastIndexOf('\n');
	return nl > 0 && source[nl - 1] === '\r';
}

export interface BodyConversion {
	edits: Edit[];
	rules: string[];
	/** the file parameter is kept as a local `struct file *x = desc->file;` */
	fileLocal: boolean;
	/** old parameter names */
	vmaName: string;
	fileName?: string;
}

/** Identifiers of kind `identifier` named name, inside node. */
function identifierUses(node: Node, name: string): Node[] {
	const out: Node[] = [];
	for (const n of walk(node)) if (n.type === 'identifier' && n.text === name) out.push(n);
	return out;
}

export interface ConvertOptions {
	/**
	 * A nested hook (a struct field other than f_op->mmap): only the vma parameter
	 * becomes `struct vm_area_desc *desc`, in place; the other parameters stay.
	 */
	nested?: boolean;
	/** the function's new name, so that continuation lines can follow the moved parenthesis */
	newName?: string;
}

/**
 * Convert the body and signature of an mmap hook `fn` (a function_definition in
 * source). Throws Refusal with the construct and line when it cannot be proven
 * equivalent.
 */
export function convertHookFunction(source: string, file: string, fn: Node, api: KernelApi, rules: Rule[], opts: ConvertOptions = {}): BodyConversion {
	const refuse = (node: Node, reason: string): never => {
		throw new Refusal(reason, lineOf(source, node.startIndex));
	};
	const fd = functionDeclarator(fn.childForFieldName('declarator'));
	const body = fn.childForFieldName('body');
	if (!fd || !body) throw new Refusal('function definition not understood', lineOf(source, fn.startIndex));
	const params = parameters(fd);
	const vmaParams = params.filter((p) => p.type === 'struct vm_area_struct' && p.pointer);
	if (opts.nested) {
		if (vmaParams.length !== 1 || !vmaParams[0]!.name) refuse(fd, `expected one named struct vm_area_struct * parameter: ${fd.childForFieldName('parameters')?.text}`);
	} else if (params.length !== 2 || params[0]!.type !== 'struct file' || params[1]!.type !== 'struct vm_area_struct' || !params[1]!.name)
		refuse(fd, `signature is not (struct file *, struct vm_area_struct *): ${fd.childForFieldName('parameters')?.text}`);
	const vma = vmaParams[0]!.name!;
	// A nested hook keeps its own parameters, the file included.
	const fileParam = opts.nested ? undefined : params[0]!.name;

	const locals = new Set<string>();
	for (const n of walk(body)) {
		if (n.type === 'declaration' || n.type === 'parameter_declaration')
			for (const d of n.childrenForFieldName('declarator')) {
				const id = declaredName(d);
				if (id) locals.add(id.text);
			}
	}
	if (locals.has(vma) || (fileParam && locals.has(fileParam))) refuse(body, `a local variable shadows the parameter ${locals.has(vma) ? vma : fileParam}`);
	if (locals.has('desc') || identifierUses(body, 'desc').length) refuse(body, 'the body already uses the name desc');
	for (const n of walk(body)) if (n.type === 'ERROR' && new RegExp(`\\b(${vma}|${fileParam ?? vma})\\b|\\breturn\\b|\\bgoto\\b`).test(n.text))
		refuse(n, `tree-sitter cannot parse this construct: ${firstLine(n.text)}`);

	// P3: keep the file parameter as a local when it is used more than once or written.
	const fileUses = fileParam ? identifierUses(body, fileParam) : [];
	const fileLocal = fileUses.length > 1 || fileUses.some((u) => u.parent?.type === 'assignment_expression' || u.parent?.type === 'pointer_expression');

	const used = new Set<string>();
	const ctx: HookContext = {
		source,
		file,
		api,
		fn,
		body,
		vma,
		fileParam,
		fileUse: fileLocal ? fileParam! : 'desc->file',
		locals,
		used,
		actions: [],
		line: (n) => lineOf(source, n.startIndex),
		refuse,
		convert: (n) => convertNode(n),
	};
	const mentions = (n: Node) => new RegExp(`\\b(${vma}${fileParam ? `|${fileParam}` : ''})\\b`).test(n.text);

	const edits: Edit[] = [];
	// Statelessness and other whole-body checks look at every node.
	for (const n of walk(body)) for (const r of rules) r.check?.(n, ctx);

	function convertNode(node: Node): string {
		if (!mentions(node) && !rules.some((r) => r.claims?.(node))) return node.text;
		for (const r of rules) {
			const out = r.rewrite?.(node, ctx);
			if (out !== undefined) {
				used.add(r.id);
				return out;
			}
		}
		if (node.type === 'identifier' && node.text === vma) {
			const p = node.parent;
			refuse(node, `the vma is used in a way that has no vm_area_desc equivalent: ${firstLine(p?.type === 'argument_list' ? p.parent!.text : p?.text ?? node.text)}`);
		}
		if (node.childCount === 0) return node.text;
		let out = '';
		let at = node.startIndex;
		for (const child of node.children) {
			if (!child) continue;
			out += source.slice(at, child.startIndex) + (mentions(child) || child.childCount ? convertNode(child) : child.text);
			at = child.endIndex;
		}
		return out + source.slice(at, node.endIndex);
	}

	// The body is converted statement by statement so that the edits stay small.
	for (const stmt of body.namedChildren) {
		if (!stmt) continue;
		const text = convertNode(stmt);
		if (text !== stmt.text) edits.push({ start: stmt.startIndex, end: stmt.endIndex, text });
	}
	if (ctx.actions.length > 1) refuse(body, `more than one mapping action (${ctx.actions.join(', ')}); a vm_area_desc carries one`);

	// P1: the signature takes the descriptor instead of (file, vma); a nested
	// hook only swaps its vma parameter.
	const plist = fd.childForFieldName('parameters')!;
	if (opts.nested) {
		const v = vmaParams[0]!.node;
		const text = source.slice(plist.startIndex, v.startIndex) + 'struct vm_area_desc *desc' + source.slice(v.endIndex, plist.endIndex);
		const nameNode = declaredName(fd.childForFieldName('declarator'));
		const delta = opts.newName ? opts.newName.length - (nameNode?.text.length ?? opts.newName.length) : 0;
		let params = realign(source, plist.startIndex, text, delta);
		// A longer name can push a one-line signature past 100 columns: wrap it.
		if (nameNode && opts.newName) params = wrapParams(params, opts.newName, displayWidth(source.slice(source.lastIndexOf('\n', nameNode.startIndex - 1) + 1, nameNode.startIndex)), '');
		edits.push({ start: plist.startIndex, end: plist.endIndex, text: params });
	} else edits.push({ start: plist.startIndex, end: plist.endIndex, text: '(struct vm_area_desc *desc)' });
	used.add('P1');
	if (fileLocal) {
		// P3: `struct file *file = desc->file;` as the first declaration, as upstream did.
		const first = body.namedChildren.find((n) => n && n.type !== 'comment');
		const indent = first ? lineIndentAt(source, first.startIndex) : '\t';
		const at = source.indexOf('\n', body.startIndex) + 1;
		const gap = first?.type === 'declaration' ? '' : '\n';
		// Written afresh in kernel style (`struct file *file`), whatever the parameter looked like.
		const constq = /^\s*const\b/.test(params[0]!.node.text) ? 'const ' : '';
		edits.push({ start: at, end: at, text: `${indent}${constq}struct file *${fileParam} = desc->file;\n${gap}` });
		used.add('P3');
	} else if (fileUses.length) used.add('P3');
	return { edits, rules: [...used].sort(), fileLocal, vmaName: vma, fileName: fileParam };
}

function lineIndentAt(source: string, index: number): string {
	const bol = source.lastIndexOf('\n', index - 1) + 1;
	return /^[ \t]*/.exec(source.slice(bol))![0] || '\t';
}

export function firstLine(text: string): string {
	const l = text.split('\n')[0]!.trim();
	return l.length > 80 ? `${l.slice(0, 77)}...` : l;
}
