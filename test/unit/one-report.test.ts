// One report per hook: a function reported from several places (an f_op
// hook, a nested site, the implementor of one chain and the dispatcher of
// another) gets one status, so that the counts count it once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HookReport } from '../../src/base/types.js';
import { oneReportPerHook } from '../../src/plan/one-report.js';
import { hookCounts } from '../../src/series/counts.js';

const w = (struct: string, line: number) => ({ struct, field: 'mmap', file: 'fs/sysfs/file.c', line });
const r = (over: Partial<HookReport>): HookReport => ({ function: 'sysfs_kf_bin_mmap', file: 'fs/sysfs/file.c', line: 170, wiring: [], status: 'skipped', ...over });

test('a shim dispatcher refused as an outer chain implementor is only a shim', () => {
	const asImpl = r({ code: 'nested-call', reason: 'calls the nested hook battr->mmap() with the vma', wiring: [w('kernfs_ops', 271)], chain: 'kernfs_ops.mmap' });
	const asShim = r({ line: 176, status: 'converted', rules: ['compat-shim'], newName: 'sysfs_kf_bin_mmap', chain: 'bin_attribute.mmap' });
	const out = oneReportPerHook([asImpl, asShim]);
	assert.equal(out, [asShim]);
	// its patch installs nothing in kernfs_ops: the converted report keeps its own wiring
	assert.equal(out[0]!.wiring, []);
	assert.equal(hookCounts(out), { converted: 0, shims: 1, refused: 0 });
});

test('a refusal that defers to the chain gives way to the chain\'s own refusal, keeping every wiring', () => {
	const asImpl = r({ function: 'hl_cb_mmap', code: 'nested-call', wiring: [w('hl_mmap_mem_buf_behavior', 263)] });
	const asDispatcher = r({ function: 'hl_cb_mmap', line: 254, code: 'chain-no-implementor', reason: 'chain hl_asic_funcs.mmap not converted' });
	const out = oneReportPerHook([asImpl, asDispatcher]);
	assert.is(out.length, 1);
	assert.is(out[0]!.code, 'chain-no-implementor');
	assert.equal(out[0]!.wiring, [w('hl_mmap_mem_buf_behavior', 263)]);
	assert.equal(hookCounts(out).refused, 1);
});

test('two refusals of their own: the first is kept, the wiring of both', () => {
	const other = r({ function: 'drm_gem_mmap', code: 'other-caller', wiring: [w('file_operations', 87)] });
	const macro = r({ function: 'drm_gem_mmap', code: 'macro-wiring', wiring: [w('file_operations', 269), w('file_operations', 87)] });
	const out = oneReportPerHook([other, macro]);
	assert.equal(out.map((h) => h.code), ['other-caller']);
	assert.equal(out[0]!.wiring, [w('file_operations', 87), w('file_operations', 269)]);
});

test('the same name in two files, or without a definition file, are different hooks', () => {
	const a = r({ function: 'foo_mmap', file: 'drivers/a/a.c' });
	const b = r({ function: 'foo_mmap', file: 'drivers/b/b.c' });
	const c = r({ function: 'foo_mmap', file: '' });
	const d = r({ function: 'foo_mmap', file: '' });
	assert.equal(oneReportPerHook([a, b, c, d]), [a, b, c, d]);
});

test.run();
