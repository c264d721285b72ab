// A new ops member's prototype names its parameters (checkpatch: "function
// definition argument 'struct file *' should also have an identifier name"),
// as the sysfs bin_attribute one needs: `struct file *, struct kobject *`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fieldDeclEdits, nameParams } from '../../transforms/chain/field-decl.js';

const SYSFS = `struct bin_attribute {
	int (*mmap)(struct file *, struct kobject *, const struct bin_attribute *attr,
		    struct vm_area_struct *vma);
};
`;

test('the coexisting bin_attribute member gets named parameters, wrapped after its parenthesis', () => {
	const start = SYSFS.indexOf('int (*mmap)');
	const end = SYSFS.indexOf(';', start) + 1;
	const edits = fieldDeclEdits(SYSFS, { struct: 'bin_attribute', field: 'mmap', start, end }, 'mmap_prepare', true);
	assert.is(
		edits[0]!.edit.text,
		'\n\tint (*mmap_prepare)(struct file *file, struct kobject *kobj,\n\t\t\t    const struct bin_attribute *attr, struct vm_area_desc *desc);',
	);
});

test('named parameters stay as they are; a clash or nested parentheses leave the list alone', () => {
	assert.is(nameParams('int (*mmap_prepare)(struct file *file, struct vm_area_desc *desc);', 'mmap_prepare', 8), undefined);
	assert.is(nameParams('int (*mmap_prepare)(struct file *, int kobj, struct file *);', 'mmap_prepare', 8), undefined);
	assert.is(nameParams('int (*mmap_prepare)(struct file *, int (*cb)(void), struct vm_area_desc *desc);', 'mmap_prepare', 8), undefined);
	assert.is(nameParams('int (*mmap_prepare)(struct foo_dev *, struct vm_area_desc *);', 'mmap_prepare', 8), 'int (*mmap_prepare)(struct foo_dev *foo_dev, struct vm_area_desc *desc);');
});

test.run();
