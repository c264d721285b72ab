// SPDX-License-Identifier: GPL-2.0
/* Made-up foo driver A: its hardware cannot be mapped; the hook is a stub. */
#include <linux/foo.h>

static int foo_a_mmap(struct foo_device *fdev, struct vm_area_struct *vma)
{
	return -ENODEV;
}

static const struct foo_ops foo_a_ops = {
	.mmap = foo_a_mmap,
};
