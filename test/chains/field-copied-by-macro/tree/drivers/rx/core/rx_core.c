// SPDX-License-Identifier: GPL-2.0
/* Made-up core: the driver's ops are copied into the device field by field. */
#include <linux/fs.h>
#include <linux/rx_dev.h>

#define SET_RX_OP(ptr, name)					\
	do {							\
		if ((ptr)->name)				\
			dev->ops.name = (ptr)->name;		\
	} while (0)

void rx_set_device_ops(struct rx_device *dev, const struct rx_device_ops *ops)
{
	SET_RX_OP(ops, query);
	SET_RX_OP(ops, mmap);
}

static int rx_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct rx_context *ctx = file->private_data;

	if (!ctx->dev->ops.mmap)
		return -ENODEV;
	return ctx->dev->ops.mmap(ctx, vma);
}

static const struct file_operations rx_fops = {
	.owner		= THIS_MODULE,
	.mmap		= rx_fop_mmap,
};
