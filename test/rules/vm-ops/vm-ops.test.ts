// P4 (transforms/body/vm-ops.ts): vma->vm_ops is written through the descriptor; a read refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { vmOps } from '../../../transforms/body/vm-ops.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('a store to vma->vm_ops becomes desc->vm_ops', async () => {
	const r = await convertC(vmOps, hook('vma->vm_ops = &foo_vm_ops;\nreturn 0;'));
	assert.is(r.refusal, undefined);
	assert.match(r.text!, /\tdesc->vm_ops = &foo_vm_ops;\n/);
	assert.match(r.text!, /foo_mmap\(struct vm_area_desc \*desc\)/);
	assert.ok(r.rules.includes('P4'));
});

test('a read of vma->vm_ops refuses with write-only-field', async () => {
	const r = await convertC(vmOps, hook('if (vma->vm_ops)\n\treturn -EBUSY;\nreturn 0;'));
	assert.is(r.refusal?.code, 'write-only-field');
	assert.is(r.refusal?.line, 3);
});

test('alone, the rule claims nothing else: another vma use refuses as vma-escapes', async () => {
	const r = await convertC(vmOps, hook('vma->vm_ops = &foo_vm_ops;\nvma->vm_private_data = file->private_data;\nreturn 0;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
