// SPDX-License-Identifier: GPL-2.0
/*
 * Made-up object core: the file's mmap sets vm_private_data, two calls above
 * the object's own mmap hook (the snd_pcm_mmap_data() shape of review-7.3.md).
 * The compat shim in gx_be_obj_mmap() must seed its descriptor with it, or
 * __compat_vma_mmap() would write NULL over it and gx_vma_open() oops.
 */
#include <linux/fs.h>
#include <linux/gx.h>

static void gx_vma_open(struct vm_area_struct *vma)
{
	struct gx_obj *obj = vma->vm_private_data;

	refcount_inc(&obj->maps);
}

static const struct vm_operations_struct gx_vm_ops = {
	.open = gx_vma_open,
};

static int gx_mmap_obj(struct gx_obj *obj, struct vm_area_struct *vma)
{
	if (!obj->funcs->mmap)
		return -EINVAL;
	return obj->funcs->mmap(obj, vma);
}

static int gx_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct gx_obj *obj = file->private_data;

	vma->vm_ops = &gx_vm_ops;
	vma->vm_private_data = obj;
	return gx_mmap_obj(obj, vma);
}

static const struct file_operations gx_fops = {
	.owner		= THIS_MODULE,
	.mmap		= gx_fop_mmap,
};
