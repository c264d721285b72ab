// SPDX-License-Identifier: GPL-2.0
/*
 * demo_ring: a read-only status page and an I/O window.
 * Made up for the mmapify example tree.
 */
#include <linux/fs.h>
#include <linux/mm.h>

struct demo_ring {
	phys_addr_t window;
	unsigned long window_len;
};

static int demo_status_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_READ | VM_WRITE)) != VM_READ)
		return -EPERM;

	/* No mprotect() to writable later. */
	vm_flags_clear(vma, VM_MAYWRITE);
	vma->vm_private_data = filp->private_data;
	return 0;
}

static int demo_window_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct demo_ring *ring = filp->private_data;

	return vm_iomap_memory(vma, ring->window, ring->window_len);
}

static const struct file_operations demo_status_fops = {
	.owner = THIS_MODULE,
	.mmap = demo_status_mmap,
};

static const struct file_operations demo_window_fops = {
	.owner = THIS_MODULE,
	.mmap = demo_window_mmap,
};
