// SPDX-License-Identifier: GPL-2.0
/* Made-up hwdep-shaped core: the f_op counts mmap calls, checks the size and hands mmap to the device's ops. */
#include <linux/fs.h>
#include <linux/xdep.h>

#define XDEP_MAX_PAGES	16

static int xdep_open(struct inode *inode, struct file *file)
{
	struct xdep *hw = inode->i_private;

	file->private_data = hw;
	if (hw->ops.open)
		return hw->ops.open(hw, file);
	return 0;
}

static int xdep_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xdep *hw = file->private_data;

	/* counts every mmap call, also those that fail later */
	hw->mmaps++;
	if (vma_pages(vma) > XDEP_MAX_PAGES)
		return -EINVAL;
	if (hw->ops.mmap)
		return hw->ops.mmap(hw, file, vma);
	return -ENXIO;
}

static const struct file_operations xdep_fops = {
	.owner		= THIS_MODULE,
	.open		= xdep_open,
	.mmap		= xdep_mmap,
};
