// SPDX-License-Identifier: GPL-2.0
/* Made-up backend: the object's mmap hook dispatches to the backend's. */
#include <linux/gx.h>

static int gx_be_obj_mmap(struct gx_obj *obj, struct vm_area_struct *vma)
{
	struct gx_bo *bo = container_of(obj, struct gx_bo, base);
	struct vm_area_desc desc = {};
	int err;

	compat_set_desc_from_vma(&desc, vma->vm_file, vma);
	desc.private_data = vma->vm_private_data;
	err = bo->ops->mmap_prepare_backend(bo, &desc);
	if (err)
		return err;
	return __compat_vma_mmap(&desc, vma);
}

static const struct gx_obj_funcs gx_be_funcs = {
	.mmap = gx_be_obj_mmap,
};

static int gx_be_iomem_mmap_prepare(struct gx_bo *bo, struct vm_area_desc *desc)
{
	mmap_action_simple_ioremap(desc, bo->phys, bo->len);
	return 0;
}

static const struct gx_backend_ops gx_be_iomem_ops = {
	.mmap_prepare_backend = gx_be_iomem_mmap_prepare,
};
