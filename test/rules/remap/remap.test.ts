// P16 and P15 (transforms/body/remap.ts): the one mapping call at the end of a
// hook becomes an mmap_action the core runs after the hook returns; every proof
// obligation that fails refuses with its code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { iomap, remap } from '../../../transforms/body/remap.js';
import { vmaSize } from '../../../transforms/body/vma-size.js';
import { vmOps } from '../../../transforms/body/vm-ops.js';
import { convertC, exampleApi, hook } from '../../support/rule-harness.js';

// The size argument is converted by P10, as in a real run.
const rules = [remap, iomap, vmaSize];
const REMAP = 'remap_pfn_range(vma, vma->vm_start, pfn, PAGE_SIZE, vma->vm_page_prot)';

test('return remap_pfn_range() of the whole VMA becomes mmap_action_remap_full(); return 0;', async () => {
	const r = await convertC(rules, hook('return remap_pfn_range(vma, vma->vm_start, pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot);'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\tmmap_action_remap_full(desc, pfn);\n\treturn 0;\n}\n');
	assert.ok(r.rules.includes('P16'));
});

test('a partial remap keeps its size, page-aligned as remap_pfn_range() did', async () => {
	const r = await convertC(rules, hook('return remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);'));
	assert.match(r.text!, /\tmmap_action_remap\(desc, desc->start, pfn, PAGE_ALIGN\(size\)\);\n\treturn 0;/);
	const aligned = await convertC(rules, hook(`return ${REMAP};`));
	assert.match(aligned.text!, /\tmmap_action_remap\(desc, desc->start, pfn, PAGE_SIZE\);/);
});

test('if (io_remap_pfn_range()) return -EAGAIN; keeps the error through error_override', async () => {
	const r = await convertC(rules, hook('if (io_remap_pfn_range(vma, vma->vm_start, pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot))\n\treturn -EAGAIN;\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\tmmap_action_ioremap_full(desc, pfn);\n\tdesc->action.error_override = -EAGAIN;\n\treturn 0;\n}\n');
	assert.ok(r.rules.includes('error_override'));
});

test('a debug print may follow the remap', async () => {
	const r = await convertC(rules, hook(`if (${REMAP})\n\treturn -EAGAIN;\npr_debug("mapped\\n");\nreturn 0;`));
	assert.is(r.refusal, undefined, r.refusal?.reason);
});

test('return vm_iomap_memory() becomes mmap_action_simple_ioremap(); return 0; (P15)', async () => {
	const r = await convertC(rules, hook('return vm_iomap_memory(vma, dev->phys, vma->vm_end - vma->vm_start);'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tmmap_action_simple_ioremap\(desc, dev->phys, vma_desc_size\(desc\)\);\n\treturn 0;/);
	assert.ok(r.rules.includes('P15'));
});

const REFUSALS: Array<[string, string, string]> = [
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
		hook(`vma->vm_ops = &foo_vm_ops;\nreturn ${REMAP};`);
	const r = await convertC([...rules, vmOps], src, { fn: 'foo_mmap' });
	assert.is(r.refusal?.code, 'remap-close');
	assert.match(r.refusal!.reason, /foo_vm_ops has a \.close/);
	const open = src.replace('.close = foo_close', '.open = foo_close');
	assert.is((await convertC([...rules, vmOps], open, { fn: 'foo_mmap' })).refusal, undefined);
});

test('a tree without the action or without error_override refuses with api-missing', async () => {
	const noActions = { ...exampleApi, actions: new Set<string>() };
	assert.is((await convertC(rules, hook(`return ${REMAP};`), { api: noActions })).refusal?.code, 'api-missing');
	assert.is((await convertC(rules, hook('return vm_iomap_memory(vma, phys, len);'), { api: noActions })).refusal?.code, 'api-missing');
	const r = await convertC(rules, hook(`if (${REMAP})\n\treturn -EAGAIN;\nreturn 0;`), { api: { ...exampleApi, errorOverride: false } });
	assert.is(r.refusal?.code, 'api-missing');
	assert.match(r.refusal!.reason, /error_override/);
});

test.run();
