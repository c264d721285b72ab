// SPDX-License-Identifier: GPL-2.0
/* if-style: braces kept for a two-line condition go when it becomes one line. */
#include <linux/fs.h>
#include <linux/mm.h>

static const struct vm_operations_struct br_vm_ops;

static int br_mmap(struct file *file, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) !=
	    (VM_SHARED | VM_MAYSHARE)) {
		return -EINVAL;
	}

	if (vma->vm_flags & VM_WRITE) {
		/* a comment keeps the braces */
		return -EPERM;
	}

	if (vma->vm_pgoff) {
		return -EINVAL;
	} else {
		vma->vm_ops = &br_vm_ops;
	}
	return 0;
}

static const struct file_operations br_fops = {
	.mmap = br_mmap,
};
