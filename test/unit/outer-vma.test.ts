// Issue #11, class 8: does an outer hook use its vma for something else than
// the nested call (src/plan/outer-vma.ts)? Only then may it get a compat shim.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser, parseC } from '../../src/c/parser.js';
import { otherVmaUse } from '../../src/plan/outer-vma.js';

async function use(src: string) {
	await initParser();
	const tree = parseC(src);
	try {
		const fn = tree.rootNode.descendantsOfType('function_definition')[0]!;
		const calls = fn.descendantsOfType('call_expression').filter((c) => c!.childForFieldName('function')!.text.endsWith('->mmap'));
		return otherVmaUse(src, fn, calls.map((c) => c!.startIndex));
	} finally {
		tree.delete();
	}
}

const outer = (body: string) => `static int foo_fop_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\tstruct foo *f = file->private_data;\n${body}\n}\n`;

test('the vma only passed to the nested call: no other use', async () => {
	assert.is(await use(outer('\treturn f->ops->mmap(f, vma);')), undefined);
	assert.is(await use(outer('\tint ret;\n\n\tmutex_lock(&f->lock);\n\tret = f->ops->mmap(f, vma);\n\tmutex_unlock(&f->lock);\n\treturn ret;')), undefined);
	assert.is(await use(outer('\tif (!f->ops->mmap)\n\t\treturn -ENODEV;\n\tif (f->ops->mmap(f, vma))\n\t\treturn -EIO;\n\treturn f->ops->mmap(f, vma);')), undefined);
});

test('another use of the vma, before or after the call, is named with its line', async () => {
	assert.equal(await use(outer('\tif (vma->vm_pgoff)\n\t\treturn -EINVAL;\n\treturn f->ops->mmap(f, vma);')), { line: 4, text: 'if (vma->vm_pgoff)' });
	assert.equal(await use(outer('\tint ret = f->ops->mmap(f, vma);\n\n\tvm_flags_set(vma, VM_DONTEXPAND);\n\treturn ret;')), { line: 6, text: 'vm_flags_set(vma, VM_DONTEXPAND);' });
	assert.equal(await use(outer('\tstruct vm_area_struct *v = vma;\n\n\treturn f->ops->mmap(f, v);')), { line: 4, text: 'struct vm_area_struct *v = vma;' });
});

test('the vma passed to another call is a use; a field named vma is not', async () => {
	// a call that is not the nested one
	assert.equal(await use(outer('\tfoo_log(vma);\n\treturn f->ops->mmap(f, vma);')), { line: 4, text: 'foo_log(vma);' });
	// f->vma is a field, not the parameter
	assert.is(await use(outer('\tf->vma_count++;\n\treturn f->ops->mmap(f, vma);')), undefined);
});

test('no vma parameter: nothing of it is used', async () => {
	assert.is(await use('static int foo(struct foo *f)\n{\n\treturn f->ops->mmap(f, NULL);\n}\n'), undefined);
});

test.run();
