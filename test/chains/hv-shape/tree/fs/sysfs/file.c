// SPDX-License-Identifier: GPL-2.0
/*
 * Made-up sysfs core: the kernfs file's mmap calls the kernfs ops, whose
 * binary-attribute mmap calls the attribute's; nothing above sets vma state.
 */
#include <linux/fs.h>
#include <linux/sysfs.h>

static int sysfs_kf_bin_mmap(struct kernfs_open_file *of, struct vm_area_struct *vma)
{
	const struct bin_attribute *battr = of->battr;

	return battr->mmap(of->file, of->kobj, battr, vma);
}

static const struct kernfs_ops sysfs_bin_kfops_mmap = {
	.mmap		= sysfs_kf_bin_mmap,
};

static int kernfs_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kernfs_open_file *of = file->private_data;
	const struct kernfs_ops *ops = of->ops;

	return ops->mmap(of, vma);
}

const struct file_operations kernfs_file_fops = {
	.mmap		= kernfs_fop_mmap,
};
