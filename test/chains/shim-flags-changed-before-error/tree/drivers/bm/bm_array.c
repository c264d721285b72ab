// SPDX-License-Identifier: GPL-2.0
/* Made-up array map: sets its flags before its last check can fail. */
#include <linux/bm_map.h>

static int bm_array_mmap(struct bm_map *map, struct vm_area_struct *vma)
{
	if (!(map->flags & 1))
		return -EINVAL;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	if (vma->vm_pgoff * PAGE_SIZE + (vma->vm_end - vma->vm_start) > map->size)
		return -EINVAL;
	return 0;
}

static const struct bm_map_ops bm_array_ops = {
	.map_mmap	= bm_array_mmap,
};
