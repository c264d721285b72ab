// P3 (transforms/body/file-param.ts): the old file parameter becomes desc->file,
// inline for a single read, or a local of the same name (declared by the
// signature rule) when it is used more than once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileParam } from '../../../transforms/body/file-param.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('a single use of the file becomes desc->file inline', async () => {
	const r = await convertC(fileParam, hook('return do_map(file);'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.is(r.text, 'static int foo_mmap(struct vm_area_desc *desc)\n{\n\treturn do_map(desc->file);\n}\n');
	assert.ok(r.rules.includes('P3'));
});

test('two uses keep the name: a local struct file *file = desc->file; opens the body', async () => {
	const r = await convertC(fileParam, hook('if (!file->private_data)\n\treturn -ENODEV;\nreturn do_map(file);'));
	assert.is(
		r.text,
		'static int foo_mmap(struct vm_area_desc *desc)\n{\n\tstruct file *file = desc->file;\n\n\tif (!file->private_data)\n\t\treturn -ENODEV;\n\treturn do_map(file);\n}\n',
	);
	assert.ok(r.rules.includes('P3'));
});

test('the file parameter under another name is followed', async () => {
	const r = await convertC(fileParam, 'static int bar_mmap(struct file *filp, struct vm_area_struct *vma)\n{\n\treturn do_map(filp);\n}\n');
	assert.match(r.text!, /\treturn do_map\(desc->file\);/);
});

test('a member named file is not the parameter', async () => {
	const r = await convertC(fileParam, hook('struct foo *f = priv.file;\nreturn f ? 0 : -EINVAL;'));
	assert.match(r.text!, /\tstruct foo \*f = priv\.file;/);
	assert.not.ok(r.rules.includes('P3'));
	assert.not.match(r.text!, /desc->file/);
});

test('a body that never names the file does not report P3', async () => {
	const r = await convertC(fileParam, hook('return 0;'));
	assert.is(r.refusal, undefined);
	assert.not.ok(r.rules.includes('P3'));
});

test('alone, the rule claims no vma use: it refuses as vma-escapes', async () => {
	const r = await convertC(fileParam, hook('return do_map(file, vma);'));
	assert.is(r.refusal?.code, 'vma-escapes');
	assert.is(r.refusal?.line, 3);
});

test.run();
