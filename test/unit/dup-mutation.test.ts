// Issue #4: does the dup.h check notice when the kernel moves on?
//
// On a copy of (the parts the VMA tests need of) tools/ mm/ include/ lib/ of
// the real 7.3 tree
// (${MMAPIFY_KERNEL_TREE:-.cache/kernel/7.3/src/linux-source-7.3}) a field is
// added to struct vm_area_desc in include/linux/mm_types.h, and mm/vma.c is
// made to set it (so that the userland VMA tests, which compile mm/vma.c
// against dup.h, need the field too). Then:
//   - checkDup() reports vm_area_desc as stale drift, and nothing else new;
//   - syncDupPatch() brings the mirror along: dup.h gets exactly the new line;
//   - the VMA tests do not build without the sync, and build and pass with it.
// The check part takes a few seconds; the builds about 20-30 s on 2 CPUs.
// Skipped, with a message, without the tree (or, for the builds, without
// gcc/make or the liburcu headers: apt-get install -y liburcu-dev).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDup, clearIndexCache, DUP_PATH, syncDupPatch, type DupReport, type SyncResult } from '../../src/mm/dup/index.js';
import { repoRoot } from '../support/helpers.js';

const tree = process.env.MMAPIFY_KERNEL_TREE || path.join(repoRoot, '.cache/kernel/7.3/src/linux-source-7.3');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const urcu = ['/usr/include/urcu.h', '/usr/include/x86_64-linux-gnu/urcu.h', '/usr/local/include/urcu.h'].some((f) => fs.existsSync(f));

const FIELD = 'mmapify_mutation';
const FIELD_LINE = `\tunsigned long ${FIELD}; /* added by mmapify's test/dup-mutation.test.ts */`;

const whyNoTree = fs.existsSync(path.join(tree, DUP_PATH)) && fs.existsSync(path.join(tree, 'include/linux/mm_types.h'))
	? ''
	: `no kernel tree with ${DUP_PATH} at ${tree} (set MMAPIFY_KERNEL_TREE or run test/kernel/fetch-kernel.sh)`;
const whyNoBuild = whyNoTree || (!has('gcc') || !has('make') ? 'gcc or make missing' : !urcu ? 'liburcu headers missing (apt-get install -y liburcu-dev)' : '');

const NAME_CHECK = 'mutation: a field added to vm_area_desc is stale drift; syncDupPatch copies it into dup.h (~5 s)';
const NAME_BUILD = 'mutation: the VMA tests need the synced dup.h: no build before, build and pass after (~30 s)';

/** Replace the one occurrence of old inside the text of struct/function `within` (fails loudly). */
function editWithin(file: string, within: RegExp, old: string, neu: string): void {
	const s = fs.readFileSync(file, 'utf8');
	const m = within.exec(s);
	if (!m) throw new Error(`${file}: ${within} not found`);
	const block = m[0];
	if (block.split(old).length !== 2) throw new Error(`${file}: expected one ${JSON.stringify(old)} in ${within}`);
	fs.writeFileSync(file, s.slice(0, m.index) + block.replace(old, neu) + s.slice(m.index + block.length));
}

/** Lines of after that before does not have (as a multiset), in order. */
function addedLines(before: string, after: string): string[] {
	const count = new Map<string, number>();
	for (const l of before.split('\n')) count.set(l, (count.get(l) ?? 0) + 1);
	return after.split('\n').filter((l) => {
		const n = count.get(l) ?? 0;
		if (n > 0) count.set(l, n - 1);
		return n === 0;
	});
}

/**
 * What the VMA tests and the dup.h check need of tools/ mm/ include/ lib/
 * (kernel-api.md §5.5): a tenth of the files, so a few seconds instead of
 * ~15 s to copy. The dup.h check's index reads include/linux/**,
 * include/uapi, include/asm-generic, mm and lib, all copied.
 */
const PARTS = ['mm', 'lib', 'include/linux', 'include/uapi', 'include/asm-generic', 'tools/scripts', 'tools/include', 'tools/arch', 'tools/lib', 'tools/testing/shared', 'tools/testing/vma'];

function copyTree(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-dupmut-'));
	const t0 = performance.now();
	const cp = spawnSync('cp', ['-a', '--parents', ...PARTS, dir], { cwd: tree });
	if (cp.status !== 0) for (const d of PARTS) fs.cpSync(path.join(tree, d), path.join(dir, d), { recursive: true });
	console.log(`dup-mutation: copied the tree's parts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	return dir;
}

function make(dir: string): { status: number | null; log: string; s: number } {
	const t0 = performance.now();
	spawnSync('make', ['-C', 'tools/testing/vma', 'clean'], { cwd: dir });
	const r = spawnSync('make', ['-C', 'tools/testing/vma', `-j${Math.min(4, os.cpus().length)}`], { cwd: dir, encoding: 'utf8' });
	return { status: r.status, log: `${r.stdout}\n${r.stderr}`, s: (performance.now() - t0) / 1000 };
}

if (whyNoTree) {
	console.log(`dup-mutation: SKIPPED: ${whyNoTree}`);
	test.skip(NAME_CHECK, () => {});
	test.skip(NAME_BUILD, () => {});
} else {
	let dir = '';
	let baseline: DupReport;
	let sync: SyncResult | null = null;

	test.before(() => {
		dir = copyTree();
	});
	test.after(() => {
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
		clearIndexCache();
	});

	test(NAME_CHECK, () => {
		const t0 = performance.now();
		baseline = checkDup(dir);
		const cls = (r: DupReport, n: string) => r.items.find((i) => i.name === n)?.class;
		assert.is(cls(baseline, 'vm_area_desc'), 'in-sync', 'before the mutation vm_area_desc is in sync');
		assert.not.ok(baseline.stale.includes('vm_area_desc'));

		// the mutation: a new field, and a kernel user of it in mm/vma.c
		editWithin(path.join(dir, 'include/linux/mm_types.h'), /\nstruct vm_area_desc \{[\s\S]*?\n\};/, '\tvoid *private_data;\n', `\tvoid *private_data;\n${FIELD_LINE}\n`);
		editWithin(path.join(dir, 'mm/vma.c'), /\nstatic void set_desc_from_map\([\s\S]*?\n\}/, '\tdesc->end = map->end;\n', `\tdesc->end = map->end;\n\tdesc->${FIELD} = map->addr;\n`);
		clearIndexCache(); // the kernel index is cached per root

		const mutated = checkDup(dir);
		const item = mutated.items.find((i) => i.name === 'vm_area_desc')!;
		assert.is(item.class, 'drift', 'vm_area_desc is reported as drift');
		assert.not.ok(item.constOnly);
		assert.is(item.original?.file, 'include/linux/mm_types.h');
		assert.match(item.diff ?? '', new RegExp(`^\\+.*unsigned long ${FIELD};`, 'm'), 'the diff shows the new field');
		// stale drift: exactly the baseline's plus vm_area_desc
		assert.ok(mutated.stale.includes('vm_area_desc'));
		assert.equal(
			mutated.stale.filter((n) => n !== 'vm_area_desc'),
			baseline.stale,
			'nothing else changed class',
		);
		assert.ok(mutated.counts.drift === baseline.counts.drift + 1);

		// syncDupPatch, for this item: dup.h gets exactly the new line
		sync = syncDupPatch(dir, { report: mutated, only: ['vm_area_desc'] });
		assert.equal(
			sync.changes.map((c) => `${c.action} ${c.name}`),
			['synced vm_area_desc'],
		);
		assert.equal(addedLines(sync.before, sync.after), [FIELD_LINE], 'the only new line of dup.h is the field');
		assert.is(sync.after.split('\n').length, sync.before.split('\n').length + 1);
		const resynced = checkDup(dir, { source: sync.after });
		assert.is(resynced.items.find((i) => i.name === 'vm_area_desc')?.class, 'in-sync');
		assert.equal(resynced.stale, baseline.stale, 'back to the baseline drift');

		// the whole-file sync (what `mmapify sync-dup` writes) brings it along too
		const all = syncDupPatch(dir, { report: mutated });
		assert.ok(all.changes.some((c) => c.name === 'vm_area_desc' && c.action === 'synced'));
		assert.ok(all.after.includes(FIELD_LINE));
		console.log(`dup-mutation: checks and syncs took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	});

	if (whyNoBuild) {
		console.log(`dup-mutation: SKIPPED the build: ${whyNoBuild}`);
		test.skip(NAME_BUILD, () => {});
	} else {
		test(NAME_BUILD, () => {
			assert.ok(sync, 'the check test ran first');
			// dup.h as it is: mm/vma.c sets a field dup.h's copy does not have
			const stale = make(dir);
			console.log(`dup-mutation: build with the stale dup.h: exit ${stale.status} in ${stale.s.toFixed(1)} s`);
			assert.is.not(stale.status, 0, 'the stale dup.h must not build');
			assert.match(stale.log, new RegExp(`has no member named .${FIELD}`), 'it fails on the new field');

			fs.writeFileSync(path.join(dir, DUP_PATH), sync!.after);
			const b = make(dir);
			assert.is(b.status, 0, `build failed:\n${b.log.split('\n').filter((l) => /error|warning/.test(l)).slice(0, 20).join('\n')}`);
			assert.not.match(b.log, /include\/dup\.h:\d+:\d+: warning/, 'no warnings from dup.h');
			const run = spawnSync(path.join(dir, 'tools/testing/vma/vma'), { cwd: path.join(dir, 'tools/testing/vma'), encoding: 'utf8' });
			const summary = `${run.stdout}${run.stderr}`.trim().split('\n').pop() ?? '';
			console.log(`dup-mutation: build with the synced dup.h in ${b.s.toFixed(1)} s: ${summary}`);
			assert.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
			assert.match(summary, / 0 failed/);
		});
	}
}

test.run();
