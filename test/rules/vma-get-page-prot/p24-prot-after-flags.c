// SPDX-License-Identifier: GPL-2.0
/* P24: the prot is computed from the flags the hook has just set. */
#include <linux/fs.h>
#include <linux/mm.h>

struct wc_buf {
	u64 size;
	bool uncached;
};

static int wc_buf_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct wc_buf *buf = file->private_data;

	if (vma->vm_end - vma->vm_start > buf->size)
		return -EINVAL;

	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	if (buf->uncached)
		vma->vm_page_prot = pgprot_noncached(vma_get_page_prot(vma));
	else
		vma->vm_page_prot = pgprot_writecombine(vma_get_page_prot(vma));
	return 0;
}

static const struct file_operations wc_buf_fops = {
	.mmap = wc_buf_mmap,
};
