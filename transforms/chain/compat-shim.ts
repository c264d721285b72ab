// Chains, shim mode: an outer hook that keeps its VMA calls a converted nested
// hook through the compat helpers of mm/util.c (kernel-api.md §3.5):
//   return ch->mmap_ring_buffer(ch, vma);
// becomes
//   compat_set_desc_from_vma(&desc, file, vma);
//   err = ch->mmap_prepare_ring_buffer(ch, &desc);
//   if (err)
//           return err;
//   return __compat_vma_mmap(&desc, vma);
// and `ret = X->f(.., vma);` becomes the same with `ret` (locking and goto
// structure around it stay as they are). The descriptor is declared
// `= {}` so nothing in it is ever read uninitialised, whatever the tree's
// compat_set_desc_from_vma() does. Never compat_vma_mmap(): that one calls
// f_op->mmap_prepare.
//
// Seeding: compat_set_desc_from_vma() leaves desc->private_data NULL and
// __compat_vma_mmap() writes it to vma->vm_private_data. When vm_private_data
// may be set before the call (in the dispatcher, or by a caller above it: the
// plan's entry facts), the shim copies it in right after:
//   compat_set_desc_from_vma(&desc, file, vma);
//   desc.private_data = vma->vm_private_data;
// so that the nested hook sees what it saw in the vma, and the write-back
// stores that value again or the one the hook set. Only there: elsewhere the
// vma's vm_private_data is NULL at the call and the line would change nothing.
import { walk, lineOf, type Node } from '../../src/c/parser.js';
import { ancestor, declaredName, functionDeclarator, lineIndent, parameters } from '../../src/c/node.js';
import { Refusal, type RefusalCode } from '../../src/rewrite/refusals.js';
import type { Edit } from '../../src/rewrite/edits.js';
import { splice } from './nested-call.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';

/** A dispatcher that keeps its VMA calls the converted nested hook through compat_set_desc_from_vma()/__compat_vma_mmap(). */
export const compatShimInfo: RuleInfo = { id: 'compat-shim', requires: ['compatHelpers'] };

export interface ShimResult {
	edits: Edit[];
}

function refuse(src: string, n: Node, code: RefusalCode, why: string): never {
	throw new Refusal(code, why, lineOf(src, n.startIndex));
}

/**
 * coexist: the old field stays beside the new one, so the shim runs only when
 * the new field is set and the old call remains the other branch:
 *   if (X->newf) { <shim> } return X->f(.., vma);   (or `} else { ret = X->f(..); }`)
 */
export function compatShim(src: string, fn: Node, callStart: number, newField: string, coexist = false, seedAbove = false): ShimResult {
	const fd = functionDeclarator(fn.childForFieldName('declarator'))!;
	const params = parameters(fd);
	const vma = params.find((p) => p.type === 'struct vm_area_struct' && p.pointer)?.name;
	if (!vma) refuse(src, fn, 'shim-no-vma', 'the dispatcher has no struct vm_area_struct * parameter');
	const filep = params.find((p) => p.type === 'struct file' && p.pointer)?.name;
	const fileExpr = filep ?? `${vma}->vm_file`;
	const body = fn.childForFieldName('body')!;
	let call: Node | undefined;
	for (const n of walk(body)) if (n.type === 'call_expression' && n.startIndex === callStart) call = n;
	if (!call) refuse(src, fn, 'shim-call-not-found', 'nested call not found');
	const names = new Set<string>();
	for (const n of walk(body)) if (n.type === 'identifier') names.add(n.text);
	if (names.has('desc')) refuse(src, body, 'desc-name-taken', 'the dispatcher already uses the name desc');

	// vm_private_data set before the nested call, here or above: seeded.
	let seed = seedAbove;
	for (const n of walk(body)) {
		if (n.startIndex >= call.startIndex) break;
		if (n.type === 'assignment_expression' && new RegExp(`^${vma}\\s*->\\s*vm_private_data$`).test(n.childForFieldName('left')?.text ?? '')) seed = true;
	}

	const args = call.childForFieldName('arguments')!.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment');
	const vmaArgs = args.filter((a) => a.type === 'identifier' && a.text === vma);
	if (vmaArgs.length !== 1) refuse(src, call, 'shim-vma-args', `the nested call does not pass ${vma} exactly once`);
	const fe = call.childForFieldName('function')!;
	const newCall = splice(src, call, [
		{ start: fe.childForFieldName('field')!.startIndex, end: fe.childForFieldName('field')!.endIndex, text: newField },
		{ start: vmaArgs[0]!.startIndex, end: vmaArgs[0]!.endIndex, text: '&desc' },
	]);
	for (const a of args) if (a !== vmaArgs[0] && new RegExp(`\\b${vma}\\b`).test(a.text)) refuse(src, a, 'shim-vma-args', `the nested call passes ${a.text}, which needs the VMA`);

	// The statement the call is in: `return CALL;` or `X = CALL;`.
	let stmt: Node;
	let form: 'return' | 'assign';
	let target = '';
	if (call.parent?.type === 'return_statement') {
		stmt = call.parent;
		form = 'return';
	} else if (call.parent?.type === 'assignment_expression' && call.parent.childForFieldName('operator')?.text === '=' && call.parent.parent?.type === 'expression_statement') {
		stmt = call.parent.parent;
		form = 'assign';
		target = call.parent.childForFieldName('left')!.text;
	} else refuse(src, call, 'shim-expression', `the nested call is used inside an expression the shim cannot wrap: ${call.parent?.text.split('\n')[0]}`);

	// The VMA must not be used after the nested call (a hazard the issue asks to
	// report). Only code reachable from the call counts: nothing after `return
	// CALL;`, and after `X = CALL; goto L;` only what follows the label L.
	// One exception: a read of the vma's flags only where the call failed
	// (`if (err) { if (vma->vm_flags & VM_WRITE) ... }`, bpf_map_mmap()'s
	// shape). The shim writes the descriptor back only on success, so there
	// the flags are the caller's, or the descriptor's when the complete stage
	// failed; the old hook may have changed them before it failed. Which one
	// the read sees is for the equivalence checker to prove (it runs the code
	// after the call on both sides); anything else after the call is refused here.
	for (const from of reachableAfter(body, stmt, form))
		for (const n of walk(body))
			if (n.startIndex >= from && n.type === 'identifier' && n.text === vma && !(form === 'assign' && flagsReadOnError(n, target, stmt)))
				refuse(src, n, 'shim-vma-after', `hazard: the dispatcher uses ${vma} after the nested call`);

	const ind = lineIndent(src, stmt.startIndex);
	let err = target;
	const decls = ['struct vm_area_desc desc = {};'];
	if (form === 'return') {
		err = ['err', 'ret', 'rc', 'error'].find((n) => !names.has(n))!;
		decls.push(`int ${err};`);
	}
	const setDesc = [`compat_set_desc_from_vma(&desc, ${fileExpr}, ${vma});`, ...(seed ? [`desc.private_data = ${vma}->vm_private_data;`] : [])];
	const shim =
		form === 'return'
			? [...setDesc, `${err} = ${newCall};`, `if (${err})`, `\treturn ${err};`, `return __compat_vma_mmap(&desc, ${vma});`]
			: [...setDesc, `${err} = ${newCall};`, `if (!${err})`, `\t${err} = __compat_vma_mmap(&desc, ${vma});`];

	if (coexist) {
		// The object expression is evaluated twice: it must be a plain access path.
		const obj = fe.childForFieldName('argument')!;
		if (/\(/.test(obj.text.replace(/^READ_ONCE\(/, '')))
			refuse(src, call, 'shim-object-not-path', `the nested call's object ${obj.text} is not a plain access path; testing and calling it would evaluate it twice`);
		const test = src.slice(fe.startIndex, fe.childForFieldName('field')!.startIndex) + newField;
		const head = [`if (${test}) {`, ...decls.map((d) => `\t${d}`), '', ...shim.map((l) => `\t${l}`)];
		const old = src.slice(stmt.startIndex, stmt.endIndex);
		const text =
			form === 'return'
				? [...head, '}', old].join(`\n${ind}`)
				: [...head, '} else {', `\t${old.split('\n').join(`\n\t`)}`, '}'].join(`\n${ind}`);
		if (stmt.parent?.type !== 'compound_statement') return { edits: [braced(src, stmt, text.replace(/\n[ \t]+\n/g, '\n\n'))] };
		return { edits: [{ start: stmt.startIndex, end: stmt.endIndex, text: text.replace(/\n[ \t]+\n/g, '\n\n') }] };
	}

	const block = stmt.parent!;
	// A brace-less if/else body gets braces to hold the declarations.
	if (block.type !== 'compound_statement') return { edits: [braced(src, stmt, [...decls, '', ...shim].join(`\n${ind}`).replace(/\n[ \t]+\n/g, '\n\n'))] };
	// Declarations go after the block's leading declarations.
	const kids = block.namedChildren.filter((k): k is Node => !!k && k.type !== 'comment');
	let lastDecl: Node | undefined;
	for (const k of kids) {
		if (k.type !== 'declaration') break;
		lastDecl = k;
	}
	const edits: Edit[] = [];
	const declIndent = lineIndent(src, (kids[0] ?? stmt).startIndex);
	if (lastDecl) {
		const at = src.indexOf('\n', lastDecl.endIndex) + 1;
		edits.push({ start: at, end: at, text: decls.map((d) => `${declIndent}${d}\n`).join('') });
	} else {
		const at = src.indexOf('\n', block.startIndex) + 1;
		edits.push({ start: at, end: at, text: decls.map((d) => `${declIndent}${d}\n`).join('') + '\n' });
	}
	edits.push({ start: stmt.startIndex, end: stmt.endIndex, text: shim.join(`\n${ind}`) });
	return { edits };
}

/**
 * Is the vma identifier n read as `vma->vm_flags` (or `vma->flags`), not
 * written, inside `if (err) { ... }` where err is the variable the nested
 * call's result went to, after the call's statement and with err not
 * assigned in between?
 */
function flagsReadOnError(n: Node, err: string, stmt: Node): boolean {
	if (!/^\w+$/.test(err)) return false;
	const fe = n.parent;
	if (fe?.type !== 'field_expression' || fe.childForFieldName('argument')?.id !== n.id || !/^(vm_flags|flags)$/.test(fe.childForFieldName('field')?.text ?? '')) return false;
	// a read: not the target of an assignment or ++/--, not an address taken
	const up = fe.parent;
	if (up?.type === 'assignment_expression' && up.childForFieldName('left')?.id === fe.id) return false;
	if (up?.type === 'update_expression' || (up?.type === 'pointer_expression' && up.text.startsWith('&'))) return false;
	for (let a: Node | null = fe.parent; a; a = a.parent) {
		if (a.type !== 'if_statement') continue;
		const cond = a.childForFieldName('condition');
		const cons = a.childForFieldName('consequence');
		if (cond?.text.replace(/\s+/g, '') !== `(${err})` || !cons || fe.startIndex < cons.startIndex || fe.endIndex > cons.endIndex) continue;
		if (a.startIndex < stmt.endIndex) return false;
		// err is the call's result at the test: no store into it between the two
		const between = stmt.parent;
		if (between?.type !== 'compound_statement' || a.parent?.id !== between.id) return false;
		for (const k of between.namedChildren) {
			if (!k || k.startIndex <= stmt.startIndex || k.startIndex >= a.startIndex) continue;
			for (const x of walk(k)) if (x.type === 'assignment_expression' && x.childForFieldName('left')?.text === err) return false;
		}
		return true;
	}
	return false;
}

/** Start positions from which code runs after the nested call's statement. */
function reachableAfter(body: Node, stmt: Node, form: 'return' | 'assign'): number[] {
	if (form === 'return') return [];
	const block = stmt.parent;
	if (block?.type === 'compound_statement') {
		const kids = block.namedChildren.filter((k): k is Node => !!k && k.type !== 'comment');
		const next = kids[kids.findIndex((k) => k.id === stmt.id) + 1];
		const jump = next?.type === 'goto_statement' ? next.childForFieldName('label')?.text : undefined;
		if (jump) {
			for (const n of walk(body))
				if (n.type === 'labeled_statement' && n.childForFieldName('label')?.text === jump) return [n.startIndex];
		}
		if (next?.type === 'return_statement') return [next.startIndex];
	}
	return [stmt.endIndex];
}

/**
 * Replace a brace-less if/else/loop body stmt by `{ text }`: the brace goes at
 * the end of the line before it, the body keeps its indentation.
 */
function braced(src: string, stmt: Node, text: string) {
	const owner = stmt.parent!;
	if (owner.type === 'case_statement') refuse(src, stmt, 'shim-layout', 'the nested call is in a switch case; braces around the shim there are left to a human');
	const before = src.slice(owner.startIndex, stmt.startIndex);
	if (!before.includes('\n')) refuse(src, stmt, 'shim-layout', 'the nested call shares a line with its if/else; put it on a line of its own first');
	const eol = src.lastIndexOf('\n', stmt.startIndex);
	const head = src.slice(owner.startIndex, eol).replace(/[ \t]+$/, '');
	const ind = lineIndent(src, stmt.startIndex);
	const outer = lineIndent(src, owner.startIndex);
	const opened = ` {\n${ind}${text}\n${outer}}`;
	// An if body followed by else: coding style braces both branches, with `} else {` on one line.
	const alt = owner.type === 'if_statement' && owner.childForFieldName('consequence')?.id === stmt.id ? owner.childForFieldName('alternative') : null;
	if (!alt) return { start: owner.startIndex + head.length, end: stmt.endIndex, text: opened };
	const body = alt.namedChildren.find((k) => k && k.type !== 'comment') ?? null;
	if (!body) refuse(src, alt, 'shim-layout', 'an else without a statement');
	return { start: owner.startIndex + head.length, end: alt.endIndex, text: opened + ` else ${bracedArm(src, body, outer)}` };
}

/** An else arm with braces: a block stays, `if (...) stmt [else ...]` is braced arm by arm. */
function bracedArm(src: string, body: Node, outer: string): string {
	if (body.type === 'compound_statement') return src.slice(body.startIndex, body.endIndex);
	if (body.type === 'if_statement') {
		const cond = body.childForFieldName('condition')!;
		const cons = body.childForFieldName('consequence')!;
		const alt = body.childForFieldName('alternative');
		let out = `if ${src.slice(cond.startIndex, cond.endIndex)} ${bracedArm(src, cons, outer)}`;
		const altBody = alt?.namedChildren.find((k) => k && k.type !== 'comment');
		if (altBody) out += ` else ${bracedArm(src, altBody, outer)}`;
		return out;
	}
	const prev = src.lastIndexOf('\n', body.startIndex);
	if (src.slice(prev + 1, body.startIndex).trim() !== '') refuse(src, body, 'shim-layout', 'an if/else arm shares a line with its keyword');
	return `{\n${lineIndent(src, body.startIndex)}${src.slice(body.startIndex, body.endIndex)}\n${outer}}`;
}

export { ancestor, declaredName };
