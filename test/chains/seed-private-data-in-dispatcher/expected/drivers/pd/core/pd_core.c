// SPDX-License-Identifier: GPL-2.0
/*
 * Made-up pd core: the mapping carries the device, the driver fills it in.
 * vm_private_data is set right before the nested call: the shim seeds its
 * descriptor with it.
 */
#include <linux/fs.h>
#include <linux/pd_bus.h>

static void pd_vma_open(struct vm_area_struct *vma)
{
	struct pd_device *pdev = vma->vm_private_data;

	refcount_inc(&pdev->maps);
}

static const struct vm_operations_struct pd_vm_ops = {
	.open = pd_vma_open,
};

static int pd_check_vma(struct pd_device *pdev, struct vm_area_struct *vma)
{
	if (vma->vm_end - vma->vm_start > pdev->size)
		return -EINVAL;
	return 0;
}

static int pd_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct pd_device *pdev = file->private_data;
	int ret;
	struct vm_area_desc desc = {};
	int err;

	ret = pd_check_vma(pdev, vma);
	if (ret)
		return ret;

	vma->vm_ops = &pd_vm_ops;
	vma->vm_private_data = pdev;
	compat_set_desc_from_vma(&desc, file, vma);
	desc.private_data = vma->vm_private_data;
	err = pdev->ops->mmap_prepare(pdev, &desc);
	if (err)
		return err;
	return __compat_vma_mmap(&desc, vma);
}

static const struct file_operations pd_fops = {
	.owner		= THIS_MODULE,
	.mmap		= pd_fop_mmap,
};
