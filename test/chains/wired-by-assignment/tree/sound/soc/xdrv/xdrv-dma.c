// SPDX-License-Identifier: GPL-2.0
/* Made-up SoC DMA driver: maps its buffer uncached. */
#include <sound/xsoc.h>

struct xdrv_dma {
	unsigned long pfn;
};

static int xdrv_pcm_mmap(struct xsoc_component *component,
			 struct xpcm_substream *ss, struct vm_area_struct *vma)
{
	struct xdrv_dma *dma = component->priv;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, dma->pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static const struct xsoc_component_driver xdrv_component = {
	.mmap		= xdrv_pcm_mmap,
};
