import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commonPrefix, parsePrefixRules, prefixFor, subjectPrefix } from '../../src/series/subject.js';

test('table: prefixes from kernel-api.md §4.3 and common kernel usage', () => {
	const cases: Array<[string, string]> = [
		['drivers/hv/mshv_vtl_main.c', 'Drivers: hv: mshv_vtl:'],
		['drivers/hv/vmbus_drv.c', 'Drivers: hv: vmbus:'],
		['drivers/hv/hv_balloon.c', 'Drivers: hv: balloon:'],
		['include/linux/hyperv.h', 'Drivers: hv:'],
		['drivers/xen/privcmd.c', 'xen/privcmd:'],
		['drivers/xen/gntdev.c', 'xen/gntdev:'],
		['fs/ext4/file.c', 'ext4:'],
		['fs/smb/client/file.c', 'smb: client:'],
		['fs/aio.c', 'aio:'],
		['fs/read_write.c', 'fs:'],
		['fs/resctrl/pseudo_lock.c', 'fs/resctrl:'],
		['arch/powerpc/platforms/cell/spufs/file.c', 'powerpc/spufs:'],
		['drivers/misc/open-dice.c', 'misc: open-dice:'],
		['kernel/relay.c', 'relay:'],
		['kernel/events/core.c', 'perf/core:'],
		['sound/core/pcm_native.c', 'ALSA: pcm:'],
		['sound/soc/codecs/foo.c', 'ASoC: codecs:'],
		['drivers/char/hpet.c', 'hpet:'],
		['drivers/char/mem.c', '/dev/mem:'],
		['drivers/char/agp/frontend.c', 'char: agp:'],
		['mm/shmem.c', 'mm:'],
		['mm/secretmem.c', 'mm/secretmem:'],
		['include/linux/mm_types.h', 'mm:'],
		['tools/testing/vma/include/dup.h', 'mm/vma:'],
		['drivers/uio/uio.c', 'uio:'],
		['drivers/uio/uio_hv_generic.c', 'uio_hv_generic:'],
		['drivers/target/target_core_user.c', 'scsi: target: tcmu:'],
		['drivers/staging/vme_user/vme_user.c', 'staging: vme_user:'],
		['drivers/mtd/mtdchar.c', 'mtd: mtdchar:'],
		['drivers/hwtracing/stm/core.c', 'stm class:'],
		['drivers/dax/device.c', 'device-dax:'],
		['drivers/gpu/drm/i915/gem/i915_gem_mman.c', 'drm/i915:'],
		['drivers/infiniband/hw/mlx5/main.c', 'RDMA/mlx5:'],
		['drivers/infiniband/core/uverbs_main.c', 'RDMA/core:'],
		['drivers/vdpa/vdpa_user/vduse_dev.c', 'vduse:'],
	];
	for (const [p, want] of cases) assert.is(prefixFor(p), want, p);
});

test('fallback: directory names', () => {
	assert.is(prefixFor('drivers/foo/bar/baz.c'), 'foo: bar:');
	assert.is(prefixFor('drivers/foo/baz.c'), 'foo: baz:');
	assert.is(prefixFor('ipc/shm.c'), 'ipc/shm:');
	assert.is(prefixFor('net/packet/af_packet.c'), 'net/packet:');
	assert.is(prefixFor('arch/x86/kernel/foo.c'), 'x86:');
	assert.is(prefixFor('arch/arm64/mm/bar/baz.c'), 'arm64/bar:');
	assert.is(prefixFor('include/linux/widget.h'), 'widget:');
	assert.is(prefixFor('init.c'), 'init:');
});

test('several paths: sources vote, shared components win, headers follow', () => {
	assert.is(subjectPrefix(['drivers/xen/privcmd.c']), 'xen/privcmd:');
	// The header does not outvote the code it serves.
	assert.is(subjectPrefix(['include/linux/hyperv.h', 'drivers/hv/vmbus_drv.c']), 'Drivers: hv: vmbus:');
	assert.is(subjectPrefix(['drivers/hv/vmbus_drv.c', 'drivers/hv/mshv_vtl_main.c']), 'Drivers: hv:');
	assert.is(subjectPrefix(['drivers/foo/a/x.c', 'drivers/foo/b/y.c']), 'foo:');
	// Nothing shared: the first source file decides (stable, not alphabetical).
	assert.is(subjectPrefix(['drivers/xen/privcmd.c', 'fs/ext4/file.c']), 'xen/privcmd:');
	// Only headers: they decide.
	assert.is(subjectPrefix(['include/linux/uio_driver.h']), 'uio:');
	assert.is(subjectPrefix([]), 'mm:');
	assert.is(commonPrefix(['a: b: c:', 'a: b: d:', 'a: e:']), 'a:');
	assert.is(commonPrefix(['x:', 'y:']), '');
});

test('overrides: a fixed prefix, or rules in front of the table', () => {
	assert.is(subjectPrefix(['drivers/char/hpet.c'], { override: 'char: hpet: ' }), 'char: hpet:');
	const rules = parsePrefixRules(['drivers/char/=char/misc:', 'fs/ext4/file.c=ext4: file:']);
	assert.is(subjectPrefix(['drivers/char/hpet.c'], { rules }), 'char/misc:');
	assert.is(subjectPrefix(['fs/ext4/file.c'], { rules }), 'ext4: file:');
	assert.is(subjectPrefix(['fs/ext4/inode.c'], { rules }), 'ext4:', 'table still applies elsewhere');
	// Regex metacharacters in the path are literal.
	const [dot] = parsePrefixRules(['a.b/=ab:']);
	assert.ok(dot!.pattern.test('a.b/x.c'));
	assert.not.ok(dot!.pattern.test('axb/x.c'));
	assert.throws(() => parsePrefixRules(['no-equals-sign']), /PATH=PREFIX/);
});

test.run();
