// SPDX-License-Identifier: GPL-2.0
/* Made-up card core: a disconnected card's open files get the shutdown fops. */
#include <linux/fs.h>
#include <linux/sw_card.h>

static int sw_disconnect_mmap(struct file *file, struct vm_area_struct *vma)
{
	return -ENODEV;
}

static const struct file_operations sw_shutdown_fops = {
	.owner		= THIS_MODULE,
	.mmap		= sw_disconnect_mmap,
};

void sw_card_disconnect(struct sw_card *card)
{
	struct sw_file *mfile;

	for (mfile = card->files; mfile; mfile = mfile->next)
		mfile->file->f_op = &sw_shutdown_fops;
}
