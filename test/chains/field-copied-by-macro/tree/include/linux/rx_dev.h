/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up device with an ops table the core copies op by op (the ib_set_device_ops() shape). */
#ifndef _LINUX_RX_DEV_H
#define _LINUX_RX_DEV_H

#include <linux/fs.h>
#include <linux/mm.h>

struct rx_context;

struct rx_device_ops {
	int (*query)(struct rx_context *ctx);
	int (*mmap)(struct rx_context *ctx, struct vm_area_struct *vma);
};

struct rx_device {
	struct rx_device_ops ops;
};

struct rx_context {
	struct rx_device *dev;
	unsigned long pfn;
};

void rx_set_device_ops(struct rx_device *dev, const struct rx_device_ops *ops);

#endif
