// SPDX-License-Identifier: GPL-2.0
/* Made-up bus core: the device's hook runs under the device lock. */
#include <linux/fs.h>
#include <linux/ez_bus.h>

static int ez_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ez_device *ez = file->private_data;
	int ret;

	mutex_lock(&ez->lock);
	if (ez->ops->mmap_prepare) {
		struct vm_area_desc desc = {};

		compat_set_desc_from_vma(&desc, file, vma);
		ret = ez->ops->mmap_prepare(ez, &desc);
		if (!ret)
			ret = __compat_vma_mmap(&desc, vma);
	} else {
		ret = ez->ops->mmap(ez, vma);
	}
	mutex_unlock(&ez->lock);
	return ret;
}

static const struct file_operations ez_fops = {
	.owner		= THIS_MODULE,
	.mmap		= ez_fop_mmap,
};
