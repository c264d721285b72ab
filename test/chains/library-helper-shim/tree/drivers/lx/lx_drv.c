// SPDX-License-Identifier: GPL-2.0
/* Made-up driver: sets its own vma state, then maps through the library. */
#include <linux/fs.h>
#include <linux/lx_map.h>

static void lx_drv_vma_open(struct vm_area_struct *vma)
{
	struct lx_dev *dev = vma->vm_private_data;

	refcount_inc(&dev->maps);
}

static const struct vm_operations_struct lx_drv_vm_ops = {
	.open = lx_drv_vma_open,
};

static int lx_drv_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct lx_dev *dev = file->private_data;

	vma->vm_ops = &lx_drv_vm_ops;
	vma->vm_private_data = dev;
	return lx_mmap_attrs(dev, vma);
}

static const struct file_operations lx_drv_fops = {
	.owner		= THIS_MODULE,
	.mmap		= lx_drv_fop_mmap,
};

static int lx_drv_map_mmap(struct lx_dev *dev, struct vm_area_struct *vma)
{
	return vm_iomap_memory(vma, dev->phys, dev->len);
}

static const struct lx_map_ops lx_drv_map_ops = {
	.mmap = lx_drv_map_mmap,
};
