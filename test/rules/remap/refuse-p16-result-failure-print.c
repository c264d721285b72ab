// SPDX-License-Identifier: GPL-2.0
/* P16 refusal: the remap's failure is reported before its result is returned. */
#include <linux/fs.h>
#include <linux/mm.h>

struct blk_dev {
	struct device *dev;
	unsigned long pfn;
	unsigned long size;
};

static int blk_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct blk_dev *blk = file->private_data;
	int rc;

	if (vma->vm_end - vma->vm_start != blk->size)
		return -EINVAL;

	rc = remap_pfn_range(vma, vma->vm_start, blk->pfn, blk->size,
			     vma->vm_page_prot);
	if (rc)
		dev_err(blk->dev, "remap_pfn_range error %d", rc);

	return rc;
}

static const struct file_operations blk_fops = {
	.mmap = blk_mmap,
};
