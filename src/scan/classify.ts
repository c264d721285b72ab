// The census's categories (shared/docs/census.md §0, §2) for a hook, from
// the facts the scan gathered on each function that takes a vma
// (src/scan-file.ts), with helpers of the same file or folder that receive
// the vma folded in, up to four levels deep:
//   a  trivial: vm_ops, flags, private_data, page_prot, pgoff, checks
//   b  one remap / ioremap / iomap / map_pages (alternatives in if/else or
//      switch arms, or after a `return`, count as one)
//   c  delegates the vma to a helper or a nested hook (struct field)
//   d  page-table work, loops, several remaps on one path
//   e  the vma escapes: stored, other fields, passed to an unknown function
// Precedence d > e > c > b > a. "pure" means no allocation, reference, list
// insertion or write to state other than the vma.
import { PAGE_TABLE, type CallFact, type FnFacts } from './file.js';

export type Category = 'a' | 'b' | 'c' | 'd' | 'e';

export interface Classification {
	category: Category;
	pure: boolean;
	/** every delegate the hook calls has a _prepare sibling in 7.3 (census "c_ready") */
	cReady: boolean;
	/** census "strictly convertible": a or b and pure, or c with only c_ready delegates */
	strict: boolean;
	/** the facts that decided the category, worst first */
	why: string[];
	sideEffects: string[];
	/** helpers folded in */
	inlined: string[];
}

/** Calls that keep a hook in category a. */
const ALLOWED = /^(vm_flags_(set|clear|mod|reset|reset_once)|vma_pages|vma_set_page_prot|vma_get_page_prot|vma_set_anonymous|vma_is_\w+|vma_kernel_pagesize|vma_mmu_pagesize|vma_(start|end|last)_pgoff|trace_\w+|pr_\w+|printk|dev_(dbg|info|warn|err|notice)\w*)$/;
/** One of these is a b hook: mmap_action_* expresses it. */
export const REMAP = new Set(['remap_pfn_range', 'io_remap_pfn_range', 'vm_iomap_memory', 'vm_map_pages', 'vm_map_pages_zero']);
/**
 * Helpers that map for the caller (never folded in, even from the same
 * folder): the compat shim, the DMA mapping API, vmalloc remapping. Any other
 * helper named *mmap* that is not defined nearby counts too.
 */
const DELEGATE = /^(remap_vmalloc_range\w*|shmem_zero_setup|vb2_mmap|ttm_bo_mmap_obj|rdma_user_mmap_io|compat_set_desc_from_vma|__compat_vma_mmap|dma_mmap_\w+)$/;
/** Macros that call an ops table's member: a nested hook (`call_memop(vb, mmap, ...)`). */
const OPS_CALL = /^call_\w*ops?$/;
/** Delegates with a _prepare sibling in 7.3. */
const C_READY = new Set(['generic_file_mmap', 'generic_file_readonly_mmap', 'shmem_zero_setup', 'vfs_mmap']);

const RANK: Record<Category, number> = { a: 0, b: 1, c: 2, e: 3, d: 4 };

export type FactsLookup = (name: string, fromFile: string) => (FnFacts & { file: string }) | undefined;

export interface ClassifyOptions {
	/** names of functions wired as hooks somewhere: calling one delegates to it (it is not folded in) */
	hooks?: Set<string>;
}

interface Remap {
	call: CallFact;
	arms: string[];
	/** which inlined invocation it belongs to (a `return` only ends its own function) */
	frame: number;
	where: string;
}

export function classify(hook: FnFacts & { file: string }, lookup: FactsLookup, opts: ClassifyOptions = {}): Classification {
	let rank = 0;
	const why: Array<[number, string]> = [];
	const sideEffects: string[] = [];
	const inlined: string[] = [];
	const remaps: Remap[] = [];
	const notes: string[] = [];
	let cReady = true;
	let delegates = 0;
	let frames = 0;
	const bump = (c: Category, reason: string) => {
		rank = Math.max(rank, RANK[c]);
		why.push([RANK[c], reason]);
	};
	const visit = (fn: FnFacts & { file: string }, loop: boolean, arms: string[], depth: number, stack: string[]) => {
		const frame = frames++;
		const at = (line: number) => `${fn.file}:${line}`;
		for (const e of fn.escapes) bump('e', `${fn.name}: ${e}`);
		sideEffects.push(...fn.sideEffects.map((s) => `${fn.name}: ${s}`));
		// Reported, not judged: its facts come from what tree-sitter recovered.
		if (fn.inError) notes.push(`${fn.name} is defined inside a region tree-sitter could not parse (${at(fn.line)}); its facts may be incomplete`);
		for (const c of fn.calls) {
			// A call whose value is returned runs at most once, loop or not.
			const inLoop = (loop || c.loop) && !c.returns;
			const where = `${c.callee}() at ${at(c.line)}`;
			if (c.via === 'name' && PAGE_TABLE.has(c.callee)) {
				bump('d', `page-table work: ${where}`);
				continue;
			}
			if (!c.vma) continue;
			if (c.via === 'name' && ALLOWED.test(c.callee)) continue;
			if (c.via === 'name' && REMAP.has(c.callee)) {
				if (inLoop) bump('d', `${where} in a loop`);
				else remaps.push({ call: c, arms: [...arms, ...c.arms], frame, where });
				continue;
			}
			if (c.via === 'vma-field') {
				bump('e', `calls through the vma: ${where}`);
				continue;
			}
			if (c.via === 'field') {
				bump(inLoop ? 'd' : 'c', `nested hook ->${c.callee}() at ${at(c.line)}${inLoop ? ' in a loop' : ''}`);
				cReady = false;
				delegates++;
				continue;
			}
			if (c.via === 'other') {
				bump('e', `passes the vma to ${c.callee} at ${at(c.line)}`);
				continue;
			}
			if (OPS_CALL.test(c.callee)) {
				bump(inLoop ? 'd' : 'c', `nested hook through ${where}`);
				cReady = false;
				delegates++;
				continue;
			}
			if (/open$/.test(c.callee)) {
				// A vm_ops open run at mmap time: per-mapping state (upstream's P20: vm_ops->mapped).
				bump('e', `runs an open callback with the vma: ${where}`);
				continue;
			}
			const isDelegate = DELEGATE.test(c.callee) || C_READY.has(c.callee) || (opts.hooks?.has(c.callee) && c.callee !== fn.name);
			const helper = !isDelegate && depth < 4 && !stack.includes(c.callee) ? lookup(c.callee, fn.file) : undefined;
			if (helper) {
				inlined.push(`${helper.name} (${helper.file}:${helper.line})`);
				visit(helper, inLoop, [...arms, ...c.arms], depth + 1, [...stack, c.callee]);
				continue;
			}
			if (isDelegate || c.callee.includes('mmap')) {
				bump(inLoop ? 'd' : 'c', `delegates to ${where}${inLoop ? ' in a loop' : ''}`);
				delegates++;
				if (!C_READY.has(c.callee)) cReady = false;
				continue;
			}
			bump('e', `passes the vma to ${where}`);
		}
	};
	visit(hook, false, [], 0, [hook.name]);
	// Several remaps: fine only if no two of them run on one path.
	const both = (x: Remap, y: Remap) => {
		for (const a of x.arms) {
			const key = a.slice(0, a.lastIndexOf(':'));
			if (y.arms.some((b) => b !== a && b.slice(0, b.lastIndexOf(':')) === key)) return false;
		}
		return !(x.frame === y.frame && x.call.returns);
	};
	let several: [Remap, Remap] | undefined;
	for (let i = 0; i < remaps.length && !several; i++) for (let j = i + 1; j < remaps.length && !several; j++) if (both(remaps[i]!, remaps[j]!)) several = [remaps[i]!, remaps[j]!];
	if (several) bump('d', `two remaps on one path: ${several[0].where}, ${several[1].where}`);
	else if (remaps.length) bump('b', `one remap: ${remaps[0]!.where}${remaps.length > 1 ? ` (${remaps.length - 1} alternative${remaps.length > 2 ? 's' : ''})` : ''}`);
	const category = (Object.keys(RANK) as Category[]).find((k) => RANK[k] === rank)!;
	const pure = sideEffects.length === 0;
	if (!delegates) cReady = false;
	return {
		category,
		pure,
		cReady,
		strict: ((category === 'a' || category === 'b') && pure) || (category === 'c' && cReady),
		why: [...notes, ...why.sort((x, y) => y[0] - x[0]).map((x) => x[1])],
		sideEffects,
		inlined,
	};
}
