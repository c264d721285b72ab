/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Made-up SoC layer: a runtime embeds the PCM ops it registers, and fills
 * them in by assignment from its components' drivers (the ASoC shape).
 */
#ifndef _SOUND_XSOC_H
#define _SOUND_XSOC_H

#include <sound/xpcm.h>

struct xsoc_component;

struct xsoc_component_driver {
	int (*mmap_prepare)(struct xsoc_component *component,
			    struct xpcm_substream *ss, struct vm_area_desc *desc);
};

struct xsoc_component {
	const struct xsoc_component_driver *driver;
	void *priv;
};

struct xsoc_runtime {
	struct xpcm_ops ops;
	struct xsoc_component *component;
};

int xsoc_pcm_component_mmap(struct xpcm_substream *ss,
			    struct vm_area_struct *vma);

#endif
