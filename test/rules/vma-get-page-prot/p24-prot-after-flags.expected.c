// SPDX-License-Identifier: GPL-2.0
/* P24: the prot is computed from the flags the hook has just set. */
#include <linux/fs.h>
#include <linux/mm.h>

struct wc_buf {
	u64 size;
	bool uncached;
};

static int wc_buf_mmap_prepare(struct vm_area_desc *desc)
{
	struct wc_buf *buf = desc->file->private_data;

	if (vma_desc_size(desc) > buf->size)
		return -EINVAL;

	vma_desc_set_flags(desc, VMA_PFNMAP_BIT, VMA_DONTEXPAND_BIT, VMA_DONTDUMP_BIT);
	if (buf->uncached)
		desc->page_prot = pgprot_noncached(vma_flags_to_page_prot(desc->vma_flags));
	else
		desc->page_prot = pgprot_writecombine(vma_flags_to_page_prot(desc->vma_flags));
	return 0;
}

static const struct file_operations wc_buf_fops = {
	.mmap_prepare = wc_buf_mmap_prepare,
};
