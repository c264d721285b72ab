/* SPDX-License-Identifier: GPL-2.0 */
/* Example-tree stand-in: only the shapes mmapify looks for. */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

typedef struct { unsigned long __vma_flags[1]; } vma_flags_t;
typedef unsigned long vm_flags_t;

enum mmap_action_type {
	MMAP_NOTHING,
	MMAP_REMAP_PFN,
	MMAP_IO_REMAP_PFN,
	MMAP_SIMPLE_IO_REMAP,
};

struct mmap_action {
	unsigned long start, start_pfn, size;
	enum mmap_action_type type;
	int error_override;
};

struct vm_area_desc {
	struct mm_struct *mm;
	struct file *file;
	unsigned long start;
	unsigned long end;
	pgoff_t pgoff;
	struct file *vm_file;
	vma_flags_t vma_flags;
	pgprot_t page_prot;
	const struct vm_operations_struct *vm_ops;
	void *private_data;
	struct mmap_action action;
};

static inline vm_flags_t vma_flags_to_legacy(vma_flags_t flags)
{
	return flags.__vma_flags[0];
}

#endif
