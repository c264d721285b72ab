// Known deliberate customisations of dup.h, and the per-tree override file.
//
// Both use one line format:
//
//     # comment
//     <verdict> <item> <reason...>
//
// verdict `custom`: the item is a deliberate test simplification; when it
//   differs from the kernel it is reported as custom (with the reason), not as
//   stale drift.
// verdict `drift`: the item must match the kernel; a built-in `custom` entry
//   or a `testing:` comment in dup.h is not enough to excuse a difference.
//
// <item> is the name shown in the report (`anon-enum(FIRST)` for anonymous
// enums); an entry applies to every item of that name (all #if branches).
// Later entries win: the tree's file overrides the built-in list.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type OverrideVerdict = 'custom' | 'drift';

export interface OverrideEntry {
	verdict: OverrideVerdict;
	name: string;
	reason: string;
	/** `builtin` or `path:line` */
	source: string;
}

export type Overrides = Map<string, OverrideEntry>;

/** The tree's own override file, relative to the tree root. */
export const TREE_OVERRIDE_FILE = 'tools/testing/vma/dup-sync.conf';

/**
 * Deliberate test simplifications found in Linux 7.2 and 7.3 (see
 * docs/dup-sync.md and the kernel-api notes §5.3).  Keep the reasons short:
 * they are printed in the report.
 */
export const BUILTIN_CUSTOMISATIONS = `
custom pgprot_modify          userland: ORs the two protections instead of the arch mask logic
custom vm_get_page_prot       userland: the protection is the flags themselves (no protection_map)
custom vma_init               tests need vm_lock_seq set; no vma_lock_init/vma_numab_state_init
custom vma_set_page_prot      inlines vm_pgprot_modify() to avoid a clash with mm/vma.h
custom DEFINE_MUTEX           userland mutex: zero initialiser
custom TASK_SIZE_LOW          fixed to DEFAULT_MAP_WINDOW (no per-task 32/64-bit choice)
custom TASK_SIZE_MAX          fixed to DEFAULT_MAP_WINDOW (asm-generic uses the arch TASK_SIZE)
custom vma_flags_clear_all    goes through ACCESS_PRIVATE(): userland vma_flags_t is __private
custom vma_flags_set_flag     goes through ACCESS_PRIVATE(): userland vma_flags_t is __private
custom anon-enum(READ_IMPLIES_EXEC)  subset of the uapi personality enum: only the bit the tests use
`;

export function parseOverrides(text: string, source: string, into: Overrides = new Map()): Overrides {
	const lines = text.split('\n');
	for (const [i, raw] of lines.entries()) {
		const line = raw.replace(/(^|\s)#.*$/, '').trim();
		if (!line) continue;
		const m = /^(custom|drift)\s+(\S+)\s*(.*)$/.exec(line);
		if (!m) throw new Error(`${source}:${i + 1}: expected "custom|drift <item> <reason>", got "${raw.trim()}"`);
		into.set(m[2]!, { verdict: m[1] as OverrideVerdict, name: m[2]!, reason: m[3]!.trim(), source: source === 'builtin' ? 'builtin' : `${source}:${i + 1}` });
	}
	return into;
}

/**
 * The overrides in force for a tree: the built-in list, then the tree's
 * tools/testing/vma/dup-sync.conf if present, then an explicit file.
 */
export function loadOverrides(root: string, extraFile?: string, opts: { builtin?: boolean } = {}): { overrides: Overrides; files: string[] } {
	const overrides: Overrides = new Map();
	const files: string[] = [];
	if (opts.builtin !== false) parseOverrides(BUILTIN_CUSTOMISATIONS, 'builtin', overrides);
	const treeFile = path.join(root, TREE_OVERRIDE_FILE);
	if (fs.existsSync(treeFile)) {
		parseOverrides(fs.readFileSync(treeFile, 'utf8'), TREE_OVERRIDE_FILE, overrides);
		files.push(TREE_OVERRIDE_FILE);
	}
	if (extraFile) {
		parseOverrides(fs.readFileSync(extraFile, 'utf8'), extraFile, overrides);
		files.push(extraFile);
	}
	return { overrides, files };
}
