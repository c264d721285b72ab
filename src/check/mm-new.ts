// The 7.3 mm API a converted hook uses on its descriptor (line numbers:
// Debian linux-source-7.3 include/linux/mm.h unless stated):
//   vma_desc_size, vma_desc_pages                 :4514, :4519
//   vma_desc_test, _test_any[_mask], _test_all[_mask]   :1476-1512
//   vma_desc_set_flags[_mask], vma_desc_clear_flags[_mask]   :1516-1546
//   vma_desc_set_anonymous                        :1554
//   vma_desc_is_cow_mapping                       :2341 (vma_flags_is_cow_mapping :2313)
//   range_in_vma_desc                             :4716 (range_is_subset :4680)
//   is_shared_maywrite, is_nommu_shared_vma_flags :1632, :2360
//   vma_flags_to_page_prot                        :4728 (vm_get_page_prot of the legacy word)
//   mmap_action_remap[_full], mmap_action_ioremap[_full]   :4533-4590
//       the pgprot is desc->page_prot *when called*; WARN_ON_ONCE outside the VMA
//   mmap_action_simple_ioremap                    :4604 (page_prot and pgoff read at prepare)
//   mmap_action_map_kernel_pages[_full]           :4624, :4647
//   generic_file_mmap_prepare, generic_file_readonly_mmap_prepare   mm/filemap.c:4051, :4073
//   shmem_zero_setup_desc                         mm/shmem.c:5941
//   file_is_dax                                   include/linux/fs.h:3414
// The action is only recorded here; deferred.ts runs it after the hook.
import { maskBits } from './flags.js';
import { allBits, anyBit } from './flagops.js';
import { objOf, type Model, type ModelCall } from './model.js';
import { genericFileMmap, genericVmOps, isCow, shmemZeroSetup } from './mm-old.js';
import { rangeWithin } from './mapping.js';
import { branch, NotModelled, type Forks } from './state.js';
import { actionType } from './fields.js';
import { ZERO, add, app, clearBits, compare, neg, num, or, setBits, sub, sym, type Term } from './term.js';

const ret = (c: ModelCall, v: Term): Forks => [{ s: c.s, v }];

/** The flag word behind `&desc->vma_flags` (or `desc->vma_flags` by value). */
function flagWord(c: ModelCall, t: Term | undefined): Term | undefined {
	if (!t) return undefined;
	if (t.k === 'faddr' && t.field === 'flags' && c.s.obj(t.obj).kind !== 'cell') return c.s.get(t.obj, 'flags');
	if (t.k === 'flags') return t;
	return undefined;
}

function bitsOf(c: ModelCall, args: Term[]): string[] {
	const out: string[] = [];
	for (const a of args) {
		const b = maskBits(a, c.ctx.flags, c.ctx.usedFlags);
		if (!b) throw new NotModelled(`a flag argument that is not a constant VMA_*_BIT: ${a.key}`, c.line);
		out.push(...b);
	}
	return out;
}

const desc = (c: ModelCall) => objOf(c, c.args[0], 'desc');

/** mmap_action_remap(): record the request; page_prot is captured now. */
function remapAction(c: ModelCall, id: number, start: Term, pfn: Term, size: Term, type: string): Forks {
	const s = c.s;
	const lo = s.get(id, 'start');
	const hi = s.get(id, 'end');
	// WARN_ON_ONCE(start < desc->start || start >= desc->end); WARN_ON_ONCE(start + size > desc->end)
	return branch(s, or(compare('<', start, lo), compare('>=', start, hi), compare('>', add(start, size), hi))).map(([s1, bad]) => {
		if (bad) s1.emit({ k: 'warn', what: `${c.name}() outside the VMA (mm.h:4542)`, line: c.line, phase: s1.phase });
		s1.set(id, 'action.type', actionType(type));
		s1.set(id, 'action.remap.start', start);
		s1.set(id, 'action.remap.start_pfn', pfn);
		s1.set(id, 'action.remap.size', size);
		s1.set(id, 'action.remap.pgprot', s1.get(id, 'page_prot'));
		return { s: s1, v: ZERO };
	});
}

/**
 * mmap_action_remap(desc, start, pfn, size) / mmap_action_ioremap(...), or
 * their _full forms (desc, pfn): the range is the whole VMA.
 */
function remapModel(type: 'MMAP_REMAP_PFN' | 'MMAP_IO_REMAP_PFN', whole: boolean) {
	return (c: ModelCall) => {
		const id = desc(c);
		if (id === undefined || c.args.length !== (whole ? 2 : 4)) return undefined;
		return whole ? remapAction(c, id, c.s.get(id, 'start'), c.args[1]!, full(c, id), type) : remapAction(c, id, c.args[1]!, c.args[2]!, c.args[3]!, type);
	};
}

const full = (c: ModelCall, id: number) => sub(c.s.get(id, 'end'), c.s.get(id, 'start'));

function mapKernel(c: ModelCall, id: number, start: Term, pages: Term, nr: Term): Forks {
	const s = c.s;
	s.set(id, 'action.type', actionType('MMAP_MAP_KERNEL_PAGES'));
	s.set(id, 'action.map_kernel.start', start);
	s.set(id, 'action.map_kernel.pages', pages);
	s.set(id, 'action.map_kernel.nr_pages', nr);
	s.set(id, 'action.map_kernel.pgoff', s.get(id, 'pgoff'));
	return ret(c, ZERO);
}

const models: Array<[string, Model]> = [
	['vma_desc_size', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, full(c, id));
	}],
	['vma_desc_pages', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, app('>>', [full(c, id), sym('PAGE_SHIFT')]));
	}],
	['vma_desc_test', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, allBits(c.s.get(id, 'flags'), bitsOf(c, c.args.slice(1))));
	}],
	['vma_desc_test_any', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, anyBit(c.s.get(id, 'flags'), bitsOf(c, c.args.slice(1))));
	}],
	['vma_desc_test_all', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, allBits(c.s.get(id, 'flags'), bitsOf(c, c.args.slice(1))));
	}],
	['vma_desc_test_any_mask', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, anyBit(c.s.get(id, 'flags'), bitsOf(c, c.args.slice(1))));
	}],
	['vma_desc_test_all_mask', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, allBits(c.s.get(id, 'flags'), bitsOf(c, c.args.slice(1))));
	}],
	...['vma_desc_set_flags', 'vma_desc_set_flags_mask'].map((n): [string, Model] => [n, (c) => {
		const id = desc(c);
		if (id === undefined) return undefined;
		c.s.set(id, 'flags', setBits(c.s.get(id, 'flags'), bitsOf(c, c.args.slice(1))));
		return ret(c, ZERO);
	}]),
	...['vma_desc_clear_flags', 'vma_desc_clear_flags_mask'].map((n): [string, Model] => [n, (c) => {
		const id = desc(c);
		if (id === undefined) return undefined;
		c.s.set(id, 'flags', clearBits(c.s.get(id, 'flags'), bitsOf(c, c.args.slice(1))));
		return ret(c, ZERO);
	}]),
	['vma_desc_set_anonymous', (c) => {
		const id = desc(c);
		if (id === undefined) return undefined;
		c.s.set(id, 'vm_ops', ZERO);
		return ret(c, ZERO);
	}],
	['vma_desc_is_cow_mapping', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, isCow(c.s.get(id, 'flags')));
	}],
	['range_in_vma_desc', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : ret(c, rangeWithin(c.s.get(id, 'start'), c.s.get(id, 'end'), c.args[1]!, c.args[2]!));
	}],
	['is_shared_maywrite', (c) => {
		const f = flagWord(c, c.args[0]);
		return f ? ret(c, allBits(f, ['SHARED', 'MAYWRITE'])) : undefined;
	}],
	['is_nommu_shared_vma_flags', (c) => {
		const f = flagWord(c, c.args[0]);
		return f ? ret(c, anyBit(f, ['MAYSHARE', 'MAYOVERLAY'])) : undefined;
	}],
	...['vma_flags_test', 'vma_flags_test_all', 'vma_flags_test_all_mask'].map((n): [string, Model] => [n, (c) => {
		const f = flagWord(c, c.args[0]);
		return f ? ret(c, allBits(f, bitsOf(c, c.args.slice(1)))) : undefined;
	}]),
	...['vma_flags_test_any', 'vma_flags_test_any_mask'].map((n): [string, Model] => [n, (c) => {
		const f = flagWord(c, c.args[0]);
		return f ? ret(c, anyBit(f, bitsOf(c, c.args.slice(1)))) : undefined;
	}]),
	['vma_flags_to_legacy', (c) => {
		const f = flagWord(c, c.args[0]);
		return f ? ret(c, f) : undefined;
	}],
	['vma_flags_to_page_prot', (c) => {
		const f = flagWord(c, c.args[0]);
		return f ? ret(c, app('vm_get_page_prot', [f])) : undefined;
	}],
	['mk_vma_flags', (c) => ret(c, app('|', c.args))],
	['mmap_action_remap', remapModel('MMAP_REMAP_PFN', false)],
	['mmap_action_remap_full', remapModel('MMAP_REMAP_PFN', true)],
	['mmap_action_ioremap', remapModel('MMAP_IO_REMAP_PFN', false)],
	['mmap_action_ioremap_full', remapModel('MMAP_IO_REMAP_PFN', true)],
	['mmap_action_simple_ioremap', (c) => {
		const id = desc(c);
		if (id === undefined || c.args.length !== 3) return undefined;
		c.s.set(id, 'action.simple_ioremap.start_phys_addr', c.args[1]!);
		c.s.set(id, 'action.simple_ioremap.size', c.args[2]!);
		c.s.set(id, 'action.type', actionType('MMAP_SIMPLE_IO_REMAP'));
		return ret(c, ZERO);
	}],
	['mmap_action_map_kernel_pages', (c) => {
		const id = desc(c);
		if (id === undefined || c.args.length !== 4) return undefined;
		return mapKernel(c, id, c.args[1]!, c.args[2]!, c.args[3]!);
	}],
	['mmap_action_map_kernel_pages_full', (c) => {
		const id = desc(c);
		if (id === undefined || c.args.length !== 2) return undefined;
		return mapKernel(c, id, c.s.get(id, 'start'), c.args[1]!, app('>>', [full(c, id), sym('PAGE_SHIFT')]));
	}],
	['generic_file_mmap_prepare', (c) => {
		const id = desc(c);
		return id === undefined ? undefined : genericFileMmap(c, c.s.get(id, 'file'), (s) => s.set(id, 'vm_ops', genericVmOps));
	}],
	['generic_file_readonly_mmap_prepare', (c) => {
		const id = desc(c);
		if (id === undefined) return undefined;
		return branch(c.s, allBits(c.s.get(id, 'flags'), ['SHARED', 'MAYWRITE'])).flatMap(([s1, shw]) =>
			shw ? [{ s: s1, v: neg(sym('EINVAL')) }] : genericFileMmap({ ...c, s: s1 }, s1.get(id, 'file'), (s) => s.set(id, 'vm_ops', genericVmOps)),
		);
	}],
	['shmem_zero_setup_desc', (c) => {
		const id = desc(c);
		if (id === undefined) return undefined;
		const s = c.s;
		return shmemZeroSetup(c, s.get(id, 'start'), s.get(id, 'end'), s.get(id, 'flags'), (st, file) => {
			st.set(id, 'vm_file', file);
			st.set(id, 'vm_ops', app('&', [sym('shmem_anon_vm_ops')]));
		});
	}],
	['file_is_dax', (c) => ret(c, app('file_is_dax', [c.args[0]!, num(c.s.epoch)]))],
];

export const newModels = models;
