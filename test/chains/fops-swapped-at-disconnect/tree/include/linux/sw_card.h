/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up card layer whose files are switched to shutdown fops at disconnect (the snd_card_disconnect() shape). */
#ifndef _LINUX_SW_CARD_H
#define _LINUX_SW_CARD_H

#include <linux/fs.h>
#include <linux/mm.h>

struct sw_file {
	struct file *file;
	struct sw_file *next;
};

struct sw_card {
	struct sw_file *files;
	struct device *dev;
	phys_addr_t phys;
	unsigned long len;
	void *buf;
	dma_addr_t addr;
};

#endif
