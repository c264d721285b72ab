// SPDX-License-Identifier: GPL-2.0
/* Made-up xbus driver in drivers/misc: its hook only sets flags and vm_ops. */
#include <linux/xbus.h>

static const struct vm_operations_struct xbus_led_vm_ops;

static int xbus_led_mmap(struct xbus_dev *xdev, struct vm_area_struct *vma)
{
	if (vma->vm_end - vma->vm_start > xdev->size)
		return -EINVAL;

	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &xbus_led_vm_ops;
	vma->vm_private_data = xdev;
	return 0;
}

const struct xbus_ops xbus_led_ops = {
	.mmap = xbus_led_mmap,
};
