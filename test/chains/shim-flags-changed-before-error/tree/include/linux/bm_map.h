/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up map objects with a per-type mmap hook (the bpf_map_ops shape). */
#ifndef _LINUX_BM_MAP_H
#define _LINUX_BM_MAP_H

#include <linux/fs.h>
#include <linux/mm.h>

struct bm_map;

struct bm_map_ops {
	int (*map_mmap)(struct bm_map *map, struct vm_area_struct *vma);
};

struct bm_map {
	const struct bm_map_ops *ops;
	unsigned long size;
	unsigned int flags;
	atomic64_t writecnt;
};

#endif
