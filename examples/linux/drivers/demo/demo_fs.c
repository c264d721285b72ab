// SPDX-License-Identifier: GPL-2.0
/* demo_fs: a file system that maps the page cache. Made up for mmapify. */
#include <linux/fs.h>

const struct file_operations demo_fs_file_operations = {
	.owner	= THIS_MODULE,
	.mmap	= generic_file_mmap,
};

const struct file_operations demo_fs_ro_file_operations = {
	.owner	= THIS_MODULE,
	.mmap	= generic_file_readonly_mmap,
};
