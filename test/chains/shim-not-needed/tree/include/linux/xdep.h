/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up hwdep-shaped device layer for mmapify's chain fixtures. */
#ifndef _LINUX_XDEP_H
#define _LINUX_XDEP_H

#include <linux/fs.h>
#include <linux/mm.h>

struct xdep;

struct xdep_ops {
	int (*open)(struct xdep *hw, struct file *file);
	int (*release)(struct xdep *hw, struct file *file);
	int (*mmap)(struct xdep *hw, struct file *file,
		    struct vm_area_struct *vma);
};

struct xdep {
	const char *name;
	void *private_data;
	unsigned int mmaps;
	struct xdep_ops ops;
};

int xdep_new(struct device *parent, const char *name, struct xdep **rhw);

#endif
