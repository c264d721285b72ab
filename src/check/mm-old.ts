// The 7.3 mm API an old-style hook uses on its VMA, each function as the
// tree defines it (line numbers: Debian linux-source-7.3):
//   vm_flags_set/clear/mod/reset   include/linux/mm.h:1014-1072
//   vma_pages, vma_start_pgoff     mm.h:4393, :4417
//   vma_get_page_prot              mm.h:4735 (vma_flags_to_page_prot(vma->flags): vm_get_page_prot of the word)
//   vma_set_anonymous, vma_is_anonymous   mm.h:1549, :1559
//   vma_is_shared_maywrite         mm.h:1637 (is_shared_maywrite: SHARED and MAYWRITE)
//   vma_is_dax                     include/linux/fs.h:3419 (file_is_dax(vma->vm_file))
//   is_nommu_shared_mapping        mm.h:2347 (MAYSHARE or MAYOVERLAY)
//   remap_pfn_range                mm/memory.c:3334 (remap_pfn_range_prepare_vma() :3311,
//                                  get_remap_pgoff() :3136, do_remap_pfn_range())
//   io_remap_pfn_range             mm.h:4815
//   vm_iomap_memory                memory.c:3425 (__simple_ioremap_prep() :3358)
//   vm_map_pages, vm_map_pages_zero, vm_insert_pages, vm_insert_page   memory.c:2740-2800, :2632, :2711
//   generic_file_mmap, generic_file_readonly_mmap   mm/filemap.c:4040, :4066
//   shmem_zero_setup               mm/shmem.c:5920
// A model applies only when its VMA argument is the modelled VMA; otherwise
// the call is uninterpreted.
import { maskBits } from './flags.js';
import { allBits, anyBit } from './flagops.js';
import { objOf, type Model, type ModelCall } from './model.js';
import { mapEvent, simpleIoremapPrep } from './mapping.js';
import { pageAlign } from './pagealign.js';
import { opaqueCall } from './opaque.js';
import { branch, type Forks } from './state.js';
import {
	ZERO, and, app, clearBits, compare, flagsTerm, hasBit, neg, not, num, or, setBits, sub, sym, add, type Term,
} from './term.js';

const ret = (c: ModelCall, v: Term): Forks => [{ s: c.s, v }];

/** flags | mask, with the mask's bits when it is a constant OR of fixed VM_ flags. */
export function orMask(c: ModelCall, f: Term, mask: Term): Term {
	const bits = maskBits(mask, c.ctx.flags, c.ctx.usedFlags);
	return bits ? setBits(f, bits) : flagsTerm(app('|', [f, mask]));
}
export function andNotMask(c: ModelCall, f: Term, mask: Term): Term {
	const bits = maskBits(mask, c.ctx.flags, c.ctx.usedFlags);
	return bits ? clearBits(f, bits) : flagsTerm(app('&~', [f, mask]));
}

/** is_cow_mapping: MAYWRITE without SHARED (mm.h:2313). */
export const isCow = (f: Term) => and(hasBit(f, 'MAYWRITE'), not(hasBit(f, 'SHARED')));

/** The bits remap_pfn_range_prepare{,_vma}() set: VMA_REMAP_FLAGS (mm.h:610). */
export const REMAP_BITS = ['IO', 'PFNMAP', 'DONTEXPAND', 'DONTDUMP'];

/**
 * remap_pfn_range(vma, addr, pfn, size, prot) on the VMA now:
 * remap_pfn_range_prepare_vma(): for a CoW mapping the range must be the
 * whole VMA (else -EINVAL) and vm_pgoff becomes pfn; VMA_REMAP_FLAGS are set;
 * then the page tables for PAGE_ALIGN(size) bytes from addr, whose result is
 * the mapping's own.
 */
export function remapNow(c: ModelCall, id: number, addr: Term, pfn: Term, size: Term, prot: Term): Forks {
	const s = c.s;
	const end = add(addr, pageAlign(size));
	return branch(s, isCow(s.get(id, 'flags'))).flatMap(([s1, cow]) => {
		const go = (st: typeof s1): Forks => {
			st.set(id, 'flags', setBits(st.get(id, 'flags'), REMAP_BITS));
			return [{ s: st, v: mapEvent(st, { start: addr, pfn, size: pageAlign(size), prot }, c.line) }];
		};
		if (!cow) return go(s1);
		const partial = or(compare('!=', addr, s1.get(id, 'start')), compare('!=', end, s1.get(id, 'end')));
		return branch(s1, partial).flatMap(([s2, bad]) => {
			if (bad) return [{ s: s2, v: neg(sym('EINVAL')) }];
			s2.set(id, 'pgoff', pfn);
			return go(s2);
		});
	});
}

const ioPfn = (pfn: Term, size: Term) => app('io_remap_pfn_range_pfn', [pfn, size]);
const decrypted = (prot: Term) => app('pgprot_decrypted', [prot]);

/** __vm_map_pages(): -ENXIO unless offset < num and the VMA fits; then vm_insert_pages() from vm_start. */
function mapPages(c: ModelCall, id: number, pages: Term, n: Term, offset: Term): Forks {
	const s = c.s;
	const count = app('>>', [sub(s.get(id, 'end'), s.get(id, 'start')), sym('PAGE_SHIFT')]);
	const fits = and(compare('<', offset, n), compare('<=', count, sub(n, offset)));
	return branch(s, fits).flatMap(([s1, ok]) => {
		if (!ok) return [{ s: s1, v: neg(sym('ENXIO')) }];
		s1.set(id, 'flags', setBits(s1.get(id, 'flags'), ['MIXEDMAP']));
		const size = app('<<', [count, sym('PAGE_SHIFT')]);
		return [{ s: s1, v: mapEvent(s1, { start: s1.get(id, 'start'), pfn: add(pages, offset), size, prot: s1.get(id, 'page_prot'), how: 'pages' }, c.line) }];
	});
}

const models: Array<[string, Model]> = [
	['vm_flags_set', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		c.s.set(id, 'flags', orMask(c, c.s.get(id, 'flags'), c.args[1]!));
		return ret(c, ZERO);
	}],
	['vm_flags_clear', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		c.s.set(id, 'flags', andNotMask(c, c.s.get(id, 'flags'), c.args[1]!));
		return ret(c, ZERO);
	}],
	['vm_flags_mod', (c) => {
		// __vm_flags_mod(): (vm_flags | set) & ~clear
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		c.s.set(id, 'flags', andNotMask(c, orMask(c, c.s.get(id, 'flags'), c.args[1]!), c.args[2]!));
		return ret(c, ZERO);
	}],
	...['vm_flags_reset', 'vm_flags_init', 'vm_flags_reset_once'].map((n): [string, Model] => [n, (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		const v = c.args[1]!;
		c.s.set(id, 'flags', v.k === 'flags' ? v : flagsTerm(v));
		return ret(c, ZERO);
	}]),
	['vma_pages', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		return ret(c, app('>>', [sub(c.s.get(id, 'end'), c.s.get(id, 'start')), sym('PAGE_SHIFT')]));
	}],
	['vma_start_pgoff', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		return id === undefined ? undefined : ret(c, c.s.get(id, 'pgoff'));
	}],
	['vma_set_anonymous', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		c.s.set(id, 'vm_ops', ZERO);
		return ret(c, ZERO);
	}],
	['vma_is_anonymous', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		return id === undefined ? undefined : ret(c, compare('==', c.s.get(id, 'vm_ops'), ZERO));
	}],
	['vma_is_shared_maywrite', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		return id === undefined ? undefined : ret(c, allBits(c.s.get(id, 'flags'), ['SHARED', 'MAYWRITE']));
	}],
	['vma_is_dax', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		return id === undefined ? undefined : ret(c, app('file_is_dax', [c.s.get(id, 'vm_file'), num(c.s.epoch)]));
	}],
	['is_nommu_shared_mapping', (c) => (c.args[0]?.k === 'flags' ? ret(c, anyBit(c.args[0], ['MAYSHARE', 'MAYOVERLAY'])) : undefined)],
	['vm_get_page_prot', (c) => (c.args[0]?.k === 'flags' ? ret(c, app('vm_get_page_prot', [c.args[0]])) : undefined)],
	['vma_get_page_prot', (c) => {
		// the VMA's flags as they are at the call, not as they were at entry
		const id = objOf(c, c.args[0], 'vma');
		return id === undefined ? undefined : ret(c, app('vm_get_page_prot', [c.s.get(id, 'flags')]));
	}],
	['vma_set_file', (c) => {
		// get_file(file); swap(vma->vm_file, file); fput(file) (mm/util.c): the reference moves with the field
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		c.s.set(id, 'vm_file', c.args[1]!);
		return ret(c, ZERO);
	}],
	['remap_pfn_range', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined || c.args.length !== 5) return undefined;
		return remapNow(c, id, c.args[1]!, c.args[2]!, c.args[3]!, c.args[4]!);
	}],
	['io_remap_pfn_range', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined || c.args.length !== 5) return undefined;
		const [, addr, pfn, size, prot] = c.args as [Term, Term, Term, Term, Term];
		return remapNow(c, id, addr, ioPfn(pfn, size), size, decrypted(prot));
	}],
	['vm_iomap_memory', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined || c.args.length !== 3) return undefined;
		const s = c.s;
		const vmLen = sub(s.get(id, 'end'), s.get(id, 'start'));
		return simpleIoremapPrep(s, vmLen, s.get(id, 'pgoff'), c.args[1]!, c.args[2]!).flatMap(({ s: s1, pfn }) => {
			if (!pfn) return [{ s: s1, v: neg(sym('EINVAL')) }];
			return remapNow({ ...c, s: s1 }, id, s1.get(id, 'start'), ioPfn(pfn, vmLen), vmLen, decrypted(s1.get(id, 'page_prot')));
		});
	}],
	['vm_map_pages', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		return id === undefined ? undefined : mapPages(c, id, c.args[1]!, c.args[2]!, c.s.get(id, 'pgoff'));
	}],
	['vm_map_pages_zero', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		return id === undefined ? undefined : mapPages(c, id, c.args[1]!, c.args[2]!, ZERO);
	}],
	['generic_file_mmap', (c) => {
		const id = objOf(c, c.args[1], 'vma');
		return id === undefined ? undefined : genericFileMmap(c, c.args[0]!, (s) => s.set(id, 'vm_ops', genericVmOps));
	}],
	['generic_file_readonly_mmap', (c) => {
		const id = objOf(c, c.args[1], 'vma');
		if (id === undefined) return undefined;
		return branch(c.s, allBits(c.s.get(id, 'flags'), ['SHARED', 'MAYWRITE'])).flatMap(([s1, shw]) =>
			shw ? [{ s: s1, v: neg(sym('EINVAL')) }] : genericFileMmap({ ...c, s: s1 }, c.args[0]!, (s) => s.set(id, 'vm_ops', genericVmOps)),
		);
	}],
	['shmem_zero_setup', (c) => {
		const id = objOf(c, c.args[0], 'vma');
		if (id === undefined) return undefined;
		const s = c.s;
		return shmemZeroSetup(c, s.get(id, 'start'), s.get(id, 'end'), s.get(id, 'flags'), (st, file) => {
			st.set(id, 'vm_file', file);
			st.set(id, 'vm_ops', app('&', [sym('shmem_anon_vm_ops')]));
		});
	}],
];

export const genericVmOps = app('&', [sym('generic_file_vm_ops')]);

/**
 * generic_file_mmap{,_prepare}() (mm/filemap.c:4040/4051, CONFIG_MMU): -ENOEXEC
 * without ->read_folio, else file_accessed() and vm_ops = &generic_file_vm_ops.
 */
export function genericFileMmap(c: ModelCall, file: Term, setOps: (s: ModelCall['s']) => void): Forks {
	c.ctx.assumptions.add('CONFIG_MMU: generic_file_mmap{,_prepare}() are the CONFIG_MMU versions (mm/filemap.c:4040)');
	const s = c.s;
	const mapping = app('->f_mapping', [file, num(s.epoch)]);
	const readFolio = app('->read_folio', [app('->a_ops', [mapping, num(s.epoch)]), num(s.epoch)]);
	return branch(s, compare('==', readFolio, ZERO)).flatMap(([s1, none]) => {
		if (none) return [{ s: s1, v: neg(sym('ENOEXEC')) }];
		const r = opaqueCall(s1, 'file_accessed', [file], c.line, 'updates the access time (generic_file_mmap)');
		return r.map(({ s: s2 }) => {
			setOps(s2);
			return { s: s2, v: ZERO };
		});
	});
}

/**
 * shmem_zero_setup{,_desc}() (mm/shmem.c:5920/5941): __shmem_zero_setup(start,
 * end, flags) makes the file (an event: it allocates); on error its PTR_ERR,
 * else vm_file = the file (the old one's reference dropped) and vm_ops =
 * &shmem_anon_vm_ops.
 */
export function shmemZeroSetup(c: ModelCall, start: Term, end: Term, flags: Term, set: (s: ModelCall['s'], file: Term) => void): Forks {
	const [r] = opaqueCall(c.s, '__shmem_zero_setup', [start, end, flags], c.line, 'creates the shared anonymous file the new mapping owns (released by the core if the mmap fails: mm/vma.c __mmap_region abort path)');
	const file = r!.v;
	return branch(r!.s, app('IS_ERR', [file])).map(([s1, err]) => {
		if (err) return { s: s1, v: app('PTR_ERR', [file]) };
		set(s1, file);
		return { s: s1, v: ZERO };
	});
}

export const oldModels = models;
