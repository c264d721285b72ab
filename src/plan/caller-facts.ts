// What is known of the VMA a dispatcher receives, for the equivalence
// checker's entry state. A dispatcher wired as file_operations.mmap gets a
// fresh VMA from __mmap_new_file_vma(). For the core dispatchers that call
// other hook fields this table gives the caller path, checked in the tree when
// its files are there: the caller must not write vm_private_data or vm_ops
// before the call. It stands in for call-path facts the index does not derive
// yet; anything not listed is unknown (the checker then proves nothing about
// vm_private_data on its compat path).
import { readSource } from '../kernel/tree.js';
import type { EntryFacts } from '../check/observe.js';

interface CallerFact {
	/** the caller's file and function, and the call in it */
	callers: Array<{ file: string; fn: string; call: RegExp }>;
	why: string;
}

const FACTS: Record<string, CallerFact> = {
	'kernfs_ops.mmap': {
		callers: [{ file: 'fs/kernfs/file.c', fn: 'kernfs_fop_mmap', call: /\bops->mmap\s*\(/ }],
		why: 'kernfs_ops.mmap is called only by kernfs_fop_mmap() (fs/kernfs/file.c), the f_op->mmap of kernfs files, before it touches vm_private_data or vm_ops',
	},
	'bin_attribute.mmap': {
		callers: [
			{ file: 'fs/sysfs/file.c', fn: 'sysfs_kf_bin_mmap', call: /\bbattr->mmap\s*\(/ },
			{ file: 'fs/kernfs/file.c', fn: 'kernfs_fop_mmap', call: /\bops->mmap\s*\(/ },
		],
		why: 'bin_attribute.mmap is called only by sysfs_kf_bin_mmap() (fs/sysfs/file.c), the kernfs_ops.mmap of sysfs binary files, from kernfs_fop_mmap() (fs/kernfs/file.c), f_op->mmap; neither touches vm_private_data or vm_ops before the call',
	},
};

/** The body of fn in a C text up to the first match of call (naive: kernel style, the name at the start of a line). */
function bodyBefore(src: string, fn: string, call: RegExp): string | undefined {
	const head = new RegExp(`^\\w[^\\n;]*\\b${fn}\\s*\\([^;{]*\\)\\s*\\{`, 'm').exec(src);
	if (!head) return undefined;
	const rest = src.slice(head.index + head[0].length);
	const end = rest.search(/^\}/m);
	const body = end < 0 ? rest : rest.slice(0, end);
	const at = body.search(call);
	return at < 0 ? undefined : body.slice(0, at);
}

/**
 * Entry facts for a dispatcher wired as struct.field, or undefined when
 * nothing is known (or the tree's caller no longer matches the fact).
 */
export function callerFacts(root: string, struct: string, field: string): EntryFacts | undefined {
	const fact = FACTS[`${struct}.${field}`];
	if (!fact) return undefined;
	let inTree = 0;
	for (const c of fact.callers) {
		let src: string | undefined;
		try {
			src = readSource(root, c.file);
		} catch {
			src = undefined;
		}
		if (src === undefined) continue;
		const before = bodyBefore(src, c.fn, c.call);
		if (before === undefined || /\bvm_private_data\b|\bvm_ops\s*=/.test(before)) return undefined;
		inTree++;
	}
	const checked = inTree === fact.callers.length ? 'checked in this tree' : inTree ? 'partly checked in this tree' : 'as in Linux 7.3; the callers are not in this tree';
	return { fresh: true, because: `${fact.why} (${checked})` };
}
