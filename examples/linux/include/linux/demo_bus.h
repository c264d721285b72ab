/* SPDX-License-Identifier: GPL-2.0 */
/* A made-up bus whose devices bring their own mmap hook (mmapify example). */
#ifndef _LINUX_DEMO_BUS_H
#define _LINUX_DEMO_BUS_H

#include <linux/fs.h>
#include <linux/mm.h>

struct demo_bus_dev;

/**
 * struct demo_bus_ops - what a device on the demo bus provides
 * @probe:	called when the device is found
 * @mmap:	map the device's memory into user space
 */
struct demo_bus_ops {
	int (*probe)(struct demo_bus_dev *dev);
	int (*mmap)(struct demo_bus_dev *dev, struct vm_area_struct *vma);
};

struct demo_bus_dev {
	const struct demo_bus_ops *ops;
	struct mutex lock;
	phys_addr_t regs;
	unsigned long regs_len;
};

#endif
