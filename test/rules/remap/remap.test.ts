// P16 and P15 (transforms/body/remap.ts): the one mapping call at the end of a
// hook becomes an mmap_action the core runs after the hook returns; every proof
// obligation that fails refuses with its code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { iomap, remap } from '../../../transforms/body/remap.js';
import { vmaSize } from '../../../transforms/body/vma-size.js';
import { vmOps } from '../../../transforms/body/vm-ops.js';
import { vmaPages } from '../../../transforms/body/vma-pages.js';
import { fileParam } from '../../../transforms/body/file-param.js';
import { convertC, exampleApi, hook } from '../../support/rule-harness.js';

// The size argument is converted by P10, as in a real run.
const rules = [remap, iomap, vmaSize, fileParam];
const REMAP = 'remap_pfn_range(vma, vma->vm_start, pfn, PAGE_SIZE, vma->vm_page_prot)';
// What proves a PAGE_SIZE remap inside the VMA (issue #11, class 4): the VMA is one page.
const ONE_PAGE = 'if (vma->vm_end - vma->vm_start != PAGE_SIZE)\n\treturn -EINVAL;\n';

test('return remap_pfn_range() of the whole VMA becomes mmap_action_remap_full(); return 0;', async () => {
	const r = await convertC(rules, hook('return remap_pfn_range(vma, vma->vm_start, pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot);'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\tmmap_action_remap_full(desc, pfn);\n\treturn 0;\n}\n');
	assert.ok(r.rules.includes('P16'));
});

test('a partial remap bounded by a check keeps its size, page-aligned as remap_pfn_range() did', async () => {
	const r = await convertC(rules, hook(`if (size > vma->vm_end - vma->vm_start)\n\treturn -EINVAL;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);`));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tmmap_action_remap\(desc, desc->start, pfn, PAGE_ALIGN\(size\)\);\n\treturn 0;/);
	const mirrored = await convertC(rules, hook(`if ((vma->vm_end - vma->vm_start) < size || !pfn)\n\treturn -EINVAL;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);`));
	assert.is(mirrored.refusal, undefined, mirrored.refusal?.reason);
});

test('a remap proven to cover the whole VMA takes the _full form', async () => {
	const one = await convertC(rules, hook(`${ONE_PAGE}return ${REMAP};`));
	assert.is(one.refusal, undefined, one.refusal?.reason);
	assert.match(one.text!, /\tmmap_action_remap_full\(desc, pfn\);\n\treturn 0;/);
	const pages = await convertC([...rules, vmaPages], hook(`if (vma_pages(vma) != 1)\n\treturn -EINVAL;\nreturn ${REMAP};`));
	assert.match(pages.text!, /\tmmap_action_remap_full\(desc, pfn\);/, pages.refusal?.reason);
	const neq = await convertC(rules, hook(`if (vma->vm_end - vma->vm_start != PAGE_SIZE || !pfn)\n\treturn -EINVAL;\nreturn ${REMAP};`));
	assert.match(neq.text!, /\tmmap_action_remap_full\(desc, pfn\);/);
	// A local that holds the VMA's size stays used: the action keeps it.
	const local = await convertC(rules, `static int foo_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\tsize_t size = vma->vm_end - vma->vm_start;\n\n\treturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);\n}\n`);
	assert.is(local.refusal, undefined, local.refusal?.reason);
	assert.match(local.text!, /\tmmap_action_remap\(desc, desc->start, pfn, size\);/);
	// Assigned once, at the top level (the pfrt_log_mmap() shape).
	const assigned = await convertC(rules, hook('unsigned long vsize;\n\nvsize = vma->vm_end - vma->vm_start;\nif (remap_pfn_range(vma, vma->vm_start, pfn, vsize, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;'));
	assert.is(assigned.refusal, undefined, assigned.refusal?.reason);
	assert.match(assigned.text!, /\tmmap_action_remap\(desc, desc->start, pfn, vsize\);\n\tdesc->action.error_override = -EAGAIN;/);
});

// Issue #11, class 4: sizes that may pass the VMA's end (the flash_mmap() shape of review-7.3.md).
const RANGES: Array<[string, string]> = [
	['an unchecked size', 'return remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);'],
	['an unchecked PAGE_SIZE', `return ${REMAP};`],
	['a size raised to the VMA only when smaller (flash_mmap)', 'size = dev->size;\nif (vma->vm_end - vma->vm_start > size)\n\tsize = vma->vm_end - vma->vm_start;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);'],
	['a size changed after its check', 'if (size > vma->vm_end - vma->vm_start)\n\treturn -EINVAL;\nsize += PAGE_SIZE;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);'],
	['a check the other way round', 'if (size < vma->vm_end - vma->vm_start)\n\treturn -EINVAL;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);'],
	['a local of the VMA size assigned again', 'size_t size = vma->vm_end - vma->vm_start;\nsize = size * 2;\nreturn remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);'],
];
for (const [what, body] of RANGES)
	test(`${what} refuses with action-range`, async () => {
		const r = await convertC(rules, hook(body));
		assert.is(r.refusal?.code, 'action-range', r.refusal?.reason ?? r.text);
		assert.match(r.refusal!.reason, /not proven to fit in the VMA/);
	});

test('error_override on a range that may be part of the VMA refuses with error-override-prepare', async () => {
	// A private mapping of part of the VMA fails in remap_pfn_range_prepare() (prepare stage) with -EINVAL.
	const r = await convertC(rules, hook('if (size > vma->vm_end - vma->vm_start)\n\treturn -EINVAL;\nif (remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;'));
	assert.is(r.refusal?.code, 'error-override-prepare', r.refusal?.reason ?? r.text);
	assert.match(r.refusal!.reason, /-EAGAIN/);
	const whole = await convertC(rules, hook(`${ONE_PAGE}if (${REMAP})\n\treturn -EAGAIN;\nreturn 0;`));
	assert.is(whole.refusal, undefined, whole.refusal?.reason);
	assert.match(whole.text!, /\tmmap_action_remap_full\(desc, pfn\);\n\tdesc->action.error_override = -EAGAIN;/);
});

test('if (io_remap_pfn_range()) return -EAGAIN; keeps the error through error_override', async () => {
	const r = await convertC(rules, hook('if (io_remap_pfn_range(vma, vma->vm_start, pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\tmmap_action_ioremap_full(desc, pfn);\n\tdesc->action.error_override = -EAGAIN;\n\treturn 0;\n}\n');
	assert.ok(r.rules.includes('error_override'));
});

test('a debug print may follow the remap', async () => {
	const r = await convertC(rules, hook(`${ONE_PAGE}if (${REMAP})\n\treturn -EAGAIN;\npr_debug("mapped\\n");\nreturn 0;`));
	assert.is(r.refusal, undefined, r.refusal?.reason);
});

test('return vm_iomap_memory() becomes mmap_action_simple_ioremap(); return 0; (P15)', async () => {
	const r = await convertC(rules, hook('return vm_iomap_memory(vma, dev->phys, vma->vm_end - vma->vm_start);'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tmmap_action_simple_ioremap\(desc, dev->phys, vma_desc_size\(desc\)\);\n\treturn 0;/);
	assert.ok(r.rules.includes('P15'));
});

test('ret = remap_pfn_range(); return ret; becomes the action and return 0, ret\'s declaration dropped', async () => {
	const r = await convertC(rules, hook(`int ret;\n\n${ONE_PAGE}ret = ${REMAP};\nreturn ret;`));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\tif (vma_desc_size(desc) != PAGE_SIZE)\n\t\treturn -EINVAL;\n\tmmap_action_remap_full(desc, pfn);\n\treturn 0;\n}\n');
	assert.ok(r.rules.includes('P16'));
});

test('r = vm_iomap_memory(); return r; becomes mmap_action_simple_ioremap(); return 0; (P15)', async () => {
	const r = await convertC(rules, hook('struct foo *dev = file->private_data;\nint r = 0;\n\nr = vm_iomap_memory(vma, dev->phys, dev->len);\nreturn r;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\{\n\tstruct foo \*dev = desc->file->private_data;\n\t\n\tmmap_action_simple_ioremap\(desc, dev->phys, dev->len\);\n\treturn 0;\n\}/);
	assert.ok(r.rules.includes('P15'));
});

const REFUSALS: Array<[string, string, string]> = [
	['the result read before the return', `int ret;\n\n${ONE_PAGE}ret = ${REMAP};\npr_debug("ret %d\\n", ret);\nreturn ret;`, 'remap-use'],
	['the result tested', `int ret;\n\n${ONE_PAGE}ret = ${REMAP};\nif (ret)\n\treturn -EAGAIN;\nreturn 0;`, 'remap-use'],
	['the result declared with another local', `int i, ret;\n\n${ONE_PAGE}ret = ${REMAP};\nreturn ret;`, 'remap-use'],
	['the result assigned in a branch', `int ret = 0;\n\nif (pfn)\n\tret = ${REMAP};\nreturn ret;`, 'remap-not-final'],
	['a print between the result and its return', `int ret;\n\n${ONE_PAGE}ret = ${REMAP};\npr_debug("mapped\\n");\nreturn ret;`, 'remap-not-final'],
	['a statement between the result and its return', `int ret;\n\n${ONE_PAGE}ret = ${REMAP};\ndev->mapped = 1;\nreturn ret;`, 'remap-not-final'],
	['the result returned with another value', `int ret;\n\n${ONE_PAGE}ret = ${REMAP};\nreturn ret ? -EAGAIN : 0;`, 'remap-use'],
	['a statement after the remap', `if (${REMAP})\n\treturn -EAGAIN;\ndev->mapped = 1;\nreturn 0;`, 'remap-not-final'],
	['a conditional remap', `if (pfn)\n\treturn ${REMAP};\nreturn -ENODEV;`, 'remap-not-final'],
	['a guard() lock over it', `guard(mutex)(&dev->lock);\nreturn ${REMAP};`, 'remap-under-lock'],
	['another start address', 'return remap_pfn_range(vma, vma->vm_start + PAGE_SIZE, pfn, PAGE_SIZE, vma->vm_page_prot);', 'remap-args'],
	['another pgprot', 'return remap_pfn_range(vma, vma->vm_start, pfn, PAGE_SIZE, pgprot_noncached(vma->vm_page_prot));', 'remap-args'],
	['an else branch on failure', `if (${REMAP})\n\treturn -EAGAIN;\nelse\n\treturn 0;`, 'remap-failure-path'],
	['a failure path that prints', `if (${REMAP}) {\n\tpr_err("failed\\n");\n\treturn -EAGAIN;\n}\nreturn 0;`, 'remap-failure-path'],
	['the result kept in a variable', `ret = ${REMAP};\nreturn ret;`, 'remap-use'],
	['vm_iomap_memory() result acted on', 'ret = vm_iomap_memory(vma, phys, len);\nreturn ret;', 'remap-use'],
	['vm_iomap_memory() not understood', 'return vm_iomap_memory(vma, phys);', 'remap-args'],
];

for (const [what, body, code] of REFUSALS)
	test(`${what} refuses with ${code}`, async () => {
		const r = await convertC(rules, hook(body));
		assert.is(r.refusal?.code, code, r.refusal?.reason ?? r.text);
	});

test('vm_ops with a .close in the file refuses with remap-close: a failed action would call it', async () => {
	const src =
		'static void foo_close(struct vm_area_struct *vma)\n{\n}\n\nstatic const struct vm_operations_struct foo_vm_ops = {\n\t.close = foo_close,\n};\n\n' +
		hook(`${ONE_PAGE}vma->vm_ops = &foo_vm_ops;\nreturn ${REMAP};`);
	const r = await convertC([...rules, vmOps], src, { fn: 'foo_mmap' });
	assert.is(r.refusal?.code, 'remap-close');
	assert.match(r.refusal!.reason, /foo_vm_ops has a \.close/);
	const open = src.replace('.close = foo_close', '.open = foo_close');
	assert.is((await convertC([...rules, vmOps], open, { fn: 'foo_mmap' })).refusal, undefined);
});

test('a tree without the action or without error_override refuses with api-missing', async () => {
	const noActions = { ...exampleApi, actions: new Set<string>() };
	assert.is((await convertC(rules, hook(`${ONE_PAGE}return ${REMAP};`), { api: noActions })).refusal?.code, 'api-missing');
	assert.is((await convertC(rules, hook('return vm_iomap_memory(vma, phys, len);'), { api: noActions })).refusal?.code, 'api-missing');
	const r = await convertC(rules, hook(`if (${REMAP})\n\treturn -EAGAIN;\nreturn 0;`), { api: { ...exampleApi, errorOverride: false } });
	assert.is(r.refusal?.code, 'api-missing');
	assert.match(r.refusal!.reason, /error_override/);
});

test.run();
