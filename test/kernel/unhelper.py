#!/usr/bin/env python3
"""Take Linux 7.3's compat helpers back out: the single-function compat_vma_mmap().

Upstream's "mm: allow handling of stacked mmap_prepare hooks in more drivers"
split compat_vma_mmap() into compat_set_desc_from_vma() + __compat_vma_mmap()
so that an mmap() hook can call a nested mmap_prepare-style hook that is not
f_op->mmap_prepare. Trees before that patch have no such helpers; in the ones
just before it (after "mm: various small mmap_prepare cleanups" folded
__compat_vma_mmap(f_op, file, vma) into it) compat_vma_mmap() is one
function. This script turns a copy of 7.3 back into that shape, so that
mmapify's compatHelpersPatch() (src/compathelpers.ts) can be asked to redo
the split:

  mm/util.c       compat_set_desc_from_vma() and __compat_vma_mmap() are
                  removed; compat_vma_mmap() builds its descriptor with a
                  designated initialiser and does the action, VMA update and
                  completion itself (upstream's pre-split order: prepare the
                  action, then clear hide_from_rmap_until_complete). The fields
                  it copies and the calls it makes are 7.3's (vma_start_pgoff(),
                  vm_ops, mmap_action_complete(..., is_compat=true)), so the
                  redone split can be compared with 7.3 function by function.
  include/linux/fs.h  the two prototypes are removed.
  mm/vma.h        compat_set_vma_from_desc() is called set_vma_from_desc()
                  again (the split renamed it).
  include/linux/mm_types.h  vm_area_desc.mm and .file are const again, as
                  before the split (which dropped the qualifiers so that it
                  could assign the members one by one):
                    default           struct mm_struct *const mm;
                                      struct file *const file;
                    --upstream-const  const struct mm_struct *const mm;
                                      struct file *const file;
                                      (upstream's exact pre-split members)
                    --no-const        left as in 7.3
                  The default makes the members read-only, which is what stops
                  a split compat_set_desc_from_vma() from compiling, and keeps
                  the whole tree building. With --upstream-const, 7.3 code
                  written after the split that passes desc->mm to a function
                  taking a non-const mm (mm/memory.c:2657, mmap_read_trylock())
                  warns, and allmodconfig's CONFIG_WERROR makes that an error;
                  mm/util.o, mm/vma.o and the VMA tests build with all three.
  tools/testing/vma/include/dup.h  the same changes in the userland mirror:
                  one static inline compat_vma_mmap() (a copy of the new kernel
                  function), the set_vma_from_desc() prototype, and the members
                  of vm_area_desc.

Usage: unhelper.py [--upstream-const | --no-const] TREE
(edits the files in place; fails loudly if the 7.3 text is not found, e.g. on
another kernel version or a tree that has already been through this script)
"""
import sys, pathlib

USAGE = 'usage: unhelper.py [--upstream-const | --no-const] TREE'
args = sys.argv[1:]
const = 'top'
while args and args[0].startswith('--'):
    opt = args.pop(0)
    if opt == '--upstream-const':
        const = 'upstream'
    elif opt == '--no-const':
        const = 'none'
    else:
        sys.exit(f'unhelper: unknown option {opt}\n{USAGE}')
if len(args) != 1:
    sys.exit(USAGE)
tree = pathlib.Path(args[0])


# Every edit is checked before any file is written: a tree that does not have
# the 7.3 text is left untouched.
pending = {}


def edit(rel, pairs):
    p = tree / rel
    if rel not in pending:
        if not p.is_file():
            sys.exit(f'unhelper: {rel}: no such file under {tree}')
        pending[rel] = p.read_text()
    s = pending[rel]
    for old, new in pairs:
        n = s.count(old)
        if n != 1:
            lines = [l for l in old.splitlines() if l.strip() and not l.lstrip().startswith(('/*', '*'))]
            shown = '\n'.join('    ' + l for l in lines[:3])
            sys.exit(f'unhelper: {rel}: expected exactly one occurrence of the 7.3 text starting\n{shown}\n'
                     f'found {n}; nothing was changed (not 7.3, or already unhelpered?)')
        s = s.replace(old, new)
    pending[rel] = s


# ---------------------------------------------------------------- mm/util.c
HELPERS_7_3 = '''/**
 * compat_set_desc_from_vma() - assigns VMA descriptor @desc fields from a VMA.
 * @desc: A VMA descriptor whose fields need to be set.
 * @file: The file object describing the file being mmap()'d.
 * @vma: The VMA whose fields we wish to assign to @desc.
 *
 * This is a compatibility function to allow an mmap() hook to call
 * mmap_prepare() hooks when drivers nest these. This function specifically
 * allows the construction of a vm_area_desc value, @desc, from a VMA @vma for
 * the purposes of doing this.
 *
 * Once the conversion of drivers is complete this function will no longer be
 * required and will be removed.
 */
void compat_set_desc_from_vma(struct vm_area_desc *desc,
			      const struct file *file,
			      const struct vm_area_struct *vma)
{
	memset(desc, 0, sizeof(*desc));

	desc->mm = vma->vm_mm;
	desc->file = (struct file *)file;
	desc->start = vma->vm_start;
	desc->end = vma->vm_end;

	desc->pgoff = vma_start_pgoff(vma);
	desc->vm_file = vma->vm_file;
	desc->vma_flags = vma->flags;
	desc->page_prot = vma->vm_page_prot;
	desc->vm_ops = vma->vm_ops;

	/* Default. */
	desc->action.type = MMAP_NOTHING;
}
EXPORT_SYMBOL(compat_set_desc_from_vma);

/**
 * __compat_vma_mmap() - Similar to compat_vma_mmap(), only it allows
 * flexibility as to how the mmap_prepare callback is invoked, which is useful
 * for drivers which invoke nested mmap_prepare callbacks in an mmap() hook.
 * @desc: A VMA descriptor upon which an mmap_prepare() hook has already been
 * executed.
 * @vma: The VMA to which @desc should be applied.
 *
 * The function assumes that you have obtained a VMA descriptor @desc from
 * compat_set_desc_from_vma(), and already executed the mmap_prepare() hook upon
 * it.
 *
 * It then performs any specified mmap actions, and invokes the vm_ops->mapped()
 * hook if one is present.
 *
 * See the description of compat_vma_mmap() for more details.
 *
 * Once the conversion of drivers is complete this function will no longer be
 * required and will be removed.
 *
 * Returns: 0 on success or error.
 */
int __compat_vma_mmap(struct vm_area_desc *desc,
		      struct vm_area_struct *vma)
{
	int err;

	/* Perform any preparatory tasks for mmap action. */
	err = mmap_action_prepare(desc);
	if (err)
		return err;
	/* Update the VMA from the descriptor. */
	compat_set_vma_from_desc(vma, desc);
	/* Complete any specified mmap actions. */
	return mmap_action_complete(vma, &desc->action, /*is_compat=*/true);
}
EXPORT_SYMBOL(__compat_vma_mmap);

'''

COMPAT_BODY_7_3 = '''int compat_vma_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vm_area_desc desc;
	struct mmap_action *action;
	int err;

	compat_set_desc_from_vma(&desc, file, vma);
	err = vfs_mmap_prepare(file, &desc);
	if (err)
		return err;
	action = &desc.action;

	/* being invoked from .mmmap means we don't have to enforce this. */
	action->hide_from_rmap_until_complete = false;

	return __compat_vma_mmap(&desc, vma);
}
'''

# The single function, in upstream's pre-split layout, on 7.3's API.
def single(prefix, fn_set_vma):
    return prefix + '''int compat_vma_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vm_area_desc desc = {
		.mm = vma->vm_mm,
		.file = file,
		.start = vma->vm_start,
		.end = vma->vm_end,

		.pgoff = vma_start_pgoff(vma),
		.vm_file = vma->vm_file,
		.vma_flags = vma->flags,
		.page_prot = vma->vm_page_prot,
		.vm_ops = vma->vm_ops,

		.action.type = MMAP_NOTHING, /* Default */
	};
	struct mmap_action *action = &desc.action;
	int err;

	err = vfs_mmap_prepare(file, &desc);
	if (err)
		return err;

	err = mmap_action_prepare(&desc);
	if (err)
		return err;

	/* being invoked from .mmmap means we don't have to enforce this. */
	action->hide_from_rmap_until_complete = false;

	''' + fn_set_vma + '''(vma, &desc);
	return mmap_action_complete(vma, action, /*is_compat=*/true);
}
'''

edit('mm/util.c', [
    (HELPERS_7_3, ''),
    (COMPAT_BODY_7_3, single('', 'set_vma_from_desc')),
])

# ---------------------------------------------------------------- include/linux/fs.h
edit('include/linux/fs.h', [(
    'void compat_set_desc_from_vma(struct vm_area_desc *desc, const struct file *file,\n'
    '\t\t\t      const struct vm_area_struct *vma);\n'
    'int __compat_vma_mmap(struct vm_area_desc *desc, struct vm_area_struct *vma);\n'
    'int compat_vma_mmap(struct file *file, struct vm_area_struct *vma);\n',
    'int compat_vma_mmap(struct file *file, struct vm_area_struct *vma);\n')])

# ---------------------------------------------------------------- mm/vma.h
edit('mm/vma.h', [(
    'static inline void compat_set_vma_from_desc(struct vm_area_struct *vma,\n'
    '\t\tstruct vm_area_desc *desc)\n{',
    'static inline void set_vma_from_desc(struct vm_area_struct *vma,\n'
    '\t\tstruct vm_area_desc *desc)\n{')])

# ---------------------------------------------------------------- vm_area_desc
DESC_7_3 = ('struct vm_area_desc {\n'
            '\t/* Immutable state. */\n'
            '\tstruct mm_struct *mm;\n'
            '\tstruct file *file; /* May vary from vm_file in stacked callers. */\n')
DESC_CONST = ('struct vm_area_desc {\n'
              '\t/* Immutable state. */\n'
              + ('\tconst struct mm_struct *const mm;\n' if const == 'upstream' else '\tstruct mm_struct *const mm;\n') +
              '\tstruct file *const file; /* May vary from vm_file in stacked callers. */\n')
if const != 'none':
    edit('include/linux/mm_types.h', [(DESC_7_3, DESC_CONST)])

# ---------------------------------------------------------------- dup.h
DUP_SET_DESC_7_3 = '''static inline void compat_set_desc_from_vma(struct vm_area_desc *desc,
			      const struct file *file,
			      const struct vm_area_struct *vma)
{
	memset(desc, 0, sizeof(*desc));

	desc->mm = vma->vm_mm;
	desc->file = (struct file *)file;
	desc->start = vma->vm_start;
	desc->end = vma->vm_end;

	desc->pgoff = vma->vm_pgoff;
	desc->vm_file = vma->vm_file;
	desc->vma_flags = vma->flags;
	desc->page_prot = vma->vm_page_prot;
	desc->vm_ops = vma->vm_ops;

	/* Default. */
	desc->action.type = MMAP_NOTHING;
}

'''
DUP_TAIL_7_3 = '''static inline int __compat_vma_mmap(struct vm_area_desc *desc,
		struct vm_area_struct *vma)
{
	int err;

	/* Perform any preparatory tasks for mmap action. */
	err = mmap_action_prepare(desc);
	if (err)
		return err;
	/* Update the VMA from the descriptor. */
	compat_set_vma_from_desc(vma, desc);
	/* Complete any specified mmap actions. */
	return mmap_action_complete(vma, &desc->action, /*is_compat=*/true);
}

static inline ''' + COMPAT_BODY_7_3

dup_pairs = [
    ('/* Declared in vma.h. */\n'
     'static inline void compat_set_vma_from_desc(struct vm_area_struct *vma,\n'
     '\t\tstruct vm_area_desc *desc);\n',
     '/* Declared in vma.h. */\n'
     'static inline void set_vma_from_desc(struct vm_area_struct *vma,\n'
     '\t\tstruct vm_area_desc *desc);\n'),
    (DUP_SET_DESC_7_3, ''),
    (DUP_TAIL_7_3, single('static inline ', 'set_vma_from_desc')),
]
if const != 'none':
    dup_pairs.append((DESC_7_3, DESC_CONST))
edit('tools/testing/vma/include/dup.h', dup_pairs)

for rel, text in pending.items():
    (tree / rel).write_text(text)
print('unhelper: compat_vma_mmap() is a single function again; vm_area_desc.mm/.file: '
      + {'top': 'read-only', 'upstream': "read-only, mm's target const (upstream)", 'none': 'left non-const'}[const])
