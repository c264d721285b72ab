/* SPDX-License-Identifier: GPL-2.0 */
/* Example-tree stand-in: VMA flag bits and descriptor helpers. */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/mm_types.h>

#define DECLARE_VMA_BIT(name, bitnum) VMA_ ## name ## _BIT = bitnum
#define DECLARE_VMA_BIT_ALIAS(name, aliased) VMA_ ## name ## _BIT = VMA_ ## aliased ## _BIT
enum {
	DECLARE_VMA_BIT(READ, 0),
	DECLARE_VMA_BIT(WRITE, 1),
	DECLARE_VMA_BIT(EXEC, 2),
	DECLARE_VMA_BIT(SHARED, 3),
	DECLARE_VMA_BIT(MAYREAD, 4),
	DECLARE_VMA_BIT(MAYWRITE, 5),
	DECLARE_VMA_BIT(MAYEXEC, 6),
	DECLARE_VMA_BIT(MAYSHARE, 7),
	DECLARE_VMA_BIT(PFNMAP, 10),
	DECLARE_VMA_BIT(IO, 14),
	DECLARE_VMA_BIT(DONTCOPY, 17),
	DECLARE_VMA_BIT(DONTEXPAND, 18),
	DECLARE_VMA_BIT(DONTDUMP, 26),
	DECLARE_VMA_BIT(MIXEDMAP, 28),
	DECLARE_VMA_BIT(HUGEPAGE, 29),
};

#define VM_NONE		0x00000000
#define INIT_VM_FLAG(name) BIT((__force int)VMA_ ## name ## _BIT)
#define VM_READ		INIT_VM_FLAG(READ)
#define VM_WRITE		INIT_VM_FLAG(WRITE)
#define VM_EXEC		INIT_VM_FLAG(EXEC)
#define VM_SHARED		INIT_VM_FLAG(SHARED)
#define VM_MAYREAD		INIT_VM_FLAG(MAYREAD)
#define VM_MAYWRITE	INIT_VM_FLAG(MAYWRITE)
#define VM_MAYEXEC		INIT_VM_FLAG(MAYEXEC)
#define VM_MAYSHARE	INIT_VM_FLAG(MAYSHARE)
#define VM_PFNMAP		INIT_VM_FLAG(PFNMAP)
#define VM_IO		INIT_VM_FLAG(IO)
#define VM_DONTCOPY	INIT_VM_FLAG(DONTCOPY)
#define VM_DONTEXPAND	INIT_VM_FLAG(DONTEXPAND)
#define VM_DONTDUMP	INIT_VM_FLAG(DONTDUMP)
#define VM_MIXEDMAP	INIT_VM_FLAG(MIXEDMAP)
#define VM_HUGEPAGE	INIT_VM_FLAG(HUGEPAGE)

pgprot_t vma_flags_to_page_prot(vma_flags_t vma_flags);
unsigned long vma_desc_size(const struct vm_area_desc *desc);
unsigned long vma_desc_pages(const struct vm_area_desc *desc);
void mmap_action_remap(struct vm_area_desc *desc, unsigned long start, unsigned long start_pfn, unsigned long size);
void mmap_action_remap_full(struct vm_area_desc *desc, unsigned long start_pfn);
void mmap_action_ioremap(struct vm_area_desc *desc, unsigned long start, unsigned long start_pfn, unsigned long size);
void mmap_action_ioremap_full(struct vm_area_desc *desc, unsigned long start_pfn);
void mmap_action_simple_ioremap(struct vm_area_desc *desc, phys_addr_t start_phys_addr, unsigned long size);

#endif
