// `npm run bench`: mmapify's speed on the real Linux 7.3 tree, in one run.
//
//   scan           mmapify scan --json (whole tree, with the plan's verdicts)
//   scan-no-plan   mmapify scan --json --no-plan (inventory and categories only)
//   grep           the floor: grep -rlE with the wiring patterns over the same files
//   hv             mmapify --dry-run drivers/hv, end to end
//   dup-check      mmapify sync-dup --check --json (dup.h against the kernel; exit 1 = drift found)
//
// Each is run BENCH_REPS times (default 3) as a child process under
// /usr/bin/time; the medians of wall time, CPU time (user+sys, all threads)
// and peak RSS are printed with the targets: scan <= 3x grep on 2 cores,
// drivers/hv < 2 s, the dup.h check < 30 s, peak RSS < 1 GiB. The machine's load average is printed
// too: on a shared machine wall times follow it. A script, not a test.
//
//   npm run bench [-- --reps N] [-- --only scan,grep,hv,scan-no-plan,dup-check]
import { spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/cli.js');

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

function kernelTree(): string {
	const env = process.env.MMAPIFY_KERNEL_TREE;
	if (env) return env;
	const cached = path.join(repo, '.cache/kernel/7.3/src/linux-source-7.3');
	if (fs.existsSync(path.join(cached, 'include/linux/fs.h'))) return cached;
	process.stderr.write('bench: no Linux 7.3 tree cached; fetching it with test/kernel/fetch-kernel.sh\n');
	const out = execFileSync('bash', [path.join(repo, 'test/kernel/fetch-kernel.sh'), '7.3'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	return out.trim().split('\n').pop()!;
}

interface Sample {
	wall: number;
	cpu: number;
	rssMB: number;
	ok: boolean;
	note?: string;
}

/** Run a command under /usr/bin/time; wall from here, CPU and peak RSS from time(1). */
function measure(cmd: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Sample {
	const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
	const full = timeBin ? [timeBin, '-f', 'BENCH %e %U %S %M', ...cmd] : cmd;
	const t0 = process.hrtime.bigint();
	const r = spawnSync(full[0]!, full.slice(1), { cwd, env: { ...process.env, NO_PROGRESS: '1', ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
	const wall = Number(process.hrtime.bigint() - t0) / 1e9;
	const m = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
	// grep exits 1 when nothing matches, sync-dup --check when it finds drift; everything else must exit 0
	const ok = r.status === 0 || ((cmd[0] === 'grep' || cmd.includes('sync-dup')) && r.status === 1);
	return { wall, cpu: m ? Number(m[2]) + Number(m[3]) : NaN, rssMB: m ? Number(m[4]) / 1024 : NaN, ok, note: ok ? undefined : `exit ${r.status}: ${(r.stderr ?? '').split('\n').slice(-3).join(' ')}` };
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The same files the scan reads: .c/.h outside the folders mmapify skips. */
const GREP_EXCLUDES = ['.git', 'Documentation', 'tools', 'scripts', 'usr', 'LICENSES', '.cache', 'node_modules'].map((d) => `--exclude-dir=${d}`);
/** The wiring patterns: `.xmmapx = fn` / `->xmmapx = fn`, calls through a field named *mmap*. */
const GREP_PATTERN = '(\\.|->)[A-Za-z0-9_]*mmap[A-Za-z0-9_]*[[:space:]]*=[[:space:]]*[A-Za-z_]|(->|\\.)[[:space:]]*[A-Za-z0-9_]*mmap[A-Za-z0-9_]*[[:space:]]*\\(';

function main(): void {
	if (!fs.existsSync(cli)) {
		process.stderr.write('bench: build first (npm run build)\n');
		process.exit(2);
	}
	const tree = kernelTree();
	const reps = Number(arg('reps') ?? process.env.BENCH_REPS ?? 3);
	const only = new Set((arg('only') ?? 'grep,scan,scan-no-plan,hv,dup-check').split(','));
	const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
	const cases: Array<{ name: string; cmd: string[]; what: string }> = [
		{ name: 'grep', cmd: ['grep', '-rlE', '--include=*.c', '--include=*.h', ...GREP_EXCLUDES, GREP_PATTERN, '.'], what: 'grep -rlE wiring patterns (floor)' },
		{ name: 'scan', cmd: [process.execPath, cli, 'scan', '--json'], what: 'mmapify scan --json (whole tree)' },
		{ name: 'scan-no-plan', cmd: [process.execPath, cli, 'scan', '--json', '--no-plan'], what: 'mmapify scan --json --no-plan' },
		{ name: 'hv', cmd: [process.execPath, cli, '--dry-run', 'drivers/hv'], what: 'mmapify --dry-run drivers/hv' },
		{ name: 'dup-check', cmd: [process.execPath, cli, 'sync-dup', '--check', '--json'], what: 'mmapify sync-dup --check --json (dup.h)' },
	].filter((c) => only.has(c.name));
	process.stdout.write(`mmapify bench: ${tree}\n${cores} cores, node ${process.version}, ${reps} repetitions each (interleaved), load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n\n`);
	const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
	// Warm the page cache once, then interleave the cases so that load changes hit them alike.
	measure(cases.find((c) => c.name === 'grep')?.cmd ?? ['grep', '-rlq', 'mmap', '.'], tree);
	for (let i = 0; i < reps; i++)
		for (const c of cases) {
			const s = measure(c.cmd, tree);
			samples.get(c.name)!.push(s);
			process.stderr.write(`  ${c.name} #${i + 1}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s CPU, ${s.rssMB.toFixed(0)} MB${s.ok ? '' : `  FAILED ${s.note}`}\n`);
		}
	const rows: string[][] = [['case', 'wall median', 'wall min-max', 'CPU median', 'peak RSS', 'what']];
	const med = new Map<string, { wall: number; cpu: number; rss: number }>();
	for (const c of cases) {
		const ss = samples.get(c.name)!;
		const m = { wall: median(ss.map((s) => s.wall)), cpu: median(ss.map((s) => s.cpu)), rss: Math.max(...ss.map((s) => s.rssMB)) };
		med.set(c.name, m);
		rows.push([c.name, `${m.wall.toFixed(2)} s`, `${Math.min(...ss.map((s) => s.wall)).toFixed(2)}-${Math.max(...ss.map((s) => s.wall)).toFixed(2)} s`, `${m.cpu.toFixed(2)} s`, `${m.rss.toFixed(0)} MB`, c.what + (ss.every((s) => s.ok) ? '' : '  (FAILED)')]);
	}
	const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
	process.stdout.write(rows.map((r) => r.map((x, i) => (i > 0 && i < 5 ? x.padStart(w[i]!) : x.padEnd(w[i]!))).join('  ').trimEnd()).join('\n') + '\n\n');
	const g = med.get('grep');
	const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
	for (const name of ['scan', 'scan-no-plan']) {
		const s = med.get(name);
		if (s && g) process.stdout.write(`${name} / grep: ${(s.wall / g.wall).toFixed(1)}x wall (target <= 3x on 2 cores: ${verdict(s.wall <= 3 * g.wall)}), ${(s.cpu / Math.max(g.cpu, 0.01)).toFixed(1)}x CPU\n`);
	}
	const hv = med.get('hv');
	if (hv) process.stdout.write(`drivers/hv end to end: ${hv.wall.toFixed(2)} s (target < 2 s: ${verdict(hv.wall < 2)})\n`);
	const dup = med.get('dup-check');
	if (dup) process.stdout.write(`dup.h check: ${dup.wall.toFixed(2)} s (target < 30 s: ${verdict(dup.wall < 30)})\n`);
	const rss = Math.max(...[...med.entries()].filter(([k]) => k !== 'grep').map(([, v]) => v.rss));
	if (Number.isFinite(rss)) process.stdout.write(`peak RSS of mmapify: ${rss.toFixed(0)} MB (target < 1024 MB: ${verdict(rss < 1024)})\n`);
	process.stdout.write(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
	if ([...samples.values()].flat().some((s) => !s.ok)) process.exitCode = 1;
}

main();
