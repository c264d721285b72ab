// What a dispatcher's VMA is known to be at entry: the kernfs/sysfs caller
// path is checked in the tree when its files are there.
import * as fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callerFacts } from '../../src/plan/caller-facts.js';
import { makeTree } from '../support/helpers.js';

const KERNFS = (before: string) =>
	`static int kernfs_fop_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\tstruct kernfs_open_file *of = kernfs_of(file);\n\tconst struct kernfs_ops *ops;\n\tint rc;\n\n${before}\tops = kernfs_ops(of->kn);\n\trc = ops->mmap(of, vma);\n\treturn rc;\n}\n`;
const SYSFS = 'static int sysfs_kf_bin_mmap(struct kernfs_open_file *of,\n\t\t\t     struct vm_area_struct *vma)\n{\n\tconst struct bin_attribute *battr = of->kn->priv;\n\n\treturn battr->mmap(of->file, kobj, battr, vma);\n}\n';

test('no facts for a struct the table does not know', () => {
	assert.is(callerFacts('/nonexistent', 'snd_malloc_ops', 'mmap'), undefined);
});

test('kernfs and sysfs: checked in the tree', () => {
	const root = makeTree({ 'fs/kernfs/file.c': KERNFS(''), 'fs/sysfs/file.c': SYSFS });
	try {
		const f = callerFacts(root, 'bin_attribute', 'mmap');
		assert.ok(f?.fresh);
		assert.ok(f!.because!.includes('checked in this tree'));
		assert.ok(callerFacts(root, 'kernfs_ops', 'mmap')?.fresh);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('a caller that sets vm_private_data before the call gives no facts', () => {
	const root = makeTree({ 'fs/kernfs/file.c': KERNFS('\tvma->vm_private_data = of;\n'), 'fs/sysfs/file.c': SYSFS });
	try {
		assert.is(callerFacts(root, 'kernfs_ops', 'mmap'), undefined);
		assert.is(callerFacts(root, 'bin_attribute', 'mmap'), undefined);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('callers not in the tree: the 7.3 fact, said so', () => {
	const root = makeTree({});
	try {
		assert.ok(callerFacts(root, 'bin_attribute', 'mmap')!.because!.includes('not in this tree'));
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test.run();
