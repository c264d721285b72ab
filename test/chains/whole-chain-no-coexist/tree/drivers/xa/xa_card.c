// SPDX-License-Identifier: GPL-2.0
/* Made-up xdep driver A: maps its register window uncached. */
#include <linux/xdep.h>

struct xa_card {
	struct xdep *hw;
	phys_addr_t regs;
	unsigned long regs_len;
};

static int xa_hw_mmap(struct xdep *hw, struct file *file,
		      struct vm_area_struct *vma)
{
	struct xa_card *card = hw->private_data;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return vm_iomap_memory(vma, card->regs, card->regs_len);
}

static int xa_create_hwdep(struct device *dev, struct xa_card *card)
{
	struct xdep *hw;
	int err;

	err = xdep_new(dev, "xa", &hw);
	if (err < 0)
		return err;
	hw->private_data = card;
	hw->ops.mmap = xa_hw_mmap;
	card->hw = hw;
	return 0;
}
