// SPDX-License-Identifier: GPL-2.0
/* Made-up SoC DMA driver: maps its buffer uncached. */
#include <sound/xsoc.h>

struct xdrv_dma {
	unsigned long pfn;
};

static int xdrv_pcm_mmap_prepare(struct xsoc_component *component,
				 struct xpcm_substream *ss, struct vm_area_desc *desc)
{
	struct xdrv_dma *dma = component->priv;

	desc->page_prot = pgprot_noncached(desc->page_prot);
	mmap_action_remap_full(desc, dma->pfn);
	return 0;
}

static const struct xsoc_component_driver xdrv_component = {
	.mmap_prepare	= xdrv_pcm_mmap_prepare,
};
