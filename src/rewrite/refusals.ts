// Every refusal of mmapify goes through one type, Refusal, with a stable code
// from the catalogue below beside the human reason. Code that groups, counts or
// decides by a refusal reads its code, never its prose; the --json reports
// carry it as `code`. Adding a code is one line here (and its line in the
// README's table, which a test compares with this one).

/** code -> what it means, in one line. Codes are short kebab-case and never change meaning. */
export const REFUSALS = {
	// the hook as a whole
	'api-missing': 'the tree lacks an API the conversion needs (mmap_prepare, a descriptor helper, an mmap_action)',
	'fn-not-understood': 'the function definition could not be read',
	signature: 'the hook does not have the signature its wiring expects',
	'shadowed-param': 'a local variable shadows the file or vma parameter',
	'desc-name-taken': 'the function already uses the name desc',
	'parse-error': 'tree-sitter cannot parse a construct that uses the parameters',
	'vma-escapes': 'the vma is used in a way that has no vm_area_desc equivalent',
	'several-actions': 'more than one mapping action; a vm_area_desc carries one',
	'side-effect': "the hook has a per-mapping side effect that mmap_prepare must not have: a store outside its locals, or a call not known to be pure, read-only or harmless (the checker's effect analysis names it)",
	// vma helpers and fields
	'dma-mmap-no-desc': 'dma_mmap_*() has no vm_area_desc form',
	'vmalloc-range-no-desc': 'remap_vmalloc_range*() has no vm_area_desc form',
	'per-page-insert': 'pages are inserted one by one; a descriptor has one action',
	'map-pages-no-desc': 'vm_map_pages*() has no exact descriptor form',
	'callee-takes-vma': 'a callee still takes a vma and must be converted first',
	'vma-set-file': 'vma_set_file() swaps the file; needs a hand conversion',
	'page-tables': 'works on page tables that do not exist before the VMA',
	'nested-call': 'calls a nested hook with the vma: converts only with its chain',
	'write-only-field': 'a field that is write-only in vm_area_desc is read',
	'vm-file-changed': 'vm_file is changed in a way without a descriptor form',
	'vma-bounds-written': 'the new mapping\'s start, end or size is changed',
	'pgoff-address': 'the address of vm_pgoff escapes',
	'generic-file-other-file': 'generic_file_*mmap() is called on another file than the one being mapped',
	// vm_flags
	'vm-flags-written': 'vm_flags is changed directly',
	'flags-word-read': 'vm_flags is read as a word and the tree has no vma_flags_to_legacy()',
	'flags-not-constant': 'flags are not a constant OR of VM_* bits',
	'flag-not-init': 'a VM_* flag is not always INIT_VM_FLAG() in this tree',
	'flags-value-used': 'the value of a vm_flags mask is used, not only its truth',
	'flags-never-true': 'a vm_flags comparison can never hold as written',
	'flags-mod-form': 'vm_flags_mod() is used where it cannot become two statements',
	// remap_*() and friends becoming an mmap_action
	'remap-close': 'vm_ops has a .close that a failed mapping action would call',
	'remap-not-final': 'the mapping call is not the final, unconditional statement of the hook',
	'remap-under-lock': 'the mapping call runs under a lock the deferred action would not hold',
	'remap-args': 'the mapping call\'s arguments have no mmap_action form',
	'remap-failure-path': 'the mapping call\'s failure path does more than return an error',
	'remap-use': 'the mapping call is used other than as return f(), if (f()) return -E, or ret = f(); ... return ret;',
	'action-range': 'the mapping action\'s range is not proven to lie inside the VMA',
	'error-override-prepare': 'error_override would not cover an error that now comes from the prepare stage',
	'error-override-compat': 'the hook is reached through a compat shim, where error_override is ignored',
	// the function's other mentions and its wiring
	'no-definition': 'no definition of the hook taking a struct vm_area_struct * was found',
	'definition-not-found': 'the definition was not found where the index had it',
	'static-wired-elsewhere': 'a static hook is wired from another file',
	'name-taken': 'the new name is already used',
	'prototype': 'a prototype has unexpected parameters',
	'other-caller': 'another caller still passes a vma',
	'not-utf8': 'a file the conversion must edit is not valid UTF-8',
	'too-large': 'a file the conversion must read is too large to parse',
	unreadable: 'a file the conversion must read, or that may use the hook, cannot be read',
	'parse-error-region': 'the hook is defined or wired in a region tree-sitter could not parse',
	'already-prepare': 'the initialiser already sets .mmap_prepare',
	'fops-swap-family': 'the file_operations may be swapped at run time with others that keep .mmap; they convert all or none',
	'fops-called-directly': 'the file_operations\' ->mmap() is called directly elsewhere; it must keep .mmap',
	'macro-wiring': 'wired inside a macro; macro-generated wiring is not converted',
	'nested-hook': 'a nested hook: it converts only with its chain',
	// chains
	'chain-outside-targets': 'none of the chain\'s hooks under the given paths can be converted',
	'chain-problem': 'a use of the chain\'s field could not be classified',
	'chain-no-implementor': 'no implementor of the chain was found, or none can be converted',
	'chain-no-caller': 'no call through the chain\'s field was found',
	'coexist-churn': 'the chain would keep the old field beside a new one only for stubs, samples, tests or mock drivers',
	'coexist-off': '--no-coexist: the chain would keep the old field beside a new one',
	'chain-registration-mixed': 'a registration function cannot take both kinds of hook',
	'chain-registration': 'a registration function\'s parameter could not be converted',
	'chain-untyped-use': 'uses of the field next to its caller could not be typed',
	'chain-field-taken': 'the struct already has the new field',
	'chain-field-copied': 'the field is copied between structs (a macro, memcpy) where the new field would not be',
	'chain-clear-in-expression': 'the field is cleared inside an expression',
	'compat-helpers-missing': 'the dispatcher needs compat helpers that mmapify cannot add to this tree',
	'vma-after-nested-call': 'the outer hook uses the vma after the nested call',
	'shim-no-vma': 'the dispatcher has no struct vm_area_struct * parameter',
	'shim-call-not-found': 'the nested call was not found in the dispatcher',
	'shim-not-needed': 'the outer f_op hook uses the vma only for the nested call, so it gets no shim, and it cannot convert with the whole chain',
	'shim-library-helper': 'the dispatcher is a library helper called in the middle of other hooks; a shim belongs in an outer dispatcher',
	'shim-state-above': 'a caller above the dispatcher sets a vma field the compat shim\'s descriptor cannot carry (vm_private_data is seeded)',
	'shim-entry-unknown': 'a path from an entry down to the dispatcher could not be followed',
	'shim-vma-args': 'the nested call does not pass the vma exactly once, or passes what needs the VMA',
	'shim-expression': 'the nested call is inside an expression the shim cannot wrap',
	'shim-vma-after': 'the dispatcher uses the vma after the nested call',
	'shim-object-not-path': 'the nested call\'s object would be evaluated twice',
	'shim-layout': 'the nested call\'s layout (switch case, shared line) is left to a human',
	// the user's selection
	excluded: 'the conversion would edit a file that --exclude leaves out',
	'not-selected': 'it would convert, but --only names other hooks',
	// the equivalence checker (src/check/) on what the rules wrote
	'not-equivalent': 'the equivalence checker found a path on which the conversion ends differently',
	'not-modelled': 'the equivalence checker cannot evaluate a construct of the conversion, so it proves nothing',
	// the scan's own
	'not-planned': 'the scan did not plan the hook (--no-plan, or no plan reported it)',
} as const;

export type RefusalCode = keyof typeof REFUSALS;

/** A conversion refused: its code, the reason (naming the construct), and the line when known. */
export class Refusal extends Error {
	constructor(
		readonly code: RefusalCode,
		readonly reason: string,
		readonly line?: number,
	) {
		super(line ? `${reason} (line ${line})` : reason);
	}

	/** The report's reason and place, for a refusal met while converting a function of file. */
	placed(file: string): { reason: string; at?: { file: string; line: number } } {
		return this.line !== undefined ? { reason: `${this.reason} (${file}:${this.line})`, at: { file, line: this.line } } : { reason: this.message };
	}
}
