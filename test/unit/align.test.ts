// A rewritten parameter list: continuation lines directly inside it align one
// column after its (moved) parenthesis, as checkpatch --strict asks of added
// lines (controlfb_mmap and ocxl's global_mmio_mmap were not aligned at all).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alignToParen } from '../../src/c/style/align.js';

const at = (src: string) => src.indexOf('(');

test('a line that was not aligned is aligned after the renamed function\'s parenthesis', () => {
	const src = 'static int controlfb_mmap(struct fb_info *info,\n\t\t       struct vm_area_struct *vma)\n';
	const text = '(struct fb_info *info,\n\t\t       struct vm_area_desc *desc)';
	// "static int controlfb_mmap_prepare(" is 34 columns: 4 tabs and 2 spaces
	assert.is(alignToParen(src, at(src), text, '_prepare'.length), '(struct fb_info *info,\n\t\t\t\t  struct vm_area_desc *desc)');
});

test('every line directly inside the list; not the inside of a nested parameter list', () => {
	const src = 'static int global_mmio_mmap(struct file *filp, struct kobject *kobj,\n\t\t\tconst struct bin_attribute *bin_attr,\n\t\t\tint (*cb)(int a,\n\t\t\t\t  int b),\n\t\t\tstruct vm_area_struct *vma)\n';
	const text = src.slice(at(src), src.lastIndexOf(')') + 1).replace('vm_area_struct *vma', 'vm_area_desc *desc');
	assert.is(
		alignToParen(src, at(src), text, 8),
		'(struct file *filp, struct kobject *kobj,\n\t\t\t\t    const struct bin_attribute *bin_attr,\n\t\t\t\t    int (*cb)(int a,\n\t\t\t\t  int b),\n\t\t\t\t    struct vm_area_desc *desc)',
	);
});

test('no alignment that would pass the limit', () => {
	const src = `static int ${'x'.repeat(70)}(struct file *f,\n\tstruct vm_area_struct *vma)\n`;
	assert.is(alignToParen(src, at(src), '(struct file *f,\n\tstruct vm_area_desc *desc)', 8), undefined);
});

test.run();
