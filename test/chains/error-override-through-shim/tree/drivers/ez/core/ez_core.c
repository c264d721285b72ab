// SPDX-License-Identifier: GPL-2.0
/* Made-up bus core: the device's hook runs under the device lock. */
#include <linux/fs.h>
#include <linux/ez_bus.h>

static int ez_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ez_device *ez = file->private_data;
	int ret;

	mutex_lock(&ez->lock);
	ret = ez->ops->mmap(ez, vma);
	mutex_unlock(&ez->lock);
	return ret;
}

static const struct file_operations ez_fops = {
	.owner		= THIS_MODULE,
	.mmap		= ez_fop_mmap,
};
