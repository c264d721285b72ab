// P18/P19/P23 (transforms/body/desc-helpers.ts): vma helpers with a descriptor
// form; a tree without that form refuses with api-missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { descHelpers } from '../../../transforms/body/desc-helpers.js';
import { convertC, exampleApi, hook } from '../../support/rule-harness.js';

const withDescForms = { ...exampleApi, shmemZeroSetupDesc: true, fileIsDax: true };

test('vma_set_anonymous(vma) becomes vma_desc_set_anonymous(desc) (P18)', async () => {
	const r = await convertC(descHelpers, hook('vma_set_anonymous(vma);\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\n\tvma_desc_set_anonymous\(desc\);\n\treturn 0;\n/);
	assert.ok(r.rules.includes('P18'));
	assert.not.ok(r.rules.includes('P19'));
});

test('shmem_zero_setup(vma) becomes shmem_zero_setup_desc(desc) where the tree has it (P19)', async () => {
	const r = await convertC(descHelpers, hook('return shmem_zero_setup(vma);'), { api: withDescForms });
	assert.match(r.text!, /\n\treturn shmem_zero_setup_desc\(desc\);\n/);
	assert.ok(r.rules.includes('P19'));
});

test('vma_is_dax(vma) becomes file_is_dax(desc->vm_file) where the tree has it (P23)', async () => {
	const r = await convertC(descHelpers, hook('if (vma_is_dax(vma))\n\treturn -EOPNOTSUPP;\nreturn 0;'), { api: withDescForms });
	assert.match(r.text!, /\n\tif \(file_is_dax\(desc->vm_file\)\)\n\t\treturn -EOPNOTSUPP;\n/);
	assert.ok(r.rules.includes('P23'));
});

test('a tree without shmem_zero_setup_desc() refuses with api-missing', async () => {
	const r = await convertC(descHelpers, hook('return shmem_zero_setup(vma);'), { api: { ...exampleApi, shmemZeroSetupDesc: false } });
	assert.is(r.refusal?.code, 'api-missing');
	assert.match(r.refusal!.reason, /shmem_zero_setup\(\)/);
	assert.is(r.refusal?.line, 3);
});

test('a tree without file_is_dax() refuses with api-missing', async () => {
	const r = await convertC(descHelpers, hook('return vma_is_dax(vma) ? -EINVAL : 0;'), { api: { ...exampleApi, fileIsDax: false } });
	assert.is(r.refusal?.code, 'api-missing');
	assert.match(r.refusal!.reason, /vma_is_dax\(\)/);
});

test('a helper called on another vma is not the hook\'s: left alone', async () => {
	const r = await convertC(descHelpers, hook('vma_set_anonymous(other);\nreturn 0;'));
	assert.match(r.text!, /\tvma_set_anonymous\(other\);/);
	assert.not.ok(r.rules.includes('P18'));
});

test('alone, the rule claims nothing else: another vma use refuses as vma-escapes', async () => {
	const r = await convertC(descHelpers, hook('vma_set_anonymous(vma);\nreturn vma->vm_start ? 0 : -EINVAL;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
