// SPDX-License-Identifier: GPL-2.0
/* if-style: the rewritten condition loses the parentheses around its comparisons. */
#include <linux/fs.h>
#include <linux/mm.h>

static const struct vm_operations_struct cmp_vm_ops;

static int cmp_mmap_prepare(struct vm_area_desc *desc)
{
	size_t size = vma_desc_size(desc);

	if (size > PAGE_SIZE || desc->pgoff != 0)
		return -EINVAL;
	if ((size & 1) && desc->pgoff == 1)
		return -EINVAL;
	desc->vm_ops = &cmp_vm_ops;
	return 0;
}

static const struct file_operations cmp_fops = {
	.mmap_prepare = cmp_mmap_prepare,
};
