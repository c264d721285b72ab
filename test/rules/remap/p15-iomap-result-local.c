// SPDX-License-Identifier: GPL-2.0
/* P15: the result of vm_iomap_memory() goes through a local to the return. */
#include <linux/fs.h>
#include <linux/mm.h>

struct fbmem_dev {
	struct device *dev;
	phys_addr_t phys;
	unsigned long len;
};

static int fbmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct fbmem_dev *fb = file->private_data;
	int r;

	dev_dbg(fb->dev, "fbmem: mmap framebuffer P(%pa)\n", &fb->phys);

	vma->vm_page_prot = pgprot_decrypted(vma->vm_page_prot);

	r = vm_iomap_memory(vma, fb->phys, fb->len);

	return r;
}

static const struct file_operations fbmem_fops = {
	.mmap = fbmem_mmap,
};
