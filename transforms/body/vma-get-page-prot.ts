// P24: `vma_get_page_prot(vma)` -> `vma_flags_to_page_prot(desc->vma_flags)`.
// In 7.3 vma_get_page_prot() is vma_flags_to_page_prot(vma->flags) (mm.h:4735;
// both are __pgprot(0) without CONFIG_MMU, :4746-4753). The core sets
// desc->vma_flags from the same flags the old VMA starts with (set_desc_from_map(),
// mm/vma.c:2530, as __mmap_new_vma() sets vma->flags, :2689; the compat path
// copies vma->flags, mm/util.c:1193), and every flag change the hook makes
// before the call is made to desc->vma_flags by the flag rules (P6-P8), so the
// call reads the same flags at the same point. The equivalence checker models
// both sides (src/check/mm-old.ts, mm-new.ts) and compares the resulting prot.
import { callArgs, callee, isVma, type Rule } from '../../src/rewrite/rule.js';

export const vmaGetPageProt: Rule = {
	id: 'P24',
	phrase: 'computes the page protection from desc->vma_flags with vma_flags_to_page_prot() instead of vma_get_page_prot()',
	requires: ['flagsToPageProt'],
	rewrite(node, ctx) {
		if (callee(node) !== 'vma_get_page_prot') return undefined;
		const args = callArgs(node);
		if (args.length !== 1 || !isVma(args[0]!, ctx)) return undefined;
		if (!ctx.api.flagsToPageProt) ctx.refuse(node, 'api-missing', 'this tree has no vma_flags_to_page_prot()');
		return 'vma_flags_to_page_prot(desc->vma_flags)';
	},
};
