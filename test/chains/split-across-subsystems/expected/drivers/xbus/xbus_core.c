// SPDX-License-Identifier: GPL-2.0
/* Made-up xbus core: the device node's mmap calls the driver's hook under a lock. */
#include <linux/fs.h>
#include <linux/xbus.h>

static int xbus_fop_mmap_prepare(struct vm_area_desc *desc)
{
	struct xbus_dev *xdev = desc->file->private_data;
	int ret;

	mutex_lock(&xdev->lock);
	if (!xdev->ops->mmap_prepare) {
		ret = -ENODEV;
		goto out;
	}
	ret = xdev->ops->mmap_prepare(xdev, desc);
out:
	mutex_unlock(&xdev->lock);
	return ret;
}

static const struct file_operations xbus_fops = {
	.owner		= THIS_MODULE,
	.mmap_prepare	= xbus_fop_mmap_prepare,
};

const struct file_operations *xbus_node_fops(void)
{
	return &xbus_fops;
}
