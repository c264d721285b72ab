/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up bus with a per-device mmap hook, for mmapify's chain fixtures. */
#ifndef _LINUX_PD_BUS_H
#define _LINUX_PD_BUS_H

#include <linux/fs.h>
#include <linux/mm.h>

struct pd_device;

struct pd_driver_ops {
	int (*mmap_prepare)(struct pd_device *pdev, struct vm_area_desc *desc);
};

struct pd_device {
	const struct pd_driver_ops *ops;
	void *drvdata;
	unsigned long size;
	refcount_t maps;
};

#endif
