// P18/P19/P23: vma helpers that have a descriptor form in 7.x.
//   vma_set_anonymous(vma) -> vma_desc_set_anonymous(desc)
//   shmem_zero_setup(vma)  -> shmem_zero_setup_desc(desc)
//   vma_is_dax(vma)        -> file_is_dax(desc->vm_file)  (vma_is_dax() looks at vm_file)
import { callArgs, callee, isVma, type Rule } from '../../src/rewrite/rule.js';
import type { KernelApi } from '../../src/kernel/tree.js';

const MAP: Record<string, { to: () => string; have: (api: KernelApi) => boolean; id: string }> = {
	vma_set_anonymous: { to: () => 'vma_desc_set_anonymous(desc)', have: () => true, id: 'P18' },
	shmem_zero_setup: { to: () => 'shmem_zero_setup_desc(desc)', have: (a) => a.shmemZeroSetupDesc, id: 'P19' },
	vma_is_dax: { to: () => 'file_is_dax(desc->vm_file)', have: (a) => a.fileIsDax, id: 'P23' },
};

export const descHelpers: Rule = {
	id: 'P18/P19/P23',
	requires: ['shmemZeroSetupDesc', 'fileIsDax'],
	reports: {
		P18: 'uses vma_desc_set_anonymous() instead of vma_set_anonymous()',
		P19: 'uses shmem_zero_setup_desc() instead of shmem_zero_setup()',
		P23: 'checks file_is_dax() instead of vma_is_dax()',
	},
	rewrite(node, ctx) {
		const name = callee(node);
		const m = name ? MAP[name] : undefined;
		if (!m) return undefined;
		const args = callArgs(node);
		if (args.length !== 1 || !isVma(args[0]!, ctx)) return undefined;
		if (!m.have(ctx.api)) ctx.refuse(node, 'api-missing', `this tree has no descriptor form of ${name}()`);
		ctx.used.add(m.id);
		return m.to();
	},
};
