// Coexist: when only some implementors of a chain convert, the new field is
// added beside the old one; every test of the old field tests both, and every
// NULL store clears both.
import { displayWidth } from '../../src/c/node.js';
import { indentTo } from '../../src/c/style/align.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';

export const coexistInfo: RuleInfo = { id: 'coexist' };

export /**
 * `open a || b close` in place of src[start, end): on one line, or, when that
 * line would pass 100 columns, broken after the `||` with b under a (kernel
 * style for a continued condition) if both lines then fit.
 */
function eitherTest(src: string, start: number, end: number, open: string, a: string, b: string, close: string): string {
	const one = `${open}${a} || ${b}${close}`;
	const bol = src.lastIndexOf('\n', start - 1) + 1;
	const eol = src.indexOf('\n', end) === -1 ? src.length : src.indexOf('\n', end);
	const before = src.slice(bol, start);
	const rest = src.slice(end, eol);
	if (displayWidth(before + one + rest) <= 100) return one;
	const col = displayWidth(before + open);
	const first = `${before}${open}${a} ||`;
	const second = `${indentTo(col)}${b}${close}${rest}`;
	if (displayWidth(first) > 100 || displayWidth(second) > 100) return one;
	return `${open}${a} ||\n${indentTo(col)}${b}${close}`;
}
