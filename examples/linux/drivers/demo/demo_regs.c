// SPDX-License-Identifier: GPL-2.0
/*
 * demo_regs: exposes a page of device registers to user space.
 * Made up for the mmapify example tree.
 */
#include <linux/fs.h>
#include <linux/mm.h>

struct demo_regs {
	phys_addr_t base;
	unsigned long size;
};

static const struct vm_operations_struct demo_regs_vm_ops = {
	.access = generic_access_phys,
};

/**
 * demo_regs_mmap - map the register window
 * @file: the open device
 * @vma: the user mapping
 *
 * Return: 0 on success, negative errno otherwise.
 */
static int demo_regs_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct demo_regs *regs = file->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff + vma_pages(vma) > regs->size >> PAGE_SHIFT)
		return -EINVAL;

	vm_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_ops = &demo_regs_vm_ops;

	if (remap_pfn_range(vma, vma->vm_start,
			    (regs->base >> PAGE_SHIFT) + vma->vm_pgoff,
			    size, vma->vm_page_prot))
		return -EAGAIN;

	return 0;
}

static const struct file_operations demo_regs_fops = {
	.owner		= THIS_MODULE,
	.mmap		= demo_regs_mmap,
};
