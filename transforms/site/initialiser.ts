// P2: `.mmap = foo_mmap,` -> `.mmap_prepare = foo_mmap_prepare,`. Where tabs aligned
// the `=`, its column is kept (one tab fewer, as upstream did in 40 of 57 cases);
// alignment that no longer fits, or a single space, becomes one space.
import { displayWidth } from '../../src/c/node.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';

/** P2: `.mmap = foo_mmap` becomes `.mmap_prepare = foo_mmap_prepare`, the `=` column kept. */
export const initialiserInfo: RuleInfo = { id: 'P2' };

export function rewriteInitialiser(lineBefore: string, siteText: string, newField: string, newValue: string): string {
	const m = /^\.(\w+)(\s*)=(\s*)(\w+)$/.exec(siteText);
	if (!m) throw new Error(`not an initialiser: ${siteText}`);
	const [, field, ws1, ws2] = m as unknown as [string, string, string, string];
	const eqCol = displayWidth(lineBefore + '.' + field + ws1);
	const newStart = displayWidth(lineBefore + '.' + newField);
	let pad = ' ';
	if (ws1.includes('\t')) {
		pad = '';
		let col = newStart;
		while (col < eqCol) {
			pad += '\t';
			col = (col + 8) & ~7;
		}
		if (col !== eqCol || pad === '') pad = ' '; // the old column cannot be kept
	} else if (ws1.length > 1 && newStart < eqCol) {
		pad = ' '.repeat(eqCol - newStart);
	} else if (ws1 === '') pad = '';
	return `.${newField}${pad}=${ws2}${newValue}`;
}
