// The rewrite engine: converts one hook function into position-based edits by
// letting the rules it is handed (transforms/, through the plan: the engine
// never imports them) claim the nodes that use the vma or file parameter. A use no rule claims refuses the whole conversion, so nothing
// unexplained is ever rewritten. Edits are applied with magic-string; every
// byte outside them stays as it was.
import { lineOf, walk, type Node } from '../c/parser.js';
import { declaredName, functionDeclarator, parameters } from '../c/node.js';
import type { HookContext, RuleSet } from './rule.js';
import type { Edit } from './edits.js';
import { Refusal, type RefusalCode } from './refusals.js';
import type { KernelApi } from '../kernel/tree.js';

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
export function convertHookFunction(source: string, file: string, fn: Node, api: KernelApi, rules: RuleSet, opts: ConvertOptions = {}): BodyConversion {
	const refuse = (node: Node, code: RefusalCode, reason: string): never => {
		throw new Refusal(code, reason, lineOf(source, node.startIndex));
	};
	const fd = functionDeclarator(fn.childForFieldName('declarator'));
	const body = fn.childForFieldName('body');
	if (!fd || !body) throw new Refusal('fn-not-understood', 'function definition not understood', lineOf(source, fn.startIndex));
	const params = parameters(fd);
	const vmaParams = params.filter((p) => p.type === 'struct vm_area_struct' && p.pointer);
	if (opts.nested) {
		if (vmaParams.length !== 1 || !vmaParams[0]!.name) refuse(fd, 'signature', `expected one named struct vm_area_struct * parameter: ${fd.childForFieldName('parameters')?.text}`);
	} else if (params.length !== 2 || params[0]!.type !== 'struct file' || params[1]!.type !== 'struct vm_area_struct' || !params[1]!.name)
		refuse(fd, 'signature', `signature is not (struct file *, struct vm_area_struct *): ${fd.childForFieldName('parameters')?.text}`);
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
	if (locals.has(vma) || (fileParam && locals.has(fileParam))) refuse(body, 'shadowed-param', `a local variable shadows the parameter ${locals.has(vma) ? vma : fileParam}`);
	if (locals.has('desc') || identifierUses(body, 'desc').length) refuse(body, 'desc-name-taken', 'the body already uses the name desc');
	for (const n of walk(body)) if (n.type === 'ERROR' && new RegExp(`\\b(${vma}|${fileParam ?? vma})\\b|\\breturn\\b|\\bgoto\\b`).test(n.text))
		refuse(n, 'parse-error', `tree-sitter cannot parse this construct: ${firstLine(n.text)}`);

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
	for (const n of walk(body)) for (const r of rules.body) r.check?.(n, ctx);

	function convertNode(node: Node): string {
		if (!mentions(node) && !rules.body.some((r) => r.claims?.(node))) return node.text;
		for (const r of rules.body) {
			const out = r.rewrite?.(node, ctx);
			if (out !== undefined) {
				used.add(r.id);
				return out;
			}
		}
		if (node.type === 'identifier' && node.text === vma) {
			const p = node.parent;
			refuse(node, 'vma-escapes', `the vma is used in a way that has no vm_area_desc equivalent: ${firstLine(p?.type === 'argument_list' ? p.parent!.text : p?.text ?? node.text)}`);
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
	// A rule that returns '' for a statement of the body drops it, with its line.
	for (const stmt of body.namedChildren) {
		if (!stmt) continue;
		const text = convertNode(stmt);
		if (text === '' && stmt.text !== '') edits.push(dropStatement(source, stmt));
		else if (text !== stmt.text) edits.push({ start: stmt.startIndex, end: stmt.endIndex, text });
	}
	if (ctx.actions.length > 1) refuse(body, 'several-actions', `more than one mapping action (${ctx.actions.join(', ')}); a vm_area_desc carries one`);

	// P1 and P3 (the signature and the file kept as a local): the rule set's signature rule.
	edits.push(rules.signature.params(source, fd, vmaParams[0]!.node, !!opts.nested, opts.newName));
	used.add('P1');
	if (fileLocal) {
		edits.push(rules.signature.fileLocal(source, body, fileParam!, params[0]!.node));
		used.add('P3');
	} else if (fileUses.length) used.add('P3');
	return { edits, rules: [...used].sort(), fileLocal, vmaName: vma, fileName: fileParam };
}

/**
 * The edit that removes a statement: its whole line when it is alone on it, and
 * the blank line after it when it leaves that blank line right after the
 * opening brace (the last declaration of a block gone).
 */
function dropStatement(source: string, stmt: Node): Edit {
	let start = stmt.startIndex;
	let end = stmt.endIndex;
	const lineStart = source.lastIndexOf('\n', start - 1) + 1;
	const rest = /^[ \t]*(\r?\n)/.exec(source.slice(end));
	if (!/^[ \t]*$/.test(source.slice(lineStart, start)) || !rest) return { start, end, text: '' };
	start = lineStart;
	end += rest[0].length;
	const blank = /^[ \t]*\r?\n/.exec(source.slice(end));
	if (blank && /\{[ \t]*\r?\n$/.test(source.slice(0, start))) end += blank[0].length;
	return { start, end, text: '' };
}

export function firstLine(text: string): string {
	const l = text.split('\n')[0]!.trim();
	return l.length > 80 ? `${l.slice(0, 77)}...` : l;
}
