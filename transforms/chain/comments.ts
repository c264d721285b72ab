// Comments that name a renamed field follow the rename (in the files a patch
// touches anyway). Issue #11, class 5: a comment renames a name only when it
// is that very field. A mention written as a call (`fb_mmap()`) names a
// function unless it is a member access (`->fb_mmap()`), and when a function
// of the field's name exists (fb_mmap() of fb_chrdev.c beside fb_ops.fb_mmap)
// only member accesses (`->fb_mmap`, `.fb_mmap`) are the field's.
import { withItemsTree } from '../../src/c/partial.js';
import type { EditSet } from '../../src/rewrite/edits.js';
import type { RuleInfo } from '../../src/rewrite/rule.js';
import { escapeRegExp as esc } from '../../src/base/text.js';

export const commentsInfo: RuleInfo = { id: 'comments' };

/**
 * Rename from to to in src's comments. fnNamed: a function named from
 * exists in the tree (and keeps its name).
 */
export function renameInComments(src: string, file: string, from: string, to: string, edits: EditSet, fnNamed = false): void {
	withItemsTree(src, { words: [from] }, (rootNode) => {
		for (const m of src.matchAll(new RegExp(`\\b${esc(from)}\\b`, 'g'))) {
			const n = rootNode.descendantForIndex(m.index!);
			if (n?.type !== 'comment' || edits.overlaps(file, m.index!, m.index! + from.length)) continue;
			const member = /(->|\.)\s*$/.test(src.slice(Math.max(0, m.index! - 3), m.index!));
			const call = /^\s*\(/.test(src.slice(m.index! + from.length, m.index! + from.length + 3));
			if (!member && (call || fnNamed)) continue;
			edits.add(file, { start: m.index!, end: m.index! + from.length, text: to }, 'comments');
		}
	});
}

/** Does src define or declare a function named name (at the start of a line, not a member)? */
export function declaresFunction(src: string, name: string): boolean {
	return new RegExp(`^[A-Za-z_][^\\n;=]*[\\s*]${esc(name)}\\s*\\(`, 'm').test(src);
}
