// SPDX-License-Identifier: GPL-2.0
/* Made-up xbus driver in drivers/misc: its hook only sets flags and vm_ops. */
#include <linux/xbus.h>

static const struct vm_operations_struct xbus_led_vm_ops;

static int xbus_led_mmap_prepare(struct xbus_dev *xdev, struct vm_area_desc *desc)
{
	if (vma_desc_size(desc) > xdev->size)
		return -EINVAL;

	vma_desc_set_flags(desc, VMA_DONTEXPAND_BIT, VMA_DONTDUMP_BIT);
	desc->vm_ops = &xbus_led_vm_ops;
	desc->private_data = xdev;
	return 0;
}

const struct xbus_ops xbus_led_ops = {
	.mmap_prepare = xbus_led_mmap_prepare,
};
