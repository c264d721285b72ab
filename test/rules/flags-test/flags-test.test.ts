// P9 (transforms/body/flags-test.ts): tests of vma->vm_flags become
// vma_desc_test*() where only their truth is used, and comparisons of the masked
// word are translated exactly; anything else refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { flagsTest } from '../../../transforms/body/flags-test.js';
import { convertC, hook } from '../../support/rule-harness.js';

/** The converted condition of `if (COND) return -EINVAL; return 0;`. */
async function condition(cond: string): Promise<string> {
	const r = await convertC(flagsTest, hook(`if (${cond})\n\treturn -EINVAL;\nreturn 0;`));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.ok(r.rules.includes('P9'));
	return /\n\tif \((.*)\)\n\t\treturn -EINVAL;/.exec(r.text!)![1]!;
}

test('one bit: vma_desc_test(); several: vma_desc_test_any()', async () => {
	assert.is(await condition('vma->vm_flags & VM_WRITE'), 'vma_desc_test(desc, VMA_WRITE_BIT)');
	assert.is(await condition('vma->vm_flags & (VM_SHARED | VM_MAYSHARE)'), 'vma_desc_test_any(desc, VMA_SHARED_BIT, VMA_MAYSHARE_BIT)');
	assert.is(await condition('VM_WRITE & vma->vm_flags'), 'vma_desc_test(desc, VMA_WRITE_BIT)');
});

test('negation keeps its meaning, without the parentheses the call does not need', async () => {
	assert.is(await condition('!(vma->vm_flags & VM_SHARED)'), '!vma_desc_test(desc, VMA_SHARED_BIT)');
});

test('== 0 and != 0 compare the truth', async () => {
	assert.is(await condition('(vma->vm_flags & VM_WRITE) == 0'), '!vma_desc_test(desc, VMA_WRITE_BIT)');
	assert.is(await condition('(vma->vm_flags & (VM_READ | VM_WRITE)) != 0'), 'vma_desc_test_any(desc, VMA_READ_BIT, VMA_WRITE_BIT)');
});

test('== the whole mask tests all bits; == a subset tests it and none of the rest', async () => {
	assert.is(await condition('(vma->vm_flags & (VM_READ | VM_WRITE)) == (VM_READ | VM_WRITE)'), 'vma_desc_test_all(desc, VMA_READ_BIT, VMA_WRITE_BIT)');
	assert.is(await condition('(vma->vm_flags & (VM_READ | VM_WRITE)) != (VM_READ | VM_WRITE)'), '!vma_desc_test_all(desc, VMA_READ_BIT, VMA_WRITE_BIT)');
	assert.is(await condition('(vma->vm_flags & (VM_READ | VM_WRITE)) == VM_WRITE'), 'vma_desc_test(desc, VMA_WRITE_BIT) && !vma_desc_test(desc, VMA_READ_BIT)');
	assert.is(await condition('(vma->vm_flags & (VM_READ | VM_WRITE)) != VM_WRITE'), '!(vma_desc_test(desc, VMA_WRITE_BIT) && !vma_desc_test(desc, VMA_READ_BIT))');
});

test('single-bit tests joined by && become one vma_desc_test_all()', async () => {
	assert.is(await condition('(vma->vm_flags & VM_READ) && (vma->vm_flags & VM_WRITE)'), 'vma_desc_test_all(desc, VMA_READ_BIT, VMA_WRITE_BIT)');
});

test('a ternary condition and a bool initialiser are boolean contexts', async () => {
	const r = await convertC(flagsTest, hook('return (vma->vm_flags & VM_SHARED) ? 0 : -EINVAL;'));
	assert.match(r.text!, /\treturn vma_desc_test\(desc, VMA_SHARED_BIT\) \? 0 : -EINVAL;/);
	const r2 = await convertC(flagsTest, hook('bool rw = vma->vm_flags & VM_WRITE;\nreturn rw;'));
	assert.match(r2.text!, /\tbool rw = vma_desc_test\(desc, VMA_WRITE_BIT\);/);
});

test('the masked value used as a number refuses with flags-value-used', async () => {
	const r = await convertC(flagsTest, hook('int w = vma->vm_flags & VM_WRITE;\nreturn w;'));
	assert.is(r.refusal?.code, 'flags-value-used');
	const r2 = await convertC(flagsTest, hook('return vma->vm_flags & VM_WRITE;'));
	assert.is(r2.refusal?.code, 'flags-value-used');
});

test('a comparison that can never hold refuses with flags-never-true', async () => {
	const r = await convertC(flagsTest, hook('if ((vma->vm_flags & VM_WRITE) == VM_READ)\n\treturn -EINVAL;\nreturn 0;'));
	assert.is(r.refusal?.code, 'flags-never-true');
	assert.is(r.refusal?.line, 3);
});

test('a mask that is not a constant OR of VM_* bits refuses with flags-not-constant', async () => {
	const r = await convertC(flagsTest, hook('if (vma->vm_flags & mask)\n\treturn -EINVAL;\nreturn 0;'));
	assert.is(r.refusal?.code, 'flags-not-constant');
});

test('alone, the rule claims no other read of vm_flags: it refuses as vma-escapes', async () => {
	const r = await convertC(flagsTest, hook('pr_debug("%lx\\n", vma->vm_flags);\nreturn 0;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
