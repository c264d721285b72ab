// Shared by the fault battery (test/faults/*.test.ts): fixture trees made in a
// temporary folder (git copies of examples/linux), the built CLI run as a user
// runs it (node dist/src/cli.js), and the root-only helpers (mount namespaces,
// an unprivileged user) that CI has and a developer's machine may not.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const exampleTree = path.join(repoRoot, 'examples/linux');
/** The CLI as installed: the build of `npm run build` (npm test builds first). */
export const cli = path.join(repoRoot, 'dist/src/cli.js');

export const env: Record<string, string> = {
	...(process.env as Record<string, string>),
	GIT_AUTHOR_NAME: 'Ada Lovelace',
	GIT_AUTHOR_EMAIL: 'ada@example.org',
	GIT_COMMITTER_NAME: 'Ada Lovelace',
	GIT_COMMITTER_EMAIL: 'ada@example.org',
	NO_COLOR: '1',
	NO_PROGRESS: '1',
};
delete env.MMAPIFY_TEST_FAULT;
delete env.MMAPIFY_TEST_SLOW_MOVES;

const scratch: string[] = [];
/** A fresh temporary folder, removed by cleanup(); world-readable so that an unprivileged user can use it. */
export function tmpdir(tag = 'faults'): string {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), `mmapify-${tag}-`));
	fs.chmodSync(d, 0o755);
	scratch.push(d);
	return d;
}

export function cleanup(): void {
	for (const d of scratch.splice(0)) {
		spawnSync('umount', ['-R', '-l', d], { stdio: 'ignore' });
		try {
			fs.rmSync(d, { recursive: true, force: true });
		} catch {
			// made unremovable by a test (chmod): give it back
			spawnSync('chmod', ['-R', 'u+rwx', d], { stdio: 'ignore' });
			fs.rmSync(d, { recursive: true, force: true });
		}
	}
}

export function git(dir: string, ...args: string[]): SpawnSyncReturns<string> {
	return spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8', env });
}

/** A git repository holding a copy of the example tree (plus extra files), committed. */
export function exampleRepo(extra: Record<string, string | Buffer> = {}, parent?: string): string {
	const dir = parent ?? path.join(tmpdir(), 'linux');
	fs.mkdirSync(dir, { recursive: true });
	fs.cpSync(exampleTree, dir, { recursive: true });
	for (const [f, text] of Object.entries(extra)) {
		fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
		fs.writeFileSync(path.join(dir, f), text);
	}
	git(dir, 'init', '-q');
	git(dir, 'add', '-A');
	git(dir, 'commit', '-qm', 'base');
	return dir;
}

export interface Run {
	code: number | null;
	signal: NodeJS.Signals | null;
	out: string;
	err: string;
}

export function mmapify(args: string[], cwd: string, extraEnv: Record<string, string> = {}, timeoutMs = 120_000): Run {
	const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
	return { code: r.status, signal: r.signal, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** The CLI started in the background (for signals and concurrent runs). */
export function mmapifyAsync(args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
	const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	child.stdout.on('data', (b) => (out += b));
	child.stderr.on('data', (b) => (err += b));
	const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
	return { child, done };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until pred() holds (or throw after timeoutMs). */
export async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const t0 = Date.now();
	while (!pred()) {
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

/** name -> content of the regular files directly in dir, hidden ones left out. */
export function visibleFiles(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const e of fs.readdirSync(dir, { withFileTypes: true }))
		if (!e.name.startsWith('.') && e.isFile()) out[e.name] = fs.readFileSync(path.join(dir, e.name), 'utf8');
	return out;
}

/** Every regular file under dir (relative path -> content), hidden folders included. */
export function allFiles(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (rel: string) => {
		for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
			const r = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory()) walk(r);
			else if (e.isFile()) out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
		}
	};
	walk('');
	return out;
}

/** The series files a --json run reports writing (cover letter first). */
export function seriesOf(json: string): string[] {
	const rep = JSON.parse(json) as { cover?: { path: string }; patches: Array<{ path: string }>; refusals?: { path: string } };
	return [...(rep.cover ? [rep.cover.path] : []), ...rep.patches.map((p) => p.path), ...(rep.refusals ? [rep.refusals.path] : [])];
}

export const isRoot = process.getuid?.() === 0;

/** Root-only cases skip with a printed reason elsewhere; CI runs as root. */
export function needsRoot(name: string): boolean {
	if (isRoot && spawnSync('unshare', ['-m', 'true']).status === 0) return true;
	process.stdout.write(`\n  skipped (needs root and mount namespaces; CI has both): ${name}\n`);
	return false;
}

/**
 * Run a bash script in a private mount namespace (its mounts vanish with it).
 * $M is the CLI; the script's stdout and stderr and exit status come back.
 */
export function inMountNamespace(script: string, cwd: string, extraEnv: Record<string, string> = {}): Run {
	const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-euo', 'pipefail', '-c', script], {
		cwd,
		env: { ...env, ...extraEnv, M: `${process.execPath} ${cli}` },
		encoding: 'utf8',
		timeout: 180_000,
	});
	return { code: r.status, signal: r.signal, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/**
 * The CLI as an unprivileged user (nobody), for the permission cases: root
 * reads and writes anything. Undefined when that is not possible here.
 */
export function mmapifyUnprivileged(args: string[], cwd: string): Run | undefined {
	if (!isRoot) return mmapify(args, cwd);
	if (spawnSync('setpriv', ['--version']).status !== 0) return undefined;
	const r = spawnSync(
		'setpriv',
		['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, cli, ...args],
		{ cwd, env: { ...env, HOME: '/nonexistent', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.directory', GIT_CONFIG_VALUE_0: '*' }, encoding: 'utf8', timeout: 120_000 },
	);
	return { code: r.status, signal: r.signal, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** One line on stderr, no stack trace: what the README promises for exit 2. */
export function oneLine(err: string): boolean {
	const lines = err.trim().split('\n');
	return lines.length === 1 && !/\n\s+at /.test(err) && lines[0]!.startsWith('mmapify: ') && !/internal error/.test(err);
}

/** A small convertible hook file: NAME_mmap wired into NAME_fops. */
export function hookFile(name: string, before = '', after = ''): string {
	return `// SPDX-License-Identifier: GPL-2.0
#include <linux/fs.h>
#include <linux/mm.h>
${before}
static int ${name}_mmap(struct file *filp, struct vm_area_struct *vma)
{
	vma->vm_private_data = filp->private_data;
	return 0;
}
${after}
static const struct file_operations ${name}_fops = {
	.owner = THIS_MODULE,
	.mmap = ${name}_mmap,
};
`;
}
