// SPDX-License-Identifier: GPL-2.0
/* Made-up device A: a failed remap is reported as -EAGAIN (the intel_pmt_mmap() shape). */
#include <linux/ez_bus.h>

static int ez_a_mmap(struct ez_device *ez, struct vm_area_struct *vma)
{
	if (io_remap_pfn_range(vma, vma->vm_start, ez->pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot))
		return -EAGAIN;
	return 0;
}

static const struct ez_ops ez_a_ops = {
	.mmap = ez_a_mmap,
};
