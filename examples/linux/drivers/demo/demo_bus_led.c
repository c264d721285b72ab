// SPDX-License-Identifier: GPL-2.0
/* demo_bus_led: a demo bus device that maps its LED page. Made up for mmapify. */
#include <linux/demo_bus.h>

static const struct vm_operations_struct demo_led_vm_ops;

static int demo_led_mmap(struct demo_bus_dev *dev, struct vm_area_struct *vma)
{
	if (vma_pages(vma) != 1)
		return -EINVAL;

	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &demo_led_vm_ops;
	vma->vm_private_data = dev;
	return 0;
}

static const struct demo_bus_ops demo_led_ops = {
	.mmap = demo_led_mmap,
};
