// SPDX-License-Identifier: GPL-2.0
/* P16: the remap's result goes through a local to the final return. */
#include <linux/fs.h>
#include <linux/mm.h>

struct ring_dev {
	unsigned long pfn;
};

static int ring_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ring_dev *ring = file->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;
	int ret;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vm_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	ret = io_remap_pfn_range(vma, vma->vm_start, ring->pfn, size,
				 vma->vm_page_prot);
	return ret;
}

static const struct file_operations ring_fops = {
	.mmap = ring_mmap,
};
