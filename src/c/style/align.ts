// Continuation lines aligned to an opening parenthesis (kernel style) follow
// the parenthesis when a rename moves it.
import { displayWidth } from '../node.js';

/** Whitespace that reaches display width w with tabs, then spaces. */
export function indentTo(w: number): string {
	return '\t'.repeat(Math.floor(w / 8)) + ' '.repeat(w % 8);
}

/**
 * text starts at source index `at` (the opening parenthesis or anything on its
 * line); its continuation lines that were aligned one column after the
 * parenthesis at `paren` are moved by delta columns.
 */
export function realign(source: string, paren: number, text: string, delta: number): string {
	if (!text.includes('\n')) return text;
	const bol = source.lastIndexOf('\n', paren - 1) + 1;
	const col = displayWidth(source.slice(bol, paren)) + 1;
	return text
		.split('\n')
		.map((line, i) => {
			if (i === 0) return line;
			// Lines the patch rewrites are indented kernel-style (tabs, then spaces),
			// whatever they had: checkpatch checks every added line.
			const ws = /^[ \t]*/.exec(line)![0];
			const w = displayWidth(ws);
			return indentTo(w === col ? col + delta : w) + line.slice(ws.length);
		})
		.join('\n');
}

/**
 * A parameter list the patch rewrites (text, the list from its opening
 * parenthesis at source index `paren`, which a rename moves by delta columns):
 * every continuation line directly inside it is aligned one column after the
 * parenthesis, as checkpatch --strict asks of added lines, whatever its
 * indentation was. Undefined when a line would then pass `limit` columns.
 */
export function alignToParen(source: string, paren: number, text: string, delta: number, limit = 100): string | undefined {
	if (!text.includes('\n')) return text;
	const bol = source.lastIndexOf('\n', paren - 1) + 1;
	const col = displayWidth(source.slice(bol, paren)) + 1 + delta;
	let depth = 0;
	const out: string[] = [];
	for (const [i, line] of text.split('\n').entries()) {
		let next = line;
		if (i > 0 && depth === 1) {
			const ws = /^[ \t]*/.exec(line)![0];
			next = indentTo(col) + line.slice(ws.length);
			if (displayWidth(next) > limit) return undefined;
		}
		for (const ch of line) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
		out.push(next);
	}
	return out.join('\n');
}
