// SPDX-License-Identifier: GPL-2.0
/* Made-up driver: one page of registers per context. */
#include <linux/rx_dev.h>

static int rx_hw_mmap(struct rx_context *ctx, struct vm_area_struct *vma)
{
	if (vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	return remap_pfn_range(vma, vma->vm_start, ctx->pfn, PAGE_SIZE, vma->vm_page_prot);
}

static const struct rx_device_ops rx_hw_ops = {
	.mmap = rx_hw_mmap,
};
