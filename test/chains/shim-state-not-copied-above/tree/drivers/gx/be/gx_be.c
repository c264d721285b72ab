// SPDX-License-Identifier: GPL-2.0
/* Made-up backend: the object's mmap hook dispatches to the backend's. */
#include <linux/gx.h>

static int gx_be_obj_mmap(struct gx_obj *obj, struct vm_area_struct *vma)
{
	struct gx_bo *bo = container_of(obj, struct gx_bo, base);

	return bo->ops->mmap_backend(bo, vma);
}

static const struct gx_obj_funcs gx_be_funcs = {
	.mmap = gx_be_obj_mmap,
};

static int gx_be_iomem_mmap(struct gx_bo *bo, struct vm_area_struct *vma)
{
	return vm_iomap_memory(vma, bo->phys, bo->len);
}

static const struct gx_backend_ops gx_be_iomem_ops = {
	.mmap_backend = gx_be_iomem_mmap,
};
