// What the core does with a descriptor after mmap_prepare returns 0 (Debian
// linux-source-7.3):
//   mmap_action_prepare()      mm/util.c:1440: check_mmap_action() (:1423: a
//       non-zero error_override must be an error value, else -EINVAL), then
//       remap_pfn_range_prepare() (mm/memory.c:3284: -EFAULT outside the VMA,
//       -EINVAL for a partial CoW range, CoW pgoff = pfn, VMA_REMAP_FLAGS),
//       io_remap_pfn_range_prepare() (mm/internal.h:1525: arch pfn and
//       pgprot_decrypted(), then as a remap), simple_ioremap_prepare()
//       (memory.c:3392: __simple_ioremap_prep(), then a full ioremap whose
//       pgprot is desc->page_prot *now*), map_kernel_pages_prepare()
//       (memory.c:2650: MIXEDMAP, -EFAULT outside the VMA). Its errors are
//       returned as they are, on both paths.
//   the mmap path              mm/vma.c:2801 call_mmap_prepare() copies
//       pgoff, vm_file, flags, page_prot, vm_ops, private_data; :2830
//       set_vma_user_defined_fields() (vm_ops NULL: anonymous); in a merge
//       (vma_merge_new_range()) no action and no ->mapped run: an action's
//       VMA_REMAP_FLAGS/MIXEDMAP are VMA_SPECIAL_FLAGS, which never merge.
//   mmap_action_complete()     util.c:1478: remap_pfn_range_complete()
//       (memory.c:3347: the page tables, with the pgprot captured above),
//       map_kernel_pages_complete() (:2671: insert_pages() with the VMA's
//       page_prot); then mmap_action_finish() (:1392): call_vma_mapped()
//       (:1373: vm_ops->mapped(start, end, pgoff, vm_file, &private_data),
//       private_data written back when changed) when nothing failed; an error
//       on the mmap path unmaps the VMA (do_munmap(): vm_ops->close runs) and
//       returns error_override ?: err; on the compat path (is_compat) the
//       error is returned unchanged.
import type { Ctx } from './context.js';
import { actionType, MMAP_NOTHING } from './fields.js';
import { isCow, REMAP_BITS } from './mm-old.js';
import { mapEvent, rangeWithin, simpleIoremapPrep } from './mapping.js';
import { pageAlign } from './pagealign.js';
import { opaqueCall } from './opaque.js';
import { vmOpsInitialiser } from './source.js';
import { branch, type Forks, type State } from './state.js';
import { ZERO, add, and, app, compare, hasBit, mul, neg, not, num, or, setBits, show, sub, sym, truth, type Term } from './term.js';

export type Invoke = (fn: string, s: State, args: Term[]) => Forks;

const isType = (t: Term, name: string) => t.key === actionType(name).key;
const EINVAL = neg(sym('EINVAL'));
const EFAULT = neg(sym('EFAULT'));

/** IS_ERR_VALUE(x): -4095 <= x < 0 taken as an unsigned long. */
function isErrValue(x: Term): Term {
	return and(compare('<', x, ZERO), compare('>=', x, num(-4095)));
}

/** mmap_action_prepare(desc): forks with the error (0 on success); the descriptor is updated in place. */
export function actionPrepare(ctx: Ctx, s0: State, id: number, line: number): Array<{ s: State; err: Term }> {
	const phase = s0.phase;
	s0.phase = 'action-prepare';
	const ov = s0.get(id, 'action.error_override');
	const out: Array<{ s: State; err: Term }> = [];
	for (const [s, bad] of branch(s0, and(compare('!=', ov, ZERO), not(isErrValue(ov))))) {
		if (bad) {
			s.emit({ k: 'warn', what: 'check_mmap_action(): error_override is not an error value (mm/util.c:1428)', line, phase: s.phase });
			out.push({ s, err: EINVAL });
			continue;
		}
		const type = s.get(id, 'action.type');
		if (isType(type, 'MMAP_NOTHING')) out.push({ s, err: ZERO });
		else if (isType(type, 'MMAP_REMAP_PFN')) out.push(...remapPrepare(s, id));
		else if (isType(type, 'MMAP_IO_REMAP_PFN')) out.push(...ioRemapPrepare(s, id));
		else if (isType(type, 'MMAP_SIMPLE_IO_REMAP')) {
			ctx.assumptions.add('CONFIG_MMU: mapping actions need an MMU (mm/util.c:1504: without one they are a WARN and -EINVAL)');
			const size = sub(s.get(id, 'end'), s.get(id, 'start'));
			for (const { s: s1, pfn } of simpleIoremapPrep(s, size, s.get(id, 'pgoff'), s.get(id, 'action.simple_ioremap.start_phys_addr'), s.get(id, 'action.simple_ioremap.size'))) {
				if (!pfn) {
					out.push({ s: s1, err: EINVAL });
					continue;
				}
				// mmap_action_ioremap_full(desc, pfn): the pgprot is desc->page_prot at this point
				s1.set(id, 'action.type', actionType('MMAP_IO_REMAP_PFN'));
				s1.set(id, 'action.remap.start', s1.get(id, 'start'));
				s1.set(id, 'action.remap.start_pfn', pfn);
				s1.set(id, 'action.remap.size', size);
				s1.set(id, 'action.remap.pgprot', s1.get(id, 'page_prot'));
				out.push(...ioRemapPrepare(s1, id));
			}
		} else if (isType(type, 'MMAP_MAP_KERNEL_PAGES')) out.push(...mapKernelPrepare(s, id));
		// the descriptor went to a call the checker does not model: what the core
		// does with it is an uninterpreted event of its own
		else for (const r of opaqueCall(s, 'mmap_action_prepare() of an action set by an uninterpreted call', [type], line)) out.push({ s: r.s, err: r.v });
	}
	for (const o of out) o.s.phase = phase;
	if (out.some((o) => !isType(o.s.get(id, 'action.type'), 'MMAP_NOTHING')))
		ctx.assumptions.add('CONFIG_MMU: mapping actions need an MMU (mm/util.c:1504: without one they are a WARN and -EINVAL)');
	return out;
}

/** remap_pfn_range_prepare() (memory.c:3284). */
function remapPrepare(s0: State, id: number): Array<{ s: State; err: Term }> {
	const start = s0.get(id, 'action.remap.start');
	const size = s0.get(id, 'action.remap.size');
	const pfn = s0.get(id, 'action.remap.start_pfn');
	const end = add(start, size);
	const out: Array<{ s: State; err: Term }> = [];
	for (const [s, inside] of branch(s0, rangeWithin(s0.get(id, 'start'), s0.get(id, 'end'), start, end))) {
		if (!inside) {
			out.push({ s, err: EFAULT });
			continue;
		}
		for (const [s1, cow] of branch(s, isCow(s.get(id, 'flags')))) {
			const done = (st: State) => {
				st.set(id, 'flags', setBits(st.get(id, 'flags'), REMAP_BITS));
				out.push({ s: st, err: ZERO });
			};
			if (!cow) {
				done(s1);
				continue;
			}
			// get_remap_pgoff(): end here is start + size, not page-aligned
			for (const [s2, partial] of branch(s1, or(compare('!=', start, s1.get(id, 'start')), compare('!=', end, s1.get(id, 'end'))))) {
				if (partial) out.push({ s: s2, err: EINVAL });
				else {
					s2.set(id, 'pgoff', pfn);
					done(s2);
				}
			}
		}
	}
	return out;
}

/** io_remap_pfn_range_prepare() (mm/internal.h:1525). */
function ioRemapPrepare(s: State, id: number): Array<{ s: State; err: Term }> {
	const pfn = s.get(id, 'action.remap.start_pfn');
	const size = s.get(id, 'action.remap.size');
	s.set(id, 'action.remap.start_pfn', app('io_remap_pfn_range_pfn', [pfn, size]));
	s.set(id, 'action.remap.pgprot', app('pgprot_decrypted', [s.get(id, 'action.remap.pgprot')]));
	return remapPrepare(s, id).map((r) => {
		if (r.err.key === ZERO.key) r.s.set(id, 'action.type', actionType('MMAP_REMAP_PFN'));
		return r;
	});
}

/** map_kernel_pages_prepare() (memory.c:2650). */
function mapKernelPrepare(s: State, id: number): Array<{ s: State; err: Term }> {
	if (hasBit(s.get(id, 'flags'), 'MIXEDMAP').key !== '1') s.set(id, 'flags', setBits(s.get(id, 'flags'), ['MIXEDMAP']));
	const start = s.get(id, 'action.map_kernel.start');
	const end = add(start, mul(sym('PAGE_SIZE'), s.get(id, 'action.map_kernel.nr_pages')));
	return branch(s, rangeWithin(s.get(id, 'start'), s.get(id, 'end'), start, end)).map(([s1, ok]) => ({ s: s1, err: ok ? ZERO : EFAULT }));
}

/**
 * mmap_action_complete(vma, &desc->action, is_compat) and
 * mmap_action_finish(): forks with the value returned to the caller.
 */
export function actionComplete(ctx: Ctx, s0: State, vma: number, desc: number, isCompat: boolean, invoke: Invoke, line: number): Forks {
	s0.phase = 'complete';
	const type = s0.get(desc, 'action.type');
	let results: Forks;
	if (isType(type, 'MMAP_NOTHING')) results = [{ s: s0, v: ZERO }];
	else if (isType(type, 'MMAP_REMAP_PFN'))
		results = [{
			s: s0,
			v: mapEvent(s0, {
				start: s0.get(desc, 'action.remap.start'),
				pfn: s0.get(desc, 'action.remap.start_pfn'),
				size: pageAlign(s0.get(desc, 'action.remap.size')),
				prot: s0.get(desc, 'action.remap.pgprot'),
			}, line),
		}];
	else if (isType(type, 'MMAP_MAP_KERNEL_PAGES')) {
		const nr = s0.get(desc, 'action.map_kernel.nr_pages');
		results = [{
			s: s0,
			v: mapEvent(s0, {
				how: 'pages',
				start: s0.get(desc, 'action.map_kernel.start'),
				pfn: s0.get(desc, 'action.map_kernel.pages'),
				size: app('<<', [nr, sym('PAGE_SHIFT')]),
				prot: s0.get(vma, 'page_prot'),
			}, line),
		}];
	} else {
		s0.emit({ k: 'warn', what: 'mmap_action_complete(): an action that should have been delegated (mm/util.c:1490)', line, phase: s0.phase });
		results = [{ s: s0, v: EINVAL }];
	}
	return results.flatMap(({ s, v }) => finish(ctx, s, vma, desc, v, isCompat, invoke, line));
}

function finish(ctx: Ctx, s0: State, vma: number, desc: number, err0: Term, isCompat: boolean, invoke: Invoke, line: number): Forks {
	const ops = vmOps(ctx, s0.get(vma, 'vm_ops'));
	const withMapped: Forks = branch(s0, truth(err0)).flatMap(([s, failed]) => {
		if (failed || !ops.mapped) return [{ s, v: err0 }];
		s.phase = 'mapped';
		return invoke(ops.mapped, s, [s.get(vma, 'start'), s.get(vma, 'end'), s.get(vma, 'pgoff'), s.get(vma, 'vm_file'), { k: 'faddr', obj: vma, field: 'private_data', key: `&obj#${vma}.private_data` }]);
	});
	return withMapped.flatMap(({ s, v: err }) =>
		branch(s, truth(err)).flatMap(([s1, failed]) => {
			s1.phase = 'complete';
			if (!failed || isCompat) return [{ s: s1, v: err }];
			// do_munmap() of the new VMA: its vm_ops->close runs
			if (ops.close) opaqueCall(s1, ops.close === 'unknown' ? `${ops.name}->close (if it has one)` : `${ops.close} (vm_ops->close from do_munmap())`, [], line);
			const ov = s1.get(desc, 'action.error_override');
			return branch(s1, truth(ov)).map(([s2, has]) => ({ s: s2, v: has ? ov : err }));
		}),
	);
}

/**
 * What a vm_ops value has of .mapped and .close: a function name, 'unknown',
 * or nothing. One the checker cannot see (defined in another file, read from
 * memory, the caller's) is taken to have no .mapped, an assumption it lists:
 * the old hook installed it from .mmap, where ->mapped never runs (mm.h:819).
 */
function vmOps(ctx: Ctx, t: Term): { name: string; mapped?: string; close?: string } {
	if (t.k === 'num' && t.v === 0n) return { name: 'NULL' };
	const target = t.k === 'app' && t.f === '&' && t.args[0]?.k === 'sym' ? t.args[0].name : undefined;
	if (target === 'vma_dummy_vm_ops') return { name: target };
	// Kernel ones the converted hooks install (mm/filemap.c generic_file_vm_ops and
	// mm/shmem.c shmem_anon_vm_ops have neither .mapped nor .close).
	if (target === 'generic_file_vm_ops' || target === 'shmem_anon_vm_ops') return { name: target };
	const init = target ? vmOpsInitialiser(ctx.units, target) : undefined;
	const name = target ?? show(t);
	if (!init) {
		ctx.assumptions.add(`vm_ops ${name} has no .mapped (it is not defined in the files checked; an old .mmap hook installs it, and ->mapped never runs from .mmap: mm.h:819)`);
		return { name, close: 'unknown' };
	}
	return { name, mapped: init.get('mapped'), close: init.get('close') };
}

export { MMAP_NOTHING };
