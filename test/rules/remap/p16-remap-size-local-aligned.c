// SPDX-License-Identifier: GPL-2.0
/*
 * P16: the size is a local holding the VMA's size (xenbus_backend_mmap's
 * shape); it is page aligned, so the action takes it without PAGE_ALIGN().
 */
#include <linux/fs.h>
#include <linux/mm.h>

extern void *store_page;

static int store_mmap(struct file *file, struct vm_area_struct *vma)
{
	size_t size = vma->vm_end - vma->vm_start;

	if ((size > PAGE_SIZE) || (vma->vm_pgoff != 0))
		return -EINVAL;

	if (remap_pfn_range(vma, vma->vm_start,
			    virt_to_pfn(store_page),
			    size, vma->vm_page_prot))
		return -EAGAIN;

	return 0;
}

static const struct file_operations store_fops = {
	.mmap = store_mmap,
};
