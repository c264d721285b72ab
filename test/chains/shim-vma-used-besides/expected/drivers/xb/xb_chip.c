// SPDX-License-Identifier: GPL-2.0
/* Made-up xdep driver B: a DSP buffer faulted in through vm_ops. */
#include <linux/xdep.h>

struct xb_chip {
	struct xdep *hw;
	unsigned long buf_size;
};

static const struct vm_operations_struct xb_vm_ops;

static int xb_mmap_prepare(struct xdep *hw, struct file *file, struct vm_area_desc *desc)
{
	struct xb_chip *chip = hw->private_data;
	unsigned long size = vma_desc_size(desc);

	if (desc->pgoff || size > chip->buf_size)
		return -EINVAL;

	desc->vm_ops = &xb_vm_ops;
	desc->private_data = chip;
	return 0;
}

static int xb_probe(struct device *dev, struct xb_chip *chip)
{
	int err;

	err = xdep_new(dev, "xb", &chip->hw);
	if (err < 0)
		return err;
	chip->hw->private_data = chip;
	chip->hw->ops.mmap_prepare = xb_mmap_prepare;
	return 0;
}
