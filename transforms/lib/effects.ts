// What a kernel call's name says it does to state that outlives the call:
// allocations, references, registrations, per-mapping open logic. One
// vocabulary, used where a name is all there is: the scan's census (which
// reads no callee) and the wording of a refusal. It decides nothing about a
// conversion: whether a converted hook is stateless is the equivalence
// checker's effect analysis (src/check/: every call it does not know to be
// pure, read-only or harmless, and every store outside the hook's locals, on
// any path and in the static callees it runs in place, refuses the hook with
// the call or store named), so a name missing here costs a better message,
// never a wrong conversion.

const EFFECTS: Array<[RegExp, string]> = [
	[/^pm_runtime_(get|resume)\w*$/, 'changes runtime PM state'],
	[/^(k|kv|v|devm_|dev_)?(m|z|c|re)alloc(_\w+)?$|^\w+_alloc(_\w+)?$|^alloc_\w+$|^__get_free_pages?$|^get_zeroed_page$|^dma_alloc\w*$|^kmemdup\w*$|^kstrdup\w*$|^devm_k\w*alloc\w*$/, 'allocates memory'],
	[/^get_(page|pages|folio|pid|task_struct|device|file|net|cred|user_ns|mm|cpu)\w*$|^folio_get$|^page_ref_(inc|add)\w*$|^kobject_get$|^kref_get\w*$|^refcount_inc\w*$|^atomic\w*_(inc|add)\w*$|^\w+_get$|^\w+_get_sync$|^try_module_get$|^__module_get$|^mmgrab$|^mmget\w*$|^fget$/, 'takes a reference'],
	[/^(ihold|igrab|__iget|iget\w*|dget|mntget|path_get)$/, 'takes a reference'],
	[/^(this_cpu|raw_cpu|__this_cpu|per_cpu)_\w+$/, 'changes per-CPU state'],
	[/^(list|hlist|llist)_(add|move)\w*$|^\w+_add$|^xa_(store|insert)\w*$|^idr_alloc\w*$|^(?!vmf?_)\w+_insert\w*$|^rb_link\w*$|^hash_add\w*$|^\w+_register\w*$/, 'inserts the mapping into a list or registry'],
	[/^\w*_open$/, 'runs per-mapping open logic'],
];

/** Names the patterns above would take for stateful, wrongly. */
const NOT_STATEFUL = /^(vma_get_page_prot|get_order|get_unaligned\w*|get_random\w*|dev_get_drvdata|\w+_get_drvdata|pgprot_\w+|in_compat_syscall|size_add)$/;

/** What a call of this name does to lasting state, in words ("takes a reference"), or undefined. */
export function statefulEffect(name: string): string | undefined {
	if (NOT_STATEFUL.test(name)) return undefined;
	for (const [re, what] of EFFECTS) if (re.test(name)) return what;
	return undefined;
}
