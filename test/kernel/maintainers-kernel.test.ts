// src/maintainers.ts against the real scripts/get_maintainer.pl on the real
// Linux 7.3 MAINTAINERS (${MMAPIFY_KERNEL_TREE}, else the prepared tree in
// ${MMAPIFY_CACHE:-.cache}/kernel/7.3/git). Skipped, with a message, when
// there is no such tree or no perl.
//
// For a sample of files across subsystems (C sources, headers, a DT binding,
// Rust, an orphaned driver, names that need quoting or carry non-ASCII, a
// reviewer with a comment, N: regex sections), the addresses equal those of
// `get_maintainer.pl --no-git --no-git-fallback --no-rolestats -f FILE`,
// and To: (maintainers) equals its output with --no-r --no-l. Patches built
// from some of the files, with K: keywords in the message and in +/- or
// context lines, are compared the same way.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getMaintainers, loadMaintainers, recipientsFor, unmaintainedSections } from '../../src/series/maintainers.js';
import { repoRoot } from '../support/helpers.js';

const exec = promisify(execFile);

const candidates = [process.env.MMAPIFY_KERNEL_TREE, path.join(process.env.MMAPIFY_CACHE || path.join(repoRoot, '.cache'), 'kernel/7.3/git')];
const tree = candidates.find((t) => t && fs.existsSync(path.join(t, 'MAINTAINERS')) && fs.existsSync(path.join(t, 'scripts/get_maintainer.pl')));

const SAMPLE = [
	// the subsystems mmapify converts in its e2e run
	'arch/powerpc/platforms/cell/spufs/file.c',
	'drivers/xen/privcmd.c',
	'drivers/misc/bcm-vk/bcm_vk_dev.c',
	'fs/gfs2/file.c',
	'fs/udf/file.c',
	'fs/ecryptfs/file.c',
	'kernel/dma/mapping.c',
	// mm, and headers a chain touches
	'mm/mmap.c',
	'include/linux/mm.h',
	'tools/testing/vma/main.c',
	// elsewhere
	'drivers/gpu/drm/drm_gem.c',
	'net/core/dev.c',
	'sound/core/pcm_native.c',
	'drivers/hv/vmbus_drv.c',
	'drivers/uio/uio.c',
	'drivers/char/mem.c',
	'drivers/infiniband/core/uverbs_main.c',
	'io_uring/memmap.c',
	'block/blk-core.c',
	'security/selinux/hooks.c',
	'virt/kvm/kvm_main.c',
	'lib/maple_tree.c',
	'drivers/vfio/pci/vfio_pci_core.c',
	'kernel/bpf/syscall.c',
	'rust/kernel/mm.rs',
	// N: regex sections, several same-depth matches
	'arch/arm/mach-sunxi/platsmp.c',
	'drivers/staging/vc04_services/bcm2835-audio/bcm2835.h',
	// quoted and non-ASCII names, a reviewer with a (comment, with comma)
	'drivers/pwm/core.c',
	'fs/smb/client/file.c',
	'drivers/net/ethernet/3com/3c59x.c',
	// Orphan and Odd Fixes sections
	'drivers/char/hw_random/geode-rng.c',
	'drivers/net/wireless/admtek/adm8211.c',
	// a DT binding: addresses in the .yaml file count
	'Documentation/devicetree/bindings/pwm/pwm.yaml',
];

/** file, added line, commit message words, context line: K: keywords in different places. */
const PATCHES: Array<[string, string, string, string]> = [
	['drivers/xen/privcmd.c', '\tbpf_prog_put(prog);', 'Tidy up', 'int x;'],
	['drivers/misc/bcm-vk/bcm_vk_dev.c', '\tint fd = PIDFD_SELF;', 'Use a pidfd', 'int x;'],
	['fs/gfs2/file.c', '\tint y;', 'Build with Clang', 'xdp_buff *b;'],
	['kernel/dma/mapping.c', '\tstruct phylink *pl;', 'Tidy up', 'int x;'],
	['mm/mmap.c', '\tint y;', 'Tidy up', 'magic();'],
	['drivers/gpu/drm/drm_gem.c', '\tdma_fence_put(f);', 'Fix the dma_buf refcount', 'int x;'],
];

function patchText(file: string, added: string, message: string, context: string): string {
	return (
		`From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: A U Thor <author@example.org>\n` +
		`Subject: [PATCH] x: ${message}\n\n${message}.\n\nSigned-off-by: A U Thor <author@example.org>\n---\n ${file} | 1 +\n 1 file changed, 1 insertion(+)\n\n` +
		`diff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n@@ -1,1 +1,2 @@\n ${context}\n+${added}\n-- \n2.39.5\n`
	);
}

const perlOk = (() => {
	try {
		execFileSync('perl', ['-e', '1']);
		return true;
	} catch {
		return false;
	}
})();

if (!tree || !perlOk) {
	console.log(
		`maintainers-kernel: SKIPPED: ${!perlOk ? 'no perl' : `no kernel tree with MAINTAINERS and scripts/get_maintainer.pl at ${candidates.filter(Boolean).join(' or ')} (set MMAPIFY_KERNEL_TREE)`}`,
	);
	test.skip('MAINTAINERS lookup equals get_maintainer.pl on the real tree', () => {});
} else {
	const root = tree;
	const script = path.join(root, 'scripts/get_maintainer.pl');
	// Perl's hash order is random per run; fixed here so reruns print the same.
	const env = { ...process.env, PERL_HASH_SEED: '0', PERL_PERTURB_KEYS: '0' };
	const perl = async (args: string[]) =>
		(await exec('perl', [script, '--no-git', '--no-git-fallback', '--no-rolestats', ...args], { cwd: root, env, maxBuffer: 1 << 24 })).stdout
			.split('\n')
			.filter(Boolean);
	/** Run jobs two at a time (CI has two cores). */
	async function pool<T>(jobs: Array<() => Promise<T>>, width = 2): Promise<T[]> {
		const out: T[] = new Array(jobs.length);
		let next = 0;
		await Promise.all(
			Array.from({ length: width }, async () => {
				while (next < jobs.length) {
					const i = next++;
					out[i] = await jobs[i]!();
				}
			}),
		);
		return out;
	}
	const sort = (xs: string[]) => [...xs].sort();

	test(`MAINTAINERS lookup equals get_maintainer.pl for ${SAMPLE.length} files of ${root}`, async () => {
		for (const f of SAMPLE) assert.ok(fs.existsSync(path.join(root, f)), `${f} exists in the tree`);
		const t0 = performance.now();
		const db = loadMaintainers(root)!;
		const ours = SAMPLE.map((f) => ({ all: getMaintainers(db, { files: [f] }).recipients.map((r) => r.email), to: recipientsFor(db, { files: [f] }).to }));
		const ms = performance.now() - t0;
		const theirs = await pool(SAMPLE.map((f) => async () => ({ all: await perl(['-f', f]), to: await perl(['--no-r', '--no-l', '-f', f]) })));
		let sameOrder = 0;
		for (const [i, f] of SAMPLE.entries()) {
			assert.equal(sort(ours[i]!.all), sort(theirs[i]!.all), `${f}: the same addresses as get_maintainer.pl`);
			assert.equal(sort(ours[i]!.to), sort(theirs[i]!.to), `${f}: To: = get_maintainer.pl --no-r --no-l`);
			if (JSON.stringify(ours[i]!.all) === JSON.stringify(theirs[i]!.all)) sameOrder++;
		}
		assert.is(db.warnings.length, 0, `every N:/K: regex compiles: ${db.warnings.join('; ')}`);
		console.log(`maintainers-kernel: ${SAMPLE.length} files equal (${sameOrder} also in the same order; the rest differ only among sections of equal depth, which Perl orders by hash); ours took ${Math.round(ms)} ms`);
	});

	test(`patches with K: keywords equal get_maintainer.pl on the patch (${PATCHES.length} patches)`, async () => {
		const db = loadMaintainers(root)!;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-maint-'));
		try {
			const texts = PATCHES.map((p) => patchText(...p));
			const theirs = await pool(
				texts.map((t, i) => async () => {
					const f = path.join(dir, `${i}.patch`);
					fs.writeFileSync(f, t);
					return { all: await perl([f]), to: await perl(['--no-r', '--no-l', f]) };
				}),
			);
			let keyworded = 0;
			for (const [i, t] of texts.entries()) {
				const r = getMaintainers(db, { patch: t });
				if (r.sections.some((s) => s.keyword)) keyworded++;
				assert.equal(sort(r.recipients.map((x) => x.email)), sort(theirs[i]!.all), `patch ${i} (${PATCHES[i]![0]})`);
				assert.equal(sort(recipientsFor(db, { patch: t }).to), sort(theirs[i]!.to), `patch ${i}: To:`);
			}
			assert.ok(keyworded >= 4, `K: keywords matched in ${keyworded} patches`);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	test('Orphan and Odd Fixes entries are found in the real MAINTAINERS', () => {
		const db = loadMaintainers(root)!;
		const u = unmaintainedSections(getMaintainers(db, { files: ['drivers/char/hw_random/geode-rng.c', 'drivers/net/wireless/admtek/adm8211.c'] }).sections);
		assert.ok(u.some((s) => /orphan/i.test(s.status)), JSON.stringify(u));
	});
}

test.run();
