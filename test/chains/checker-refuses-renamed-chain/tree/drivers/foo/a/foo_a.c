// SPDX-License-Identifier: GPL-2.0
/* Made-up foo driver A: its hook only sets flags and vm_ops. */
#include <linux/foo.h>

static const struct vm_operations_struct foo_a_vm_ops;

static int foo_a_mmap(struct foo_device *fdev, struct vm_area_struct *vma)
{
	if (vma->vm_end - vma->vm_start > fdev->size)
		return -EINVAL;

	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &foo_a_vm_ops;
	vma->vm_private_data = fdev;
	return 0;
}

static const struct foo_ops foo_a_ops = {
	.mmap = foo_a_mmap,
};
