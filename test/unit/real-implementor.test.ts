// Issue #11, class 8: which implementors of a nested hook are real users of it
// (src/plan/real-implementor.ts). The shapes are those of Linux 7.3.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constantStub, notRealImplementor, notRealPath } from '../../src/plan/real-implementor.js';

const fn = (body: string) => `static int foo_mmap(struct foo *f, struct vm_area_struct *vma)\n{\n${body}\n}\n`;

test('stubs that can only fail are not real (kernel/dma/dummy.c, etnaviv userptr)', () => {
	assert.is(constantStub(fn('\treturn -ENXIO;')), 'a stub that always fails with -ENXIO');
	assert.is(constantStub(fn('\t/* not supported */\n\treturn (-EINVAL);')), 'a stub that always fails with -EINVAL');
	assert.is(constantStub(fn('\tif (!f)\n\t\treturn -ENODEV;\n\tpr_debug("no mmap\\n");\n\treturn -EOPNOTSUPP;')), 'a stub that always fails with -ENODEV or -EOPNOTSUPP');
});

test('a body of only return 0 is a stub; 0 after other work is not', () => {
	assert.is(constantStub(fn('\treturn 0;')), 'a stub that only returns 0');
	assert.is(constantStub(fn('\tvma->vm_ops = &foo_vm_ops;\n\treturn 0;')), undefined);
	assert.is(constantStub(fn('\tif (f->off)\n\t\treturn -EINVAL;\n\treturn 0;')), undefined);
});

test('a hook that can succeed or returns a computed value is real', () => {
	assert.is(constantStub(fn('\treturn remap_pfn_range(vma, vma->vm_start, f->pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot);')), undefined);
	assert.is(constantStub(fn('\tint ret = -EINVAL;\n\n\treturn ret;')), undefined);
	assert.is(constantStub(fn('\treturn -f->err;')), undefined);
	assert.is(constantStub(fn('\t/* return -EINVAL; */\n\treturn foo_map(f, vma);')), undefined);
	assert.is(constantStub(fn('\tpr_err("return -EINVAL;");\n\treturn foo_map(f, vma);')), undefined);
	assert.is(constantStub(fn('')), undefined);
});

test('samples, selftests, tests and mock or dummy drivers are told by their path', () => {
	assert.match(notRealPath('samples/vfio-mdev/mbochs.c')!, 'samples/');
	assert.match(notRealPath('tools/testing/selftests/mm/foo.c')!, 'tools/testing/');
	assert.match(notRealPath('drivers/gpu/drm/i915/gem/selftests/mock_dmabuf.c')!, 'selftest');
	assert.match(notRealPath('drivers/iommu/iommufd/selftest.c')!, 'selftest');
	assert.match(notRealPath('drivers/android/tests/binder_alloc_kunit.c')!, 'tests/');
	assert.match(notRealPath('drivers/gpu/drm/tests/drm_gem_kunit.c')!, 'tests/');
	assert.match(notRealPath('mm/foo_kunit.c')!, 'KUnit');
	assert.match(notRealPath('lib/test_hmm.c')!, 'lib/test_');
	assert.match(notRealPath('kernel/dma/dummy.c')!, 'mock or dummy driver (dummy.c)');
	assert.match(notRealPath('drivers/dma-buf/mock-dmabuf.c')!, 'mock-dmabuf.c');
	assert.match(notRealPath('drivers/foo/dummy/foo.c')!, '(dummy)');
});

test('real drivers whose names only look like it stay real', () => {
	for (const f of [
		'drivers/usb/usbip/stub_main.c',
		'drivers/video/console/dummycon.c',
		'drivers/gpu/drm/etnaviv/etnaviv_gem.c',
		'kernel/dma/mapping.c',
		'lib/kunit_helpers.c',
		'lib/testing.c',
		'drivers/misc/sample_driver.c',
		'drivers/net/ethernet/tests.c',
		'drivers/foo/mockup.c',
	])
		assert.is(notRealPath(f), undefined, f);
});

test('notRealImplementor: either reason; a real hook in a real driver is real', () => {
	assert.match(notRealImplementor('samples/vfio-mdev/mbochs.c', fn('\treturn foo_map(f, vma);'))!, 'samples/');
	assert.match(notRealImplementor('drivers/gpu/drm/etnaviv/etnaviv_gem.c', fn('\treturn -EINVAL;'))!, 'always fails with -EINVAL');
	assert.is(notRealImplementor('drivers/gpu/drm/etnaviv/etnaviv_gem.c', fn('\treturn foo_map(f, vma);')), undefined);
});

test.run();
