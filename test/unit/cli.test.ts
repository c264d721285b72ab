// The command line as a user meets it: exit statuses, what is (not) written,
// the JSON report, Signed-off-by only on request, idempotence after git am.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exampleTree, repoRoot } from '../support/helpers.js';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const cli = path.join(repoRoot, 'src/cli.ts');
const env = { ...process.env, GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.org', NO_COLOR: '1' };

const scratch: string[] = [];
function tmpdir(): string {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-cli-'));
	scratch.push(d, `${d}-out`);
	return d;
}

function mmapify(args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
	const r = spawnSync(tsx, [cli, ...args], { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8' });
	return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A git copy of the example tree. */
function exampleRepo(): string {
	const dir = tmpdir();
	fs.cpSync(exampleTree, dir, { recursive: true });
	const git = (...a: string[]) => spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...a], { cwd: dir, encoding: 'utf8' });
	git('init', '-q');
	git('add', '-A');
	git('commit', '-qm', 'base');
	return dir;
}

test('a folder that is not a kernel tree: exit 2, one line, nothing written', () => {
	const dir = tmpdir();
	const r = mmapify(['--tree', dir, '-o', path.join(dir, 'out'), '.'], dir);
	assert.is(r.code, 2);
	assert.match(r.err, /is not a Linux kernel tree/);
	assert.is(r.err.trim().split('\n').length, 1);
	assert.not.ok(fs.existsSync(path.join(dir, 'out')));
});

test('a bad --prefix fails with exit 2 before the tree is looked at', () => {
	const dir = tmpdir();
	const r = mmapify(['--tree', dir, '--prefix', 'drivers/x/=', '.'], dir);
	assert.is(r.code, 2, r.err);
	assert.match(r.err, /--prefix: subject prefix rule has no prefix after '='/);
});

test('a tree without f_op->mmap_prepare (6.12 shape): exit 2 naming the missing API', () => {
	const dir = exampleRepo();
	const fsh = path.join(dir, 'include/linux/fs.h');
	fs.writeFileSync(fsh, fs.readFileSync(fsh, 'utf8').replace(/\tint \(\*mmap_prepare\)[^\n]*\n/, ''));
	const r = mmapify(['-o', 'out', 'drivers/demo'], dir);
	assert.is(r.code, 2);
	assert.match(r.err, /no f_op->mmap_prepare/);
	assert.not.ok(fs.existsSync(path.join(dir, 'out')));
});

test('a path outside the tree: exit 2', () => {
	const dir = exampleRepo();
	const r = mmapify(['-o', 'out', '../../etc'], dir);
	assert.is(r.code, 2);
	assert.match(r.err, /outside the kernel tree|no such file/);
});

test('--dry-run writes nothing and shows the diff and the report', () => {
	const dir = exampleRepo();
	const r = mmapify(['--dry-run', '-o', 'out', 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	assert.not.ok(fs.existsSync(path.join(dir, 'out')));
	assert.match(r.out, /^\+static int demo_regs_mmap_prepare\(struct vm_area_desc \*desc\)$/m);
	assert.match(r.out, /skipped\s+demo_dma_mmap/);
	assert.is(spawnSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }).stdout, '');
});

test('--json lists every hook and every patch written; no Signed-off-by without -s', () => {
	const dir = exampleRepo();
	const r = mmapify(['--json', '-o', 'out', 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	const rep = JSON.parse(r.out);
	const byName = Object.fromEntries(rep.hooks.map((h: { function: string }) => [h.function, h]));
	assert.is(byName.demo_regs_mmap.status, 'converted');
	assert.is(byName.demo_regs_mmap.file, 'drivers/demo/demo_regs.c');
	assert.is(byName.demo_regs_mmap.wiring[0].struct, 'file_operations');
	assert.is(byName.demo_dma_mmap.status, 'skipped');
	assert.match(byName.demo_dma_mmap.reason, /dma_mmap_coherent\(\).*demo_dma\.c:22/);
	assert.is(rep.summary.patches, rep.patches.length);
	for (const p of rep.patches) {
		const text = fs.readFileSync(path.join(dir, 'out', p.path), 'utf8');
		assert.match(text, /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/m);
		assert.not.match(text, /Signed-off-by:/);
		for (const f of p.files) assert.ok(text.includes(`diff --git a/${f} b/${f}`), `${p.path} lacks ${f}`);
	}
	const cover = fs.readFileSync(path.join(dir, 'out', '0000-cover-letter.patch'), 'utf8');
	assert.not.match(cover, /\*\*\* SUBJECT HERE \*\*\*/);
	// The refused hooks are in refusals.txt; the cover letter gives their number.
	assert.match(cover.replace(/\s+/g, ' '), /2 hooks were left on f_op->mmap and need manual conversion: refusals\.txt/);
	// demo_bus_mmap keeps f_op->mmap behind the compat shim: no converted hook, counted apart
	assert.match(cover.replace(/\s+/g, ' '), /This series converts 6 f_op->mmap hooks to f_op->mmap_prepare in 4 patches\..* In all: 6 hooks converted, 1 dispatcher given a compat shim, 2 refused\./);
	assert.is(rep.summary.hooksConverted, 6);
	assert.is(rep.summary.compatShims, 1);
	assert.match(fs.readFileSync(path.join(dir, 'out', 'refusals.txt'), 'utf8'), /^drivers\/demo\/demo_dma\.c:18: dma-mmap-no-desc: demo_dma_mmap: /m);
});

test('-s adds Signed-off-by from git; the series applies with git am and a second run finds nothing', () => {
	const dir = exampleRepo();
	const r = mmapify(['-s', '-o', path.join(dir, '..', path.basename(dir) + '-out'), 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	const out = path.join(dir, '..', path.basename(dir) + '-out');
	const patches = fs.readdirSync(out).filter((f) => f.endsWith('.patch') && !f.startsWith('0000')).sort().map((f) => path.join(out, f));
	for (const p of patches) assert.match(fs.readFileSync(p, 'utf8'), /^Signed-off-by: Ada Lovelace <ada@example.org>$/m);
	const am = spawnSync('git', ['am', ...patches], { cwd: dir, env, encoding: 'utf8' });
	assert.is(am.status, 0, am.stderr);
	const again = mmapify(['--json', '--dry-run', 'drivers/demo'], dir);
	const rep = JSON.parse(again.out);
	assert.is(rep.summary.converted, 0);
	assert.is(rep.summary.patches, 0);
});

test('an earlier series mmapify wrote in the output folder is replaced; files it did not write are kept', () => {
	const dir = exampleRepo();
	const out = path.join(dir, 'out');
	fs.mkdirSync(out);
	// not written by mmapify: kept, whatever their names (test/faults/output.test.ts has the rest)
	fs.writeFileSync(path.join(out, '0009-stale.patch'), 'old');
	fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
	assert.is(mmapify(['-o', 'out', 'drivers/demo'], dir).code, 0);
	const first = fs.readdirSync(out).filter((f) => /^\d{4}-/.test(f) && f !== '0009-stale.patch');
	assert.is(first.length, 5);
	assert.is(mmapify(['-o', 'out', 'drivers/demo/demo_regs.c'], dir).code, 0);
	const now = fs.readdirSync(out).filter((f) => !f.startsWith('.')).sort();
	assert.equal(now, ['0000-cover-letter.patch', '0001-demo-demo_regs-Convert-demo_regs_mmap-to-mmap_prepar.patch', '0009-stale.patch', 'notes.txt', 'refusals.txt']);
	assert.is(fs.readFileSync(path.join(out, '0009-stale.patch'), 'utf8'), 'old');
});

test.after(() => {
	for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

test.run();
