// The scan's third phase: the files that define the hooks the sites name,
// parsed in the pool too (not one by one later by the plan), and added to the
// index the plan reads.
import { filesCalling } from '../corpus/corpus.js';
import { chunk, runTasks } from '../pool/pool.js';
import type { TreeIndex } from '../find/sites.js';
import { scanFileTask, type ScanTask } from './file.js';
import type { ReadPass } from './read-pass.js';
import type { ScanOptions, ScanSite } from './report.js';

/** Parses the files that call (or define) a hook name of the index's or of sites, not parsed yet. */
export function parseHookFiles(opts: ScanOptions, pass: ReadPass, index: TreeIndex, sites: ScanSite[]): void {
	const { root, targets, progress } = opts;
	const { scans, tooLarge, workerMs, inline } = pass;
	const names = new Set<string>();
	for (const s of scans.values()) for (const w of s.index.sites) if (!w.macro && w.value.includes('mmap')) names.add(w.value);
	for (const s of sites) if (/^\w*mmap\w*$/.test(s.hook)) names.add(s.hook);
	const more = new Set<string>();
	for (const n of names) for (const f of filesCalling(root, n)) if (!scans.has(f) && !index.files.has(f)) more.add(f);
	if (more.size) {
		progress?.start('mmapify scan: parsing the hooks\' definitions', more.size);
		const files = [...more].sort();
		let done = 0;
		runTasks(chunk(files, Math.max(4, Math.ceil(files.length / 8))).map((fs): ScanTask => ({ kind: 'scan', root, files: fs, targets, macroNames: [], fullParse: opts.fullParse, parseAll: true, hookFields: opts.plan !== false })), scanFileTask, (sr) => {
			for (const s of sr.scanned) {
				scans.set(s.index.file, s);
				index.files.set(s.index.file, s.index);
			}
			index.unreadable.push(...sr.unreadable);
			tooLarge.push(...sr.tooLarge);
			workerMs.parse += sr.ms.parse;
			workerMs.analyze += sr.ms.analyze;
			progress?.update((done += sr.files));
		}, { inline });
		progress?.end();
	}
}
