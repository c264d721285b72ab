// SPDX-License-Identifier: GPL-2.0
/* Made-up foo driver B: maps coherent DMA memory, which has no desc form. */
#include <linux/foo.h>
#include <linux/dma-mapping.h>

struct foo_b {
	struct device *dev;
	void *cpu;
	dma_addr_t dma;
};

static int foo_b_mmap(struct foo_device *fdev, struct vm_area_struct *vma)
{
	struct foo_b *b = fdev->priv;

	return dma_mmap_coherent(b->dev, vma, b->cpu, b->dma, fdev->size);
}

static const struct foo_ops foo_b_ops = {
	.mmap = foo_b_mmap,
};
