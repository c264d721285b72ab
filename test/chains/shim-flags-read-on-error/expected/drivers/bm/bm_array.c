// SPDX-License-Identifier: GPL-2.0
/* Made-up array map: pages are faulted in on demand. */
#include <linux/bm_map.h>

static int bm_array_mmap_prepare(struct bm_map *map, struct vm_area_desc *desc)
{
	if (!(map->flags & 1))
		return -EINVAL;
	if (desc->pgoff * PAGE_SIZE + vma_desc_size(desc) > map->size)
		return -EINVAL;

	vma_desc_set_flags(desc, VMA_DONTEXPAND_BIT, VMA_DONTDUMP_BIT);
	return 0;
}

static const struct bm_map_ops bm_array_ops = {
	.map_mmap_prepare = bm_array_mmap_prepare,
};
