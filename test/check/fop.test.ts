// The checker on f_op hooks: for every modelled construct, a pair the checker
// must prove equivalent and one it must refuse, as (old .mmap body, new
// .mmap_prepare body). The hooks are `h(struct file *file, struct
// vm_area_struct *vma)` and `h_prepare(struct vm_area_desc *desc)`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fop, newHook, oldHook, proven, ready, refused } from './helpers.js';

type Case = { name: string; old: string; new: string; pre?: string; want: 'proven' | { kind?: string; text?: string; code?: string } };

const OPS = 'static const struct vm_operations_struct x_ops = { .fault = x_fault };';
const OPS_CLOSE = 'static const struct vm_operations_struct x_ops = { .fault = x_fault, .close = x_close };';

const cases: Case[] = [
	// fields
	{ name: 'vm_ops', pre: OPS, old: 'vma->vm_ops = &x_ops;\nreturn 0;', new: 'desc->vm_ops = &x_ops;\nreturn 0;', want: 'proven' },
	{ name: 'vm_ops forgotten', pre: OPS, old: 'vma->vm_ops = &x_ops;\nreturn 0;', new: 'return 0;', want: { kind: 'vm_ops', text: 'old &x_ops, new &vma_dummy_vm_ops' } },
	{ name: 'vm_private_data', old: 'vma->vm_private_data = file->private_data;\nreturn 0;', new: 'desc->private_data = desc->file->private_data;\nreturn 0;', want: 'proven' },
	{ name: 'vm_private_data from another file', old: 'vma->vm_private_data = file->private_data;\nreturn 0;', new: 'desc->private_data = desc->vm_file->f_inode;\nreturn 0;', want: { kind: 'vm_private_data' } },
	{ name: 'pgoff read', old: 'if (vma->vm_pgoff)\n\treturn -EINVAL;\nreturn 0;', new: 'if (desc->pgoff)\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'pgoff test dropped (a dropped error check)', old: 'if (vma->vm_pgoff)\n\treturn -EINVAL;\nreturn 0;', new: 'return 0;', want: { kind: 'result', text: 'pgoff0 != 0' } },
	{ name: 'vma_start_pgoff', old: 'if (vma_start_pgoff(vma) > 4)\n\treturn -EINVAL;\nreturn 0;', new: 'if (desc->pgoff > 4)\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'vma_start_pgoff after the hook moved it', old: 'vma->vm_pgoff += 2;\nif (vma_start_pgoff(vma) > 4)\n\treturn -EINVAL;\nreturn 0;', new: 'if (desc->pgoff > 4)\n\treturn -EINVAL;\ndesc->pgoff += 2;\nreturn 0;', want: { kind: 'result' } },
	{ name: 'pgoff written', old: 'vma->vm_pgoff = 0;\nreturn 0;', new: 'desc->pgoff = 0;\nreturn 0;', want: 'proven' },
	{ name: 'page_prot', old: 'vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn 0;', new: 'desc->page_prot = pgprot_noncached(desc->page_prot);\nreturn 0;', want: 'proven' },
	{ name: 'page_prot another helper', old: 'vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn 0;', new: 'desc->page_prot = pgprot_writecombine(desc->page_prot);\nreturn 0;', want: { kind: 'vm_page_prot', text: 'old pgprot_noncached(prot0), new pgprot_writecombine(prot0)' } },
	{ name: 'size and pages', old: 'if (vma->vm_end - vma->vm_start > SZ || vma_pages(vma) > 4)\n\treturn -EINVAL;\nreturn 0;', new: 'if (vma_desc_size(desc) > SZ || vma_desc_pages(desc) > 4)\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'start and end', old: 'unsigned long len = vma->vm_end - vma->vm_start;\nif (len > SZ)\n\treturn -EINVAL;\nreturn 0;', new: 'unsigned long len = desc->end - desc->start;\nif (len > SZ)\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'size off by a page', old: 'if (vma->vm_end - vma->vm_start > SZ)\n\treturn -EINVAL;\nreturn 0;', new: 'if (vma_desc_size(desc) >= SZ)\n\treturn -EINVAL;\nreturn 0;', want: { kind: 'result' } },
	{ name: 'file parameter', old: 'struct foo *f = file->private_data;\nvma->vm_private_data = f;\nreturn 0;', new: 'struct file *file = desc->file;\nstruct foo *f = file->private_data;\ndesc->private_data = f;\nreturn 0;', want: 'proven' },
	{ name: 'vm_file and vm_mm', old: 'if (vma->vm_file != file || !vma->vm_mm)\n\treturn -EINVAL;\nreturn 0;', new: 'if (desc->vm_file != desc->file || !desc->mm)\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	// flags
	{ name: 'vm_flags_set', old: 'vm_flags_set(vma, VM_IO | VM_DONTEXPAND);\nreturn 0;', new: 'vma_desc_set_flags(desc, VMA_IO_BIT, VMA_DONTEXPAND_BIT);\nreturn 0;', want: 'proven' },
	{ name: 'vm_flags_set wrong bit', old: 'vm_flags_set(vma, VM_IO | VM_DONTEXPAND);\nreturn 0;', new: 'vma_desc_set_flags(desc, VMA_IO_BIT, VMA_DONTDUMP_BIT);\nreturn 0;', want: { kind: 'vm_flags', text: '+VM_DONTDUMP' } },
	{ name: 'vm_flags_clear', old: 'vm_flags_clear(vma, VM_MAYWRITE);\nreturn 0;', new: 'vma_desc_clear_flags(desc, VMA_MAYWRITE_BIT);\nreturn 0;', want: 'proven' },
	{ name: 'vm_flags_mod', old: 'vm_flags_mod(vma, VM_IO, VM_MAYWRITE);\nreturn 0;', new: 'vma_desc_set_flags(desc, VMA_IO_BIT);\nvma_desc_clear_flags(desc, VMA_MAYWRITE_BIT);\nreturn 0;', want: 'proven' },
	{ name: 'vm_flags_mod halves swapped', old: 'vm_flags_mod(vma, VM_IO, VM_MAYWRITE);\nreturn 0;', new: 'vma_desc_set_flags(desc, VMA_MAYWRITE_BIT);\nvma_desc_clear_flags(desc, VMA_IO_BIT);\nreturn 0;', want: { kind: 'vm_flags' } },
	{ name: 'flag test', old: 'if (!(vma->vm_flags & VM_SHARED))\n\treturn -EINVAL;\nreturn 0;', new: 'if (!vma_desc_test(desc, VMA_SHARED_BIT))\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'flag test negated', old: 'if (!(vma->vm_flags & VM_SHARED))\n\treturn -EINVAL;\nreturn 0;', new: 'if (vma_desc_test(desc, VMA_SHARED_BIT))\n\treturn -EINVAL;\nreturn 0;', want: { kind: 'result', text: 'VM_SHARED' } },
	{ name: 'mask == 0 is none of the bits', old: 'if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) == 0)\n\treturn -EINVAL;\nreturn 0;', new: 'if (!vma_desc_test_any(desc, VMA_SHARED_BIT, VMA_MAYSHARE_BIT))\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'mask == 0 is not all-clear of one bit', old: 'if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) == 0)\n\treturn -EINVAL;\nreturn 0;', new: 'if (!vma_desc_test(desc, VMA_SHARED_BIT))\n\treturn -EINVAL;\nreturn 0;', want: { kind: 'result' } },
	{ name: '&& of tests is test_all', old: 'if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE))\n\treturn -EPERM;\nreturn 0;', new: 'if (vma_desc_test_all(desc, VMA_SHARED_BIT, VMA_WRITE_BIT))\n\treturn -EPERM;\nreturn 0;', want: 'proven' },
	{ name: 'mask == subset', old: 'if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE)\n\treturn -EINVAL;\nreturn 0;', new: 'if (vma_desc_test(desc, VMA_MAYWRITE_BIT) && !vma_desc_test(desc, VMA_SHARED_BIT))\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'bool from a mask', old: 'bool rw = vma->vm_flags & VM_WRITE;\nif (rw)\n\treturn -EROFS;\nreturn 0;', new: 'bool rw = vma_desc_test(desc, VMA_WRITE_BIT);\nif (rw)\n\treturn -EROFS;\nreturn 0;', want: 'proven' },
	{ name: 'flag word', old: 'vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);\nreturn 0;', new: 'desc->page_prot = vma_flags_to_page_prot(desc->vma_flags);\nreturn 0;', want: 'proven' },
	// vma_get_page_prot() reads the VMA's flags at the call: the flags the hook set before it count
	{ name: 'vma_get_page_prot after a flag set', old: 'vm_flags_set(vma, VM_IO | VM_PFNMAP);\nvma->vm_page_prot = pgprot_writecombine(vma_get_page_prot(vma));\nreturn 0;', new: 'vma_desc_set_flags(desc, VMA_IO_BIT, VMA_PFNMAP_BIT);\ndesc->page_prot = pgprot_writecombine(vma_flags_to_page_prot(desc->vma_flags));\nreturn 0;', want: 'proven' },
	{ name: 'vma_get_page_prot read before the flag set it followed', old: 'vm_flags_set(vma, VM_IO | VM_PFNMAP);\nvma->vm_page_prot = pgprot_writecombine(vma_get_page_prot(vma));\nreturn 0;', new: 'desc->page_prot = pgprot_writecombine(vma_flags_to_page_prot(desc->vma_flags));\nvma_desc_set_flags(desc, VMA_IO_BIT, VMA_PFNMAP_BIT);\nreturn 0;', want: { kind: 'vm_page_prot', text: 'old pgprot_writecombine(vm_get_page_prot(flags0{+IO,+PFNMAP})), new pgprot_writecombine(vm_get_page_prot(flags0))' } },
	{ name: 'vma_get_page_prot is not the prot the VMA started with', old: 'vma->vm_page_prot = pgprot_noncached(vma_get_page_prot(vma));\nreturn 0;', new: 'desc->page_prot = pgprot_noncached(desc->page_prot);\nreturn 0;', want: { kind: 'vm_page_prot', text: 'old pgprot_noncached(vm_get_page_prot(flags0)), new pgprot_noncached(prot0)' } },
	{ name: 'shared maywrite', old: 'if (vma_is_shared_maywrite(vma))\n\treturn -EINVAL;\nreturn 0;', new: 'if (is_shared_maywrite(&desc->vma_flags))\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'a flag the tree does not always define', old: 'vm_flags_set(vma, VM_SOFTDIRTY);\nreturn 0;', new: 'vma_desc_set_flags(desc, VMA_SOFTDIRTY_BIT);\nreturn 0;', want: { kind: 'vm_flags' } },
	// helpers with descriptor forms
	{ name: 'vma_set_anonymous', old: 'vma_set_anonymous(vma);\nreturn 0;', new: 'vma_desc_set_anonymous(desc);\nreturn 0;', want: 'proven' },
	{ name: 'generic_file_mmap in a body', old: 'if (!file->private_data)\n\treturn -ENODEV;\nreturn generic_file_mmap(file, vma);', new: 'if (!desc->file->private_data)\n\treturn -ENODEV;\nreturn generic_file_mmap_prepare(desc);', want: 'proven' },
	{ name: 'generic_file_readonly_mmap', old: 'return generic_file_readonly_mmap(file, vma);', new: 'return generic_file_readonly_mmap_prepare(desc);', want: 'proven' },
	{ name: 'generic_file_mmap turned readonly', old: 'return generic_file_mmap(file, vma);', new: 'return generic_file_readonly_mmap_prepare(desc);', want: { kind: 'result', text: 'VM_SHARED' } },
	{ name: 'shmem_zero_setup', old: 'return shmem_zero_setup(vma);', new: 'return shmem_zero_setup_desc(desc);', want: 'proven' },
	{ name: 'vma_is_dax', old: 'if (vma_is_dax(vma))\n\treturn -EOPNOTSUPP;\nreturn 0;', new: 'if (file_is_dax(desc->vm_file))\n\treturn -EOPNOTSUPP;\nreturn 0;', want: 'proven' },
	// control flow
	{ name: 'goto out', old: 'int ret = -EINVAL;\nif (vma->vm_pgoff)\n\tgoto out;\nvma->vm_private_data = file;\nret = 0;\nout:\n\treturn ret;', new: 'int ret = -EINVAL;\nif (desc->pgoff)\n\tgoto out;\ndesc->private_data = desc->file;\nret = 0;\nout:\n\treturn ret;', want: 'proven' },
	{ name: 'switch', old: 'switch (vma->vm_pgoff) {\ncase 0:\n\tvma->vm_private_data = file;\n\tbreak;\ncase 1:\n\treturn -EINVAL;\ndefault:\n\treturn -ENXIO;\n}\nreturn 0;', new: 'switch (desc->pgoff) {\ncase 0:\n\tdesc->private_data = desc->file;\n\tbreak;\ncase 1:\n\treturn -EINVAL;\ndefault:\n\treturn -ENXIO;\n}\nreturn 0;', want: 'proven' },
	{ name: 'switch case swapped', old: 'switch (vma->vm_pgoff) {\ncase 0:\n\treturn 0;\ndefault:\n\treturn -ENXIO;\n}', new: 'switch (desc->pgoff) {\ncase 1:\n\treturn 0;\ndefault:\n\treturn -ENXIO;\n}', want: { kind: 'result' } },
	{ name: '#ifdef', old: '#ifdef CONFIG_FOO\n\tvm_flags_set(vma, VM_IO);\n#endif\n\treturn 0;', new: '#ifdef CONFIG_FOO\n\tvma_desc_set_flags(desc, VMA_IO_BIT);\n#endif\n\treturn 0;', want: 'proven' },
	{ name: 'ternary', old: 'vma->vm_page_prot = vma->vm_pgoff ? pgprot_noncached(vma->vm_page_prot) : vma->vm_page_prot;\nreturn 0;', new: 'desc->page_prot = desc->pgoff ? pgprot_noncached(desc->page_prot) : desc->page_prot;\nreturn 0;', want: 'proven' },
	{ name: 'a static helper of the file is run in place', pre: 'static void fix(pgprot_t *p)\n{\n\t*p = pgprot_writecombine(*p);\n}', old: 'fix(&vma->vm_page_prot);\nreturn 0;', new: 'fix(&desc->page_prot);\nreturn 0;', want: 'proven' },
	{ name: 'a helper defined once per configuration is not run in place', pre: '#ifdef CONFIG_X\nstatic int chk(void)\n{\n\treturn 0;\n}\n#else\nstatic int chk(void)\n{\n\treturn -ENODEV;\n}\n#endif', old: 'return chk();', new: 'return chk();', want: { kind: 'side-effect', text: 'chk()' } },
	{ name: 'a local filled through its address by a static helper', pre: 'static int get_area(struct foo *f, struct area *a)\n{\n\t*a = f->area;\n\treturn 0;\n}', old: 'struct area a;\nif (get_area(file->private_data, &a))\n\treturn -EINVAL;\nif (a.size != vma->vm_end - vma->vm_start)\n\treturn -EINVAL;\nreturn 0;', new: 'struct area a;\nif (get_area(desc->file->private_data, &a))\n\treturn -EINVAL;\nif (a.size != vma_desc_size(desc))\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'a local filled by an unknown helper', pre: 'int get_area(struct foo *f, struct area *a);', old: 'struct area a;\nint ret = get_area(file->private_data, &a);\nif (ret)\n\treturn ret;\nvma->vm_pgoff = a.pgoff;\nreturn 0;', new: 'struct area a;\nint ret = get_area(desc->file->private_data, &a);\nif (ret)\n\treturn ret;\ndesc->pgoff = a.pgoff;\nreturn 0;', want: { kind: 'side-effect', text: 'get_area' } },
	{ name: 'a local struct cleared and filled member by member', old: 'struct area a;\nmemset(&a, 0, sizeof(a));\na.len = vma->vm_end - vma->vm_start;\nif (a.len > SZ)\n\treturn -EINVAL;\nreturn 0;', new: 'struct area a;\nmemset(&a, 0, sizeof(a));\na.len = vma_desc_size(desc);\nif (a.len > SZ)\n\treturn -EINVAL;\nreturn 0;', want: 'proven' },
	{ name: 'an uninitialised variable in the new code', old: 'int ret = 0;\nreturn ret;', new: 'int ret;\nreturn ret;', want: { kind: 'uninitialised', text: 'reads ret' } },
	{ name: 'a loop is not modelled', old: 'int i;\nfor (i = 0; i < 4; i++)\n\tvm_flags_set(vma, VM_IO);\nreturn 0;', new: 'int i;\nfor (i = 0; i < 4; i++)\n\tvma_desc_set_flags(desc, VMA_IO_BIT);\nreturn 0;', want: { code: 'not-modelled', text: 'a loop' } },
	// calls the checker does not model
	{ name: 'an unknown call in prepare', pre: 'int foo_check(struct file *file);', old: 'return foo_check(file);', new: 'return foo_check(desc->file);', want: { kind: 'side-effect', text: 'foo_check(file0)' } },
	{ name: 'a reference taken in prepare (a side effect left in prepare)', old: 'kref_get(&dev->ref);\nreturn 0;', new: 'kref_get(&dev->ref);\nreturn 0;', want: { kind: 'side-effect', text: 'kref_get' } },
	{ name: 'a store to memory in prepare', old: 'dev->mapped = 1;\nreturn 0;', new: 'dev->mapped = 1;\nreturn 0;', want: { kind: 'side-effect', text: 'store 1' } },
	{ name: 'log and locks are harmless in prepare', old: 'mutex_lock(&dev->lock);\npr_debug("map %lx\\n", vma->vm_start);\nmutex_unlock(&dev->lock);\nreturn 0;', new: 'mutex_lock(&dev->lock);\npr_debug("map %lx\\n", desc->start);\nmutex_unlock(&dev->lock);\nreturn 0;', want: 'proven' },
	{ name: 'a log line with another argument', old: 'pr_debug("map %lx\\n", vma->vm_start);\nreturn 0;', new: 'pr_debug("map %lx\\n", desc->end);\nreturn 0;', want: { kind: 'calls', text: 'pr_debug' } },
	{ name: 'file_accessed kept', old: 'file_accessed(file);\nreturn 0;', new: 'file_accessed(desc->file);\nreturn 0;', want: 'proven' },
	{ name: 'a call dropped', old: 'file_accessed(file);\nreturn 0;', new: 'return 0;', want: { kind: 'calls', text: 'old also: file_accessed' } },
	{ name: 'vma passed to an unknown helper', pre: 'int helper(struct vm_area_struct *vma);\nint helper2(struct vm_area_desc *desc);', old: 'return helper(vma);', new: 'return helper2(desc);', want: { kind: 'side-effect', text: 'helper2(desc' } },
	{ name: 'close runs when a failed action unmaps (the rule refuses this)', pre: OPS_CLOSE, old: 'vma->vm_ops = &x_ops;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot);', new: 'desc->vm_ops = &x_ops;\nmmap_action_remap_full(desc, pfn);\nreturn 0;', want: { kind: 'calls', text: 'x_close' } },
];

test.before(async () => {
	await ready;
});

for (const c of cases)
	test(`fop: ${c.name}`, () => {
		const r = fop(oldHook(c.old, c.pre), newHook(c.new, c.pre), c.name.includes('does not always define') ? { mmH: '#define VM_SOFTDIRTY\tVM_NONE\n#define VM_IO\tINIT_VM_FLAG(IO)\n' } : {});
		if (c.want === 'proven') proven(r);
		else refused(r, c.want.kind, c.want.text, c.want.code);
	});

test('fop: a proof lists its assumptions (the fresh VMA, the flag names taken from the names)', async () => {
	const r = fop(oldHook('vm_flags_set(vma, VM_IO);\nreturn 0;'), newHook('vma_desc_set_flags(desc, VMA_IO_BIT);\nreturn 0;'));
	proven(r);
	assert.ok(r.assumptions.some((a) => a.startsWith('entry: a fresh VMA')));
	assert.ok(r.assumptions.some((a) => a.startsWith('VM_IO is VMA_IO_BIT')));
	const t = fop(oldHook('vm_flags_set(vma, VM_IO);\nreturn 0;'), newHook('vma_desc_set_flags(desc, VMA_IO_BIT);\nreturn 0;'), { mmH: '#define VM_IO\t\tINIT_VM_FLAG(IO)\n' });
	assert.not.ok(t.assumptions.some((a) => a.startsWith('VM_IO is')));
});

test('fop: a hook wired as generic_file_mmap itself', () => {
	const text = 'static const struct file_operations f = { .mmap = generic_file_mmap };';
	proven(fop(text, text, { old: { label: 'a.c', text, fn: 'generic_file_mmap' }, new: { label: 'a.c', text, fn: 'generic_file_mmap_prepare' } }));
	refused(fop(text, text, { old: { label: 'a.c', text, fn: 'generic_file_mmap' }, new: { label: 'a.c', text, fn: 'generic_file_readonly_mmap_prepare' } }), undefined, undefined, 'not-modelled');
});

test.run();
