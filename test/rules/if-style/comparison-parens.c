// SPDX-License-Identifier: GPL-2.0
/* if-style: the rewritten condition loses the parentheses around its comparisons. */
#include <linux/fs.h>
#include <linux/mm.h>

static const struct vm_operations_struct cmp_vm_ops;

static int cmp_mmap(struct file *file, struct vm_area_struct *vma)
{
	size_t size = vma->vm_end - vma->vm_start;

	if ((size > PAGE_SIZE) || (vma->vm_pgoff != 0))
		return -EINVAL;
	if ((size & 1) && (vma->vm_pgoff == 1))
		return -EINVAL;
	vma->vm_ops = &cmp_vm_ops;
	return 0;
}

static const struct file_operations cmp_fops = {
	.mmap = cmp_mmap,
};
