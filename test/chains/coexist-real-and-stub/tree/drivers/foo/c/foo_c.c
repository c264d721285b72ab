// SPDX-License-Identifier: GPL-2.0
/* Made-up foo driver C: its hardware cannot be mapped; the hook is a stub. */
#include <linux/foo.h>

static int foo_c_mmap(struct foo_device *fdev, struct vm_area_struct *vma)
{
	return -ENODEV;
}

static const struct foo_ops foo_c_ops = {
	.mmap = foo_c_mmap,
};
