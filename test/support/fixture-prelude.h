/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the example tree's stand-in headers (examples/linux/include) leave to
 * the kernel, so that a fixture tree compiles with
 * gcc -fsyntax-only -include test/support/fixture-prelude.h -I TREE/include.
 * Only the shapes the fixtures use; nothing here runs.
 */
#ifndef _MMAPIFY_FIXTURE_PRELUDE_H
#define _MMAPIFY_FIXTURE_PRELUDE_H

#define NULL ((void *)0)
#define __force
#define BIT(nr) (1UL << (nr))
#define PAGE_SHIFT 12
#define EINVAL 22
#define ENODEV 19
#define THIS_MODULE ((struct module *)0)

typedef unsigned long pgoff_t;
typedef unsigned long long phys_addr_t;
typedef phys_addr_t resource_size_t;
typedef struct { unsigned long pgprot; } pgprot_t;

struct module;
struct vm_operations_struct { int (*fault)(void *vmf); };

struct file {
	void *private_data;
};

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	pgoff_t vm_pgoff;
	pgprot_t vm_page_prot;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;
};

struct mutex { int owner; };
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

void vm_flags_set(struct vm_area_struct *vma, unsigned long flags);
unsigned long vma_pages(const struct vm_area_struct *vma);

struct vm_area_desc;
void __vma_desc_set_flags(struct vm_area_desc *desc, int first_bit, ...);
#define vma_desc_set_flags(desc, ...) __vma_desc_set_flags(desc, __VA_ARGS__)

#endif
