// SPDX-License-Identifier: GPL-2.0
/* Made-up pd driver: maps its frame buffer through the pd core. */
#include <linux/pd_bus.h>

struct pd_cam {
	phys_addr_t fb_phys;
	unsigned long fb_len;
};

static int pd_cam_mmap_prepare(struct pd_device *pdev, struct vm_area_desc *desc)
{
	struct pd_cam *cam = pdev->drvdata;

	desc->page_prot = pgprot_writecombine(desc->page_prot);
	mmap_action_simple_ioremap(desc, cam->fb_phys, cam->fb_len);
	return 0;
}

static const struct pd_driver_ops pd_cam_ops = {
	.mmap_prepare = pd_cam_mmap_prepare,
};
