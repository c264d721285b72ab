/* SPDX-License-Identifier: GPL-2.0 */
/* Made-up sysfs binary attributes and their kernfs file, for mmapify's chain fixtures. */
#ifndef _LINUX_SYSFS_H
#define _LINUX_SYSFS_H

#include <linux/fs.h>
#include <linux/mm.h>

struct kobject;
struct kernfs_open_file;

struct attribute {
	const char *name;
	unsigned short mode;
};

struct bin_attribute {
	struct attribute attr;
	int (*mmap)(struct file *, struct kobject *, const struct bin_attribute *attr,
		    struct vm_area_struct *vma);
};

struct kernfs_ops {
	int (*mmap)(struct kernfs_open_file *of, struct vm_area_struct *vma);
};

struct kernfs_open_file {
	struct file *file;
	struct kobject *kobj;
	const struct bin_attribute *battr;
	const struct kernfs_ops *ops;
};

#endif
