// SPDX-License-Identifier: GPL-2.0
/* P15: the result of vm_iomap_memory() goes through a local to the return. */
#include <linux/fs.h>
#include <linux/mm.h>

struct fbmem_dev {
	struct device *dev;
	phys_addr_t phys;
	unsigned long len;
};

static int fbmem_mmap_prepare(struct vm_area_desc *desc)
{
	struct fbmem_dev *fb = desc->file->private_data;

	dev_dbg(fb->dev, "fbmem: mmap framebuffer P(%pa)\n", &fb->phys);

	desc->page_prot = pgprot_decrypted(desc->page_prot);

	mmap_action_simple_ioremap(desc, fb->phys, fb->len);

	return 0;
}

static const struct file_operations fbmem_fops = {
	.mmap_prepare = fbmem_mmap_prepare,
};
