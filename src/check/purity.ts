// Calls the checker knows not to change state that matters to a mapping, each
// with the reason. Everything else is uninterpreted: it is an event of the
// trace, it may change any memory the hook can reach, and on the new side's
// mmap path, where it runs in mmap_prepare before the VMA exists and also for
// mappings that then merge (mm/vma.c __mmap_region: call_mmap_prepare() runs
// before vma_merge_new_range()), it is a difference unless listed here as
// harmless.
//   pure:     the value depends on the arguments only; no event
//   read:     reads memory (the value is versioned by the events before it); no event
//   harmless: an event of the trace (so its order is checked), allowed in mmap_prepare

export type Purity = { k: 'pure' | 'read' | 'harmless'; why: string };

const TABLE: Array<[RegExp, Purity]> = [
	[/^pgprot_(noncached|writecombine|noncached_wc|device|decrypted|encrypted|dmacoherent|val|modify)$|^__pgprot$|^vm_get_page_prot$/, { k: 'pure', why: 'computes a pgprot_t from its arguments' }],
	[/^(PAGE_ALIGN|PAGE_ALIGNED|ALIGN|ALIGN_DOWN|IS_ALIGNED|PFN_DOWN|PFN_UP|PFN_PHYS|PHYS_PFN|__phys_to_pfn|__pfn_to_phys|offset_in_page|BIT|BIT_ULL|GENMASK|GENMASK_ULL|min|max|min3|max3|min_t|max_t|clamp|clamp_t|clamp_val|round_up|round_down|DIV_ROUND_UP|lower_32_bits|upper_32_bits|ARRAY_SIZE|sizeof_field|MINOR|MAJOR|MKDEV|IS_ERR|PTR_ERR|ERR_PTR|IS_ERR_OR_NULL|IS_ERR_VALUE|ERR_CAST|u64_to_user_ptr|check_add_overflow|check_mul_overflow|size_add|size_mul|array_size|io_remap_pfn_range_pfn|array_index_nospec)$/, { k: 'pure', why: 'arithmetic on its arguments' }],
	[/^(virt_to_phys|__pa|__va|phys_to_virt|virt_to_page|page_to_phys|page_to_pfn|pfn_to_page|page_address|page_to_virt|virt_to_pfn|pfn_to_virt|dma_to_phys|phys_to_dma|__pa_symbol|lm_alias)$/, { k: 'pure', why: 'address translation' }],
	[/^(container_of|container_of_const|offsetof|typeof)$/, { k: 'pure', why: 'address arithmetic' }],
	[/^(iminor|imajor|file_inode|file_dentry|d_inode|file_mnt_idmap|dev_get_drvdata|pci_get_drvdata|platform_get_drvdata|to_pci_dev|to_platform_device|kobj_to_dev|dev_name|pci_resource_start|pci_resource_len|pci_resource_end|pci_resource_flags|resource_size|is_vmalloc_addr|pfn_valid|vmalloc_to_pfn|vmalloc_to_page|READ_ONCE|smp_load_acquire|atomic_read|atomic64_read|refcount_read|kref_read|test_bit|i_size_read|file_is_dax|IS_DAX|IS_ENABLED|current_uid|current_euid|task_pid_nr|mm_flags_test|in_compat_syscall|is_compat_task|rcu_dereference|rcu_access_pointer|xa_load|idr_find|file_count|ACPI_HANDLE|ACPI_COMPANION|to_acpi_device_node|dev_get_platdata|pci_dev_id|dev_to_node|IS_(NOATIME|RDONLY|DAX|IMMUTABLE|APPEND|SWAPFILE|PRIVATE|SYNC|DIRSYNC|NOQUOTA|POSIXACL|DEADDIR|NOSEC|ENCRYPTED|CASEFOLDED|VERITY))$/, { k: 'read', why: 'reads state without changing it' }],
	[/^(printk|pr_(emerg|alert|crit|err|warn|warning|notice|info|cont|debug|devel)(_ratelimited|_once)?|dev_(emerg|alert|crit|err|warn|notice|info|dbg|vdbg)(_ratelimited|_once)?|netdev_(err|warn|info|dbg)|pci_(err|warn|info|dbg|notice)|drm_(err|warn|info|dbg\w*)|DRM_(ERROR|DEBUG\w*|INFO|WARN\w*)|dynamic_pr_debug|print_hex_dump\w*|trace_\w+|DMA_BUF_TRACE)$/, { k: 'harmless', why: 'writes the kernel log or a trace event only' }],
	[/^(mutex_lock|mutex_lock_interruptible|mutex_lock_killable|mutex_trylock|mutex_unlock|spin_lock|spin_unlock|spin_lock_irq|spin_unlock_irq|spin_lock_irqsave|spin_unlock_irqrestore|spin_lock_bh|spin_unlock_bh|raw_spin_lock|raw_spin_unlock|raw_spin_lock_irqsave|raw_spin_unlock_irqrestore|read_lock|read_unlock|write_lock|write_unlock|down_read|up_read|down_write|up_write|down_read_interruptible|down_read_killable|down_write_killable|down_interruptible|down|up|rcu_read_lock|rcu_read_unlock|srcu_read_lock|srcu_read_unlock|preempt_disable|preempt_enable|local_irq_save|local_irq_restore|guard|scoped_guard|lockdep_assert_held|lockdep_assert_held_write|mmap_assert_locked|mmap_assert_write_locked|might_sleep)$|^guard\(\w+\)$/, { k: 'harmless', why: 'a lock or an assertion: it holds nothing once the hook returns (both sides make the same calls, in the same order relative to the mapping)' }],
	[/^(gfs2_glock_nq_init|gfs2_glock_dq_uninit)$/, { k: 'harmless', why: 'a cluster lock taken and released inside the hook to update atime (upstream keeps ocfs2\'s lock/unlock in mmap_prepare)' }],
	[/^(capable|ns_capable|perfmon_capable|file_ns_capable|has_capability\w*)$/, { k: 'harmless', why: 'a permission check (it records only that a capability was used)' }],
	[/^file_accessed$/, { k: 'harmless', why: "updates the file's access time; upstream keeps it in mmap_prepare (12 of 12 conversions)" }],
];

/**
 * Helpers that only store into their first argument: when that is a local
 * variable (its address taken), the call changes nothing outside the hook.
 */
export const LOCAL_STORE = /^(memset|memcpy|memmove|memzero_explicit|strscpy|strscpy_pad|strncpy|strlcpy|snprintf|scnprintf|sprintf)$/;

export function purity(name: string): Purity | undefined {
	for (const [re, p] of TABLE) if (re.test(name)) return p;
	return undefined;
}
