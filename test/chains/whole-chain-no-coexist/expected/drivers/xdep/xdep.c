// SPDX-License-Identifier: GPL-2.0
/* Made-up hwdep-shaped core: the f_op hands mmap to the device's ops. */
#include <linux/fs.h>
#include <linux/xdep.h>

static int xdep_open(struct inode *inode, struct file *file)
{
	struct xdep *hw = inode->i_private;

	file->private_data = hw;
	if (hw->ops.open)
		return hw->ops.open(hw, file);
	return 0;
}

static int xdep_mmap_prepare(struct vm_area_desc *desc)
{
	struct file *file = desc->file;
	struct xdep *hw = file->private_data;

	if (hw->ops.mmap_prepare)
		return hw->ops.mmap_prepare(hw, file, desc);
	return -ENXIO;
}

static const struct file_operations xdep_fops = {
	.owner		= THIS_MODULE,
	.open		= xdep_open,
	.mmap_prepare	= xdep_mmap_prepare,
};
