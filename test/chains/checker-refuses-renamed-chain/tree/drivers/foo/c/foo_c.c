// SPDX-License-Identifier: GPL-2.0
/*
 * Made-up foo driver C: picks one of its register windows by the mapping's
 * offset. The checker does not evaluate the loop; every implementor of the
 * chain converts, so .mmap would be renamed and C has no field to keep.
 */
#include <linux/foo.h>

struct foo_c_window {
	unsigned long pgoff;
	phys_addr_t offset;
	unsigned long len;
};

static const struct foo_c_window foo_c_windows[] = {
	{ 0, 0x0000, 0x1000 },
	{ 1, 0x8000, 0x2000 },
};

static int foo_c_mmap(struct foo_device *fdev, struct vm_area_struct *vma)
{
	const struct foo_c_window *w = NULL;
	int i;

	for (i = 0; i < ARRAY_SIZE(foo_c_windows); i++)
		if (foo_c_windows[i].pgoff == vma->vm_pgoff)
			w = &foo_c_windows[i];
	if (!w)
		return -EINVAL;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return vm_iomap_memory(vma, fdev->base + w->offset, w->len);
}

static const struct foo_ops foo_c_ops = {
	.mmap = foo_c_mmap,
};
