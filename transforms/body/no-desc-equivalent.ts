// Refusals with a precise reason for vma helpers that have no vm_area_desc form
// in 7.x (kernel-api.md §1.7). Without this rule the engine would still refuse
// them, but only as "vma used in a way that has no equivalent".
import { callArgs, callee, isVma, type Rule } from '../../src/rewrite/rule.js';
import type { RefusalCode } from '../../src/rewrite/refusals.js';

const NONE: Array<[RegExp, RefusalCode, string]> = [
	[/^dma_mmap_\w+$/, 'dma-mmap-no-desc', 'has no vm_area_desc equivalent'],
	[/^remap_vmalloc_range(_partial)?$/, 'vmalloc-range-no-desc', 'has no vm_area_desc equivalent'],
	[/^vm_insert_(page|pages|pfn|pfn_prot|mixed)$|^vmf_insert_\w+$/, 'per-page-insert', 'inserts pages one by one; a descriptor has one action and no per-page insert'],
	[/^vm_map_pages(_zero)?$/, 'map-pages-no-desc', 'has no exact descriptor form (mmap_action_map_kernel_pages ignores pgoff)'],
	[/^(dma_buf_mmap|fb_deferred_io_mmap|snd_pcm_lib_default_mmap|drm_gem_mmap_obj|vb2_mmap|vfs_mmap|call_mmap)$/, 'callee-takes-vma', 'still takes a vma; convert the callee first'],
	[/^vma_set_file$/, 'vma-set-file', 'swaps the file on the VMA; needs a hand conversion to desc->vm_file'],
	[/^zap_vma_\w+$|^zap_page_range\w*$|^apply_to_page_range$/, 'page-tables', 'works on page tables that do not exist before the VMA'],
];

export const noDescEquivalent: Rule = {
	id: 'refuse-no-desc-form',
	rewrite(node, ctx) {
		const fn = node.type === 'call_expression' ? node.childForFieldName('function') : null;
		if (fn?.type === 'field_expression' && callArgs(node).some((a) => isVma(a, ctx)))
			ctx.refuse(node, 'nested-call', `calls the nested hook ${fn.text}() with the vma: it converts only with its chain (see the chain's report)`);
		const name = callee(node);
		if (!name || !callArgs(node).some((a) => isVma(a, ctx) || a.text.startsWith(`${ctx.vma}->`))) return undefined;
		for (const [re, code, why] of NONE) if (re.test(name)) ctx.refuse(node, code, `${name}() ${why}`);
		return undefined;
	},
};
