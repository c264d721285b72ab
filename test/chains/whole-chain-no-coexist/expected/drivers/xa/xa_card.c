// SPDX-License-Identifier: GPL-2.0
/* Made-up xdep driver A: maps its register window uncached. */
#include <linux/xdep.h>

struct xa_card {
	struct xdep *hw;
	phys_addr_t regs;
	unsigned long regs_len;
};

static int xa_hw_mmap_prepare(struct xdep *hw, struct file *file,
			      struct vm_area_desc *desc)
{
	struct xa_card *card = hw->private_data;

	desc->page_prot = pgprot_noncached(desc->page_prot);
	mmap_action_simple_ioremap(desc, card->regs, card->regs_len);
	return 0;
}

static int xa_create_hwdep(struct device *dev, struct xa_card *card)
{
	struct xdep *hw;
	int err;

	err = xdep_new(dev, "xa", &hw);
	if (err < 0)
		return err;
	hw->private_data = card;
	hw->ops.mmap_prepare = xa_hw_mmap_prepare;
	card->hw = hw;
	return 0;
}
