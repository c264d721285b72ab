// Subject prefixes: learned from the touched files' git history, else the
// conventions table (with its sources); --prefix PATH=PREFIX overrides;
// never doubled; one prefix per subsystem across a series; the cover letter
// names the subsystem.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exampleTree, repoRoot } from '../support/helpers.js';
import { learnPrefixes, prefixComponents, prefixFromSubjects } from '../../src/series/prefix-history.js';
import { normalizePrefix, parsePrefixOption, prefixFor, PREFIX_RULES, subjectPrefix } from '../../src/series/subject.js';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const cli = path.join(repoRoot, 'src/cli.ts');
const ID = { GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.org' };
const env = { ...process.env, ...ID, NO_COLOR: '1' };

const scratch: string[] = [];
function git(dir: string, ...args: string[]): string {
	const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

/** Commit a change to each file with this subject (a real change: --allow-empty would touch no file). */
function commitTouching(dir: string, subject: string, files: string[]): void {
	for (const f of files) fs.appendFileSync(path.join(dir, f), `/* ${subject} */\n`);
	git(dir, 'add', ...files);
	git(dir, 'commit', '-q', '-m', subject);
}

/**
 * A git copy of the example tree whose history titles demo_regs.c mostly
 * "demo-regs: ...", demo_ring.c "ring: core: ..." (with a merge commit and a
 * revert that must not count), and demo_fs.c nothing in common.
 */
let shared: string | undefined;
function historyTree(): string {
	return (shared ??= makeHistoryTree());
}

function makeHistoryTree(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-prefix-'));
	scratch.push(dir);
	fs.cpSync(exampleTree, dir, { recursive: true });
	git(dir, 'init', '-q', '-b', 'master');
	git(dir, 'add', '-A');
	git(dir, 'commit', '-q', '-m', 'Linux 7.3');
	const regs = 'drivers/demo/demo_regs.c';
	const ring = 'drivers/demo/demo_ring.c';
	const fsc = 'drivers/demo/demo_fs.c';
	commitTouching(dir, 'demo-regs: Fix the register window', [regs]);
	commitTouching(dir, 'demo-regs: Use devm for the clock', [regs]);
	commitTouching(dir, 'treewide: Replace strlcpy with strscpy', [regs, ring, fsc]);
	commitTouching(dir, 'demo-regs: Drop a stale comment', [regs]);
	git(dir, 'checkout', '-q', '-b', 'side');
	commitTouching(dir, 'ring: core: Size the ring from the header', [ring]);
	commitTouching(dir, 'ring: core: Check the ring size', [ring]);
	git(dir, 'checkout', '-q', 'master');
	git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge branch side: lots of things', 'side');
	commitTouching(dir, 'ring: Add a debugfs entry', [ring]);
	commitTouching(dir, 'ring: Fix a typo', [ring]);
	commitTouching(dir, 'Revert "ring: core: Check the ring size"', [ring]);
	commitTouching(dir, 'demo fs: Fix an off-by-one', [fsc]);
	commitTouching(dir, 'fs-demo: Tidy up', [fsc]);
	return dir;
}

function mmapify(args: string[], cwd: string) {
	const r = spawnSync(tsx, [cli, ...args], { cwd, env, encoding: 'utf8' });
	return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The subjects of a dry run's JSON report, by the first file of each patch. */
function dryRunSubjects(dir: string, extra: string[] = []): Record<string, string> {
	const r = mmapify(['--dry-run', '--json', ...extra, 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	const report = JSON.parse(r.out) as { patches: Array<{ subject: string; files: string[] }> };
	return Object.fromEntries(report.patches.map((p) => [p.files.find((f) => f.endsWith('.c'))!, p.subject]));
}

const doubled = (subject: string) => {
	const comps = subject.split(/(?<=:) /).filter((c) => c.endsWith(':')).map((c) => c.toLowerCase());
	return comps.some((c, i) => i > 0 && c === comps[i - 1]);
};

test('prefixes are never doubled and always end in a colon', () => {
	assert.is(normalizePrefix('dma-buf: dma-buf:'), 'dma-buf:');
	assert.is(normalizePrefix('dma-buf: DMA-BUF: heaps:'), 'dma-buf: heaps:');
	assert.is(normalizePrefix(' xen '), 'xen:');
	assert.is(normalizePrefix('KVM:  guest_memfd:'), 'KVM: guest_memfd:');
	assert.is(normalizePrefix('drm/i915: drm/i915:'), 'drm/i915:');
	// The directory fallback used to double it for drivers/dma-buf/dma-buf.c.
	assert.is(prefixFor('drivers/foo/foo.c'), 'foo:');
	assert.is(prefixFor('drivers/dma-buf/dma-buf.c'), 'dma-buf:');
	assert.is(subjectPrefix(['x.c'], { override: 'demo: demo:' }), 'demo:');
	assert.is(subjectPrefix(['drivers/foo/foo.c'], { rules: parsePrefixOption(['drivers/foo/=foo: foo:']).rules }), 'foo:');
});

test('table: the maintainers\' own prefixes, each row with its source', () => {
	const cases: Array<[string, string]> = [
		['security/selinux/selinuxfs.c', 'selinux:'],
		['virt/kvm/guest_memfd.c', 'KVM: guest_memfd:'],
		['virt/kvm/kvm_main.c', 'KVM:'],
		['kernel/dma/mapping.c', 'dma-mapping:'],
		['drivers/acpi/pfr_telemetry.c', 'ACPI: pfr_telemetry:'],
		['drivers/hsi/clients/cmt_speech.c', 'HSI: cmt_speech:'],
		['drivers/vhost/vdpa.c', 'vhost-vdpa:'],
		['drivers/hv/mshv_root_main.c', 'mshv:'],
		['sound/core/hwdep.c', 'ALSA: hwdep:'],
		['sound/core/memalloc.c', 'ALSA: memalloc:'],
		['sound/core/pcm_native.c', 'ALSA: pcm:'],
		['drivers/dma-buf/dma-buf.c', 'dma-buf:'],
		['drivers/dma-buf/heaps/cma_heap.c', 'dma-buf: heaps:'],
		['drivers/dma-buf/udmabuf.c', 'udmabuf:'],
		['drivers/video/fbdev/core/fb_defio.c', 'fbdev: defio:'],
		['drivers/scsi/sg.c', 'scsi: sg:'],
		['kernel/bpf/arena.c', 'bpf: arena:'],
	];
	for (const [p, want] of cases) assert.is(prefixFor(p), want, p);
	for (const r of PREFIX_RULES) assert.ok(r.source && r.source.length > 5, `row ${r.pattern} has a source`);
	for (const r of PREFIX_RULES) assert.not.match(r.source!, /\/work\/|review-7\.3|kernel-api\.md/, 'sources are public');
});

test('history: the prefix most recent subjects share, the longest with a majority', () => {
	assert.equal(prefixComponents('KVM: guest_memfd: Add a flag'), ['KVM', 'guest_memfd']);
	assert.equal(prefixComponents('stm class: Fix a leak'), ['stm class']);
	assert.equal(prefixComponents('Revert "KVM: x86: foo"'), []);
	assert.equal(prefixComponents('Linux 7.3'), []);
	assert.is(prefixFromSubjects(['KVM: guest_memfd: a', 'KVM: guest_memfd: b', 'KVM: c']), 'KVM: guest_memfd:');
	assert.is(prefixFromSubjects(['KVM: guest_memfd: a', 'KVM: x86: b', 'KVM: c']), 'KVM:');
	assert.is(prefixFromSubjects(['a: x', 'b: y', 'c: z']), undefined, 'no majority');
	assert.is(prefixFromSubjects(['Linux 7.3']), undefined);
	assert.is(prefixFromSubjects([]), undefined);
});

test('history: learned from the touched files of a git tree; merges and reverts do not vote', () => {
	const dir = historyTree();
	const learned = learnPrefixes(dir, ['drivers/demo/demo_regs.c', 'drivers/demo/demo_ring.c', 'drivers/demo/demo_fs.c', 'drivers/demo/nothing.c']);
	assert.is(learned.get('drivers/demo/demo_regs.c'), 'demo-regs:');
	// ring: "Linux 7.3", 2x "ring: core:", 2x "ring:", a treewide one, a merge and a revert:
	// "ring:" has 4 of the 7 non-merge subjects, "ring: core:" only 2.
	assert.is(learned.get('drivers/demo/demo_ring.c'), 'ring:');
	assert.not.ok(learned.has('drivers/demo/demo_fs.c'), 'no majority: the table decides');
	assert.not.ok(learned.has('drivers/demo/nothing.c'));
	// A tree inside another repository has that repository's history: nothing is learned.
	assert.is(learnPrefixes(exampleTree, ['drivers/demo/demo_regs.c']).size, 0);
	assert.is(learnPrefixes(os.tmpdir(), ['x.c']).size, 0, 'not a git tree');
});

test('the CLI uses learned prefixes; --prefix PATH=PREFIX overrides per path and may repeat', () => {
	const dir = historyTree();
	const learned = dryRunSubjects(dir);
	assert.is(learned['drivers/demo/demo_regs.c'], 'demo-regs: Convert demo_regs_mmap() to mmap_prepare');
	assert.match(learned['drivers/demo/demo_ring.c']!, /^ring: Convert /);
	assert.match(learned['drivers/demo/demo_fs.c']!, /^demo: demo_fs: Convert /, 'no majority: the table/fallback');
	for (const s of Object.values(learned)) assert.not.ok(doubled(s), s);
	const over = dryRunSubjects(dir, ['--prefix', 'drivers/demo/=demo:', '--prefix', 'drivers/demo/demo_ring.c=demo: ring:']);
	assert.match(over['drivers/demo/demo_regs.c']!, /^demo: Convert demo_regs_mmap\(\)/, 'the folder rule beats the history');
	assert.match(over['drivers/demo/demo_ring.c']!, /^demo: ring: Convert /, 'the file rule beats the folder rule');
	const bare = dryRunSubjects(dir, ['--prefix', 'demo']);
	for (const s of Object.values(bare)) assert.match(s, /^demo: Convert /);
	const bad = mmapify(['--dry-run', '--prefix', 'drivers/demo/=', 'drivers/demo'], dir);
	assert.is(bad.code, 2);
	assert.match(bad.err, /--prefix/);
});

test('a written series: prefixes consistent across patches, the cover letter names the shared subsystem', () => {
	const dir = historyTree();
	const out = path.join(dir, 'out');
	const r = mmapify(['-o', out, '--prefix', 'drivers/demo/=demo:', 'drivers/demo/demo_regs.c', 'drivers/demo/demo_ring.c'], dir);
	assert.is(r.code, 0, r.err);
	const files = fs.readdirSync(out).filter((f) => f.endsWith('.patch')).sort();
	const subjects = files.map((f) => fs.readFileSync(path.join(out, f), 'utf8').match(/^Subject: (.*(?:\n .*)*)/m)![1]!.replace(/\n /g, ' '));
	assert.match(subjects[0]!, /^\[PATCH 0\/2\] demo: Convert 3 mmap hooks to mmap_prepare$/);
	for (const s of subjects.slice(1)) assert.match(s, /^\[PATCH [12]\/2\] demo: Convert /);
});

test.after(() => {
	for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

test.run();
