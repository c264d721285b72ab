// SPDX-License-Identifier: GPL-2.0
/*
 * Made-up PCM core: the file's mmap hands the data area to the substream's
 * ops after it set vm_ops and vm_private_data (snd_pcm_mmap_data()'s shape).
 */
#include <linux/fs.h>
#include <sound/xpcm.h>

static void xpcm_vma_open(struct vm_area_struct *area)
{
	struct xpcm_substream *ss = area->vm_private_data;

	atomic_inc(&ss->mmap_count);
}

static void xpcm_vma_close(struct vm_area_struct *area)
{
	struct xpcm_substream *ss = area->vm_private_data;

	atomic_dec(&ss->mmap_count);
}

static const struct vm_operations_struct xpcm_vm_ops_data = {
	.open = xpcm_vma_open,
	.close = xpcm_vma_close,
};

int xpcm_mmap_data(struct xpcm_substream *ss, struct file *file,
		   struct vm_area_struct *area)
{
	int err;

	if (!(area->vm_flags & VM_READ))
		return -EINVAL;
	area->vm_ops = &xpcm_vm_ops_data;
	area->vm_private_data = ss;
	if (ss->ops->mmap)
		err = ss->ops->mmap(ss, area);
	else
		err = -ENXIO;
	if (!err)
		atomic_inc(&ss->mmap_count);
	return err;
}
EXPORT_SYMBOL(xpcm_mmap_data);

static int xpcm_mmap(struct file *file, struct vm_area_struct *area)
{
	struct xpcm_substream *ss = file->private_data;

	return xpcm_mmap_data(ss, file, area);
}

static const struct file_operations xpcm_f_ops = {
	.owner		= THIS_MODULE,
	.mmap		= xpcm_mmap,
};
