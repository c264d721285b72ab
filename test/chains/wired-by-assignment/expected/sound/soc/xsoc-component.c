// SPDX-License-Identifier: GPL-2.0
/* Made-up SoC component glue: the PCM mmap goes to the component's driver. */
#include <sound/xsoc.h>

int xsoc_pcm_component_mmap(struct xpcm_substream *ss,
			    struct vm_area_struct *vma)
{
	struct xsoc_runtime *rtd = ss->private_data;
	struct xsoc_component *component = rtd->component;

	if (component->driver->mmap_prepare) {
		struct vm_area_desc desc = {};
		int err;

		compat_set_desc_from_vma(&desc, vma->vm_file, vma);
		desc.private_data = vma->vm_private_data;
		err = component->driver->mmap_prepare(component, ss, &desc);
		if (err)
			return err;
		return __compat_vma_mmap(&desc, vma);
	}
	return -EINVAL;
}
