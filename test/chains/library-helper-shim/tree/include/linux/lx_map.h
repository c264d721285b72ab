/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up mapping library with a per-device ops table (the dma_mmap_attrs() shape). */
#ifndef _LINUX_LX_MAP_H
#define _LINUX_LX_MAP_H

#include <linux/fs.h>
#include <linux/mm.h>

struct lx_dev;

struct lx_map_ops {
	int (*mmap)(struct lx_dev *dev, struct vm_area_struct *vma);
};

struct lx_dev {
	const struct lx_map_ops *ops;
	phys_addr_t phys;
	unsigned long len;
	refcount_t maps;
};

int lx_mmap_attrs(struct lx_dev *dev, struct vm_area_struct *vma);

#endif
