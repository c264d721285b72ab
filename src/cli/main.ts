// mmapify command line: tree -> index -> plan -> patches, or a dry-run diff.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { createTwoFilesPatch } from 'diff';
import { initParser } from '../c/parser.js';
import { buildIndex } from '../find/build-index.js';
import { planConversions } from '../plan/plan.js';
import { detectApi, isInside, listSourceFiles, resolveTargets, resolveTree, UsageError } from '../kernel/tree.js';
import { buildSeries, refusalReportFile, unmaintainedWhere, type SeriesFile } from '../series/write.js';
import { parsePrefixOption } from '../series/subject.js';
import { git, gitPerson } from './git.js';
import { headerText, mailboxes, messageIdValue } from '../series/header-values.js';
import { baseCommit, checkProvenance, divergence, describeDivergence, enclosingNote, treeRepository } from './provenance.js';
import { checkOutputDir, interruptedSwap, recoverOutputDir, writeSeriesFiles } from '../outdir/outdir.js';
import { describeFailure, errnoText, isEnvironmentFailure } from '../base/envfail.js';
import { fileProblems } from '../kernel/source-file.js';
import { checkVerifyDir } from '../verify/verify-dir.js';
import { note, type Note } from './notes.js';
import { colourDiff, colorEnabled } from '../ui/term.js';
import { rerollOf } from '../series/render.js';
import { loadMaintainers, sectionOfFile } from '../series/maintainers.js';
import { createProgress, type Progress } from '../ui/progress.js';
import { verifySeries, type VerifyReport } from '../verify/verify.js';
import { resolveConfig } from '../verify/config.js';
import { formatVerifyReport, testingSummary } from '../verify/report.js';
import { injectTestFault, type FaultHook } from '../verify/test-fault.js';
import { bootSeries } from '../verify/boot/run.js';
import { formatBootReport, type BootReport } from '../verify/boot/report.js';
import { globsMatcher } from '../base/glob.js';
import { applyJobs, rerollOrVerbose, resolveOutput, withOutputOptions, type Output, type OutputArgs } from './options.js';
import { checkReport, gccLines, jsonReport, textReport, type PrefixChoice, type RunMode } from './convert-report.js';
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

interface Args extends OutputArgs {
	paths: string[];
	check: boolean;
	only?: string | string[];
	exclude?: string | string[];
	coexist: boolean;
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
	boot: boolean;
	bootDir?: string;
	jobs?: number;
	allowDirty: boolean;
}

/** The bracket tag: --subject-prefix, plus "vN" from -v N (as git format-patch does). */
function subjectTag(args: Args): string {
	const tag = headerText('--subject-prefix', args.subjectPrefix).trim();
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
	for (const u of notes) lines.push(`  note: ${u.section} is "${u.status}" in MAINTAINERS: ${unmaintainedWhere(u)}`);
	return `recipients${noted ? ' (MAINTAINERS)' : ''}:\n${lines.join('\n')}`;
}

/** Subcommands live beside this file in src/cli/; the default command converts. */
const COMMANDS: Record<string, () => Promise<{ run(argv: string[], version: string): Promise<number> }>> = {
	'sync-dup': () => import('./sync-dup.js'),
	scan: () => import('./scan.js'),
};

const USAGE = `$0 [paths..]

Convert f_op->mmap hooks under paths (files or folders of a Linux tree) to
f_op->mmap_prepare and write a git format-patch series.

Commands:
  $0 [paths..]             convert (this page)
  $0 scan [paths..]        inventory of every old-style hook, chain and verdict
  $0 sync-dup [--check]    check or re-sync tools/testing/vma/include/dup.h
  $0 help [command]        this page, or a command's

-v N (or -vN) is the reroll count, as in git format-patch; -v alone is --verbose.`;

async function main(argv: string[]): Promise<number> {
	// `mmapify help [command]`
	if (argv[0] === 'help') return main(argv[1] && COMMANDS[argv[1]] ? [argv[1], '--help'] : ['--help']);
	const sub = argv[0] && COMMANDS[argv[0]];
	if (sub) return (await sub()).run(argv.slice(1), VERSION);
	const parser = withOutputOptions(
		yargs(rerollOrVerbose(argv))
			.scriptName('mmapify')
			.usage(USAGE)
			.command('$0 [paths..]', false)
			.positional('paths', { type: 'string', array: true, default: [] })
			.option('tree', { type: 'string', describe: 'kernel tree (default: nearest ancestor of the current folder that is one)' })
			.option('output-dir', { alias: 'o', type: 'string', default: 'outgoing', describe: 'where to write the series' })
			.option('dry-run', { alias: 'n', type: 'boolean', default: false, describe: 'print a coloured diff and the report; write nothing' })
			.option('check', { type: 'boolean', default: false, describe: 'write nothing; list the hooks that would convert and exit 1 if there are any (for CI and pre-commit hooks)' })
			// Not array options: those would swallow the paths after them; yargs
			// collects a repeated option into an array anyway.
			.option('only', { type: 'string', describe: 'convert only this hook (its function name; repeatable); a chain it belongs to comes along' })
			.option('exclude', { type: 'string', describe: 'leave out the files matching this glob (tree-relative, gitignore-style; repeatable): they are neither read for hooks nor edited' })
			.option('coexist', { type: 'boolean', default: true, describe: 'a chain whose implementors do not all convert may get the new hook field beside the old one (--no-coexist: such chains are refused, coexist-off)' }),
		{ gcc: 'one line per refused hook, file:line: mmapify: code: reason', verboseAlias: true },
	)
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
		.option('reroll-count', { type: 'number', describe: 'also -v N, -vN: mark the series as version N: [PATCH vN n/m], vN-NNNN-*.patch, "Changes in vN" in the cover letter' })
		.option('in-reply-to', { type: 'string', describe: "Message-Id the cover letter answers (e.g. the previous version's cover letter)" })
		.option('changelog', { type: 'string', describe: 'file with the list of changes for "Changes in vN:" (needs -v N >= 2)' })
		.option('verify', { type: 'boolean', default: false, describe: 'prove the series in a scratch clone (git am, checkpatch, compile) before writing it; exit 1 when anything fails' })
		.option('verify-config', { type: 'string', describe: "configuration for --verify (implies it): a make target (allmodconfig, defconfig, ...) or a .config file (default: the tree's .config)" })
		.option('build-dir', { type: 'string', describe: "the tree's build folder (make O=); --verify builds with its .config (default: $KBUILD_OUTPUT)" })
		.option('verify-dir', { type: 'string', describe: 'scratch folder for --verify, kept and reused next time (default: a temporary one, removed)' })
		.option('verify-keep', { type: 'boolean', default: false, describe: 'keep the temporary scratch folder of --verify' })
		.option('boot', { type: 'boolean', default: false, describe: 'after --verify (implied): build a small x86_64 kernel at the base and at the tip, boot both under QEMU with the probes of probes/catalogue.json and compare; exit 1 on a difference or a new oops' })
		.option('boot-dir', { type: 'string', describe: 'scratch folder for --boot (implies it), kept and reused (default: ~/.cache/mmapify/boot)' })
		.option('jobs', { alias: 'j', type: 'number', describe: 'parallel jobs: worker threads of the scan, make -j of --verify (default: the number of CPUs)' })
		.option('allow-dirty', { type: 'boolean', default: false, describe: 'write the series even when hook files differ from the base commit (uncommitted or untracked); the cover letter then says the base is not a commit' })
		.example('cd ~/linux && $0 drivers/xen', 'write outgoing/0000-cover-letter.patch, 0001-*.patch, ...')
		.example('$0 --dry-run drivers/xen', 'show the diff and the report, write nothing')
		.example('$0 --check drivers/xen', 'exit 1 if some hook would still convert (CI)')
		.example('$0 --json drivers/xen', 'machine-readable report (docs/json.md)')
		.example('$0 --only privcmd_mmap --exclude "*/xenbus/*" drivers/xen', 'convert one hook; leave some files alone')
		.example('$0 --verify drivers/xen', 'write the series after proving it: git am, checkpatch, build')
		.example('$0 -v2 --in-reply-to MSGID --changelog changes.txt drivers/xen', 'a second version, threaded under the first')
		.strict()
		.version(VERSION)
		.help()
		.alias('help', 'h')
		.wrap(null)
		.exitProcess(false)
		.fail((msg, err) => {
			throw err ?? new UsageError(msg);
		});
	const args = (await parser.parse()) as unknown as Args & { help?: boolean; version?: boolean };
	if (args.help || args.version || argv.includes('--help') || argv.includes('-h') || argv.includes('--version')) return 0;
	const out = resolveOutput(args);
	applyJobs(args.jobs);
	return convert(args, out);
}

async function convert(args: Args, out: Output): Promise<number> {
	const cwd = process.cwd();
	if (args.tree !== undefined && !args.tree) throw new UsageError('--tree needs a folder, not an empty value');
	// Every value that becomes a mail header, checked before anything else runs.
	const to = ([] as string[]).concat(args.to ?? []).flatMap((v) => mailboxes('--to', v));
	const cc = ([] as string[]).concat(args.cc ?? []).flatMap((v) => mailboxes('--cc', v));
	const inReplyTo = args.inReplyTo !== undefined ? messageIdValue('--in-reply-to', args.inReplyTo) : undefined;
	for (const v of ([] as string[]).concat(args.prefix ?? [])) headerText('--prefix', v);
	// --prefix PATH=PREFIX rules and a bare PREFIX (otherwise prefixes are learned from the
	// tree's history): they need no tree, so a bad one fails before the scan.
	let parsed: ReturnType<typeof parsePrefixOption>;
	try {
		parsed = parsePrefixOption(([] as string[]).concat(args.prefix ?? []));
	} catch (e) {
		throw new UsageError(`--prefix: ${(e as Error).message}`);
	}
	const { override, rules } = parsed;
	const root = resolveTree(cwd, args.tree);
	const api = detectApi(root);
	if (!api.mmapPrepare)
		throw new UsageError(`${root} has no f_op->mmap_prepare (include/linux/fs.h): nothing to convert to; mmapify needs Linux 7.2 or later`);
	const baseDir = args.tree && !isInside(root, cwd) ? root : cwd;
	const targets = resolveTargets(root, baseDir, args.paths);
	const tag = subjectTag(args);
	const outDir = path.resolve(cwd, args.outputDir);
	if (!args.dryRun) checkOutputDir(outDir, args.outputDir);
	const repo = treeRepository(root);
	const base = baseCommit(root, repo, args.base);
	const reroll = rerollOf(tag);
	if (args.bootDir) args.boot = true;
	if (args.verifyConfig || args.buildDir || args.verifyDir || args.verifyKeep || args.boot) args.verify = true;
	if (args.verify && args.dryRun) throw new UsageError('--verify proves the series it writes; it cannot be combined with --dry-run');
	if (args.check && args.verify) throw new UsageError('--check writes nothing and proves nothing; it cannot be combined with --verify');
	const only = ([] as string[]).concat(args.only ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
	const excludes = ([] as string[]).concat(args.exclude ?? []).filter((x) => x.trim());
	const excluded = excludes.length ? globsMatcher(excludes) : undefined;
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
	if (args.verifyDir !== undefined) checkVerifyDir(path.resolve(cwd, args.verifyDir), args.verifyDir);
	const notes: Note[] = [];
	const enclosing = enclosingNote(root, repo);
	if (enclosing) notes.push(note('enclosing-repo', enclosing));

	await initParser();
	const progress: Progress = createProgress({ json: out.format !== 'text' || out.quiet });
	const files = listSourceFiles(root, targets).filter((f) => !excluded?.(f));
	progress.start(`mmapify: scanning ${files.length} file${files.length === 1 ? '' : 's'}`);
	const index = buildIndex(root, files);
	progress.start('mmapify: planning the conversions');
	// Patches of one MAINTAINERS section go next to each other (its most specific section for a file).
	const maintainersFile = loadMaintainers(root);
	const sectionOf = maintainersFile && ((f: string) => sectionOfFile(maintainersFile, f));
	const plan = planConversions(index, files, api, { only, excluded }, { coexist: args.coexist, sectionOf: sectionOf || undefined });
	progress.end();
	const prefixes: PrefixChoice = { prefix: override, prefixRules: rules, tree: root };
	const touched = [...new Set(plan.patches.flatMap((p) => p.changes.map((c) => c.path)))];
	const skippedFiles = fileProblems(root);
	for (const f of skippedFiles) notes.push(note('file-skipped', `${f.status === 'error' ? '' : 'skipped '}${f.file}: ${f.reason}`));
	if (plan.selection?.unmatched.length)
		throw new UsageError(`--only ${plan.selection.unmatched.join(', ')}: no such hook under ${args.paths.join(' ') || 'the current folder'} (mmapify scan lists them)`);
	const say = (text: string) => text && process.stdout.write(text + '\n');
	const json = (mode: RunMode, written?: SeriesFile[], verify?: VerifyReport, boot?: BootReport) =>
		say(JSON.stringify(jsonReport({ root, plan, mode, tool: VERSION, written, prefixes, reroll, verify, boot, notes, skippedFiles }), null, 2));

	if (args.check) {
		const would = plan.hooks.some((h) => h.status === 'converted');
		if (out.format === 'json') json('check');
		else if (out.format === 'gcc') say(gccLines(plan, true).join('\n'));
		else if (!out.quiet) say(checkReport(plan, out));
		return would ? 1 : 0;
	}
	if (args.dryRun) {
		if (base) {
			const d = divergence(root, base, touched);
			if (d.modified.length || d.untracked.length)
				notes.push(note('dirty-tree', `${describeDivergence(d, args.base ?? 'HEAD', base)}: writing this series would need --allow-dirty (it is made from the files on disk)`));
		}
		if (interruptedSwap(outDir)) notes.push(note('swap-interrupted', `${args.outputDir} holds an interrupted replacement of a series; the next run that writes there finishes it`));
		if (out.format === 'json') json('dry-run');
		else if (out.format === 'gcc') say(gccLines(plan).join('\n'));
		else {
			for (const p of plan.patches)
				for (const ch of p.changes) say(colourDiff(createTwoFilesPatch(`a/${ch.path}`, `b/${ch.path}`, ch.before, ch.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''), out.color));
			if (!out.quiet) say(textReport(plan, out));
			if (!out.quiet) for (const n of notes) say(`note: ${n.text}`);
		}
		return 0;
	}

	const author = gitPerson(root) ?? gitPerson(cwd);
	if (!author && plan.patches.length) throw new UsageError('no author: set git user.name and user.email (or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL)');
	let verifyBase: string | undefined;
	if (args.verify && plan.patches.length) {
		if (!repo.own)
			throw new UsageError(`--verify needs ${root} to be a git repository (its top level): it proves the series with git am on its base commit`);
		verifyBase = base;
		if (!verifyBase) throw new UsageError(`--verify: base commit ${args.base ?? 'HEAD'} not found in ${root}`);
	}
	// The series must apply to the commit it names: hook files that are not that commit's refuse the run.
	const provenance = checkProvenance(root, base, args.base ?? 'HEAD', touched, args.allowDirty);
	if (provenance.note) notes.push(note('other-modified', provenance.note));
	const maintainers = args.maintainers ? maintainersFile : undefined;
	let written: SeriesFile[] = [];
	let verified: VerifyReport | undefined;
	let booted: BootReport | undefined;
	if (plan.patches.length) {
		const opts = {
			author: author!,
			date: new Date(),
			subjectPrefix: tag,
			signoff: args.signoff ? author : undefined,
			baseCommit: provenance.paragraph ? undefined : base,
			provenance: provenance.paragraph,
			version: VERSION,
			...prefixes,
			refusalCodes: REFUSALS,
			maintainers,
			to,
			cc,
			inReplyTo,
			changelog,
		};
		const fault = { read: (f: string) => fs.readFileSync(path.join(root, f), 'utf8'), hooks: [] as FaultHook[] };
		let series = testFault(buildSeries(plan, opts), fault);
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
				signoff: args.signoff,
				progress,
			});
			if (args.boot) {
				const hooks = [...plan.hooks.filter((h) => h.status === 'converted' && h.file), ...fault.hooks].map((h) => ({ file: h.file, function: h.function }));
				booted = await bootSeries({ tree: root, base: verifyBase, patches: series.filter((f) => f.patch).map((f) => ({ name: f.path, text: f.text })), hooks, verified, dir: args.bootDir && path.resolve(cwd, args.bootDir), jobs: args.jobs, progress });
			}
			const final = testFault(buildSeries(plan, { ...opts, testing: testingSummary(verified, booted) }), fault, true);
			if (final.some((f, i) => f.patch && f.text !== series[i]!.text)) throw new Error('the patches changed between verification and writing');
			series = final;
		}
		// The refused hooks' report (refusals.txt) is one more file of the series.
		const files = [...series, refusalReportFile(plan, opts)];
		const w = await writeSeriesFiles(outDir, args.outputDir, `convert v${reroll ?? 1}`, files);
		notes.push(...w.notes.map((n) => note('swap-recovered', n)));
		written = files;
	} else {
		const r = await recoverOutputDir(outDir, args.outputDir);
		if (r) notes.push(note('swap-recovered', r));
	}
	const rel = path.relative(process.cwd(), outDir) || '.';
	if (out.format === 'json') json('write', written, verified, booted);
	else if (out.format === 'gcc') {
		say(gccLines(plan).join('\n'));
		if (verified && !verified.ok) process.stderr.write(formatVerifyReport(verified, colorEnabled(out.colorMode, process.stderr)) + '\n');
		if (booted && !booted.ok) process.stderr.write(formatBootReport(booted).join('\n') + '\n');
	} else if (out.quiet) {
		if (verified && !verified.ok) say(formatVerifyReport(verified, out.color));
		if (booted && !booted.ok) say(formatBootReport(booted).join('\n'));
		if (written.length) say(`wrote ${written.length} files to ${rel}`);
	} else {
		say(textReport(plan, out));
		if (written.length) say(recipientsReport(written, !!maintainers));
		if (args.maintainers && !maintainers && written.length) say('note: the tree has no MAINTAINERS file; To:/Cc: come from --to/--cc only');
		for (const w of maintainers?.warnings ?? []) say(`note: ${w}`);
		for (const n of notes) say(`note: ${n.text}`);
		if (verified) say(formatVerifyReport(verified, out.color));
		if (booted) say(formatBootReport(booted).join('\n'));
		if (written.length) say(`wrote ${written.length} files to ${rel}`);
		else say('nothing to convert; no patches written');
	}
	return (verified && !verified.ok) || (booted && !booted.ok) ? 1 : 0;
}

/** A regular file's text (a FIFO or a device would block or never end). */
function readText(cwd: string, file: string, what: string): string {
	try {
		const abs = path.resolve(cwd, file);
		if (!fs.statSync(abs).isFile()) throw new UsageError(`${what} ${file} is not a regular file`);
		return fs.readFileSync(abs, 'utf8');
	} catch (e) {
		if (e instanceof UsageError) throw e;
		throw new UsageError(`${what} ${file}: ${isEnvironmentFailure(e) ? errnoText(e) : (e as Error).message}`);
	}
}

/**
 * TEST ONLY: MMAPIFY_TEST_FAULT corrupts one generated line after the
 * series passed its own checks (see src/verify/test-fault.ts), so
 * that the end-to-end test can watch --verify fail.
 */
function testFault(series: SeriesFile[], ctx: { read(f: string): string; hooks: FaultHook[] }, quiet = false): SeriesFile[] {
	const spec = process.env.MMAPIFY_TEST_FAULT;
	if (!spec) return series;
	try {
		const { files, what, hooks } = injectTestFault(series, spec, ctx);
		if (!quiet) process.stderr.write(`mmapify: MMAPIFY_TEST_FAULT (test only): corrupted ${what}\n`);
		ctx.hooks = hooks;
		return files;
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
}

main(hideBin(process.argv)).then(
	(code) => process.exit(code),
	(err) => {
		if (err instanceof UsageError) {
			process.stderr.write(`mmapify: ${err.message}\n`);
			process.exit(2);
		}
		// A failed system call on the user's files: the machine's to fix, not a bug of mmapify.
		if (isEnvironmentFailure(err)) {
			process.stderr.write(`mmapify: ${describeFailure(err)}\n`);
			process.exit(2);
		}
		process.stderr.write(`mmapify: internal error: ${err?.stack ?? err}\n`);
		process.exit(70); // EX_SOFTWARE: 1 means "found something" for the checking commands
	},
);

export { fs };
