/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up subsystem with a nested mmap hook, for mmapify's chain fixtures. */
#ifndef _LINUX_FOO_H
#define _LINUX_FOO_H

#include <linux/fs.h>
#include <linux/mm.h>

struct foo_device;

/**
 * struct foo_ops - operations of a foo device
 * @open: called when the device node is opened
 * @mmap: map device memory into user space
 */
struct foo_ops {
	int (*open)(struct foo_device *fdev);
	int (*mmap)(struct foo_device *fdev, struct vm_area_struct *vma);
};

struct foo_device {
	const struct foo_ops *ops;
	void *priv;
	unsigned long size;
	phys_addr_t base;
};

#endif
