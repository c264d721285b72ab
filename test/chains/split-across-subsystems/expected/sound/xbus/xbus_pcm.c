// SPDX-License-Identifier: GPL-2.0
/* Made-up xbus driver in sound/: its hook gives its buffer's pages to vm_ops. */
#include <linux/xbus.h>

static const struct vm_operations_struct xbus_pcm_vm_ops;

static int xbus_pcm_mmap_prepare(struct xbus_dev *xdev, struct vm_area_desc *desc)
{
	if (vma_desc_pages(desc) > xdev->size >> PAGE_SHIFT)
		return -EINVAL;

	desc->vm_ops = &xbus_pcm_vm_ops;
	desc->private_data = xdev->priv;
	return 0;
}

const struct xbus_ops xbus_pcm_ops = {
	.mmap_prepare = xbus_pcm_mmap_prepare,
};
