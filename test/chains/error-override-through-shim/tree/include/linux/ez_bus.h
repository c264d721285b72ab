/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up bus whose file mmap calls a per-device hook under the device's lock. */
#ifndef _LINUX_EZ_BUS_H
#define _LINUX_EZ_BUS_H

#include <linux/fs.h>
#include <linux/mm.h>

struct ez_device;

struct ez_ops {
	int (*mmap)(struct ez_device *ez, struct vm_area_struct *vma);
};

struct ez_device {
	const struct ez_ops *ops;
	struct mutex lock;
	unsigned long pfn;
};

#endif
