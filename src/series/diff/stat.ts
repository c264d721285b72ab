// diffstat as git prints it (diff.c: show_stats, print_stat_summary).
import type { FileChange } from '../../base/types.js';
import { quotePath } from './quote.js';
import { diffLines } from './compact.js';

/** Lines added and deleted, counted the way git's diffstat counts them. */
export function countChanges(change: FileChange): { added: number; deleted: number } {
	let added = 0;
	let deleted = 0;
	if (change.before !== change.after)
		for (const c of diffLines(change.before, change.after).changes) {
			added += c.chg2;
			deleted += c.chg1;
		}
	return { added, deleted };
}

/** `git format-patch`'s summary line, with its singular/plural and omission rules. */
export function statSummary(files: number, insertions: number, deletions: number): string {
	if (!files) return ' 0 files changed\n';
	let s = files === 1 ? ` ${files} file changed` : ` ${files} files changed`;
	if (insertions || deletions === 0) s += insertions === 1 ? `, ${insertions} insertion(+)` : `, ${insertions} insertions(+)`;
	if (deletions || insertions === 0) s += deletions === 1 ? `, ${deletions} deletion(-)` : `, ${deletions} deletions(-)`;
	return s + '\n';
}

const scaleLinear = (it: number, width: number, maxChange: number) =>
	it ? 1 + Math.floor((it * (width - 1)) / maxChange) : 0;

/**
 * The diffstat block git prints below `---` (width 72 = MAIL_DEFAULT_WRAP),
 * one line per changed file in the given order plus the summary line.
 */
export function diffstat(changes: FileChange[], width = 72): string {
	const files = changes
		.map((c) => ({ name: quotePath(c.path), ...countChanges(c) }))
		.filter((f) => f.added + f.deleted > 0);
	if (!files.length) return '';
	const maxLen = Math.max(...files.map((f) => f.name.length));
	const maxChange = Math.max(...files.map((f) => f.added + f.deleted));
	const numberWidth = String(maxChange).length;
	width = Math.max(width, 16 + 6 + numberWidth);
	let graphWidth = maxChange;
	let nameWidth = maxLen;
	if (nameWidth + numberWidth + 6 + graphWidth > width) {
		if (graphWidth > Math.trunc((width * 3) / 8) - numberWidth - 6) {
			graphWidth = Math.max(Math.trunc((width * 3) / 8) - numberWidth - 6, 6);
		}
		if (nameWidth > width - numberWidth - 6 - graphWidth) nameWidth = width - numberWidth - 6 - graphWidth;
		else graphWidth = width - numberWidth - 6 - nameWidth;
	}
	let out = '';
	let adds = 0;
	let dels = 0;
	for (const f of files) {
		let prefix = '';
		let name = f.name;
		let len = nameWidth;
		if (nameWidth < name.length) {
			// Keep the tail of the path, from a '/' if there is one.
			prefix = '...';
			len -= 3;
			name = name.slice(name.length - len);
			const slash = name.indexOf('/');
			if (slash >= 0) name = name.slice(slash);
		}
		let add = f.added;
		let del = f.deleted;
		if (graphWidth <= maxChange) {
			let total = scaleLinear(add + del, graphWidth, maxChange);
			if (total < 2 && add && del) total = 2;
			if (add < del) {
				add = scaleLinear(add, graphWidth, maxChange);
				del = total - add;
			} else {
				del = scaleLinear(del, graphWidth, maxChange);
				add = total - del;
			}
		}
		const n = f.added + f.deleted;
		out += ` ${prefix}${name.padEnd(len)} | ${String(n).padStart(numberWidth)}${n ? ' ' : ''}${'+'.repeat(add)}${'-'.repeat(del)}\n`;
		adds += f.added;
		dels += f.deleted;
	}
	return out + statSummary(files.length, adds, dels);
}
