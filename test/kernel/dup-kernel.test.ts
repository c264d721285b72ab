// The dup.h sync check on a real kernel tree:
// ${MMAPIFY_KERNEL_TREE:-$MMAPIFY_CACHE/kernel/7.3/src/linux-source-7.3}.  Skipped, with a
// message, when there is no tree there.
//
// Expectations for Linux 7.3 (docs/dup-sync.md, "Linux 7.3"): 259 items after
// the DUPLICATED comment, 211 in sync (the 210 whitespace-identical items of
// the kernel-api notes §5.3 plus mmap_action_type, whose only difference is a
// comment), and stale drift that includes the four items below.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/helpers.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../../src/c/parser.js';
import { checkDup, crossCheckWithTree, DUP_PATH, splitItems, type DupReport } from '../../src/mm/dup/index.js';

const tree = process.env.MMAPIFY_KERNEL_TREE || path.join(process.env.MMAPIFY_CACHE ?? path.join(repoRoot, '.cache'), 'kernel', '7.3', 'src', 'linux-source-7.3');
const present = fs.existsSync(path.join(tree, DUP_PATH)) && fs.existsSync(path.join(tree, 'include/linux/mm.h'));

if (!present) {
	console.log(`dup-kernel: SKIPPED: no kernel tree with ${DUP_PATH} at ${tree} (set MMAPIFY_KERNEL_TREE to a Linux 7.3 source tree)`);
	test.skip('dup.h check on a real 7.3 tree', () => {});
} else {
	let report: DupReport;
	let ms = 0;

	// its speed (< 30 s) is measured by npm run bench (dup-check), not asserted here
	test('dup.h check on the real tree: finds the DUPLICATED part', () => {
		const t0 = performance.now();
		report = checkDup(tree);
		ms = performance.now() - t0;
		console.log(
			`dup-kernel: Linux ${report.kernelVersion}: ${report.counts.total} items, ${report.counts['in-sync']} in sync, ${report.counts.linkage} linkage, ` +
				`${report.counts.drift} drift (${report.counts.constOnlyDrift} const-only), ${report.counts.custom} custom, ${report.counts['no-original']} no original; ${Math.round(ms)} ms`,
		);
		assert.ok(report.counts.total > 200, 'dup.h has its DUPLICATED part');
	});

	test('dup.h check on the real tree: 7.3 results', () => {
		if (!report.kernelVersion?.startsWith('7.3')) {
			console.log(`dup-kernel: tree is Linux ${report.kernelVersion}, not 7.3: 7.3-specific assertions skipped`);
			return;
		}
		assert.is(report.counts.total, 259);
		assert.equal(report.kinds, { define: 146, typedef: 2, enum: 4, struct: 7, function: 95, prototype: 4, variable: 1 });
		// §5.3 counts 210 whitespace-identical items; mmap_action_type differs from the kernel only in a comment
		assert.ok(Math.abs(report.counts['in-sync'] - 210) <= 2, `in sync: ${report.counts['in-sync']}`);
		const mat = report.items.find((i) => i.name === 'mmap_action_type')!;
		assert.is(mat.class, 'in-sync');
		assert.is(mat.commentsDiffer, true);
		for (const name of ['compat_set_desc_from_vma', 'anon-enum(DECLARE_VMA_BIT)', 'VM_COPY_ON_FORK', 'vm_operations_struct'])
			assert.ok(report.stale.includes(name), `${name} should be stale; stale: ${report.stale.join(', ')}`);
		const get = (n: string) => report.items.find((i) => i.name === n)!;
		assert.ok(get('anon-enum(DECLARE_VMA_BIT)').diff!.includes('DECLARE_VMA_BIT(UFFD_RWP, 43)'));
		assert.ok(get('VM_COPY_ON_FORK').diff!.includes('VM_UFFD_RWP'));
		assert.ok(get('vm_operations_struct').diff!.includes('uffd_ops'));
		const csd = get('compat_set_desc_from_vma');
		assert.is(csd.original!.file, 'mm/util.c');
		assert.ok(csd.diff!.includes('+\tdesc->pgoff = vma_start_pgoff(vma);'), csd.diff);
		// §5.3's classes
		for (const n of ['vm_stat_account', '__compat_vma_mmap', 'compat_vma_mmap', 'find_vma_intersection', 'find_vma_prev', 'vma_set_file'])
			assert.is(get(n).class, 'linkage', `${n}: ${get(n).detail}`);
		for (const n of ['is_exec_mapping', 'is_stack_mapping', 'is_data_mapping', 'vma_iter_load', 'vma_assert_write_locked', 'compat_set_vma_from_desc'])
			assert.is(get(n).class, 'linkage', `${n}: ${get(n).detail}`);
		for (const n of ['vma_is_shared_maywrite', 'stack_guard_start_gap', 'vm_start_gap', 'vm_end_gap', 'vma_is_accessible']) {
			assert.is(get(n).class, 'drift', n);
			assert.is(get(n).constOnly, true, n);
		}
		for (const n of ['pgprot_modify', 'vm_get_page_prot', 'vma_init', 'vma_set_page_prot', 'DEFINE_MUTEX', 'TASK_SIZE_LOW', 'TASK_SIZE_MAX', 'vma_flags_clear_all', 'vma_flags_set_flag'])
			assert.is(get(n).class, 'custom', `${n}: ${get(n).detail}`);
		for (const n of ['vm_area_desc', 'mmap_action', 'vma_desc_test', 'vfs_mmap_prepare', 'vfs_mmap', 'can_mmap_file', 'vma_start_pgoff'])
			assert.is(get(n).class, 'in-sync', n);
	});

	test('dup.h of the real tree: tree-sitter agrees with the scanner on all but kernel-macro items', async () => {
		await initParser();
		const src = fs.readFileSync(path.join(tree, DUP_PATH), 'utf8');
		const dis = crossCheckWithTree(src, splitItems(src));
		if (report.kernelVersion?.startsWith('7.3')) assert.equal(dis.map((d) => d.scanner.name), ['vma_flag_t', 'anon-enum(DECLARE_VMA_BIT)']);
		else assert.ok(dis.length < 5, JSON.stringify(dis));
	});
}

test.run();
