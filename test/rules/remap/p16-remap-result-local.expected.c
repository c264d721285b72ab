// SPDX-License-Identifier: GPL-2.0
/* P16: the remap's result goes through a local to the final return. */
#include <linux/fs.h>
#include <linux/mm.h>

struct ring_dev {
	unsigned long pfn;
};

static int ring_mmap_prepare(struct vm_area_desc *desc)
{
	struct ring_dev *ring = desc->file->private_data;
	unsigned long size = vma_desc_size(desc);

	desc->page_prot = pgprot_noncached(desc->page_prot);
	vma_desc_set_flags(desc, VMA_IO_BIT, VMA_DONTEXPAND_BIT, VMA_DONTDUMP_BIT);
	mmap_action_ioremap(desc, desc->start, ring->pfn, size);
	return 0;
}

static const struct file_operations ring_fops = {
	.mmap_prepare = ring_mmap_prepare,
};
