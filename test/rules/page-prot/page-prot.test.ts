// P13 (transforms/body/page-prot.ts): vma->vm_page_prot -> desc->page_prot, read
// or written (the core gives the VMA the descriptor's prot).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pageProt } from '../../../transforms/body/page-prot.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('reads and writes of vma->vm_page_prot become desc->page_prot', async () => {
	const r = await convertC(pageProt, hook('vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\n\tdesc->page_prot = pgprot_noncached\(desc->page_prot\);\n/);
	assert.ok(r.rules.includes('P13'));
});

test('a page_prot of another object is not the vma\'s', async () => {
	const r = await convertC(pageProt, hook('pgprot_t p = dev->vm_page_prot;\nreturn 0;'));
	assert.match(r.text!, /\tpgprot_t p = dev->vm_page_prot;/);
	assert.not.ok(r.rules.includes('P13'));
});

test('alone, the rule claims no other field: it refuses as vma-escapes', async () => {
	const r = await convertC(pageProt, hook('vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);\nreturn vma->vm_pgoff ? -EINVAL : 0;'));
	assert.is(r.refusal?.code, 'vma-escapes');
	assert.is(r.refusal?.line, 4);
});

test.run();
