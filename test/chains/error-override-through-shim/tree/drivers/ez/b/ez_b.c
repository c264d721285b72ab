// SPDX-License-Identifier: GPL-2.0
/* Made-up device B: returns the remap's own error. */
#include <linux/ez_bus.h>

static int ez_b_mmap(struct ez_device *ez, struct vm_area_struct *vma)
{
	return remap_pfn_range(vma, vma->vm_start, ez->pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static const struct ez_ops ez_b_ops = {
	.mmap = ez_b_mmap,
};
