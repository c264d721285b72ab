// P11 (transforms/body/vma-pages.ts): vma_pages(vma) -> vma_desc_pages(desc).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { vmaPages } from '../../../transforms/body/vma-pages.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('vma_pages(vma) becomes vma_desc_pages(desc)', async () => {
	const r = await convertC(vmaPages, hook('if (vma_pages(vma) > dev->npages)\n\treturn -EINVAL;\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\n\tif \(vma_desc_pages\(desc\) > dev->npages\)\n/);
	assert.ok(r.rules.includes('P11'));
});

test('vma_pages() of another vma is left alone', async () => {
	const r = await convertC(vmaPages, hook('return vma_pages(other) > 4;'));
	assert.match(r.text!, /\treturn vma_pages\(other\) > 4;/);
	assert.not.ok(r.rules.includes('P11'));
});

test('vma_pages() with another argument list than (vma) is not claimed: vma-escapes', async () => {
	const r = await convertC(vmaPages, hook('return vma_pages(vma, 1);'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
