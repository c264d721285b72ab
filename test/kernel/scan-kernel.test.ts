// mmapify scan on the real Linux 7.3 tree, checked against the census
// (shared/docs/census.md): 735 sites, 281 hooks (102 file_operations), 100
// strictly convertible, and the categories except the differences
// docs/scan.md explains. Needs the tree (MMAPIFY_KERNEL_TREE or the test
// cache); skipped without it. Takes about a minute (the whole tree, planned).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../support/helpers.js';
import { initParser } from '../../src/c/parser.js';
import { resetCorpus } from '../../src/corpus/corpus.js';
import { scanTree } from '../../src/scan/scan.js';
import type { ScanReport } from '../../src/scan/report.js';
import { defaultCensus, readCensus, reconcile } from '../../bench/census.js';

const tree = process.env.MMAPIFY_KERNEL_TREE ?? path.join(repoRoot, '.cache/kernel/7.3/src/linux-source-7.3');
const have = fs.existsSync(path.join(tree, 'include/linux/fs.h'));

/** census.md §2a and §1a */
const CENSUS = { sites: 735, hooks: 281, fop: 102, nested: 179, strict: 100, kinds: { init: 528, 'macro-use': 191, assign: 8, 'macro-def': 8 } };
/**
 * Census-strict hooks the scan does not count strict, each with why. The scan
 * reads side effects with mmapify's one name vocabulary (transforms/lib/effects.ts),
 * which knows sgx_encl_mm_add() as a registration; the census's purity test
 * missed it (docs/scan.md).
 */
const STRICT_ONLY_CENSUS: Record<string, string> = { sgx_mmap: 'sgx_encl_mm_add() inserts the mm into the enclave\'s list' };
const CENSUS_CATEGORIES = { a: 52, b: 57, c: 116, d: 32, e: 24 };

/**
 * Hooks whose category differs from the census's (docs/scan.md, "Categories"):
 * census category -> scan category -> hooks.
 */
const CATEGORY_DIFFERENCES: Record<string, string[]> = {
	'c>e': ['pci_mmap_resource_uc', 'pci_mmap_resource_wc', 'proc_bus_pci_mmap'],
	'e>d': ['hfi1_file_mmap', 'rvt_mmap'],
};

let report: ScanReport | undefined;

test('scan: Linux 7.3, whole tree with the plan, reconciles with the census (real tree, ~1 min)', async () => {
	if (!have) {
		console.log(`  SKIP scan-kernel: no Linux 7.3 tree at ${tree} (set MMAPIFY_KERNEL_TREE or run test/kernel/fetch-kernel.sh)`);
		return;
	}
	await initParser();
	resetCorpus();
	report = scanTree({ root: tree, targets: ['.'], version: 'test' });
	const t = report.totals;
	assert.equal({ sites: t.sites, hooks: t.hooks, fop: t.fopHooks, nested: t.nestedHooks, strict: t.strict, kinds: t.byKind }, { ...CENSUS, strict: CENSUS.strict - Object.keys(STRICT_ONLY_CENSUS).length });
	// Categories: the census's counts moved by the documented differences.
	const want: Record<string, number> = { ...CENSUS_CATEGORIES };
	for (const [k, hooks] of Object.entries(CATEGORY_DIFFERENCES)) {
		const [from, to] = k.split('>') as [string, string];
		want[from]! -= hooks.length;
		want[to]! += hooks.length;
	}
	assert.equal(Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((c) => [c, t.byCategory[c]!.hooks])), want);
	assert.is(t.byCategory.f!.hooks, 1, 'xxxfb_mmap (skeletonfb.c) has no definition');
	// Every hook has mmapify's verdict, and a reason when it is not converted.
	for (const h of report.hooks) {
		assert.ok(h.status === 'converted' ? h.newName : h.reason, `${h.id}: ${h.status} without ${h.status === 'converted' ? 'a new name' : 'a reason'}`);
	}
	// 36 before issue #11 class 8 refused the vfio_device_ops chain (sample code only: coexist-churn)
	assert.ok(t.converted >= 34, `converted ${t.converted}`);
	// Parse problems are counted, and no wiring match was lost in an ERROR region.
	assert.ok(report.files.unclean > 0 && report.files.errorRegions > 0);
	assert.is(report.files.unreadable.length, 0);
	assert.equal(report.dropped.filter((d) => d.cause === 'error' && d.field.match(/(^|_)mmap/)), []);
	// The chains the census ranks first, with their dispatchers.
	const chain = (k: string) => report!.chains.find((c) => c.chain === k);
	assert.equal(chain('fb_ops.fb_mmap')?.dispatchers.map((d) => d.function), ['fb_mmap']);
	assert.equal(chain('ib_device_ops.mmap')?.dispatchers.map((d) => d.function), ['ib_uverbs_mmap']);
	assert.is(chain('fb_ops.fb_mmap')?.implementors.length, 36);
});

test('scan: Linux 7.3, every site and hook is the census row it should be (when census.tsv is at hand)', () => {
	const tsv = defaultCensus();
	if (!report || !fs.existsSync(tsv)) {
		console.log(`  SKIP scan-kernel: ${report ? `no census.tsv at ${tsv} (set MMAPIFY_CENSUS_TSV)` : 'no scan report'}`);
		return;
	}
	const r = reconcile(report, readCensus(tsv));
	assert.equal([r.sitesOnlyCensus, r.sitesOnlyScan, r.hooksOnlyCensus, r.hooksOnlyScan], [[], [], [], []]);
	const known = (k: string) => Object.keys(STRICT_ONLY_CENSUS).some((fn) => k.includes(fn));
	assert.equal(r.strictOnlyCensus.filter(known).length, Object.keys(STRICT_ONLY_CENSUS).length, `the known differences: ${r.strictOnlyCensus.join(', ')}`);
	assert.equal([r.strictOnlyCensus.filter((k) => !known(k)), r.strictOnlyScan], [[], []]);
	const got: Record<string, string[]> = {};
	for (const [c, row] of Object.entries(r.confusion))
		for (const [s, hooks] of Object.entries(row)) if (c !== s) got[`${c}>${s}`] = hooks.map((h) => h.split('@')[0]!).sort();
	assert.equal(got, CATEGORY_DIFFERENCES);
});

test.run();
