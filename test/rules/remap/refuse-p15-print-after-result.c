// SPDX-License-Identifier: GPL-2.0
/*
 * P15 refusal: a debug print after the mapping call, before the return of its
 * result, would now run before the mapping exists (and it reads vm_pgoff,
 * which the remap of a private writable mapping rewrites).
 */
#include <linux/fs.h>
#include <linux/mm.h>

struct fbdbg_dev {
	struct device *dev;
	phys_addr_t phys;
	unsigned long len;
};

static int fbdbg_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct fbdbg_dev *fb = file->private_data;
	int r;

	vma->vm_page_prot = pgprot_decrypted(vma->vm_page_prot);

	r = vm_iomap_memory(vma, fb->phys, fb->len);

	dev_dbg(fb->dev, "fbdbg: P(%pa)->V(%lx)\n",
		&fb->phys, vma->vm_start + (vma->vm_pgoff << PAGE_SHIFT));

	return r;
}

static const struct file_operations fbdbg_fops = {
	.mmap = fbdbg_mmap,
};
