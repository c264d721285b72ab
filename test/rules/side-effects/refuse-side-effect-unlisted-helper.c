// SPDX-License-Identifier: GPL-2.0
/*
 * Class 7: side effects found by what the code does, not by a name list.
 * ul_count_map() bumps a counter under a name no vocabulary knows; the
 * checker runs it in place and finds the store. ul_log_map() is defined
 * elsewhere and handed the device: unknown, so refused with the call named.
 */
#include <linux/fs.h>
#include <linux/mm.h>

struct ul_dev {
	unsigned long pfn;
	unsigned int maps;
};

void ul_log_map(struct ul_dev *dev);

static void ul_count_map(struct ul_dev *dev)
{
	dev->maps++;
}

static int ul_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ul_dev *dev = file->private_data;

	ul_count_map(dev);
	return remap_pfn_range(vma, vma->vm_start, dev->pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static int ux_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ul_dev *dev = file->private_data;

	ul_log_map(dev);
	return remap_pfn_range(vma, vma->vm_start, dev->pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static const struct file_operations ul_fops = {
	.mmap = ul_mmap,
};

static const struct file_operations ux_fops = {
	.mmap = ux_mmap,
};
