// `mmapify sync-dup`: keep tools/testing/vma/include/dup.h, the userland VMA
// tests' copy of kernel declarations, in sync with the kernel.
//   sync-dup --check   table of every mirrored item; exit 1 when stale drift exists
//   sync-dup           write a format-patch that re-syncs the stale items
import * as path from 'node:path';
import yargs from 'yargs';
import { createTwoFilesPatch } from 'diff';
import { checkDup, formatReport, hasStaleDrift, syncDupPatch } from '../mm/dup/index.js';
import { resolveTree, UsageError } from '../kernel/tree.js';
import { gitPerson } from './git.js';
import { colourDiff, useColor } from '../ui/term.js';
import { renderSeries, rerollOf } from '../series/render.js';
import { checkOutputDir, recoverOutputDir, writeSeriesFiles } from '../outdir/outdir.js';
import { headerText } from '../series/header-values.js';
import { baseCommit, checkProvenance, enclosingNote, treeRepository } from './provenance.js';
import { note } from './notes.js';
import { wrapMessage } from '../base/wrap.js';
import type { PatchSpec } from '../base/types.js';

interface Args {
	check: boolean;
	tree?: string;
	json: boolean;
	all: boolean;
	overrides?: string;
	outputDir: string;
	dryRun: boolean;
	signoff: boolean;
	subjectPrefix: string;
	base?: string;
	only?: string[];
	exclude?: string[];
	allowDirty: boolean;
}

/** sync-dup's own default folder: never the conversion series' (outgoing). */
export const SYNC_DUP_OUTPUT = 'outgoing-sync-dup';

export async function run(argv: string[], version: string): Promise<number> {
	const args = (await yargs(argv)
		.scriptName('mmapify sync-dup')
		.usage('$0 [--check]\n\nCompare every item of tools/testing/vma/include/dup.h with its kernel original;\nwithout --check, write a patch that brings the stale ones back in sync.')
		.option('check', { type: 'boolean', default: false, describe: 'only report; exit 1 when stale drift exists' })
		.option('tree', { type: 'string', describe: 'kernel tree (default: nearest ancestor of the current folder)' })
		.option('json', { type: 'boolean', default: false, describe: 'machine-readable report' })
		.option('all', { type: 'boolean', default: false, describe: 'list in-sync items too' })
		.option('overrides', { type: 'string', describe: 'file of `custom|drift ITEM reason` lines (see docs/dup-sync.md)' })
		.option('output-dir', { alias: 'o', type: 'string', default: SYNC_DUP_OUTPUT, describe: 'where to write the patch (not the conversion series\' folder)' })
		.option('dry-run', { alias: 'n', type: 'boolean', default: false, describe: 'print the diff, write nothing' })
		.option('signoff', { alias: 's', type: 'boolean', default: false, describe: "add Signed-off-by from git's identity" })
		.option('subject-prefix', { type: 'string', default: 'PATCH' })
		.option('base', { type: 'string', describe: 'base-commit for the cover letter' })
		.option('only', { type: 'string', array: true, describe: 'sync only these items' })
		.option('exclude', { type: 'string', array: true, describe: 'leave these items alone' })
		.option('allow-dirty', { type: 'boolean', default: false, describe: 'write the patch even when dup.h differs from the base commit; the cover letter then says so' })
		.strict()
		.version(version)
		.help()
		.exitProcess(false)
		.fail((msg, err) => {
			throw err ?? new UsageError(msg);
		})
		.parse()) as unknown as Args & { help?: boolean };
	if (args.help || argv.includes('--help') || argv.includes('--version')) return 0;
	const cwd = process.cwd();
	if (args.tree !== undefined && !args.tree) throw new UsageError('--tree needs a folder, not an empty value');
	const tag = headerText('--subject-prefix', args.subjectPrefix).trim();
	const root = resolveTree(cwd, args.tree);
	const repo = treeRepository(root);
	const base = baseCommit(root, repo, args.base);
	const out = path.resolve(cwd, args.outputDir);
	if (!args.check && !args.dryRun) checkOutputDir(out, args.outputDir);
	let report;
	try {
		report = checkDup(root, { overridesFile: args.overrides ? path.resolve(cwd, args.overrides) : undefined });
	} catch (e) {
		throw new UsageError(`cannot check dup.h: ${(e as Error).message}`);
	}

	if (args.check) {
		if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
		else process.stdout.write(formatReport(report, { color: useColor(), all: args.all, diffs: true }) + '\n');
		return hasStaleDrift(report) ? 1 : 0;
	}

	const sync = syncDupPatch(root, { report, only: args.only, exclude: args.exclude });
	const rel = path.relative(root, sync.dupPath) || sync.dupPath;
	const synced = sync.changes.filter((c) => c.action !== 'skipped');
	const skipped = sync.changes.filter((c) => c.action === 'skipped');
	if (args.json && args.dryRun) {
		process.stdout.write(JSON.stringify({ dup: rel, changes: sync.changes }, null, 2) + '\n');
		return 0;
	}
	if (sync.after === sync.before) {
		if (!args.dryRun) {
			const r = await recoverOutputDir(out, args.outputDir);
			if (r) process.stdout.write(`note: ${r}\n`);
		}
		process.stdout.write(`${rel} has no stale item to re-sync${skipped.length ? ` (${skipped.length} need a human: ${skipped.map((c) => c.name).join(', ')})` : ''}\n`);
		return 0;
	}
	if (args.dryRun) {
		process.stdout.write(colourDiff(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, sync.before, sync.after).replace(/^=+\n/, ''), useColor()) + '\n');
		for (const c of sync.changes) process.stdout.write(`${c.action.padEnd(8)} ${c.name}: ${c.detail}\n`);
		return 0;
	}
	const author = gitPerson(root) ?? gitPerson(cwd);
	if (!author) throw new UsageError('no author: set git user.name and user.email (or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL)');
	const provenance = checkProvenance(root, base, args.base ?? 'HEAD', [rel], args.allowDirty);
	const body = wrapMessage(
		[
			'tools/testing/vma/include/dup.h carries copies of kernel declarations that "must be kept in sync with kernel source". These had drifted from their originals:',
			synced.map((c) => `- ${c.name}: ${c.detail}`).join('\n'),
			skipped.length ? `Left for a human (they need more than a verbatim copy):\n\n${skipped.map((c) => `- ${c.name}: ${c.detail}`).join('\n')}` : '',
			`Generated by mmapify ${version} (mmapify sync-dup), which compares each dup.h item with its kernel original; deliberate test simplifications are listed in its customisation table and left alone.`,
		]
			.filter(Boolean)
			.join('\n\n'),
	);
	const spec: PatchSpec = {
		subject: 'tools/testing/vma: Sync dup.h with the kernel declarations',
		body,
		changes: [{ path: rel, before: sync.before, after: sync.after }],
		hooks: [],
	};
	const files = renderSeries([spec], {
		author,
		date: new Date(),
		subjectPrefix: tag,
		signoff: args.signoff ? author : undefined,
		baseCommit: provenance.paragraph ? undefined : base,
		version,
		cover: {
			summary: `This patch re-syncs ${synced.length} stale item${synced.length === 1 ? '' : 's'} of ${rel} with the kernel.`,
			refused: [],
			provenance: provenance.paragraph,
		},
	});
	const w = await writeSeriesFiles(out, args.outputDir, `sync-dup v${rerollOf(tag) ?? 1}`, files.map((f) => ({ path: f.fileName, text: f.text })));
	const enclosing = enclosingNote(root, repo);
	const notes = [...(enclosing ? [note('enclosing-repo', enclosing)] : []), ...w.notes.map((n) => note('swap-recovered', n))];
	if (args.json) process.stdout.write(JSON.stringify({ dup: rel, changes: sync.changes, patches: files.slice(1).map((f) => f.fileName), ...(notes.length ? { notes } : {}) }, null, 2) + '\n');
	else {
		for (const n of notes) process.stdout.write(`note: ${n.text}\n`);
		process.stdout.write(`wrote ${files.length} files to ${path.relative(cwd, out) || '.'}: ${synced.length} items re-synced, ${skipped.length} left for a human\n`);
	}
	return 0;
}
