// mmapify --boot: build an x86_64 tinyconfig kernel at the base and at the
// tip of a series (one scratch checkout, one build folder, ccache), boot
// each under QEMU with the same initramfs of busybox + the probe program,
// and compare what the probes saw. Scratch layout under `scratch`:
//   src/        git clone --shared of the tree, at base, then with the series
//   build/      make O= (the tip is an incremental build of the base's)
//   ccache/     unless ccacheDir says otherwise
//   probe, initramfs.cpio.gz, share/, {base,tip}/{bzImage,console.log}, boot.log
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCatalogue, probesDir, probesFor, type Catalogue, type HookRef, type Probe } from './catalogue.js';
import { buildHeaders, buildKernel } from './build.js';
import { compareBoots, type BootComparison } from './compare.js';
import { parseConsole } from './console.js';
import { run, tailLines } from './exec.js';
import { shareBytes, writeInitramfs } from './initramfs.js';
import { symbolsFor } from './kconfig.js';
import { buildProbe } from './probe-build.js';
import { boot, type QemuResult } from './qemu.js';
import { hookVerdicts, type BootReport, type BootRun } from './report.js';

export interface BootPatch {
	name: string;
	text: string;
}

export interface BootOptions {
	/** the kernel tree: a git repository holding base */
	tree: string;
	base: string;
	patches: BootPatch[];
	/** the hooks the series converts (file, function as in the base tree) */
	hooks: Array<Required<HookRef>>;
	/** scratch folder (kept: reused by the next run) */
	scratch: string;
	jobs?: number;
	ccacheDir?: string;
	accel?: 'tcg' | 'kvm';
	busybox?: string;
	catalogue?: Catalogue;
	/** a line of progress */
	say?: (line: string) => void;
}

const GIT = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'core.hooksPath=/dev/null', '-c', 'user.name=mmapify boot', '-c', 'user.email=boot@mmapify.invalid', '-c', 'am.threeWay=false', '-c', 'commit.gpgSign=false', '-c', 'advice.detachedHead=false'];

/** Every probe runs on every boot (those whose hooks the series leaves alone are controls). */
export function kernelConfig(cat: Catalogue, tree: string, hooks: Array<Required<HookRef>>): string[] {
	const derived = new Set<string>();
	for (const h of hooks) if (probesFor(cat, h).length) for (const s of symbolsFor(tree, h.file) ?? []) derived.add(`CONFIG_${s}=y`);
	return [...cat.config, ...cat.probes.flatMap((p) => p.config), ...[...derived].filter((d) => !cat.config.includes(d))];
}

export function findBusybox(explicit?: string): string | undefined {
	for (const p of [explicit, process.env.MMAPIFY_BUSYBOX, '/bin/busybox', '/usr/bin/busybox']) if (p && fs.existsSync(p)) return p;
	return undefined;
}

export async function bootVerify(o: BootOptions): Promise<BootReport> {
	const t0 = Date.now();
	const say = o.say ?? (() => {});
	const scratch = path.resolve(o.scratch);
	fs.mkdirSync(scratch, { recursive: true });
	const log = path.join(scratch, 'boot.log');
	fs.writeFileSync(log, '');
	const cat = o.catalogue ?? loadCatalogue();
	const report: BootReport = { ok: false, base: o.base, notKept: [], builds: {}, boots: {}, probes: [], hooks: [], bootHits: [], problems: [], notes: [], seconds: 0, scratch };
	const finish = (cmp?: BootComparison, skipped = new Map<string, string>()) => {
		report.hooks = hookVerdicts(o.hooks, cat, cmp, skipped);
		report.seconds = Math.round((Date.now() - t0) / 1000);
		report.ok = !report.problems.length && !!cmp && !cmp.tipIncomplete && !cmp.bootHits.length && cmp.probes.every((p) => p.status !== 'different');
		return report;
	};
	const busybox = findBusybox(o.busybox);
	if (!busybox) {
		report.problems.push('no static busybox (Debian: apt-get install busybox-static)');
		return finish();
	}
	for (const [cmd, pkg] of [['qemu-system-x86_64', 'qemu-system-x86'], ['gcc', 'gcc']] as const)
		if ((await run(cmd, ['--version'], { cwd: scratch })).code !== 0) {
			report.problems.push(`${cmd} not found (Debian: apt-get install ${pkg})`);
			return finish();
		}

	// 1. The checkout at base.
	const src = path.join(scratch, 'src');
	const git = (args: string[]) => run('git', [...GIT, ...args], { cwd: src, log });
	if (!fs.existsSync(path.join(src, '.git'))) {
		say('boot: checking out the base tree');
		const r = await run('git', [...GIT, 'clone', '-q', '--shared', '--no-checkout', o.tree, src], { cwd: scratch, log });
		if (r.code !== 0) {
			report.problems.push(`git clone --shared ${o.tree} failed: ${tailLines(r.out, 2).join(' ')}`);
			return finish();
		}
	}
	await git(['am', '--abort']);
	let r = await git(['checkout', '-q', '-f', '--detach', o.base]);
	if (r.code !== 0) r = (await git(['fetch', '-q', o.tree, o.base])).code === 0 ? await git(['checkout', '-q', '-f', '--detach', 'FETCH_HEAD']) : r;
	if (r.code !== 0) {
		report.problems.push(`git checkout ${o.base} failed: ${tailLines(r.out, 2).join(' ')}`);
		return finish();
	}
	await git(['clean', '-q', '-fdx']);

	// 2. The base kernel, its headers and the probe.
	const out = path.join(scratch, 'build');
	const config = kernelConfig(cat, src, o.hooks);
	const jobs = o.jobs ?? 2;
	const ccacheDir = o.ccacheDir ?? path.join(scratch, 'ccache');
	const ccacheBase = path.dirname(scratch);
	say('boot: building the base kernel');
	const bb = await buildKernel({ src, out, config, jobs, ccacheDir, ccacheBase, log });
	report.builds.base = { seconds: bb.seconds, ccache: bb.ccache, ok: bb.ok, errors: bb.errors };
	report.notKept = bb.notKept;
	if (!bb.ok) {
		report.problems.push(`the base kernel did not build: ${bb.errors.join(' | ')}`);
		return finish();
	}
	const skipped = probesCut(cat.probes, bb.notKept);
	const probes = cat.probes.filter((p) => !skipped.has(p.id));
	const kdir = (w: string) => {
		fs.mkdirSync(path.join(scratch, w), { recursive: true });
		return path.join(scratch, w);
	};
	fs.copyFileSync(bb.bzImage!, path.join(kdir('base'), 'bzImage'));
	const hdr = await buildHeaders({ src, out, log });
	if (!hdr.ok) {
		report.problems.push(`make headers failed: ${hdr.errors.join(' | ')}`);
		return finish();
	}
	const probeBin = path.join(scratch, 'probe');
	const pb = await buildProbe({ source: path.join(probesDir(), 'probe.c'), include: hdr.include, out: probeBin, log });
	if (!pb.ok) {
		report.problems.push(`the probe did not build: ${pb.errors.join(' | ')}`);
		return finish();
	}
	const initrd = path.join(scratch, 'initramfs.cpio.gz');
	writeInitramfs({ busybox, probe: probeBin, probes, out: initrd });

	const share = path.join(scratch, 'share');
	const bootOne = async (which: 'base' | 'tip'): Promise<{ run: BootRun; res: QemuResult }> => {
		fs.rmSync(share, { recursive: true, force: true });
		fs.mkdirSync(share, { recursive: true });
		for (const p of probes) for (const [f, size] of Object.entries(p.share)) fs.writeFileSync(path.join(share, f), shareBytes(size));
		say(`boot: booting the ${which} kernel under QEMU`);
		const res = await boot({
			kernel: path.join(scratch, which, 'bzImage'),
			initrd,
			cmdline: [...cat.cmdline, ...probes.flatMap((p) => p.cmdline)],
			args: [...cat.qemu, ...probes.flatMap((p) => p.qemu)].map((a) => a.replace('@SHARE@', share)),
			consoleFile: path.join(scratch, which, 'console.log'),
			accel: o.accel,
			log,
			cwd: scratch,
		});
		const rec = parseConsole(res.console);
		return { res, run: { seconds: res.seconds, accel: res.accel, reachedInit: rec.reachedInit, done: rec.done, timedOut: res.timedOut, console: path.join(scratch, which, 'console.log') } };
	};
	const baseBoot = await bootOne('base');
	report.boots.base = baseBoot.run;
	if (!baseBoot.run.done) {
		report.problems.push(`the base kernel did not ${baseBoot.run.reachedInit ? 'finish the probes' : 'reach /init'} under QEMU (console: ${baseBoot.run.console})`);
		return finish(undefined, skipped);
	}

	// 3. The tip: the series on the same checkout, built incrementally.
	const pdir = path.join(scratch, 'patches');
	fs.rmSync(pdir, { recursive: true, force: true });
	fs.mkdirSync(pdir);
	const files = o.patches.map((p, i) => {
		const f = path.join(pdir, `${String(i + 1).padStart(4, '0')}.patch`);
		fs.writeFileSync(f, p.text);
		return f;
	});
	if (files.length) {
		r = await git(['am', '-q', ...files]);
		if (r.code !== 0) {
			report.problems.push(`the series does not apply at ${o.base}: ${tailLines(r.out, 2).join(' ')}`);
			await git(['am', '--abort']);
			return finish(undefined, skipped);
		}
	}
	say('boot: building the tip kernel');
	const tb = await buildKernel({ src, out, config, jobs, ccacheDir, ccacheBase, log });
	report.builds.tip = { seconds: tb.seconds, ccache: tb.ccache, ok: tb.ok, errors: tb.errors };
	if (!tb.ok) {
		report.problems.push(`the tip kernel did not build: ${tb.errors.join(' | ')}`);
		return finish(undefined, skipped);
	}
	fs.copyFileSync(tb.bzImage!, path.join(kdir('tip'), 'bzImage'));
	const tipBoot = await bootOne('tip');
	report.boots.tip = tipBoot.run;

	// 4. Compare.
	const cmp = compareBoots(probes, parseConsole(baseBoot.res.console), parseConsole(tipBoot.res.console));
	report.probes = cmp.probes;
	report.bootHits = cmp.bootHits;
	if (cmp.bootQuote) report.bootQuote = cmp.bootQuote;
	if (cmp.tipIncomplete) report.problems.push(`${cmp.tipIncomplete} (console: ${tipBoot.run.console})`);
	return finish(cmp, skipped);
}

/** Probes left out because an option they need did not stick, with the reason. */
function probesCut(probes: Probe[], notKept: string[]): Map<string, string> {
	const cut = new Map<string, string>();
	for (const p of probes) {
		const lost = notKept.filter((n) => p.config.some((c) => n.startsWith(`${c} `)));
		if (lost.length) cut.set(p.id, `not in the boot kernel: ${lost.join(', ')}`);
	}
	return cut;
}
