// The checker on mapping calls and their deferred mmap_action forms: the range,
// pfn and prot at map time, the errors of the prepare stage (returned as they
// are) and of the complete stage (error_override on the mmap path only),
// vm_ops->close on an unmapping failure and vm_ops->mapped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fop, newHook, oldHook, proven, ready, refused } from './helpers.js';

type Case = { name: string; old: string; new: string; pre?: string; want: 'proven' | { kind?: string; text?: string } };

const FULL = 'vma->vm_end - vma->vm_start';
const cases: Case[] = [
	{ name: 'remap of the whole VMA', old: `return remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_remap_full(desc, pfn);\nreturn 0;', want: 'proven' },
	{ name: 'remap written with the explicit range', old: `return remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_remap(desc, desc->start, pfn, vma_desc_size(desc));\nreturn 0;', want: 'proven' },
	{ name: 'remap of another pfn', old: `return remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_remap_full(desc, pfn + 1);\nreturn 0;', want: { kind: 'mapping', text: 'pfn: old pfn, new pfn + 1' } },
	{ name: 'page_prot set before the action', old: `vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'desc->page_prot = pgprot_noncached(desc->page_prot);\nmmap_action_remap_full(desc, pfn);\nreturn 0;', want: 'proven' },
	{ name: 'page_prot set after the action', old: `vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_remap_full(desc, pfn);\ndesc->page_prot = pgprot_noncached(desc->page_prot);\nreturn 0;', want: { kind: 'mapping', text: 'page_prot at map time: old pgprot_noncached(prot0), new prot0' } },
	{ name: 'simple_ioremap reads page_prot at prepare, so order does not matter', old: 'vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn vm_iomap_memory(vma, phys, len);', new: 'mmap_action_simple_ioremap(desc, phys, len);\ndesc->page_prot = pgprot_noncached(desc->page_prot);\nreturn 0;', want: 'proven' },
	{ name: 'vm_iomap_memory', old: 'return vm_iomap_memory(vma, phys, len);', new: 'mmap_action_simple_ioremap(desc, phys, len);\nreturn 0;', want: 'proven' },
	{ name: 'vm_iomap_memory with another length', old: 'return vm_iomap_memory(vma, phys, len);', new: 'mmap_action_simple_ioremap(desc, phys, len * 2);\nreturn 0;', want: {} },
	{ name: 'io_remap_pfn_range', old: `return io_remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_ioremap_full(desc, pfn);\nreturn 0;', want: 'proven' },
	{ name: 'io_remap_pfn_range turned into a plain remap', old: `return io_remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_remap_full(desc, pfn);\nreturn 0;', want: { kind: 'mapping' } },
	{ name: 'error code kept by error_override', old: `if (remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;`, new: 'mmap_action_remap_full(desc, pfn);\ndesc->action.error_override = -EAGAIN;\nreturn 0;', want: 'proven' },
	{ name: 'error code lost without error_override', old: `if (remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;`, new: 'mmap_action_remap_full(desc, pfn);\nreturn 0;', want: { kind: 'result', text: 'old -EAGAIN, new map#0' } },
	{ name: 'error_override where the old code returned the error', old: `return remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_remap_full(desc, pfn);\ndesc->action.error_override = -EAGAIN;\nreturn 0;', want: { kind: 'result', text: 'old map#0, new -EAGAIN' } },
	{ name: 'error_override that is not an error value', old: `if (remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot))\n\treturn 1;\nreturn 0;`, new: 'mmap_action_remap_full(desc, pfn);\ndesc->action.error_override = 1;\nreturn 0;', want: {} },
	{ name: 'partial range bounded by a check', old: 'if (vma->vm_end - vma->vm_start < size)\n\treturn -EINVAL;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);', new: 'if (vma_desc_size(desc) < size)\n\treturn -EINVAL;\nmmap_action_remap(desc, desc->start, pfn, PAGE_ALIGN(size));\nreturn 0;', want: 'proven' },
	{ name: 'partial range that can exceed the VMA', old: 'return remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);', new: 'mmap_action_remap(desc, desc->start, pfn, PAGE_ALIGN(size));\nreturn 0;', want: { kind: 'result', text: '-EFAULT' } },
	{ name: 'partial range without PAGE_ALIGN: the CoW check compares start + size', old: 'if (vma->vm_end - vma->vm_start < size)\n\treturn -EINVAL;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);', new: 'if (vma_desc_size(desc) < size)\n\treturn -EINVAL;\nmmap_action_remap(desc, desc->start, pfn, size);\nreturn 0;', want: { kind: 'result', text: 'VM_MAYWRITE' } },
	{ name: 'partial range with error_override: a private partial mapping fails in prepare', old: 'if (vma->vm_end - vma->vm_start < size)\n\treturn -EINVAL;\nif (remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;', new: 'if (vma_desc_size(desc) < size)\n\treturn -EINVAL;\nmmap_action_remap(desc, desc->start, pfn, PAGE_ALIGN(size));\ndesc->action.error_override = -EAGAIN;\nreturn 0;', want: { kind: 'result', text: 'old -EAGAIN, new -EINVAL' } },
	// The path's exact equalities: where the size is PAGE_SIZE, the whole VMA is PAGE_SIZE (vmclock's shape;
	// io_remap_pfn_range()'s pfn is a function of the size, so the sizes must be equal inside it too).
	{ name: 'a page remap where the VMA is one page is the whole VMA', old: `if (${FULL} != PAGE_SIZE || vma->vm_pgoff)\n\treturn -EINVAL;\nif (io_remap_pfn_range(vma, vma->vm_start, pfn, PAGE_SIZE, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;`, new: 'if (vma_desc_size(desc) != PAGE_SIZE || desc->pgoff)\n\treturn -EINVAL;\nmmap_action_ioremap_full(desc, pfn);\ndesc->action.error_override = -EAGAIN;\nreturn 0;', want: 'proven' },
	{ name: 'a page remap where the VMA is two pages is not the whole VMA', old: `if (${FULL} != 2 * PAGE_SIZE || vma->vm_pgoff)\n\treturn -EINVAL;\nif (io_remap_pfn_range(vma, vma->vm_start, pfn, PAGE_SIZE, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;`, new: 'if (vma_desc_size(desc) != 2 * PAGE_SIZE || desc->pgoff)\n\treturn -EINVAL;\nmmap_action_ioremap_full(desc, pfn);\ndesc->action.error_override = -EAGAIN;\nreturn 0;', want: { kind: 'mapping' } },
	{ name: 'an equality of the path used in a pfn', old: 'if (vma->vm_pgoff != 3)\n\treturn -EINVAL;\nreturn vm_iomap_memory(vma, base + (vma->vm_pgoff << PAGE_SHIFT), PAGE_SIZE);', new: 'if (desc->pgoff != 3)\n\treturn -EINVAL;\nmmap_action_simple_ioremap(desc, base + (3 << PAGE_SHIFT), PAGE_SIZE);\nreturn 0;', want: 'proven' },
	{ name: 'an inequality of the path is no equality', old: 'if (vma->vm_pgoff < 3)\n\treturn -EINVAL;\nreturn vm_iomap_memory(vma, base + (vma->vm_pgoff << PAGE_SHIFT), PAGE_SIZE);', new: 'if (desc->pgoff < 3)\n\treturn -EINVAL;\nmmap_action_simple_ioremap(desc, base + (3 << PAGE_SHIFT), PAGE_SIZE);\nreturn 0;', want: {} },
	{ name: 'a range larger than the VMA', old: `return remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'mmap_action_remap(desc, desc->start, pfn, vma_desc_size(desc) + PAGE_SIZE);\nreturn 0;', want: { kind: 'result', text: 'new -EFAULT' } },
	{ name: 'a statement after the mapping runs before it now', old: `ret = remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);\nfoo_note(ret);\nreturn ret;`, new: 'mmap_action_remap_full(desc, pfn);\nfoo_note(0);\nreturn 0;', pre: 'int ret;', want: { kind: 'side-effect', text: 'foo_note(0)' } },
	{ name: 'a debug line after the mapping prints before it now', old: `int ret = remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);\npr_debug("mapped\\n");\nreturn ret;`, new: 'mmap_action_remap_full(desc, pfn);\npr_debug("mapped\\n");\nreturn 0;', want: { kind: 'calls', text: 'pr_debug' } },
	{ name: 'a mapping under a lock now happens after the unlock', old: `int ret;\nmutex_lock(&d->lock);\nret = remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);\nmutex_unlock(&d->lock);\nreturn ret;`, new: 'mutex_lock(&d->lock);\nmmap_action_remap_full(desc, pfn);\nmutex_unlock(&d->lock);\nreturn 0;', want: { kind: 'calls', text: 'mutex_unlock' } },
	{ name: 'a mapping under a guard() lock now happens after the release', old: `guard(mutex)(&d->lock);\nreturn remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: 'guard(mutex)(&d->lock);\nmmap_action_remap_full(desc, pfn);\nreturn 0;', want: { kind: 'calls', text: 'guard(mutex) released' } },
	{ name: 'a guard() lock released before the mapping', old: `{\n\tguard(mutex)(&d->lock);\n\tif (!d->ready)\n\t\treturn -EBUSY;\n}\nreturn remap_pfn_range(vma, vma->vm_start, pfn, ${FULL}, vma->vm_page_prot);`, new: '{\n\tguard(mutex)(&d->lock);\n\tif (!d->ready)\n\t\treturn -EBUSY;\n}\nmmap_action_remap_full(desc, pfn);\nreturn 0;', want: 'proven' },
	{ name: 'vm_map_pages and map_kernel_pages differ in their offset', old: 'return vm_map_pages(vma, pages, n);', new: 'mmap_action_map_kernel_pages_full(desc, pages);\nreturn 0;', want: {} },
	{ name: 'vm_map_pages_zero of a fitting array and map_kernel_pages_full', old: 'if (vma_pages(vma) > n)\n\treturn -ENXIO;\nreturn vm_map_pages_zero(vma, pages, n);', new: 'if (vma_desc_pages(desc) > n)\n\treturn -ENXIO;\nmmap_action_map_kernel_pages_full(desc, pages);\nreturn 0;', want: {} },
	{
		name: 'a per-mapping reference moved into vm_ops->mapped',
		pre: 'static int x_mapped(unsigned long start, unsigned long end, pgoff_t pgoff, const struct file *file, void **priv)\n{\n\tkref_get(&dev->ref);\n\t*priv = dev;\n\treturn 0;\n}\nstatic const struct vm_operations_struct x_ops = { .mapped = x_mapped, .close = x_close };',
		old: 'vma->vm_ops = &x_ops;\nkref_get(&dev->ref);\nvma->vm_private_data = dev;\nreturn 0;',
		new: 'desc->vm_ops = &x_ops;\nreturn 0;',
		want: 'proven',
	},
	{
		name: 'vm_ops->mapped that fails unmaps and runs close on the mmap path',
		pre: 'static int x_mapped(unsigned long start, unsigned long end, pgoff_t pgoff, const struct file *file, void **priv)\n{\n\treturn kref_get_unless_zero(&dev->ref) ? 0 : -ENODEV;\n}\nstatic const struct vm_operations_struct x_ops = { .mapped = x_mapped, .close = x_close };',
		old: 'vma->vm_ops = &x_ops;\nif (!kref_get_unless_zero(&dev->ref))\n\treturn -ENODEV;\nreturn 0;',
		new: 'desc->vm_ops = &x_ops;\nreturn 0;',
		want: { kind: 'calls', text: 'x_close' },
	},
];

test.before(async () => {
	await ready;
});

for (const c of cases)
	test(`action: ${c.name}`, () => {
		const r = fop(oldHook(c.old, c.pre), newHook(c.new, c.pre));
		if (c.want === 'proven') proven(r);
		else refused(r, c.want.kind, c.want.text);
	});

test('action: a proof with an action assumes CONFIG_MMU', () => {
	const r = fop(oldHook('return vm_iomap_memory(vma, phys, len);'), newHook('mmap_action_simple_ioremap(desc, phys, len);\nreturn 0;'));
	proven(r);
	assert.ok(r.assumptions.some((a) => a.startsWith('CONFIG_MMU')));
});

test.run();
