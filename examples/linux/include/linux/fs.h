/* SPDX-License-Identifier: GPL-2.0 */
/* Example-tree stand-in: the file_operations hooks mmapify converts between. */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

struct file_operations {
	struct module *owner;
	int (*open)(struct inode *, struct file *);
	int (*mmap)(struct file *, struct vm_area_struct *);
	int (*mmap_prepare)(struct vm_area_desc *);
	int (*release)(struct inode *, struct file *);
};

void compat_set_desc_from_vma(struct vm_area_desc *desc, const struct file *file,
			      const struct vm_area_struct *vma);
int __compat_vma_mmap(struct vm_area_desc *desc, struct vm_area_struct *vma);

int generic_file_mmap(struct file *, struct vm_area_struct *);
int generic_file_readonly_mmap(struct file *, struct vm_area_struct *);
int generic_file_mmap_prepare(struct vm_area_desc *desc);
int generic_file_readonly_mmap_prepare(struct vm_area_desc *desc);

#endif
