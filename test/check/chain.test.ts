// The checker on chains: a nested implementor alone (compat or mmap path), a
// dispatcher with its compat shim and a whole-chain outer hook, both with
// their implementors run in place for every value the field can hold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkConversion, type CheckInput } from '../../src/check/check.js';
import { proven, ready, refused } from './helpers.js';

const OPS = 'static const struct vm_operations_struct x_ops = { .fault = x_fault };\n';

const impl = (body: string) => `${OPS}static int xd_mmap(struct xd *d, struct vm_area_struct *vma)\n{\n${body}\n}\n`;
const implNew = (body: string) => `${OPS}static int xd_mmap_prepare(struct xd *d, struct vm_area_desc *desc)\n{\n${body}\n}\n`;

function nested(oldBody: string, newBody: string, extra: Partial<CheckInput> = {}) {
	return checkConversion({
		kind: 'nested',
		context: 'compat',
		old: { label: 'drv.c', text: impl(oldBody), fn: 'xd_mmap' },
		new: { label: 'drv.c', text: implNew(newBody), fn: 'xd_mmap_prepare' },
		...extra,
	});
}

test.before(async () => {
	await ready;
});

test('nested, compat path: fields set by the implementor come back through compat_set_vma_from_desc()', () => {
	proven(nested('vma->vm_private_data = d;\nvma->vm_ops = &x_ops;\nreturn 0;', 'desc->private_data = d;\ndesc->vm_ops = &x_ops;\nreturn 0;'));
});

test('nested, compat path: vm_private_data the caller set is overwritten with NULL', () => {
	const body = 'vma->vm_ops = &x_ops;\nreturn 0;';
	const newBody = 'desc->vm_ops = &x_ops;\nreturn 0;';
	refused(nested(body, newBody), 'vm_private_data', 'old private_data0, new 0');
	const r = nested(body, newBody, { entry: { privateDataNull: true, because: 'the only caller passes a fresh VMA' } });
	proven(r);
	assert.ok(r.assumptions.some((a) => a.includes('vm_private_data is NULL') && a.includes('the only caller')));
});

test('nested, compat path: error_override does not apply', () => {
	const old = 'if (remap_pfn_range(vma, vma->vm_start, d->pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot))\n\treturn -EAGAIN;\nvma->vm_private_data = d;\nreturn 0;';
	const neu = 'desc->private_data = d;\nmmap_action_remap_full(desc, d->pfn);\ndesc->action.error_override = -EAGAIN;\nreturn 0;';
	refused(nested(old, neu), 'result', 'old -EAGAIN, new map#0');
	// on the mmap path (a whole chain) it does
	proven(nested(old, neu, { context: 'mmap' }));
});

test('nested, mmap path: an implementor checked as reached from a converted outer hook', () => {
	proven(nested('if (vma->vm_pgoff)\n\treturn -EINVAL;\nreturn vm_iomap_memory(vma, d->phys, d->len);', 'if (desc->pgoff)\n\treturn -EINVAL;\nmmap_action_simple_ioremap(desc, d->phys, d->len);\nreturn 0;', { context: 'mmap' }));
});

// A dispatcher and its implementor in two files.
const CORE_OLD = `static int xd_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xd *d = file->private_data;

	if (!d->ops->mmap)
		return -ENODEV;
	return d->ops->mmap(d, vma);
}
`;
const SHIM = `static int xd_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xd *d = file->private_data;
	struct vm_area_desc desc = {};
	int err;

	if (!d->ops->mmap_prepare)
		return -ENODEV;
	compat_set_desc_from_vma(&desc, file, vma);
	err = d->ops->mmap_prepare(d, &desc);
	if (err)
		return err;
	return __compat_vma_mmap(&desc, vma);
}
`;
const DRV_OLD = impl('if (vma->vm_pgoff)\n\treturn -EINVAL;\nvma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn vm_iomap_memory(vma, d->phys, d->len);');
const DRV_NEW = implNew('if (desc->pgoff)\n\treturn -EINVAL;\ndesc->page_prot = pgprot_noncached(desc->page_prot);\nmmap_action_simple_ioremap(desc, d->phys, d->len);\nreturn 0;');

function shim(core: { old: string; new: string }, drv = { old: DRV_OLD, new: DRV_NEW }, extra: Partial<CheckInput> = {}) {
	return checkConversion({
		kind: 'shim',
		old: { label: 'core.c', text: core.old, fn: 'xd_fop_mmap' },
		new: { label: 'core.c', text: core.new, fn: 'xd_fop_mmap' },
		chain: { oldField: 'mmap', newField: 'mmap_prepare', mode: 'rename', implementors: [{ old: 'xd_mmap', new: 'xd_mmap_prepare' }] },
		files: { old: [{ label: 'drv.c', text: drv.old }], new: [{ label: 'drv.c', text: drv.new }] },
		entry: { fresh: true, because: 'wired as file_operations.mmap' },
		...extra,
	});
}

test('shim: the dispatcher with compat_set_desc_from_vma() + the implementor + __compat_vma_mmap()', () => {
	const r = shim({ old: CORE_OLD, new: SHIM });
	proven(r);
	assert.ok(r.paths.old > 2);
});

test('shim: without its error check, an implementor error still maps', () => {
	refused(shim({ old: CORE_OLD, new: SHIM.replace('\tif (err)\n\t\treturn err;\n', '') }), 'result', 'pgoff0 != 0');
});

test('shim: __compat_vma_mmap() forgotten', () => {
	refused(shim({ old: CORE_OLD, new: SHIM.replace('return __compat_vma_mmap(&desc, vma);', 'return 0;') }), 'result', 'old map#0, new 0');
});

test('shim: compat_set_desc_from_vma() forgotten reads the descriptor before it has a value', () => {
	const r = shim({ old: CORE_OLD, new: SHIM.replace('\tcompat_set_desc_from_vma(&desc, file, vma);\n', '').replace('struct vm_area_desc desc = {};', 'struct vm_area_desc desc;') });
	refused(r, 'uninitialised');
});

test('shim: error_override in an implementor behind a shim is dead', () => {
	const drv = {
		old: impl('if (remap_pfn_range(vma, vma->vm_start, d->pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;'),
		new: implNew('mmap_action_remap_full(desc, d->pfn);\ndesc->action.error_override = -EAGAIN;\nreturn 0;'),
	};
	refused(shim({ old: CORE_OLD, new: SHIM }, drv), 'result', 'old -EAGAIN, new map#0');
});

test('shim: state the dispatcher set above the shim is clobbered', () => {
	const old = CORE_OLD.replace('\treturn d->ops->mmap(d, vma);', '\tvma->vm_private_data = d;\n\treturn d->ops->mmap(d, vma);');
	const neu = SHIM.replace('\tcompat_set_desc_from_vma(', '\tvma->vm_private_data = d;\n\tcompat_set_desc_from_vma(');
	refused(shim({ old, new: neu }), 'vm_private_data', 'old file0->private_data, new 0');
});

test('shim: an unknown entry (a helper called mid-hook) proves nothing about vm_private_data', () => {
	refused(shim({ old: CORE_OLD, new: SHIM }, undefined, { entry: undefined }), 'vm_private_data', 'private_data0');
});

test('shim: with no implementor set both sides fail alike', () => {
	const r = shim({ old: CORE_OLD, new: SHIM });
	proven(r);
});

test('whole chain: the outer hook becomes mmap_prepare and passes the descriptor on', () => {
	const old = 'static int xd_fop_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\tstruct xd *d = file->private_data;\n\n\treturn d->ops->mmap(d, vma);\n}\n';
	const neu = 'static int xd_fop_mmap_prepare(struct vm_area_desc *desc)\n{\n\tstruct xd *d = desc->file->private_data;\n\n\treturn d->ops->mmap_prepare(d, desc);\n}\n';
	const drv = {
		old: impl('if (remap_pfn_range(vma, vma->vm_start, d->pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;'),
		new: implNew('mmap_action_remap_full(desc, d->pfn);\ndesc->action.error_override = -EAGAIN;\nreturn 0;'),
	};
	const input: CheckInput = {
		kind: 'whole-chain',
		old: { label: 'core.c', text: old, fn: 'xd_fop_mmap' },
		new: { label: 'core.c', text: neu, fn: 'xd_fop_mmap_prepare' },
		chain: { oldField: 'mmap', newField: 'mmap_prepare', mode: 'rename', implementors: [{ old: 'xd_mmap', new: 'xd_mmap_prepare' }] },
		files: { old: [{ label: 'drv.c', text: drv.old }], new: [{ label: 'drv.c', text: drv.new }] },
	};
	proven(checkConversion(input));
	// the outer hook may not use the VMA after the nested call: the mapping now comes after it
	const after = old.replace('\treturn d->ops->mmap(d, vma);', '\tint ret = d->ops->mmap(d, vma);\n\n\tif (!ret)\n\t\tvm_flags_set(vma, VM_DONTCOPY);\n\treturn ret;');
	const afterNew = neu.replace('\treturn d->ops->mmap_prepare(d, desc);', '\tint ret = d->ops->mmap_prepare(d, desc);\n\n\tif (!ret)\n\t\tvma_desc_set_flags(desc, VMA_DONTCOPY_BIT);\n\treturn ret;');
	proven(checkConversion({ ...input, old: { ...input.old, text: after }, new: { ...input.new, text: afterNew } }));
});

test('coexist: the dispatcher takes the new field when it is set, the old one otherwise', () => {
	const old = CORE_OLD;
	const neu = `static int xd_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xd *d = file->private_data;

	if (!(d->ops->mmap || d->ops->mmap_prepare))
		return -ENODEV;
	if (d->ops->mmap_prepare) {
		struct vm_area_desc desc = {};
		int err;

		compat_set_desc_from_vma(&desc, file, vma);
		err = d->ops->mmap_prepare(d, &desc);
		if (err)
			return err;
		return __compat_vma_mmap(&desc, vma);
	}
	return d->ops->mmap(d, vma);
}
`;
	const input = { chain: { oldField: 'mmap', newField: 'mmap_prepare', mode: 'coexist' as const, implementors: [{ old: 'xd_mmap', new: 'xd_mmap_prepare' }] } };
	proven(shim({ old, new: neu }, undefined, input));
	// a test of the old field alone misses the converted implementors
	refused(shim({ old, new: neu.replace('!(d->ops->mmap || d->ops->mmap_prepare)', '!d->ops->mmap') }, undefined, input), 'result', 'new -ENODEV');
});

test.run();
