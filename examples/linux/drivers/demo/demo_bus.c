// SPDX-License-Identifier: GPL-2.0
/*
 * demo_bus: the bus core's character device maps either the bus registers
 * or, when the device has its own hook, whatever the device maps.
 * Made up for the mmapify example tree.
 */
#include <linux/fs.h>
#include <linux/demo_bus.h>

static int demo_bus_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct demo_bus_dev *dev = file->private_data;
	int ret;

	mutex_lock(&dev->lock);
	if (dev->ops->mmap) {
		ret = dev->ops->mmap(dev, vma);
		goto out;
	}
	ret = vm_iomap_memory(vma, dev->regs, dev->regs_len);
out:
	mutex_unlock(&dev->lock);
	return ret;
}

static const struct file_operations demo_bus_fops = {
	.owner	= THIS_MODULE,
	.mmap	= demo_bus_mmap,
};
