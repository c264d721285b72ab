// Mappings: the page table work of remap_pfn_range() (mm/memory.c:3334,
// do_remap_pfn_range()) and insert_pages() (memory.c:2559), done at once by
// an old hook and at the complete stage for an mmap_action. The k-th mapping
// of a path has the result `map#k` on both sides: the page table work itself
// (allocation of page tables, pfnmap tracking) is the same function of the
// same range, pfn and prot, so it fails or succeeds alike.
import type { State } from './state.js';
import { branch } from './state.js';
import { add, and, app, compare, sub, sym, truth, type Term } from './term.js';

export interface Range {
	start: Term;
	pfn: Term;
	size: Term;
	prot: Term;
	how?: 'pfn' | 'pages';
}

/** Record the mapping and return its result symbol. */
export function mapEvent(s: State, r: Range, line: number): Term {
	const k = s.trace.filter((e) => e.k === 'map').length;
	const result = sym(`map#${k}`);
	s.trace.push({ k: 'map', how: r.how ?? 'pfn', start: r.start, pfn: r.pfn, size: r.size, prot: r.prot, line, phase: s.phase, result });
	return result;
}

/**
 * __simple_ioremap_prep(vm_len, vm_pgoff, start_phys, size) (memory.c:3358):
 * -EINVAL unless the physical range, shifted by vm_pgoff pages, covers
 * vm_len; the pfn is (start_phys >> PAGE_SHIFT) + vm_pgoff. Shared by
 * vm_iomap_memory() and simple_ioremap_prepare(), so one atom decides both.
 */
export function simpleIoremapPrep(s: State, vmLen: Term, pgoff: Term, phys: Term, size: Term): Array<{ s: State; pfn?: Term }> {
	const ok = truth(app('__simple_ioremap_prep_ok', [vmLen, pgoff, phys, size]));
	return branch(s, ok).map(([s1, good]) => ({ s: s1, pfn: good ? add(app('>>', [phys, sym('PAGE_SHIFT')]), pgoff) : undefined }));
}

/** [start, end) within [lo, hi): range_is_subset() (mm.h:4680). */
export const rangeWithin = (lo: Term, hi: Term, start: Term, end: Term) => and(compare('<=', lo, start), compare('<=', end, hi));

export const span = (start: Term, end: Term) => sub(end, start);
