// The chain's comments rule (transforms/chain/comments.ts): a comment renames
// a name only when it is the renamed field (issue #11, class 5: the fbdev
// patch of review-7.3.md renamed fb_mmap() in comments to fb_mmap_prepare(),
// a function that does not exist).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../../../src/c/parser.js';
import { applyEdits, EditSet } from '../../../src/rewrite/edits.js';
import { declaresFunction, renameInComments } from '../../../transforms/chain/comments.js';

const SRC = `struct fz_ops {
	int (*fz_mmap)(struct fz_info *info, struct vm_area_struct *vma);
};

/* Note there's no locking in here; it's done in fz_mmap() in fzmem.c. */
static int fz_drv_mmap(struct fz_info *info, struct vm_area_struct *vma);

struct fz_info {
	struct mutex mm_lock;		/* Lock for fz_mmap and smem_* fields */
	/* every driver sets ops->fz_mmap, or .fz_mmap in its ops */
	const struct fz_ops *ops;
};
`;

async function rename(src: string, fnNamed: boolean): Promise<string> {
	await initParser();
	const edits = new EditSet();
	renameInComments(src, 'fz.h', 'fz_mmap', 'fz_mmap_prepare', edits, fnNamed);
	return applyEdits(src, edits.byFile.get('fz.h') ?? []);
}

test('a call-style mention names a function and keeps its name; member accesses follow the field', async () => {
	const out = await rename(SRC, false);
	assert.match(out, /it's done in fz_mmap\(\) in fzmem\.c/);
	assert.match(out, /ops->fz_mmap_prepare, or \.fz_mmap_prepare in its ops/);
	// With no function of that name, a bare mention is the field's.
	assert.match(out, /Lock for fz_mmap_prepare and smem_\* fields/);
	// Code is never touched by this rule.
	assert.match(out, /int \(\*fz_mmap\)\(/);
});

test('when a function of the field\'s name exists, only member accesses are the field\'s', async () => {
	const out = await rename(SRC, true);
	assert.match(out, /Lock for fz_mmap and smem_\* fields/);
	assert.match(out, /it's done in fz_mmap\(\) in fzmem\.c/);
	assert.match(out, /ops->fz_mmap_prepare, or \.fz_mmap_prepare in its ops/);
});

test('declaresFunction() sees definitions and prototypes, not member calls', () => {
	assert.ok(declaresFunction('static int fz_mmap(struct file *file, struct vm_area_struct *vma)\n{\n}\n', 'fz_mmap'));
	assert.ok(declaresFunction('int fz_mmap(struct file *, struct vm_area_struct *);\n', 'fz_mmap'));
	assert.not.ok(declaresFunction('\tres = info->fbops->fz_mmap(info, vma);\n', 'fz_mmap'));
	assert.not.ok(declaresFunction('\tint (*fz_mmap)(struct fz_info *info);\n', 'fz_mmap'));
});

test.run();
