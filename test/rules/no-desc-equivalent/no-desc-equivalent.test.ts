// transforms/body/no-desc-equivalent.ts: vma helpers without a vm_area_desc form
// refuse with a code of their own; without the rule the engine would still
// refuse them, but only as vma-escapes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { noDescEquivalent } from '../../../transforms/body/no-desc-equivalent.js';
import { vmaSize } from '../../../transforms/body/vma-size.js';
import { convertC, hook } from '../../support/rule-harness.js';

const CASES: Array<[string, string, RegExp]> = [
	['return dma_mmap_coherent(dev, vma, cpu_addr, handle, size);', 'dma-mmap-no-desc', /dma_mmap_coherent\(\) has no vm_area_desc equivalent/],
	['return dma_mmap_attrs(dev, vma, cpu_addr, handle, size, 0);', 'dma-mmap-no-desc', /dma_mmap_attrs\(\)/],
	['return remap_vmalloc_range(vma, buf, 0);', 'vmalloc-range-no-desc', /remap_vmalloc_range\(\)/],
	['return vm_insert_page(vma, vma->vm_start, page);', 'per-page-insert', /one by one/],
	['return vmf_insert_pfn(vma, addr, pfn);', 'per-page-insert', /vmf_insert_pfn\(\)/],
	['return vm_map_pages(vma, pages, n);', 'map-pages-no-desc', /ignores pgoff/],
	['return dma_buf_mmap(buf, vma, 0);', 'callee-takes-vma', /convert the callee first/],
	['vma_set_file(vma, lower);\nreturn 0;', 'vma-set-file', /desc->vm_file/],
	['zap_vma_ptes(vma, vma->vm_start, PAGE_SIZE);\nreturn 0;', 'page-tables', /page tables/],
	['return dev->ops->mmap(dev, vma);', 'nested-call', /nested hook dev->ops->mmap\(\)/],
];

for (const [body, code, why] of CASES)
	test(`${body.split('(')[0]!.replace(/^return /, '')}(): ${code}`, async () => {
		const r = await convertC([noDescEquivalent, vmaSize], hook(body));
		assert.is(r.refusal?.code, code);
		assert.match(r.refusal!.reason, why);
		assert.is(r.refusal?.line, 3);
		const without = await convertC([vmaSize], hook(body));
		assert.is(without.refusal?.code, 'vma-escapes');
	});

test('a helper given only a vma field still refuses: vma->vm_start is the vma', async () => {
	const r = await convertC([noDescEquivalent, vmaSize], hook('zap_page_range_single(vma->vm_start, PAGE_SIZE);\nreturn 0;'));
	assert.is(r.refusal?.code, 'page-tables');
});

test('a listed helper that does not get the hook\'s vma is left alone', async () => {
	const r = await convertC(noDescEquivalent, hook('vm_insert_page(other, addr, page);\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tvm_insert_page\(other, addr, page\);/);
});

test('an unlisted helper taking the vma is the engine\'s vma-escapes', async () => {
	const r = await convertC(noDescEquivalent, hook('return my_helper(vma);'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
