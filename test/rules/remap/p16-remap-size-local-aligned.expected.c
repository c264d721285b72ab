// SPDX-License-Identifier: GPL-2.0
/*
 * P16: the size is a local holding the VMA's size (xenbus_backend_mmap's
 * shape); it is page aligned, so the action takes it without PAGE_ALIGN().
 */
#include <linux/fs.h>
#include <linux/mm.h>

extern void *store_page;

static int store_mmap_prepare(struct vm_area_desc *desc)
{
	size_t size = vma_desc_size(desc);

	if (size > PAGE_SIZE || desc->pgoff != 0)
		return -EINVAL;

	mmap_action_remap(desc, desc->start, virt_to_pfn(store_page), size);
	desc->action.error_override = -EAGAIN;

	return 0;
}

static const struct file_operations store_fops = {
	.mmap_prepare = store_mmap_prepare,
};
