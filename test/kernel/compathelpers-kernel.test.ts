// compatHelpersPatch() on the real Linux 7.3 tree, verified by building:
//
//   1. the parts of ${MMAPIFY_KERNEL_TREE:-.cache/kernel/7.3/src/linux-source-7.3}
//      that the VMA tests need (from tools/ mm/ include/ lib/, kernel-api.md
//      §5.5) are copied to a scratch folder;
//   2. test/kernel/unhelper.py --upstream-const turns the copy back into the
//      single-function compat_vma_mmap() of the trees before upstream's split;
//      the VMA tests must still build and pass;
//   3. compatHelpersPatch() on that copy must give back 7.3: the three
//      functions of mm/util.c equal 7.3's up to whitespace and comments,
//      mm/vma.h and mm_types.h byte for byte, fs.h token for token; dup.h
//      gets the same functions as static inline copies, in sync (which fixes
//      the one compat drift 7.3's own dup.h has); the VMA tests build and pass.
//
// Two builds of the VMA tests with ASan/UBSan and two dup.h checks: about
// 30 s on 2 CPUs, up to 1-2 min on a loaded machine. Skipped, with a message, without the tree,
// python3, gcc/make or the liburcu headers (apt-get install -y liburcu-dev).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compatHelpersPatch, treeHasCompatHelpers, type CompatHelpersPatch } from '../../src/mm/compat-helpers.js';
import { checkDup, clearIndexCache, DUP_PATH } from '../../src/mm/dup/index.js';
import { scanItems, tokenize } from '../../src/mm/dup/scan.js';
import { repoRoot } from '../support/helpers.js';

const tree = process.env.MMAPIFY_KERNEL_TREE || path.join(repoRoot, '.cache/kernel/7.3/src/linux-source-7.3');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const python = ['python3', 'python'].find(has);
const urcu = ['/usr/include/urcu.h', '/usr/include/x86_64-linux-gnu/urcu.h', '/usr/local/include/urcu.h'].some((f) => fs.existsSync(f));
const isSplit73 = () => /\bvoid compat_set_desc_from_vma\(/.test(fs.readFileSync(path.join(tree, 'mm/util.c'), 'utf8'));

const why = !fs.existsSync(path.join(tree, DUP_PATH)) || !fs.existsSync(path.join(tree, 'mm/util.c'))
	? `no kernel tree with ${DUP_PATH} at ${tree} (set MMAPIFY_KERNEL_TREE or run test/kernel/fetch-kernel.sh)`
	: !isSplit73()
		? `${tree} has no compat_set_desc_from_vma() in mm/util.c: not Linux 7.3`
		: !python
			? 'python3 missing (for test/kernel/unhelper.py)'
			: !has('gcc') || !has('make')
				? 'gcc or make missing'
				: !urcu
					? 'liburcu headers missing (apt-get install -y liburcu-dev)'
					: '';

const NAME_1 = 'real 7.3: unhelper.py gives the single-function compat_vma_mmap(), which builds and passes the VMA tests (~15 s)';
const NAME_2 = 'real 7.3: compatHelpersPatch() on it gives back 7.3\'s helpers; the VMA tests build and pass (~20 s)';

const FUNCS = ['compat_set_desc_from_vma', '__compat_vma_mmap', 'compat_vma_mmap'];

function fnTokens(src: string, name: string): string[] {
	const found = scanItems(src).filter((i) => i.kind === 'function' && i.name === name);
	assert.is(found.length, 1, `one ${name}()`);
	return tokenize(found[0]!.text);
}

/**
 * What the VMA tests and the dup.h check need of tools/ mm/ include/ lib/
 * (kernel-api.md §5.5): a tenth of the files, so a few seconds instead of
 * ~15 s to copy. The dup.h check's index reads include/linux/**,
 * include/uapi, include/asm-generic, mm and lib, all copied.
 */
const PARTS = ['mm', 'lib', 'include/linux', 'include/uapi', 'include/asm-generic', 'tools/scripts', 'tools/include', 'tools/arch', 'tools/lib', 'tools/testing/shared', 'tools/testing/vma'];

function copyParts(dir: string): void {
	const cp = spawnSync('cp', ['-a', '--parents', ...PARTS, dir], { cwd: tree });
	if (cp.status !== 0) for (const d of PARTS) fs.cpSync(path.join(tree, d), path.join(dir, d), { recursive: true });
}

/** make -C tools/testing/vma, then run it: the summary line. */
function buildAndRunVma(dir: string, label: string): string {
	const t0 = performance.now();
	spawnSync('make', ['-C', 'tools/testing/vma', 'clean'], { cwd: dir, encoding: 'utf8' });
	const make = spawnSync('make', ['-C', 'tools/testing/vma', `-j${Math.min(4, os.cpus().length)}`], { cwd: dir, encoding: 'utf8' });
	const log = `${make.stdout}\n${make.stderr}`;
	assert.is(make.status, 0, `${label}: build failed:\n${log.split('\n').filter((l) => /error|warning/.test(l)).slice(0, 20).join('\n')}`);
	assert.not.match(log, /include\/dup\.h:\d+:\d+: warning/, `${label}: warnings from dup.h`);
	const run = spawnSync(path.join(dir, 'tools/testing/vma/vma'), { cwd: path.join(dir, 'tools/testing/vma'), encoding: 'utf8' });
	const summary = `${run.stdout}${run.stderr}`.trim().split('\n').pop() ?? '';
	assert.is(run.status, 0, `${label}:\n${run.stdout}\n${run.stderr}`);
	assert.match(summary, / 0 failed/);
	console.log(`compathelpers-kernel: ${label}: ${summary} (build + run ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
	return summary;
}

if (why) {
	console.log(`compathelpers-kernel: SKIPPED: ${why}`);
	test.skip(NAME_1, () => {});
	test.skip(NAME_2, () => {});
} else {
	const read73 = (rel: string) => fs.readFileSync(path.join(tree, rel), 'utf8');
	let dir = '';
	let patch: CompatHelpersPatch | null = null;

	test.before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-compat73-'));
		const t0 = performance.now();
		copyParts(dir);
		console.log(`compathelpers-kernel: copied the tree's parts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	});
	test.after(() => {
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	test(NAME_1, () => {
		const r = spawnSync(python!, [path.join(repoRoot, 'test/kernel/unhelper.py'), '--upstream-const', dir], { encoding: 'utf8' });
		assert.is(r.status, 0, r.stderr);
		const util = fs.readFileSync(path.join(dir, 'mm/util.c'), 'utf8');
		assert.is(treeHasCompatHelpers(dir), false);
		assert.not.match(util, /compat_set_desc_from_vma|__compat_vma_mmap/);
		assert.match(util, /struct vm_area_desc desc = \{/);
		assert.not.match(fs.readFileSync(path.join(dir, 'include/linux/fs.h'), 'utf8'), /compat_set_desc_from_vma|__compat_vma_mmap/);
		assert.match(fs.readFileSync(path.join(dir, 'include/linux/mm_types.h'), 'utf8'), /\tconst struct mm_struct \*const mm;\n\tstruct file \*const file;/);
		assert.match(fs.readFileSync(path.join(dir, 'mm/vma.h'), 'utf8'), /static inline void set_vma_from_desc\(/);
		// a second run fails loudly and changes nothing
		const again = spawnSync(python!, [path.join(repoRoot, 'test/kernel/unhelper.py'), dir], { encoding: 'utf8' });
		assert.is(again.status, 1);
		assert.match(again.stderr, /nothing was changed/);
		assert.is(fs.readFileSync(path.join(dir, 'mm/util.c'), 'utf8'), util);
		buildAndRunVma(dir, 'unhelpered 7.3');
	});

	test(NAME_2, () => {
		const t0 = performance.now();
		patch = compatHelpersPatch(dir);
		console.log(`compathelpers-kernel: compatHelpersPatch took ${(performance.now() - t0).toFixed(0)} ms`);
		assert.equal(
			patch.changes.map((c) => c.path),
			['include/linux/fs.h', 'include/linux/mm_types.h', 'mm/util.c', 'mm/vma.h', DUP_PATH],
		);
		for (const c of patch.changes) fs.writeFileSync(path.join(dir, c.path), c.after);
		assert.is(treeHasCompatHelpers(dir), true);

		// mm/util.c: the three functions (and their exports) are 7.3's up to whitespace and comments
		const util = fs.readFileSync(path.join(dir, 'mm/util.c'), 'utf8');
		const util73 = read73('mm/util.c');
		for (const fn of FUNCS) {
			assert.equal(fnTokens(util, fn), fnTokens(util73, fn), `${fn}() equals 7.3's`);
			assert.match(util, new RegExp(`^EXPORT_SYMBOL\\(${fn}\\);$`, 'm'));
		}
		// and nothing else in the file differs from 7.3 but comments and whitespace
		assert.equal(tokenize(util), tokenize(util73), 'mm/util.c equals 7.3 up to comments and whitespace');
		assert.is(fs.readFileSync(path.join(dir, 'mm/vma.h'), 'utf8'), read73('mm/vma.h'), 'mm/vma.h is 7.3\'s');
		assert.is(fs.readFileSync(path.join(dir, 'include/linux/mm_types.h'), 'utf8'), read73('include/linux/mm_types.h'), 'mm_types.h is 7.3\'s');
		assert.equal(tokenize(fs.readFileSync(path.join(dir, 'include/linux/fs.h'), 'utf8')), tokenize(read73('include/linux/fs.h')), 'fs.h equals 7.3 up to whitespace');

		// dup.h: static inline copies of the kernel functions
		const dup = fs.readFileSync(path.join(dir, DUP_PATH), 'utf8');
		for (const fn of FUNCS) assert.equal(fnTokens(dup, fn), ['static', 'inline', ...fnTokens(util73, fn)], `dup.h's ${fn}() is 7.3's, static inline`);

		// the dup.h check: the compat copies are in sync (7.3's own dup.h has
		// compat_set_desc_from_vma() in drift), and no other item changed class
		clearIndexCache();
		const after = checkDup(dir);
		const orig = checkDup(tree);
		const cls = (r: typeof after, n: string) => r.items.find((i) => i.name === n)?.class;
		assert.is(cls(orig, 'compat_set_desc_from_vma'), 'drift', '7.3 itself: compat_set_desc_from_vma() drifted');
		for (const fn of FUNCS) assert.is(cls(after, fn), 'linkage', `${fn}: only static inline differs`);
		assert.is(cls(after, 'vm_area_desc'), 'in-sync');
		assert.equal(after.stale, orig.stale.filter((n) => n !== 'compat_set_desc_from_vma'), 'no new stale drift');

		buildAndRunVma(dir, 'unhelpered 7.3 + compatHelpersPatch');
	});
}

test.run();
