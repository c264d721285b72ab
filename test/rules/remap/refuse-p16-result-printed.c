// SPDX-License-Identifier: GPL-2.0
/* P16 refusal: the remap's result is printed before it is returned. */
#include <linux/fs.h>
#include <linux/mm.h>

struct bell_dev {
	struct device *dev;
	unsigned long pfn;
};

static int bell_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct bell_dev *bell = file->private_data;
	int ret;

	if (vma_pages(vma) != 1)
		return -EINVAL;

	vm_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	ret = io_remap_pfn_range(vma, vma->vm_start, bell->pfn, PAGE_SIZE,
				 vma->vm_page_prot);
	dev_dbg(bell->dev, "doorbell ret %d\n", ret);
	return ret;
}

static const struct file_operations bell_fops = {
	.mmap = bell_mmap,
};
