// syncDupPatch on a real tree, verified by building and running the userland
// VMA tests: tools/ mm/ include/ lib/ of ${MMAPIFY_KERNEL_TREE:-$MMAPIFY_CACHE/kernel/7.3/src/linux-source-7.3}
// are copied to a scratch folder, dup.h is replaced by the re-synced text, then
// `make -C tools/testing/vma && tools/testing/vma/vma`.
//
// Opt-in, because it takes 15-55 s on 2 CPUs (copy ~3 s, a full build with
// ASan/UBSan): runs with MMAPIFY_DUP_BUILD=1, and is skipped with a message
// otherwise, or without the tree, gcc/make or liburcu headers
// (apt-get install -y liburcu-dev).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/helpers.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDup, DUP_PATH, syncDupPatch } from '../../src/mm/dup/index.js';

const tree = process.env.MMAPIFY_KERNEL_TREE || path.join(process.env.MMAPIFY_CACHE ?? path.join(repoRoot, '.cache'), 'kernel', '7.3', 'src', 'linux-source-7.3');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const urcu = ['/usr/include/urcu.h', '/usr/include/x86_64-linux-gnu/urcu.h', '/usr/local/include/urcu.h'].some((f) => fs.existsSync(f));

const why =
	process.env.MMAPIFY_DUP_BUILD !== '1'
		? 'set MMAPIFY_DUP_BUILD=1 to build the re-synced dup.h and run the VMA tests'
		: !fs.existsSync(path.join(tree, DUP_PATH))
			? `no kernel tree with ${DUP_PATH} at ${tree} (set MMAPIFY_KERNEL_TREE)`
			: !has('gcc') || !has('make')
				? 'gcc or make missing'
				: !urcu
					? 'liburcu headers missing (apt-get install -y liburcu-dev)'
					: '';

if (why) {
	console.log(`dup-sync-build: SKIPPED: ${why}`);
	test.skip('re-synced dup.h builds and the VMA tests pass', () => {});
} else {
	test('re-synced dup.h builds and the VMA tests pass', () => {
		const r = syncDupPatch(tree);
		const synced = r.changes.filter((c) => c.action === 'synced').map((c) => c.name);
		console.log(
			`dup-sync-build: ${synced.length} synced, ${r.changes.filter((c) => c.action === 'added').length} added, ` +
				`${r.changes.filter((c) => c.action === 'moved').length} moved, skipped: ${r.changes.filter((c) => c.action === 'skipped').map((c) => c.name).join(', ') || 'none'}`,
		);
		assert.ok(synced.includes('compat_set_desc_from_vma'));
		const check = checkDup(tree, { source: r.after });
		const skipped = new Set(r.changes.filter((c) => c.action === 'skipped').map((c) => c.name));
		assert.equal(check.stale.filter((n) => !skipped.has(n)), [], 'every stale item not skipped is in sync afterwards');

		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-dupbuild-'));
		try {
			for (const d of ['tools', 'mm', 'include', 'lib']) fs.cpSync(path.join(tree, d), path.join(dir, d), { recursive: true });
			fs.writeFileSync(path.join(dir, DUP_PATH), r.after);
			const make = spawnSync('make', ['-C', 'tools/testing/vma', `-j${Math.min(4, os.cpus().length)}`], { cwd: dir, encoding: 'utf8' });
			const log = `${make.stdout}\n${make.stderr}`;
			assert.is(make.status, 0, `build failed:\n${log.split('\n').filter((l) => /error|warning/.test(l)).slice(0, 20).join('\n')}`);
			assert.ok(!/include\/dup\.h:\d+:\d+: warning/.test(log), 'no warnings from dup.h');
			const run = spawnSync(path.join(dir, 'tools/testing/vma/vma'), { cwd: path.join(dir, 'tools/testing/vma'), encoding: 'utf8' });
			const summary = `${run.stdout}${run.stderr}`.trim().split('\n').pop();
			console.log(`dup-sync-build: ${summary}`);
			assert.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
			assert.match(summary ?? '', / 0 failed/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
}

test.run();
