// P17 (transforms/body/generic-file.ts): generic_file_mmap(file, vma) and
// generic_file_readonly_mmap(file, vma) in a body -> their _prepare(desc) forms,
// only for the file being mapped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { genericFile } from '../../../transforms/body/generic-file.js';
import { fileParam } from '../../../transforms/body/file-param.js';
import { convertC, exampleApi, hook } from '../../support/rule-harness.js';

test('return generic_file_mmap(file, vma) becomes return generic_file_mmap_prepare(desc)', async () => {
	const r = await convertC(genericFile, hook('return generic_file_mmap(file, vma);'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\treturn generic_file_mmap_prepare(desc);\n}\n');
	assert.ok(r.rules.includes('P17'));
});

test('generic_file_readonly_mmap() becomes generic_file_readonly_mmap_prepare()', async () => {
	const r = await convertC(genericFile, hook('return generic_file_readonly_mmap(file, vma);'));
	assert.match(r.text!, /\treturn generic_file_readonly_mmap_prepare\(desc\);/);
});

test('after other uses of the file, the file stays a local and the helper still takes desc', async () => {
	const r = await convertC([genericFile, fileParam], hook('file_accessed(file);\nreturn generic_file_mmap(file, vma);'));
	assert.match(r.text!, /\tstruct file \*file = desc->file;\n\n\tfile_accessed\(file\);\n\treturn generic_file_mmap_prepare\(desc\);/);
});

test('called on another file than the one mapped, it refuses with generic-file-other-file', async () => {
	const r = await convertC(genericFile, hook('struct file *lower = file->private_data;\n\nreturn generic_file_mmap(lower, vma);'));
	assert.is(r.refusal?.code, 'generic-file-other-file');
	assert.match(r.refusal!.reason, /\(lower\)/);
	assert.is(r.refusal?.line, 5);
});

test('a tree without generic_file_mmap_prepare() refuses with api-missing', async () => {
	const r = await convertC(genericFile, hook('return generic_file_mmap(file, vma);'), { api: { ...exampleApi, genericPrepare: false } });
	assert.is(r.refusal?.code, 'api-missing');
});

test('with the vma not its second argument, the call is not claimed: vma-escapes', async () => {
	const r = await convertC(genericFile, hook('return generic_file_mmap(vma, file);'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
