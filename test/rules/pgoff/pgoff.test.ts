// P12 (transforms/body/pgoff.ts): vma->vm_pgoff -> desc->pgoff, read or written
// (the core writes it back to the VMA); its address must not escape.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pgoff } from '../../../transforms/body/pgoff.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('reads and writes of vma->vm_pgoff become desc->pgoff', async () => {
	const r = await convertC(pgoff, hook('if (vma->vm_pgoff > MAX_PGOFF)\n\treturn -EINVAL;\nvma->vm_pgoff += BASE_PGOFF;\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\tif (desc->pgoff > MAX_PGOFF)\n\t\treturn -EINVAL;\n\tdesc->pgoff += BASE_PGOFF;\n\treturn 0;\n}\n');
	assert.ok(r.rules.includes('P12'));
});

test('vma_start_pgoff(vma) is a read of vm_pgoff: desc->pgoff', async () => {
	const r = await convertC(pgoff, hook('unsigned long off = vma_start_pgoff(vma) << PAGE_SHIFT;\n\nreturn off ? -EINVAL : 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tunsigned long off = desc->pgoff << PAGE_SHIFT;\n/);
	assert.ok(r.rules.includes('P12'));
});

test('vma_start_pgoff() of another VMA is not claimed', async () => {
	const r = await convertC(pgoff, hook('return vma_start_pgoff(other) ? -EINVAL : 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /vma_start_pgoff\(other\)/);
	assert.not.ok(r.rules.includes('P12'));
});

test('the address of vm_pgoff taken refuses with pgoff-address', async () => {
	const r = await convertC(pgoff, hook('return check_offset(&vma->vm_pgoff);'));
	assert.is(r.refusal?.code, 'pgoff-address');
	assert.is(r.refusal?.line, 3);
});

test('alone, the rule claims no other vma use: it refuses as vma-escapes', async () => {
	const r = await convertC(pgoff, hook('return vma->vm_pgoff + vma_pages(vma) > LIMIT ? -EINVAL : 0;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
