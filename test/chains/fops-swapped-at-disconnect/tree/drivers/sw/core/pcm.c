// SPDX-License-Identifier: GPL-2.0
/* Made-up PCM device of a card: maps its DMA buffer. */
#include <linux/fs.h>
#include <linux/sw_card.h>

static int sw_pcm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct sw_card *card = file->private_data;

	return dma_mmap_coherent(card->dev, vma, card->buf, card->addr, card->len);
}

static const struct file_operations sw_pcm_fops = {
	.owner		= THIS_MODULE,
	.mmap		= sw_pcm_mmap,
};
