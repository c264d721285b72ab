// The compat shim an old-style hook uses to call a converted nested hook
// (Debian linux-source-7.3):
//   compat_set_desc_from_vma(desc, file, vma)  mm/util.c:1180: memset(desc, 0),
//       then mm, file (the argument), start, end, pgoff (vma_start_pgoff()),
//       vm_file, flags, page_prot and vm_ops from the VMA; action MMAP_NOTHING.
//       private_data stays NULL: the VMA's vm_private_data is not carried.
//   __compat_vma_mmap(desc, vma)               util.c:1224: mmap_action_prepare()
//       (its error returned), compat_set_vma_from_desc() (mm/vma.h:389: pgoff,
//       vm_file, flags, page_prot, vm_ops and vm_private_data written to the
//       VMA, the last unconditionally), then mmap_action_complete(is_compat):
//       error_override does not apply and nothing is unmapped.
import { actionComplete, actionPrepare } from './deferred.js';
import { ACTION_FIELDS } from './fields.js';
import { objOf, type Model } from './model.js';
import type { Forks } from './state.js';
import { ZERO } from './term.js';

const models: Array<[string, Model]> = [
	['compat_set_desc_from_vma', (c) => {
		const d = objOf(c, c.args[0], 'desc');
		const v = objOf(c, c.args[2], 'vma');
		if (d === undefined || v === undefined) return undefined;
		const s = c.s;
		for (const f of ACTION_FIELDS) s.set(d, f, ZERO);
		for (const f of ['mm', 'start', 'end', 'pgoff', 'vm_file', 'flags', 'page_prot', 'vm_ops']) s.set(d, f, s.get(v, f));
		s.set(d, 'file', c.args[1]!);
		s.set(d, 'private_data', ZERO);
		return [{ s, v: ZERO }];
	}],
	['__compat_vma_mmap', (c) => {
		const d = objOf(c, c.args[0], 'desc');
		const v = objOf(c, c.args[1], 'vma');
		if (d === undefined || v === undefined) return undefined;
		const out: Forks = [];
		for (const { s, err } of actionPrepare(c.ctx, c.s, d, c.line)) {
			if (err.key !== ZERO.key) {
				out.push({ s, v: err });
				continue;
			}
			for (const f of ['pgoff', 'vm_file', 'flags', 'page_prot', 'vm_ops', 'private_data']) s.set(v, f, s.get(d, f));
			const phase = s.phase;
			for (const r of actionComplete(c.ctx, s, v, d, true, c.invoke, c.line)) {
				r.s.phase = phase;
				out.push(r);
			}
		}
		return out;
	}],
];

export const compatModels = models;
