/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up PCM layer: the substream's ops carry an mmap hook (the ALSA shape). */
#ifndef _SOUND_XPCM_H
#define _SOUND_XPCM_H

#include <linux/fs.h>
#include <linux/mm.h>

struct xpcm_substream;

struct xpcm_ops {
	int (*open)(struct xpcm_substream *ss);
	int (*mmap)(struct xpcm_substream *ss, struct vm_area_struct *vma);
};

struct xpcm_substream {
	const struct xpcm_ops *ops;
	void *private_data;
	atomic_t mmap_count;
};

int xpcm_mmap_data(struct xpcm_substream *ss, struct file *file,
		   struct vm_area_struct *area);

#endif
