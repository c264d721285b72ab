// mmapify --verify: prove a series in a scratch copy of the user's tree
// before it is written, never touching the user's files.
//
//   1. `git clone --shared` of the tree (objects borrowed read-only, nothing
//      written to the user's repository), checked out at the base commit.
//   2. A scratch build folder (make O=...) configured from the tree's .config,
//      the build folder's (--build-dir, KBUILD_OUTPUT) or a make target such
//      as allmodconfig (--verify-config); `make prepare`.
//   3. Every touched .c outside tools/ is built at base; an object that does
//      not build there is "not built by this configuration" (powerpc-only
//      code on x86, a driver the config leaves out), not a failure.
//   4. Per patch: `git am`; scripts/checkpatch.pl --strict (errors fail,
//      warnings and checks are listed); the patch's objects that built at base are rebuilt.
//   5. At the tip: every object that built at base once more (a later patch
//      may change a header an earlier one relies on); and when the series
//      touches mm/ or tools/testing/vma, `make -C tools/testing/vma` and its
//      ./vma run (also tried at base, so a machine without liburcu reports
//      "not buildable here" instead of a failure).
//
//
// The commands it runs are in exec.ts, the configuration in config.ts,
// checkpatch in checkpatch.ts, the printed report and the cover letter's
// paragraph in report.ts.
//
// MMAPIFY_TEST_FAULT (test only; see test-fault.ts) corrupts one generated
// line so that the end-to-end test can watch verification fail.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { noProgress, type Progress } from '../ui/progress.js';
import { makeVerifyDir } from './verify-dir.js';
import { amErrors, run, tail, type RunResult } from './exec.js';
import { archFor, configPhrase, resolveConfig } from './config.js';
import { citedCommits, runCheckpatch, SIGNOFF_NOTE, unknownCommitNote, type CheckpatchResult } from './checkpatch.js';

export interface VerifyPatch {
	/** file name, e.g. 0001-xen-privcmd-Convert-....patch */
	name: string;
	text: string;
	/** tree-relative paths it changes */
	files: string[];
}

export interface VerifyOptions {
	/** the user's kernel tree: a git repository */
	tree: string;
	/** commit the series applies to */
	base: string;
	patches: VerifyPatch[];
	/** a make target (allmodconfig, defconfig, ...) or a .config file */
	config?: string;
	/** the user's build folder (make O=): its .config is the configuration */
	buildDir?: string;
	/** make ARCH= (default: $ARCH, else the .config header, else the host) */
	arch?: string;
	/** make -j (default: the CPUs available) */
	jobs?: number;
	/** scratch folder to use and keep; reused on the next run (faster builds) */
	dir?: string;
	/** keep a temporary scratch folder instead of deleting it */
	keep?: boolean;
	/** the patches carry Signed-off-by (-s): checkpatch checks it; otherwise it runs with --no-signoff */
	signoff?: boolean;
	progress?: Progress;
}

export type ObjectStatus = 'ok' | 'failed' | 'not-built' | 'not-tried';

export interface ObjectResult {
	/** the .c file */
	file: string;
	object: string;
	/** ok/failed: built after the patch or not; not-built: does not build at base either */
	status: ObjectStatus;
	/** first error lines of a failed build */
	errors?: string[];
}

export interface PatchResult {
	name: string;
	apply: { ok: boolean; output?: string };
	checkpatch: CheckpatchResult;
	compile: ObjectResult[];
	/**
	 * A patch that changes a header (a chain's new or removed field): the
	 * objects of the series' other files, made again after it (make rebuilds
	 * those that include it), so that a step of a split chain is proven to
	 * leave the files of the other steps building
	 */
	dependents?: ObjectResult[];
	/** .c files left out of the build: under tools/ (not kbuild) */
	notKbuild: string[];
	ok: boolean;
}

export interface VmaResult {
	status: 'ok' | 'failed' | 'not-needed' | 'not-buildable';
	/** the test's summary line, or the error */
	detail?: string;
}

export interface VerifyReport {
	ok: boolean;
	base: string;
	scratch: string;
	kept: boolean;
	/** what the objects were built with; undefined when nothing could be built */
	config?: { description: string; arch: string; /** "an x86_64 allmodconfig", "the tree's x86_64 .config" */ phrase: string };
	/** why nothing was compiled (no configuration, prepare failed) */
	configProblem?: string;
	/** prepare failed: that is a failure, a missing configuration is not */
	configFailed?: boolean;
	patches: PatchResult[];
	/** objects built once more at the tip of the series */
	tip: ObjectResult[];
	vma: VmaResult;
	notes: string[];
	/** checked: checkpatch checked the Signed-off-by (-s); senders: --no-signoff, the sender adds it */
	signoff: 'checked' | 'senders';
	seconds: number;
	jobs: number;
}

const GIT_CFG = [
	'-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'core.hooksPath=/dev/null',
	'-c', 'user.name=mmapify verify', '-c', 'user.email=verify@mmapify.invalid', '-c', 'am.threeWay=false',
	'-c', 'commit.gpgSign=false', '-c', 'advice.detachedHead=false',
];

/** Objects kbuild can make for the touched .c files: everything outside tools/ and usr/. */
function kbuildObjects(files: string[]): { objects: Array<{ file: string; object: string }>; notKbuild: string[] } {
	const objects: Array<{ file: string; object: string }> = [];
	const notKbuild: string[] = [];
	for (const f of files) {
		if (!f.endsWith('.c')) continue;
		if (/^(tools|usr|scripts|Documentation)\//.test(f)) notKbuild.push(f);
		else objects.push({ file: f, object: f.replace(/\.c$/, '.o') });
	}
	return { objects, notKbuild };
}

function errorLines(out: string, file: string, src?: string): string[] {
	const lines = out.split('\n').map((l) => (src ? l.split(`${src}/`).join('') : l).trimEnd());
	const own = lines.filter((l) => l.includes(file) && /\berror\b/i.test(l));
	const any = lines.filter((l) => /(^|: )(fatal )?error\b|\*\*\*/i.test(l) && !/^make(\[\d+\])?: \*\*\* \[/.test(l));
	const pick = own.length ? own : any.length ? any : tail(out, 4);
	return [...new Set(pick)].slice(0, 5);
}

export async function verifySeries(opts: VerifyOptions): Promise<VerifyReport> {
	const t0 = Date.now();
	const progress = opts.progress ?? noProgress;
	const jobs = opts.jobs ?? (os.availableParallelism?.() ?? os.cpus().length);
	const keep = !!opts.dir || !!opts.keep;
	const scratch = opts.dir ? path.resolve(opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-verify-'));
	// only in a folder it made (or a new or empty one): it deletes inside
	if (opts.dir) makeVerifyDir(scratch);
	else fs.mkdirSync(scratch, { recursive: true });
	const src = path.join(scratch, 'src');
	const build = path.join(scratch, 'build');
	const pdir = path.join(scratch, 'patches');
	const log = path.join(scratch, 'verify.log');
	fs.rmSync(pdir, { recursive: true, force: true });
	fs.mkdirSync(pdir, { recursive: true });
	fs.writeFileSync(log, '');
	const report: VerifyReport = {
		ok: false,
		base: opts.base,
		scratch,
		kept: keep,
		patches: [],
		tip: [],
		vma: { status: 'not-needed' },
		notes: [],
		signoff: opts.signoff ? 'checked' : 'senders',
		seconds: 0,
		jobs,
	};
	// Without -s the patches carry no Signed-off-by, which checkpatch would call
	// an error in every one of them: that line is the sender's to add.
	if (!opts.signoff) report.notes.push(SIGNOFF_NOTE);

	// Ctrl-C must not leave a 2 GB checkout behind.
	const onSignal = () => {
		progress.end();
		if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		await verifyIn(opts, report, { src, build, pdir, log, jobs, progress });
	} finally {
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
		progress.end();
		if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
	}
	report.seconds = Math.round((Date.now() - t0) / 1000);
	report.ok =
		!report.configFailed &&
		report.patches.every((p) => p.ok) &&
		report.tip.every((o) => o.status !== 'failed') &&
		report.vma.status !== 'failed';
	return report;
}

async function verifyIn(
	opts: VerifyOptions,
	report: VerifyReport,
	ctx: { src: string; build: string; pdir: string; log: string; jobs: number; progress: Progress },
): Promise<void> {
	const { src, build, pdir, log, jobs, progress } = ctx;
	const git = (args: string[], cwd = src) => run('git', [...GIT_CFG, ...args], { cwd, log });

	// The series is made from the files on disk; say so when they are not the base's.
	const touched = [...new Set(opts.patches.flatMap((p) => p.files))];
	const dirty = await run('git', ['--no-optional-locks', 'diff', '--name-only', opts.base, '--', ...touched], { cwd: opts.tree });
	if (dirty.code === 0 && dirty.out.trim())
		report.notes.push(
			`${tail(dirty.out, 50).join(', ')} in the tree differ${dirty.out.trim().includes('\n') ? '' : 's'} from ${opts.base.slice(0, 12)}: the series is made from the files on disk, but it must apply to the base commit`,
		);

	// 1. the scratch checkout
	progress.start('verify: checking out the base in a scratch clone');
	if (fs.existsSync(path.join(src, '.git'))) {
		if (fs.existsSync(path.join(src, '.git', 'rebase-apply'))) await git(['am', '--abort']);
		const co = await git(['checkout', '-q', '-f', '--detach', opts.base]);
		if (co.code !== 0) throw new Error(`verify: cannot check out ${opts.base} in ${src}: ${tail(co.out, 3).join(' ')}`);
		await git(['clean', '-q', '-fdx']);
	} else {
		fs.rmSync(src, { recursive: true, force: true });
		const cl = await run('git', [...GIT_CFG, 'clone', '-q', '--shared', '--no-checkout', opts.tree, src], { cwd: path.dirname(src), log });
		if (cl.code !== 0) throw new Error(`verify: git clone --shared ${opts.tree} failed: ${tail(cl.out, 3).join(' ')}`);
		const co = await git(['checkout', '-q', '--detach', opts.base]);
		if (co.code !== 0) throw new Error(`verify: cannot check out ${opts.base}: ${tail(co.out, 3).join(' ')}`);
	}
	progress.end();

	// 2. the build folder
	const source = resolveConfig(opts.tree, opts.config, opts.buildDir);
	const arch = archFor(source, opts.arch);
	const make = (args: string[], timeoutMs = 3_600_000) =>
		run('make', [`O=${build}`, `ARCH=${arch}`, ...args], { cwd: src, log, timeoutMs });
	let canBuild = false;
	const patchObjs = opts.patches.map((p) => kbuildObjects(p.files));
	const allObjs = [...new Map(patchObjs.flatMap((p) => p.objects).map((o) => [o.object, o])).values()];
	if (!source) {
		report.configProblem = "no configuration: the tree has no .config (pass --verify-config allmodconfig, or a .config file, or --build-dir)";
	} else if (allObjs.length) {
		report.config = { description: source.description, arch, phrase: configPhrase(source, arch) };
		const want = JSON.stringify(source.kind === 'file' ? { file: fs.readFileSync(source.path, 'utf8'), arch } : { target: source.target, arch });
		const stamp = path.join(build, '.mmapify-config');
		let ok = true;
		if (!(fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want)) {
			progress.start(`verify: configuring (${source.description}, ${arch})`);
			fs.rmSync(build, { recursive: true, force: true });
			fs.mkdirSync(build, { recursive: true });
			let r: RunResult;
			if (source.kind === 'file') {
				fs.copyFileSync(source.path, path.join(build, '.config'));
				r = await make(['olddefconfig']);
			} else r = await make([source.target]);
			ok = r.code === 0;
			if (ok) fs.writeFileSync(stamp, want);
			else report.configProblem = `make ${source.kind === 'file' ? 'olddefconfig' : source.target} failed: ${tail(r.out, 3).join(' / ')}`;
		}
		if (ok) {
			progress.start('verify: make prepare');
			const r = await make([`-j${jobs}`, 'prepare']);
			ok = r.code === 0;
			if (!ok) report.configProblem = `make prepare failed: ${tail(r.out, 4).join(' / ')}`;
		}
		progress.end();
		canBuild = ok;
		report.configFailed = !ok;
	}

	// Build objects from scratch; those missing after make -k get one try of
	// their own (one failure can keep make from others), then count as failed.
	const buildObjects = async (objs: Array<{ file: string; object: string }>, label: string): Promise<Map<string, ObjectResult>> => {
		const res = new Map<string, ObjectResult>();
		if (!objs.length) return res;
		for (const o of objs) fs.rmSync(path.join(build, o.object), { force: true });
		progress.start(label, objs.length);
		await make(['-k', `-j${jobs}`, ...objs.map((o) => o.object)]);
		let n = 0;
		for (const o of objs) {
			progress.update(++n, o.file);
			if (fs.existsSync(path.join(build, o.object))) {
				res.set(o.object, { ...o, status: 'ok' });
				continue;
			}
			const single = await make([o.object]);
			res.set(o.object, fs.existsSync(path.join(build, o.object)) ? { ...o, status: 'ok' } : { ...o, status: 'failed', errors: errorLines(single.out, o.file, src) });
		}
		progress.end();
		return res;
	};

	// Make objects again without removing them first: make rebuilds those whose
	// sources or headers changed; an object missing afterwards did not build.
	const remakeObjects = async (objs: Array<{ file: string; object: string }>, label: string): Promise<ObjectResult[]> => {
		progress.start(label, objs.length);
		await make(['-k', `-j${jobs}`, ...objs.map((o) => o.object)]);
		const res: ObjectResult[] = [];
		let n = 0;
		for (const o of objs) {
			progress.update(++n, o.file);
			if (fs.existsSync(path.join(build, o.object))) res.push({ ...o, status: 'ok' });
			else {
				const single = await make([o.object]);
				res.push(fs.existsSync(path.join(build, o.object)) ? { ...o, status: 'ok' } : { ...o, status: 'failed', errors: errorLines(single.out, o.file, src) });
			}
		}
		progress.end();
		return res;
	};

	// 3. which objects this configuration builds at base
	let builtAtBase = new Set<string>();
	if (canBuild) {
		const base = await buildObjects(allObjs, `verify: building ${allObjs.length} touched object${allObjs.length === 1 ? '' : 's'} at base`);
		builtAtBase = new Set([...base.values()].filter((r) => r.status === 'ok').map((r) => r.object));
	}

	// tools/testing/vma at base, when the series touches mm/ or the tests
	const needVma = touched.some((f) => f.startsWith('mm/') || f.startsWith('tools/testing/vma/'));
	const vmaDir = path.join(src, 'tools', 'testing', 'vma');
	let vmaAtBase: RunResult | undefined;
	if (needVma) {
		progress.start('verify: tools/testing/vma at base');
		vmaAtBase = await run('make', [`-j${jobs}`], { cwd: vmaDir, log, timeoutMs: 1_800_000 });
		await git(['clean', '-q', '-fdx', '--', 'tools/testing']);
		progress.end();
	}

	// Commits the logs cite that the base's history lacks (a tree without
	// history): checkpatch would warn UNKNOWN_COMMIT_ID for each, which says
	// nothing about the patches, so that one check is left out (and said so).
	const unknown: string[] = [];
	for (const id of citedCommits(opts.patches.map((p) => p.text).join('\n')))
		if ((await git(['cat-file', '-e', `${id}^{commit}`])).code !== 0) unknown.push(id);
	const cpIgnore = unknown.length ? ['UNKNOWN_COMMIT_ID'] : [];
	if (unknown.length) report.notes.push(unknownCommitNote(unknown));

	// 4. patch by patch
	for (const [i, p] of opts.patches.entries()) {
		const file = path.join(ctx.pdir, p.name);
		fs.writeFileSync(file, p.text);
		progress.start(`verify: ${i + 1}/${opts.patches.length} ${p.name}`);
		const am = await git(['am', '--quiet', file]);
		const apply = am.code === 0 ? { ok: true } : { ok: false, output: amErrors(am.out) };
		if (!apply.ok) await git(['am', '--abort']);
		const checkpatch = await runCheckpatch(src, file, log, !!opts.signoff, cpIgnore);
		const { objects, notKbuild } = patchObjs[i]!;
		let compile: ObjectResult[];
		if (!canBuild) compile = objects.map((o) => ({ ...o, status: 'not-tried' as const }));
		else if (!apply.ok) compile = objects.map((o) => ({ ...o, status: builtAtBase.has(o.object) ? ('not-tried' as const) : ('not-built' as const) }));
		else {
			const built = await buildObjects(
				objects.filter((o) => builtAtBase.has(o.object)),
				`verify: ${i + 1}/${opts.patches.length} building`,
			);
			compile = objects.map((o) => built.get(o.object) ?? { ...o, status: 'not-built' as const });
		}
		let dependents: ObjectResult[] | undefined;
		if (canBuild && apply.ok && p.files.some((f) => !f.endsWith('.c'))) {
			const own = new Set(objects.map((o) => o.object));
			const others = allObjs.filter((o) => builtAtBase.has(o.object) && !own.has(o.object));
			if (others.length) dependents = await remakeObjects(others, `verify: ${i + 1}/${opts.patches.length} building the series' other objects`);
		}
		const ok =
			apply.ok &&
			checkpatch.ran &&
			checkpatch.errors.length === 0 &&
			compile.every((o) => o.status !== 'failed' && o.status !== 'not-tried') &&
			!dependents?.some((o) => o.status === 'failed');
		report.patches.push({ name: p.name, apply, checkpatch, compile, ...(dependents ? { dependents } : {}), notKbuild, ok: ok || (!canBuild && apply.ok && checkpatch.ran && !checkpatch.errors.length) });
		progress.end();
	}

	// 5. the tip of the series
	if (canBuild && builtAtBase.size) {
		const objs = allObjs.filter((o) => builtAtBase.has(o.object));
		progress.start(`verify: building ${objs.length} object${objs.length === 1 ? '' : 's'} at the tip`, objs.length);
		await make(['-k', `-j${jobs}`, ...objs.map((o) => o.object)]);
		progress.end();
		for (const o of objs) {
			// make leaves an up-to-date object alone and deletes a failed one
			if (fs.existsSync(path.join(build, o.object))) report.tip.push({ ...o, status: 'ok' });
			else {
				const single = await make([o.object]);
				report.tip.push({ ...o, status: 'failed', errors: errorLines(single.out, o.file, src) });
			}
		}
	}
	if (needVma) {
		if (vmaAtBase && vmaAtBase.code !== 0) {
			report.vma = { status: 'not-buildable', detail: `it does not build at base either: ${tail(vmaAtBase.out, 2).join(' / ')}` };
		} else {
			progress.start('verify: tools/testing/vma at the tip');
			const b = await run('make', [`-j${jobs}`], { cwd: vmaDir, log, timeoutMs: 1_800_000 });
			if (b.code !== 0) report.vma = { status: 'failed', detail: `make -C tools/testing/vma failed: ${errorLines(b.out, 'vma').join(' / ')}` };
			else {
				const t = await run('./vma', [], { cwd: vmaDir, log, timeoutMs: 1_800_000 });
				const summary = t.out.split('\n').find((l) => /tests run/.test(l))?.trim();
				report.vma =
					t.code === 0
						? { status: 'ok', detail: summary ?? 'passed' }
						: { status: 'failed', detail: `./vma exited ${t.code}: ${summary ?? tail(t.out, 3).join(' / ')}` };
			}
			progress.end();
		}
	}
}
