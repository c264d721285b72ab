// SPDX-License-Identifier: GPL-2.0
/*
 * Made-up map core: the file's mmap sets vm_ops and vm_private_data, calls
 * the map type's hook, and on failure reads the VMA's flags again to undo
 * its write count (bpf_map_mmap()'s shape). The shim seeds vm_private_data;
 * the read on the error path is left to the equivalence checker.
 */
#include <linux/fs.h>
#include <linux/bm_map.h>

static void bm_vma_open(struct vm_area_struct *vma)
{
	struct bm_map *map = vma->vm_private_data;

	if (vma->vm_flags & VM_WRITE)
		atomic64_inc(&map->writecnt);
}

static const struct vm_operations_struct bm_vmops = {
	.open		= bm_vma_open,
};

static int bm_map_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct bm_map *map = filp->private_data;
	int err;

	if (!map->ops->map_mmap)
		return -ENOTSUPP;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		atomic64_inc(&map->writecnt);

	vma->vm_ops = &bm_vmops;
	vma->vm_private_data = map;
	vm_flags_clear(vma, VM_MAYEXEC);

	err = map->ops->map_mmap(map, vma);
	if (err) {
		if (vma->vm_flags & VM_WRITE)
			atomic64_dec(&map->writecnt);
	}

	return err;
}

static const struct file_operations bm_map_fops = {
	.owner		= THIS_MODULE,
	.mmap		= bm_map_mmap,
};
