// SPDX-License-Identifier: GPL-2.0
/* Made-up SoC component glue: the PCM mmap goes to the component's driver. */
#include <sound/xsoc.h>

int xsoc_pcm_component_mmap(struct xpcm_substream *ss,
			    struct vm_area_struct *vma)
{
	struct xsoc_runtime *rtd = ss->private_data;
	struct xsoc_component *component = rtd->component;

	if (component->driver->mmap)
		return component->driver->mmap(component, ss, vma);
	return -EINVAL;
}
