// Comments that name a renamed field follow the rename (in the files a patch touches anyway).
import { withItemsTree } from '../../src/c/partial.js';
import type { EditSet } from '../../src/rewrite/edits.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';

export const commentsInfo: RuleInfo = { id: 'comments' };

export function renameInComments(src: string, file: string, from: string, to: string, edits: EditSet): void {
	withItemsTree(src, { words: [from] }, (rootNode) => {
		for (const m of src.matchAll(new RegExp(`\\b${from}\\b`, 'g'))) {
			const n = rootNode.descendantForIndex(m.index!);
			if (n?.type === 'comment' && !edits.overlaps(file, m.index!, m.index! + from.length))
				edits.add(file, { start: m.index!, end: m.index! + from.length, text: to }, 'comments');
		}
	});
}
