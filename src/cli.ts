#!/usr/bin/env node
// mmapify command line: tree -> index -> plan -> patches, or a dry-run diff.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { createTwoFilesPatch } from 'diff';
import { initParser } from './parser.js';
import { buildIndex } from './index.js';
import { planConversions, type Plan } from './plan.js';
import { detectApi, listSourceFiles, resolveTargets, resolveTree, UsageError } from './tree.js';
import { buildSeries, writeSeries, type SeriesFile } from './output.js';
import { git, gitPerson } from './gitenv.js';
import { color, colourDiff, useColor } from './term.js';
import { commitMessage, patchFileName } from './series.js';

/** mmapify's own package.json, found upward from this file (dist/src/ or src/). */
function ownVersion(): string {
	const req = createRequire(import.meta.url);
	for (const rel of ['../../package.json', '../package.json']) {
		try {
			const pkg = req(rel) as { name?: string; version?: string };
			if (pkg.name === 'mmapify' && pkg.version) return pkg.version;
		} catch {
			// not at this level
		}
	}
	return 'unknown';
}
const VERSION = ownVersion();

interface Args {
	paths: string[];
	tree?: string;
	outputDir: string;
	dryRun: boolean;
	json: boolean;
	signoff: boolean;
	subjectPrefix: string;
	base?: string;
	prefix?: string;
}

function report(plan: Plan, on: boolean): string {
	const c = color(on);
	const lines: string[] = [];
	for (const h of plan.hooks) {
		const where = h.file ? `${h.file}:${h.line}` : `${h.wiring[0]?.file}:${h.wiring[0]?.line}`;
		if (h.status === 'converted') lines.push(`${c.green('converted')} ${h.function} -> ${h.newName}  ${where}`);
		else lines.push(`${c.red('skipped  ')} ${h.function}  ${where}\n          ${h.reason}`);
	}
	const conv = plan.hooks.filter((h) => h.status === 'converted').length;
	lines.push(`${conv} converted, ${plan.hooks.length - conv} skipped, ${plan.patches.length} patch${plan.patches.length === 1 ? '' : 'es'}`);
	return lines.join('\n');
}

/** Subcommands live in src/commands/; the default command converts. */
const COMMANDS: Record<string, () => Promise<{ run(argv: string[], version: string): Promise<number> }>> = {
	'sync-dup': () => import('./commands/syncdup.js'),
};

async function main(argv: string[]): Promise<number> {
	const sub = argv[0] && COMMANDS[argv[0]];
	if (sub) return (await sub()).run(argv.slice(1), VERSION);
	const parser = yargs(argv)
		.scriptName('mmapify')
		.usage(
			'$0 [paths..]\n\nConvert f_op->mmap hooks under paths (files or folders of a Linux tree) to\nf_op->mmap_prepare and write a git format-patch series.\n\nOther commands:\n  $0 sync-dup [--check]  check or re-sync tools/testing/vma/include/dup.h',
		)
		.command('$0 [paths..]', false)
		.positional('paths', { type: 'string', array: true, default: [] })
		.option('tree', { type: 'string', describe: 'kernel tree (default: nearest ancestor of the current folder that is one)' })
		.option('output-dir', { alias: 'o', type: 'string', default: 'outgoing', describe: 'where to write the series' })
		.option('dry-run', { alias: 'n', type: 'boolean', default: false, describe: 'print a coloured diff and the report; write nothing' })
		.option('json', { type: 'boolean', default: false, describe: 'print a machine-readable report on stdout' })
		.option('signoff', { alias: 's', type: 'boolean', default: false, describe: "add Signed-off-by from git's user.name/user.email" })
		.option('subject-prefix', { type: 'string', default: 'PATCH', describe: 'prefix in [] of each subject' })
		.option('base', { type: 'string', describe: 'base-commit for the cover letter (default: HEAD of a git tree)' })
		.option('prefix', { type: 'string', describe: 'subsystem prefix for every subject, e.g. "xen:" (default: derived from the paths)' })
		.example('cd ~/linux && $0 drivers/xen', 'write outgoing/0000-cover-letter.patch, 0001-*.patch, ...')
		.example('$0 --dry-run drivers/xen', 'show the diff and the report, write nothing')
		.example('$0 --json drivers/xen', 'machine-readable report')
		.strict()
		.version(VERSION)
		.help()
		.exitProcess(false)
		.fail((msg, err) => {
			throw err ?? new UsageError(msg);
		});
	const args = (await parser.parse()) as unknown as Args & { help?: boolean; version?: boolean };
	if (args.help || args.version || argv.includes('--help') || argv.includes('--version')) return 0;

	const cwd = process.cwd();
	const root = resolveTree(cwd, args.tree);
	const api = detectApi(root);
	if (!api.mmapPrepare)
		throw new UsageError(`${root} has no f_op->mmap_prepare (include/linux/fs.h): nothing to convert to; mmapify needs Linux 7.2 or later`);
	const baseDir = args.tree && !cwd.startsWith(root) ? root : cwd;
	const targets = resolveTargets(root, baseDir, args.paths);

	await initParser();
	const files = listSourceFiles(root, targets);
	const index = buildIndex(root, files);
	const plan = planConversions(index, files, api);
	const tty = useColor();

	if (args.dryRun) {
		if (args.json) {
			process.stdout.write(JSON.stringify(jsonReport(root, plan, undefined, args.prefix), null, 2) + '\n');
			return 0;
		}
		for (const p of plan.patches)
			for (const ch of p.changes) process.stdout.write(colourDiff(createTwoFilesPatch(`a/${ch.path}`, `b/${ch.path}`, ch.before, ch.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''), tty) + '\n');
		process.stdout.write(report(plan, tty) + '\n');
		return 0;
	}

	const author = gitPerson(root) ?? gitPerson(cwd);
	if (!author && plan.patches.length) throw new UsageError('no author: set git user.name and user.email (or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL)');
	const base = args.base ?? git(root, 'rev-parse', '--verify', '-q', 'HEAD');
	let written: SeriesFile[] = [];
	const outDir = path.resolve(cwd, args.outputDir);
	if (plan.patches.length) {
		const series = buildSeries(plan, {
			author: author!,
			date: new Date(),
			subjectPrefix: args.subjectPrefix,
			signoff: args.signoff ? author : undefined,
			baseCommit: base,
			version: VERSION,
			prefix: args.prefix,
		});
		written = writeSeries(outDir, series);
	}
	if (args.json) process.stdout.write(JSON.stringify(jsonReport(root, plan, written, args.prefix), null, 2) + '\n');
	else {
		process.stdout.write(report(plan, tty) + '\n');
		if (written.length) process.stdout.write(`wrote ${written.length} files to ${path.relative(cwd, outDir) || '.'}\n`);
		else process.stdout.write('nothing to convert; no patches written\n');
	}
	return 0;
}

/** written: the series files, or undefined for a dry run (patches then carry the name they would get). */
function jsonReport(root: string, plan: Plan, written: SeriesFile[] | undefined, prefix?: string) {
	const converted = plan.hooks.filter((h) => h.status === 'converted').length;
	const patches = written
		? written.filter((w) => w.patch).map((w) => ({ path: w.path, subject: w.subject, files: w.files }))
		: plan.patches.map((p, i) => {
				const subject = commitMessage({ hooks: p.hooks, files: p.files }, { version: VERSION, prefix }).subject;
				return { path: patchFileName(i + 1, subject), subject, files: p.files, written: false };
			});
	return {
		tree: root,
		hooks: plan.hooks,
		patches,
		summary: { converted, skipped: plan.hooks.length - converted, patches: plan.patches.length },
	};
}

main(hideBin(process.argv)).then(
	(code) => process.exit(code),
	(err) => {
		if (err instanceof UsageError) {
			process.stderr.write(`mmapify: ${err.message}\n`);
			process.exit(2);
		}
		process.stderr.write(`mmapify: internal error: ${err?.stack ?? err}\n`);
		process.exit(70); // EX_SOFTWARE: 1 means "found something" for the checking commands
	},
);

export { fs };
