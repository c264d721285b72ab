// SPDX-License-Identifier: GPL-2.0
/* Made-up xdep driver B: a DSP buffer faulted in through vm_ops. */
#include <linux/xdep.h>

struct xb_chip {
	struct xdep *hw;
	unsigned long buf_size;
};

static const struct vm_operations_struct xb_vm_ops;

static int xb_mmap(struct xdep *hw, struct file *file, struct vm_area_struct *vma)
{
	struct xb_chip *chip = hw->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;

	if (vma->vm_pgoff || size > chip->buf_size)
		return -EINVAL;

	vma->vm_ops = &xb_vm_ops;
	vma->vm_private_data = chip;
	return 0;
}

static int xb_probe(struct device *dev, struct xb_chip *chip)
{
	int err;

	err = xdep_new(dev, "xb", &chip->hw);
	if (err < 0)
		return err;
	chip->hw->private_data = chip;
	chip->hw->ops.mmap = xb_mmap;
	return 0;
}
