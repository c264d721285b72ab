// P24 (transforms/body/vma-get-page-prot.ts): vma_get_page_prot(vma) ->
// vma_flags_to_page_prot(desc->vma_flags), the same flags read at the same point.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { vmaGetPageProt } from '../../../transforms/body/vma-get-page-prot.js';
import { pageProt } from '../../../transforms/body/page-prot.js';
import { bodyRules } from '../../../transforms/index.js';
import { convertC, exampleApi, hook } from '../../support/rule-harness.js';

test('P24 is registered once, among the body rules', () => {
	assert.is(bodyRules.filter((r) => r === vmaGetPageProt).length, 1);
});

test('vma_get_page_prot(vma) becomes vma_flags_to_page_prot(desc->vma_flags)', async () => {
	const r = await convertC([vmaGetPageProt, pageProt], hook('vma->vm_page_prot = pgprot_writecombine(vma_get_page_prot(vma));\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\n\tdesc->page_prot = pgprot_writecombine\(vma_flags_to_page_prot\(desc->vma_flags\)\);\n/);
	assert.ok(r.rules.includes('P24'));
});

test('vma_get_page_prot() of another VMA is not claimed', async () => {
	const r = await convertC(vmaGetPageProt, hook('pgprot_t p = vma_get_page_prot(other);\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tpgprot_t p = vma_get_page_prot\(other\);/);
	assert.not.ok(r.rules.includes('P24'));
});

test('a tree without vma_flags_to_page_prot() refuses with api-missing', async () => {
	const r = await convertC([vmaGetPageProt, pageProt], hook('vma->vm_page_prot = vma_get_page_prot(vma);\nreturn 0;'), { api: { ...exampleApi, flagsToPageProt: false } });
	assert.is(r.refusal?.code, 'api-missing');
	assert.is(r.refusal?.line, 3);
});

test('alone, the rule claims no other vma use: it refuses as vma-escapes', async () => {
	const r = await convertC(vmaGetPageProt, hook('vma->vm_page_prot = vma_get_page_prot(vma);\nreturn 0;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
