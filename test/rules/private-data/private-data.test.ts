// P5 (transforms/body/private-data.ts): vma->vm_private_data = X ->
// desc->private_data = X; the field is write-only in a descriptor, so a read
// (or a compound assignment, which reads it) refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { privateData } from '../../../transforms/body/private-data.js';
import { fileParam } from '../../../transforms/body/file-param.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('a store to vma->vm_private_data becomes desc->private_data', async () => {
	const r = await convertC([privateData, fileParam], hook('vma->vm_private_data = file->private_data;\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\n\tdesc->private_data = desc->file->private_data;\n/);
	assert.ok(r.rules.includes('P5'));
});

test('a read refuses with write-only-field', async () => {
	const r = await convertC(privateData, hook('if (vma->vm_private_data)\n\treturn -EBUSY;\nreturn 0;'));
	assert.is(r.refusal?.code, 'write-only-field');
	assert.is(r.refusal?.line, 3);
	assert.match(r.refusal!.reason, /vm_private_data is write-only/);
});

test('a compound assignment reads the field: write-only-field', async () => {
	const r = await convertC(privateData, hook('vma->vm_private_data += 1;\nreturn 0;'));
	assert.is(r.refusal?.code, 'write-only-field');
});

test('alone, the rule claims no other vma use: it refuses as vma-escapes', async () => {
	const r = await convertC(privateData, hook('vma->vm_private_data = vma;\nreturn 0;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
