/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up bus whose drivers live in two subsystems, for mmapify's split fixture. */
#ifndef _LINUX_XBUS_H
#define _LINUX_XBUS_H

#include <linux/fs.h>
#include <linux/mm.h>

struct xbus_dev;

/**
 * struct xbus_ops - what a driver on the xbus provides
 * @probe:	called when the device is found
 * @mmap_prepare: map the device's memory into user space
 */
struct xbus_ops {
	int (*probe)(struct xbus_dev *xdev);
	int (*mmap_prepare)(struct xbus_dev *xdev, struct vm_area_desc *desc);
};

struct xbus_dev {
	const struct xbus_ops *ops;
	struct mutex lock;
	unsigned long size;
	void *priv;
};

#endif
