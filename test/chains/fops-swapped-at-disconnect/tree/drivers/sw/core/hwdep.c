// SPDX-License-Identifier: GPL-2.0
/* Made-up hardware-dependent device of a card: maps its registers. */
#include <linux/fs.h>
#include <linux/sw_card.h>

static int sw_hwdep_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct sw_card *card = file->private_data;

	return vm_iomap_memory(vma, card->phys, card->len);
}

static const struct file_operations sw_hwdep_fops = {
	.owner		= THIS_MODULE,
	.mmap		= sw_hwdep_mmap,
};
