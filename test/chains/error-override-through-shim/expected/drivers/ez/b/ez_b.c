// SPDX-License-Identifier: GPL-2.0
/* Made-up device B: returns the remap's own error. */
#include <linux/ez_bus.h>

static int ez_b_mmap_prepare(struct ez_device *ez, struct vm_area_desc *desc)
{
	mmap_action_remap_full(desc, ez->pfn);
	return 0;
}

static const struct ez_ops ez_b_ops = {
	.mmap_prepare = ez_b_mmap_prepare,
};
