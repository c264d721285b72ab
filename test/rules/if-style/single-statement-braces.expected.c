// SPDX-License-Identifier: GPL-2.0
/* if-style: braces kept for a two-line condition go when it becomes one line. */
#include <linux/fs.h>
#include <linux/mm.h>

static const struct vm_operations_struct br_vm_ops;

static int br_mmap_prepare(struct vm_area_desc *desc)
{
	if (!vma_desc_test_all(desc, VMA_SHARED_BIT, VMA_MAYSHARE_BIT))
		return -EINVAL;

	if (vma_desc_test(desc, VMA_WRITE_BIT)) {
		/* a comment keeps the braces */
		return -EPERM;
	}

	if (desc->pgoff) {
		return -EINVAL;
	} else {
		desc->vm_ops = &br_vm_ops;
	}
	return 0;
}

static const struct file_operations br_fops = {
	.mmap_prepare = br_mmap_prepare,
};
