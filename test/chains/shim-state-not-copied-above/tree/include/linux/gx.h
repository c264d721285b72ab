/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up object layer with a per-object mmap hook over a backend hook (the drm_gem/etnaviv shape). */
#ifndef _LINUX_GX_H
#define _LINUX_GX_H

#include <linux/fs.h>
#include <linux/mm.h>

struct gx_obj;
struct gx_bo;

struct gx_obj_funcs {
	int (*mmap)(struct gx_obj *obj, struct vm_area_struct *vma);
};

struct gx_backend_ops {
	int (*mmap_backend)(struct gx_bo *bo, struct vm_area_struct *vma);
};

struct gx_obj {
	const struct gx_obj_funcs *funcs;
	refcount_t maps;
	struct mempolicy *policy;
};

struct gx_bo {
	struct gx_obj base;
	const struct gx_backend_ops *ops;
	phys_addr_t phys;
	unsigned long len;
};

#endif
