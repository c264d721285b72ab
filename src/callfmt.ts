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
