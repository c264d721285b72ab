// SPDX-License-Identifier: GPL-2.0
/* Made-up SoC PCM: the runtime's ops are filled in by assignment. */
#include <sound/xsoc.h>

void xsoc_new_pcm(struct xsoc_runtime *rtd)
{
	const struct xsoc_component_driver *drv = rtd->component->driver;

	if (drv->mmap_prepare)
		rtd->ops.mmap		= xsoc_pcm_component_mmap;
}
