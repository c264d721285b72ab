// SPDX-License-Identifier: GPL-2.0
/*
 * demo_dma: two hooks mmapify must refuse. Made up for the example tree.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/dma-mapping.h>

struct demo_dma {
	struct device *dev;
	void *cpu_addr;
	dma_addr_t dma_addr;
	size_t size;
	atomic_t maps;
};

/* No vm_area_desc form of dma_mmap_coherent() exists yet. */
static int demo_dma_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct demo_dma *d = file->private_data;

	return dma_mmap_coherent(d->dev, vma, d->cpu_addr, d->dma_addr, d->size);
}

/* Counting mappings is per-mapping state: it belongs in vm_ops->mapped. */
static int demo_counted_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct demo_dma *d = file->private_data;

	atomic_inc(&d->maps);
	vma->vm_private_data = d;
	return 0;
}

static const struct file_operations demo_dma_fops = {
	.mmap = demo_dma_mmap,
};

static const struct file_operations demo_counted_fops = {
	.mmap = demo_counted_mmap,
};
