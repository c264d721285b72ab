// P9d (transforms/body/flags-word.ts): other reads of the whole vm_flags word:
// vm_get_page_prot(vma->vm_flags) -> vma_flags_to_page_prot(desc->vma_flags),
// any other read -> vma_flags_to_legacy(desc->vma_flags); writes refuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { flagsWord } from '../../../transforms/body/flags-word.js';
import { pageProt } from '../../../transforms/body/page-prot.js';
import { convertC, exampleApi, hook } from '../../support/rule-harness.js';

test('vm_get_page_prot(vma->vm_flags) becomes vma_flags_to_page_prot(desc->vma_flags)', async () => {
	const r = await convertC([flagsWord, pageProt], hook('vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\n\tdesc->page_prot = vma_flags_to_page_prot\(desc->vma_flags\);\n/);
	assert.ok(r.rules.includes('P9d'));
});

test('another read of the word becomes vma_flags_to_legacy(desc->vma_flags), the same vm_flags_t', async () => {
	const r = await convertC(flagsWord, hook('pr_debug("flags %lx\\n", vma->vm_flags);\nreturn 0;'));
	assert.match(r.text!, /\tpr_debug\("flags %lx\\n", vma_flags_to_legacy\(desc->vma_flags\)\);/);
});

test('a tree without vma_flags_to_legacy() refuses the read with flags-word-read', async () => {
	const r = await convertC(flagsWord, hook('pr_debug("flags %lx\\n", vma->vm_flags);\nreturn 0;'), { api: { ...exampleApi, flagsToLegacy: false } });
	assert.is(r.refusal?.code, 'flags-word-read');
	assert.is(r.refusal?.line, 3);
});

test('vm_get_page_prot() needs no vma_flags_to_legacy()', async () => {
	const r = await convertC([flagsWord, pageProt], hook('vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);\nreturn 0;'), { api: { ...exampleApi, flagsToLegacy: false } });
	assert.is(r.refusal, undefined, r.refusal?.reason);
});

test('a store to vm_flags, or its address taken, refuses with vm-flags-written', async () => {
	for (const body of ['vma->vm_flags = VM_IO;\nreturn 0;', 'vma->vm_flags |= VM_IO;\nreturn 0;', 'vma->vm_flags++;\nreturn 0;', 'return set_flags(&vma->vm_flags);']) {
		const r = await convertC(flagsWord, hook(body));
		assert.is(r.refusal?.code, 'vm-flags-written', body);
	}
});

test('vm_get_page_prot() of something else is not claimed', async () => {
	const r = await convertC(flagsWord, hook('pgprot_t p = vm_get_page_prot(VM_READ);\nreturn 0;'));
	assert.match(r.text!, /\tpgprot_t p = vm_get_page_prot\(VM_READ\);/);
	assert.not.ok(r.rules.includes('P9d'));
});

test.run();
