// SPDX-License-Identifier: GPL-2.0
/* Made-up foo driver A: its hook only sets flags and vm_ops. */
#include <linux/foo.h>

static const struct vm_operations_struct foo_a_vm_ops;

static int foo_a_mmap_prepare(struct foo_device *fdev, struct vm_area_desc *desc)
{
	if (vma_desc_size(desc) > fdev->size)
		return -EINVAL;

	vma_desc_set_flags(desc, VMA_DONTEXPAND_BIT, VMA_DONTDUMP_BIT);
	desc->vm_ops = &foo_a_vm_ops;
	desc->private_data = fdev;
	return 0;
}

static const struct foo_ops foo_a_ops = {
	.mmap_prepare = foo_a_mmap_prepare,
};
