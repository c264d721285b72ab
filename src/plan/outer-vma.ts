// Issue #11, class 8: a compat shim goes only where the outer hook needs the
// vma for something else than the nested call. An outer hook whose only use
// of its vma is to pass it on becomes mmap_prepare with the whole chain; if it
// cannot, the reason it cannot is the chain's refusal, not a shim around it.
import type { Node } from '../c/parser.js';
import { lineOf } from '../c/parser.js';
import { functionDeclarator, parameters } from '../c/node.js';

/** A use of the vma parameter outside the nested calls: its line and the statement's first line. */
export interface VmaUse {
	line: number;
	text: string;
}

/**
 * The first use of the function's struct vm_area_struct * parameter outside
 * the argument lists of the calls starting at callStarts, or undefined when
 * there is none (or no such parameter: then nothing of it is used).
 */
export function otherVmaUse(src: string, fn: Node, callStarts: number[]): VmaUse | undefined {
	const fd = functionDeclarator(fn.childForFieldName('declarator'));
	const vma = fd ? parameters(fd).find((p) => p.type === 'struct vm_area_struct' && p.pointer)?.name : undefined;
	const body = fn.childForFieldName('body');
	if (!vma || !body) return undefined;
	const calls = body.descendantsOfType('call_expression').filter((c): c is Node => !!c && callStarts.includes(c.startIndex));
	const inCall = (n: Node) => calls.some((c) => {
		const args = c.childForFieldName('arguments')!;
		return n.startIndex >= args.startIndex && n.endIndex <= args.endIndex;
	});
	for (const id of body.descendantsOfType('identifier')) {
		if (!id || id.text !== vma || inCall(id)) continue;
		let stmt: Node = id;
		while (stmt.parent && stmt.parent.id !== body.id && !/statement$|declaration$/.test(stmt.type)) stmt = stmt.parent;
		return { line: lineOf(src, id.startIndex), text: stmt.text.split('\n')[0]!.trim() };
	}
	return undefined;
}
