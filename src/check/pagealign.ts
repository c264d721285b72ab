// PAGE_ALIGN(x), simplified when x is already a multiple of the page size
// (the VMA's bounds and sizes, PAGE_ALIGN() itself): remap_pfn_range() and the
// remap action both map PAGE_ALIGN(size) bytes (mm/memory.c
// remap_pfn_range_internal(), remap_pfn_range_track()).
import { aligned } from './cond.js';
import { app, type Term } from './term.js';

export function pageAlign(t: Term): Term {
	return aligned(t) ? t : app('PAGE_ALIGN', [t]);
}
