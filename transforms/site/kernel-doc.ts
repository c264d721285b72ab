// Kernel-doc of a converted hook (kernel-api.md §2.5): the @file/@filp line goes,
// `@vma:` becomes `@desc:`; the function-name line is renamed with the other
// comment mentions. Continuation lines of a removed description go with it.
import type { Node } from '../../src/c/parser.js';
import type { Edit } from '../../src/rewrite/edits.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';

export const kernelDocInfo: RuleInfo = { id: 'kernel-doc', phrase: 'has its kernel-doc updated for @desc' };

export function kernelDocEdits(source: string, fn: Node, _name: string, vma: string, file: string | undefined): Edit[] {
	const doc = fn.previousNamedSibling;
	if (!doc || doc.type !== 'comment' || !doc.text.startsWith('/**')) return [];
	if (source.slice(doc.endIndex, fn.startIndex).trim() !== '') return [];
	const edits: Edit[] = [];
	const lines = doc.text.split('\n');
	let offset = doc.startIndex;
	const starts = lines.map((l) => {
		const s = offset;
		offset += l.length + 1;
		return s;
	});
	const paramLine = (l: string) => /^\s*\*\s*@\w+\s*:/.test(l);
	for (let i = 0; i < lines.length; i++) {
		const m = /^(\s*\*\s*)@(\w+)(\s*:\s*)(.*)$/.exec(lines[i]!);
		if (!m || (m[2] !== vma && m[2] !== file)) continue;
		// The description may continue on following lines until the next @param, blank line or end.
		let j = i + 1;
		while (j < lines.length && !paramLine(lines[j]!) && /^\s*\*\s+\S/.test(lines[j]!) && !/^\s*\*\//.test(lines[j]!)) j++;
		const end = j < lines.length ? starts[j]! : doc.endIndex;
		if (m[2] === vma) edits.push({ start: starts[i]!, end, text: `${m[1]}@desc${m[3]}descriptor of the mapping being prepared\n` });
		else edits.push({ start: starts[i]!, end, text: '' });
		i = j - 1;
	}
	return edits;
}
