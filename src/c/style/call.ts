// Kernel-style formatting of a generated call: one line when it fits in 100
// columns, otherwise arguments filled greedily with continuation lines aligned
// one column after the opening parenthesis.
import { indentTo } from './align.js';

/**
 * name(args...) for a call that starts at display column col. An argument
 * that already spans lines is kept as it is.
 */
export function formatCall(name: string, args: string[], col: number, limit = 100, tail = ';'): string {
	const one = `${name}(${args.join(', ')})`;
	if (col + one.length + tail.length <= limit || args.some((a) => a.includes('\n'))) return one;
	const argCol = col + name.length + 1;
	const pad = indentTo(argCol);
	const lines: string[] = [];
	let cur = `${name}(`;
	let curCol = col;
	args.forEach((a, i) => {
		const piece = a + (i === args.length - 1 ? ')' : ',');
		const extra = i === args.length - 1 ? tail.length : 0;
		const sep = cur.endsWith('(') ? '' : ' ';
		if (!cur.endsWith('(') && curCol + cur.length + sep.length + piece.length + extra > limit) {
			lines.push(cur);
			cur = piece;
			curCol = argCol;
		} else cur += sep + piece;
	});
	lines.push(cur);
	return lines.join(`\n${pad}`);
}

/**
 * A single-line parameter list `(a, b, c)` that would pass the limit after a
 * rename, wrapped like a call: continuation lines aligned after the parenthesis.
 * nameCol is the display column where the (new) function name starts.
 */
export function wrapParams(params: string, newName: string, nameCol: number, tail: string, limit = 100): string {
	if (params.includes('\n') || nameCol + newName.length + params.length + tail.length <= limit) return params;
	// Splitting at commas is only safe without nested parentheses (function-pointer parameters).
	if (/[()]/.test(params.slice(1, -1))) return params;
	const inner = params.slice(1, -1).split(',').map((p) => p.trim());
	return formatCall(newName, inner, nameCol, limit, tail).slice(newName.length);
}
