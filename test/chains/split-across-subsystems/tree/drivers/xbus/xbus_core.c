// SPDX-License-Identifier: GPL-2.0
/* Made-up xbus core: the device node's mmap calls the driver's hook under a lock. */
#include <linux/fs.h>
#include <linux/xbus.h>

static int xbus_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xbus_dev *xdev = file->private_data;
	int ret;

	mutex_lock(&xdev->lock);
	if (!xdev->ops->mmap) {
		ret = -ENODEV;
		goto out;
	}
	ret = xdev->ops->mmap(xdev, vma);
out:
	mutex_unlock(&xdev->lock);
	return ret;
}

static const struct file_operations xbus_fops = {
	.owner		= THIS_MODULE,
	.mmap		= xbus_fop_mmap,
};

const struct file_operations *xbus_node_fops(void)
{
	return &xbus_fops;
}
