// What the boot check is given when it runs on a series already written: the
// NNNN-*.patch files of a folder (not the cover letter) and, from mmapify's
// --json report, the converted hooks whose files those patches touch (a
// series cut down by hand claims nothing for the patches it lost).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BootPatch } from './boot.js';

export function seriesFromDir(dir: string): BootPatch[] {
	return fs
		.readdirSync(dir)
		.filter((f) => /^(v\d+-)?\d{4}-.*\.patch$/.test(f) && !/^(v\d+-)?0000-/.test(f))
		.sort()
		.map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

export interface ReportHook {
	file: string;
	function: string;
	status: string;
}

export function convertedHooks(hooks: ReportHook[], patches: BootPatch[]): Array<{ file: string; function: string }> {
	const touched = new Set(patches.flatMap((p) => [...p.text.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]!)));
	return hooks.filter((h) => h.status === 'converted' && touched.has(h.file)).map((h) => ({ file: h.file, function: h.function }));
}
