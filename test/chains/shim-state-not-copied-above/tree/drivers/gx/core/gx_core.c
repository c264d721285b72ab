// SPDX-License-Identifier: GPL-2.0
/*
 * Made-up object core: the file's mmap sets the VMA's NUMA policy and
 * vm_private_data, two calls above the object's own mmap hook. The shim
 * could seed vm_private_data, but struct vm_area_desc has no vm_policy: a
 * nested hook behind the shim would not see it, so the chain is refused.
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
	vma->vm_policy = obj->policy;
	return gx_mmap_obj(obj, vma);
}

static const struct file_operations gx_fops = {
	.owner		= THIS_MODULE,
	.mmap		= gx_fop_mmap,
};
