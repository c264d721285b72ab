// From plan to files on disk: render the series, check every patch against the
// texts it was made from, then write all files at once (temporary folder, then
// rename), so a failed run never leaves a half-written series.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import type { Plan } from './plan.js';
import type { PatchSpec, Person } from './types.js';
import { commitMessage, diffSection, renderSeries, type ChainSummary } from './series.js';
import { subjectPrefix } from './subject.js';

export interface SeriesOptions {
	author: Person;
	date: Date;
	subjectPrefix: string;
	signoff?: Person;
	baseCommit?: string;
	version: string;
	prefix?: string;
}

export interface SeriesFile {
	path: string; // file name inside the output folder
	text: string;
	patch: boolean; // false for the cover letter
	subject: string;
	files: string[];
}

export function buildSeries(plan: Plan, opts: SeriesOptions): SeriesFile[] {
	const refused = plan.hooks.filter((h) => h.status === 'skipped');
	const specs: PatchSpec[] = plan.patches.map((p) => {
		// A chain's patch is named after the outer hook's subsystem.
		const outer = p.chains.flatMap((c) => c.dispatchers.map((d) => d.file));
		const prefix = opts.prefix ?? (outer.length ? subjectPrefix(outer) : undefined);
		const chains: ChainSummary[] = p.chains.map((c) => ({
			struct: c.chain.key.struct,
			field: c.chain.key.field,
			newField: c.newField,
			mode: c.mode ?? 'rename',
			dispatchers: c.dispatchers.map((d) => ({ fn: d.fn, mode: d.mode })),
			leftBehind: c.reports.filter((r) => r.status === 'skipped').map((r) => r.function),
		}));
		const msg = commitMessage({ hooks: p.hooks, files: p.files, chains }, { version: opts.version, prefix });
		return { subject: msg.subject, body: msg.body, changes: p.changes, hooks: p.hooks };
	});
	const converted = plan.hooks.length - refused.length;
	const rendered = renderSeries(specs, {
		author: opts.author,
		date: opts.date,
		subjectPrefix: opts.subjectPrefix,
		signoff: opts.signoff,
		baseCommit: opts.baseCommit,
		version: opts.version,
		cover: {
			summary: `This series converts ${converted} f_op->mmap hook${converted === 1 ? '' : 's'} to f_op->mmap_prepare in ${specs.length} patch${specs.length === 1 ? '' : 'es'}.`,
			refused,
		},
	});
	const out: SeriesFile[] = rendered.map((r, i) => ({
		path: r.fileName,
		text: r.text,
		patch: i > 0,
		subject: i > 0 ? specs[i - 1]!.subject : '',
		files: i > 0 ? specs[i - 1]!.changes.map((c) => c.path) : [],
	}));
	for (const [i, spec] of specs.entries()) checkPatch(out[i + 1]!, spec);
	return out;
}

/** A rendered patch must turn every `before` into its `after`, byte for byte. */
function checkPatch(file: SeriesFile, spec: PatchSpec): void {
	const diffs = parsePatch(diffSection(file.text));
	for (const ch of spec.changes) {
		const d = diffs.find((x) => x.newFileName === `b/${ch.path}`);
		if (!d) throw new Error(`${file.path}: no diff for ${ch.path}`);
		const got = applyPatch(ch.before, d);
		if (got !== ch.after) throw new Error(`${file.path}: the diff of ${ch.path} does not reproduce the converted file`);
	}
}

export function writeSeries(outDir: string, files: SeriesFile[]): SeriesFile[] {
	fs.mkdirSync(path.dirname(outDir), { recursive: true });
	const tmp = fs.mkdtempSync(path.join(path.dirname(outDir), `.${path.basename(outDir)}.tmp-`));
	try {
		for (const f of files) fs.writeFileSync(path.join(tmp, f.path), f.text);
		fs.mkdirSync(outDir, { recursive: true });
		// An earlier series in the folder would mix with this one: replace it.
		for (const old of fs.readdirSync(outDir)) if (/^(v\d+-)?\d{4}-.*\.patch$/.test(old)) fs.unlinkSync(path.join(outDir, old));
		for (const f of files) fs.renameSync(path.join(tmp, f.path), path.join(outDir, f.path));
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return files;
}
