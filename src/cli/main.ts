// mmapify command line: tree -> index -> plan -> patches, or a dry-run diff.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { createTwoFilesPatch } from 'diff';
import { initParser } from '../c/parser.js';
import { buildIndex } from '../find/build-index.js';
import { planConversions, type Plan } from '../plan/plan.js';
import { detectApi, listSourceFiles, resolveTargets, resolveTree, UsageError } from '../kernel/tree.js';
import { buildSeries, patchMessages, refusalReportFile, writeSeries, type SeriesFile } from '../series/write.js';
import { parsePrefixOption, type PrefixRule } from '../series/subject.js';
import { git, gitPerson } from './git.js';
import { color, colourDiff, useColor } from '../ui/term.js';
import { rerollOf } from '../series/render.js';
import { patchFileName } from '../series/file-names.js';
import { loadMaintainers } from '../series/maintainers.js';
import { createProgress, type Progress } from '../ui/progress.js';
import { formatVerifyReport, resolveConfig, testingSummary, verifySeries, type VerifyReport } from '../verify/verify.js';
import { injectTestFault } from '../verify/test-fault.js';
import { REFUSALS } from '../rewrite/refusals.js';

/** mmapify's own package.json, found upward from this file (dist/src/ or src/). */
function ownVersion(): string {
	const req = createRequire(import.meta.url);
	for (const rel of ['../../../package.json', '../../package.json']) {
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
	prefix?: string | string[];
	to?: string | string[];
	cc?: string | string[];
	maintainers: boolean;
	rerollCount?: number;
	inReplyTo?: string;
	changelog?: string;
	verify: boolean;
	verifyConfig?: string;
	buildDir?: string;
	verifyDir?: string;
	verifyKeep: boolean;
	jobs?: number;
}

/** The bracket tag: --subject-prefix, plus "vN" from -v N (as git format-patch does). */
function subjectTag(args: Args): string {
	const tag = args.subjectPrefix.trim();
	if (args.rerollCount === undefined) return tag;
	if (!Number.isInteger(args.rerollCount) || args.rerollCount < 1) throw new UsageError(`-v/--reroll-count needs a positive integer, not ${args.rerollCount}`);
	if (rerollOf(tag)) throw new UsageError(`--subject-prefix "${tag}" already names a version; drop it or -v`);
	return `${tag ? `${tag} ` : ''}v${args.rerollCount}`;
}

/** "To:"/"Cc:" per mail and the MAINTAINERS notes, for the text report. */
function recipientsReport(series: SeriesFile[], noted: boolean): string {
	const lines: string[] = [];
	const addr = (xs: string[] | undefined) => (xs ?? []).map((x) => /<([^>]+)>\s*$/.exec(x)?.[1] ?? x).join(', ') || '-';
	for (const f of series.filter((s) => !s.report)) lines.push(`  ${f.path}\n      To: ${addr(f.to)}\n      Cc: ${addr(f.cc)}`);
	const notes = series[0]?.unmaintained ?? [];
	for (const u of notes) lines.push(`  note: ${u.section} is "${u.status}" in MAINTAINERS: ${u.files.join(', ')}`);
	return `recipients${noted ? ' (MAINTAINERS)' : ''}:\n${lines.join('\n')}`;
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

/** Subcommands live beside this file in src/cli/; the default command converts. */
const COMMANDS: Record<string, () => Promise<{ run(argv: string[], version: string): Promise<number> }>> = {
	'sync-dup': () => import('./sync-dup.js'),
	scan: () => import('./scan.js'),
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
		.option('prefix', {
			type: 'string',
			describe: 'subject prefix for the files under PATH, as PATH=PREFIX (repeatable; e.g. "drivers/xen/=xen/privcmd:"), or PREFIX for every subject (default: what the files\' git history uses, else a conventions table)',
		})
		// Not array options: those would swallow the paths after them; yargs
		// collects a repeated option into an array anyway.
		.option('to', { type: 'string', describe: 'add a To: address to every mail (repeatable)' })
		.option('cc', { type: 'string', describe: 'add a Cc: address to every mail (repeatable)' })
		.option('maintainers', { type: 'boolean', default: true, describe: "To:/Cc: from the tree's MAINTAINERS (--no-maintainers: only --to/--cc)" })
		.option('reroll-count', { alias: 'v', type: 'number', describe: 'mark the series as version N: [PATCH vN n/m], vN-NNNN-*.patch, "Changes in vN" in the cover letter' })
		.option('in-reply-to', { type: 'string', describe: "Message-Id the cover letter answers (e.g. the previous version's cover letter)" })
		.option('changelog', { type: 'string', describe: 'file with the list of changes for "Changes in vN:" (needs -v N >= 2)' })
		.option('verify', { type: 'boolean', default: false, describe: 'prove the series in a scratch clone (git am, checkpatch, compile) before writing it; exit 1 when anything fails' })
		.option('verify-config', { type: 'string', describe: "configuration for --verify (implies it): a make target (allmodconfig, defconfig, ...) or a .config file (default: the tree's .config)" })
		.option('build-dir', { type: 'string', describe: "the tree's build folder (make O=); --verify builds with its .config (default: $KBUILD_OUTPUT)" })
		.option('verify-dir', { type: 'string', describe: 'scratch folder for --verify, kept and reused next time (default: a temporary one, removed)' })
		.option('verify-keep', { type: 'boolean', default: false, describe: 'keep the temporary scratch folder of --verify' })
		.option('jobs', { alias: 'j', type: 'number', describe: 'make -j for --verify (default: the number of CPUs)' })
		.example('cd ~/linux && $0 drivers/xen', 'write outgoing/0000-cover-letter.patch, 0001-*.patch, ...')
		.example('$0 --dry-run drivers/xen', 'show the diff and the report, write nothing')
		.example('$0 --json drivers/xen', 'machine-readable report')
		.example('$0 --verify drivers/xen', 'write the series after proving it: git am, checkpatch, build')
		.example('$0 -v2 --in-reply-to MSGID --changelog changes.txt drivers/xen', 'a second version, threaded under the first')
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
	const tag = subjectTag(args);
	const reroll = rerollOf(tag);
	if (args.verifyConfig || args.buildDir || args.verifyDir || args.verifyKeep) args.verify = true;
	if (args.verify && args.dryRun) throw new UsageError('--verify proves the series it writes; it cannot be combined with --dry-run');
	if (args.changelog !== undefined && !(reroll && Number(reroll) > 1))
		throw new UsageError('--changelog is for a re-rolled series: add -v N (N >= 2)');
	const changelog = args.changelog !== undefined ? readText(cwd, args.changelog, '--changelog') : undefined;
	if (args.verifyConfig) {
		try {
			resolveConfig(root, args.verifyConfig, undefined, cwd);
		} catch (e) {
			throw new UsageError((e as Error).message);
		}
	}
	if (args.buildDir && !fs.existsSync(path.resolve(cwd, args.buildDir, '.config')))
		throw new UsageError(`--build-dir ${args.buildDir}: no .config there`);
	if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs > 0)) throw new UsageError('--jobs needs a positive integer');

	await initParser();
	const progress: Progress = createProgress({ json: args.json });
	const files = listSourceFiles(root, targets);
	progress.start(`mmapify: scanning ${files.length} file${files.length === 1 ? '' : 's'}`);
	const index = buildIndex(root, files);
	progress.start('mmapify: planning the conversions');
	const plan = planConversions(index, files, api);
	progress.end();
	const tty = useColor();
	// --prefix PATH=PREFIX rules and a bare PREFIX; prefixes are learned from the tree's history.
	let parsed: ReturnType<typeof parsePrefixOption>;
	try {
		parsed = parsePrefixOption(([] as string[]).concat(args.prefix ?? []));
	} catch (e) {
		throw new UsageError(`--prefix: ${(e as Error).message}`);
	}
	const { override, rules } = parsed;
	const prefixes: PrefixChoice = { prefix: override, prefixRules: rules, tree: root };

	if (args.dryRun) {
		if (args.json) {
			process.stdout.write(JSON.stringify(jsonReport(root, plan, undefined, prefixes, reroll), null, 2) + '\n');
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
	let verifyBase: string | undefined;
	if (args.verify && plan.patches.length) {
		if (git(root, 'rev-parse', '--git-dir') === undefined)
			throw new UsageError(`--verify needs ${root} to be a git repository: it proves the series with git am on its base commit`);
		verifyBase = base ? git(root, 'rev-parse', '--verify', '-q', `${base}^{commit}`) : undefined;
		if (!verifyBase) throw new UsageError(`--verify: base commit ${base ?? 'HEAD'} not found in ${root}`);
	}
	const maintainers = args.maintainers ? loadMaintainers(root) : undefined;
	let written: SeriesFile[] = [];
	let verified: VerifyReport | undefined;
	const outDir = path.resolve(cwd, args.outputDir);
	if (plan.patches.length) {
		const opts = {
			author: author!,
			date: new Date(),
			subjectPrefix: tag,
			signoff: args.signoff ? author : undefined,
			baseCommit: base,
			version: VERSION,
			...prefixes,
			refusalCodes: REFUSALS,
			maintainers,
			to: ([] as string[]).concat(args.to ?? []),
			cc: ([] as string[]).concat(args.cc ?? []),
			inReplyTo: args.inReplyTo,
			changelog,
		};
		let series = testFault(buildSeries(plan, opts));
		if (verifyBase) {
			// Proven before it is written, so that the cover letter can say what was proven.
			verified = await verifySeries({
				tree: root,
				base: verifyBase,
				patches: series.filter((f) => f.patch).map((f) => ({ name: f.path, text: f.text, files: f.files })),
				config: args.verifyConfig,
				buildDir: args.buildDir,
				dir: args.verifyDir,
				keep: args.verifyKeep,
				jobs: args.jobs,
				progress,
			});
			const final = testFault(buildSeries(plan, { ...opts, testing: testingSummary(verified) }), true);
			if (final.some((f, i) => f.patch && f.text !== series[i]!.text)) throw new Error('the patches changed between verification and writing');
			series = final;
		}
		written = writeSeries(outDir, [...series, refusalReportFile(plan, opts)]);
	}
	if (args.json) process.stdout.write(JSON.stringify(jsonReport(root, plan, written, prefixes, reroll, verified), null, 2) + '\n');
	else {
		process.stdout.write(report(plan, tty) + '\n');
		if (written.length) process.stdout.write(recipientsReport(written, !!maintainers) + '\n');
		if (args.maintainers && !maintainers && written.length) process.stdout.write('note: the tree has no MAINTAINERS file; To:/Cc: come from --to/--cc only\n');
		for (const w of maintainers?.warnings ?? []) process.stdout.write(`note: ${w}\n`);
		if (verified) process.stdout.write(formatVerifyReport(verified, tty) + '\n');
		if (written.length) process.stdout.write(`wrote ${written.length} files to ${path.relative(cwd, outDir) || '.'}\n`);
		else process.stdout.write('nothing to convert; no patches written\n');
	}
	return verified && !verified.ok ? 1 : 0;
}

function readText(cwd: string, file: string, what: string): string {
	try {
		return fs.readFileSync(path.resolve(cwd, file), 'utf8');
	} catch (e) {
		throw new UsageError(`${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
	}
}

/**
 * TEST ONLY: MMAPIFY_TEST_FAULT corrupts one generated line after the
 * series passed its own checks (see src/verify/test-fault.ts), so
 * that the end-to-end test can watch --verify fail.
 */
function testFault(series: SeriesFile[], quiet = false): SeriesFile[] {
	const spec = process.env.MMAPIFY_TEST_FAULT;
	if (!spec) return series;
	try {
		const { files, what } = injectTestFault(series, spec);
		if (!quiet) process.stderr.write(`mmapify: MMAPIFY_TEST_FAULT (test only): corrupted ${what}\n`);
		return files;
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
}

type PrefixChoice = { prefix?: string; prefixRules: PrefixRule[]; tree: string };

/** written: the series files, or undefined for a dry run (patches then carry the name they would get). */
function jsonReport(root: string, plan: Plan, written: SeriesFile[] | undefined, prefixes: PrefixChoice, reroll?: string, verify?: VerifyReport) {
	const converted = plan.hooks.filter((h) => h.status === 'converted').length;
	const patches = written
		? written.filter((w) => w.patch).map((w) => ({ path: w.path, subject: w.subject, files: w.files, to: w.to, cc: w.cc, unmaintained: w.unmaintained }))
		: patchMessages(plan, { ...prefixes, version: VERSION }).map(({ subject }, i) => {
				const p = plan.patches[i]!;
				return { path: patchFileName(i + 1, subject, reroll), subject, files: p.files, written: false };
			});
	const cover = written?.find((w) => !w.patch && !w.report);
	const refusals = written?.find((w) => w.report);
	return {
		tree: root,
		hooks: plan.hooks,
		patches,
		...(cover ? { cover: { path: cover.path, subject: cover.text.match(/^Subject: (.*(?:\n .*)*)/m)?.[1]?.replace(/\n /g, ' '), to: cover.to, cc: cover.cc, unmaintained: cover.unmaintained } } : {}),
		...(refusals ? { refusals: { path: refusals.path } } : {}),
		...(verify ? { verify } : {}),
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
