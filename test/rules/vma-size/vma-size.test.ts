// P10 (transforms/body/vma-size.ts): vma->vm_end - vma->vm_start ->
// vma_desc_size(desc); reads of vm_start/vm_end -> desc->start/end; a change
// of the new mapping's bounds refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { vmaSize } from '../../../transforms/body/vma-size.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('the size, bare or in parentheses, becomes vma_desc_size(desc)', async () => {
	const r = await convertC(vmaSize, hook('unsigned long size = vma->vm_end - vma->vm_start;\n\nif (size > SZ_1M || (vma->vm_end - vma->vm_start) & ~PAGE_MASK)\n\treturn -EINVAL;\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tunsigned long size = vma_desc_size\(desc\);\n/);
	assert.match(r.text!, /\tif \(size > SZ_1M \|\| vma_desc_size\(desc\) & ~PAGE_MASK\)\n/);
	assert.ok(r.rules.includes('P10'));
});

test('the parentheses of an if stay', async () => {
	const r = await convertC(vmaSize, hook('if (vma->vm_end - vma->vm_start)\n\treturn 0;\nreturn -EINVAL;'));
	assert.match(r.text!, /\tif \(vma_desc_size\(desc\)\)\n/);
});

test('vm_start and vm_end reads become desc->start and desc->end', async () => {
	const r = await convertC(vmaSize, hook('if (vma->vm_start & ~PMD_MASK || vma->vm_end > TASK_SIZE)\n\treturn -EINVAL;\nreturn 0;'));
	assert.match(r.text!, /\tif \(desc->start & ~PMD_MASK \|\| desc->end > TASK_SIZE\)\n/);
});

test('an end minus start of something else is not the size', async () => {
	const r = await convertC(vmaSize, hook('return dev->vm_end - vma->vm_start > 0;'));
	assert.match(r.text!, /\treturn dev->vm_end - desc->start > 0;/);
});

test('a store to vm_start or vm_end, or its address, refuses with vma-bounds-written', async () => {
	for (const body of ['vma->vm_end = vma->vm_start + PAGE_SIZE;\nreturn 0;', 'vma->vm_start += PAGE_SIZE;\nreturn 0;', 'return fix_start(&vma->vm_start);']) {
		const r = await convertC(vmaSize, hook(body));
		assert.is(r.refusal?.code, 'vma-bounds-written', body);
	}
});

test.run();
