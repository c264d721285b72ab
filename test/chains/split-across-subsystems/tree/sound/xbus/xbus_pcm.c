// SPDX-License-Identifier: GPL-2.0
/* Made-up xbus driver in sound/: its hook gives its buffer's pages to vm_ops. */
#include <linux/xbus.h>

static const struct vm_operations_struct xbus_pcm_vm_ops;

static int xbus_pcm_mmap(struct xbus_dev *xdev, struct vm_area_struct *vma)
{
	if (vma_pages(vma) > xdev->size >> PAGE_SHIFT)
		return -EINVAL;

	vma->vm_ops = &xbus_pcm_vm_ops;
	vma->vm_private_data = xdev->priv;
	return 0;
}

const struct xbus_ops xbus_pcm_ops = {
	.mmap = xbus_pcm_mmap,
};
