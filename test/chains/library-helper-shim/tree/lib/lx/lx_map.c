// SPDX-License-Identifier: GPL-2.0
/* Made-up mapping library: drivers call lx_mmap_attrs() from their own mmap. */
#include <linux/export.h>
#include <linux/lx_map.h>

int lx_mmap_attrs(struct lx_dev *dev, struct vm_area_struct *vma)
{
	if (!dev->ops->mmap)
		return -ENXIO;
	return dev->ops->mmap(dev, vma);
}
EXPORT_SYMBOL(lx_mmap_attrs);
