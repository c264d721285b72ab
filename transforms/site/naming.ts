// Naming (kernel-api.md §2.3): `foo_mmap` -> `foo_mmap_prepare`, `mmap_mem` ->
// `mmap_mem_prepare`, infix `relay_mmap_buf` -> `relay_mmap_prepare_buf`.
import type { RuleInfo } from '../../src/rewrite/rule.js';

/** The new name, in the definition, prototypes, EXPORT_SYMBOL, NULL stand-ins and comments. */
export const namingInfo: RuleInfo = { id: 'naming' };

export function preparedName(name: string): string {
	if (/mmap$/.test(name) || /^mmap_/.test(name)) return `${name}_prepare`;
	const infix = /^(.*_mmap)(_.+)$/.exec(name);
	if (infix) return `${infix[1]}_prepare${infix[2]}`;
	return `${name}_prepare`;
}

/**
 * Struct fields and function-pointer parameters always take the infix form
 * (uio_info.mmap -> mmap_prepare, mmap_ring_buffer -> mmap_prepare_ring_buffer,
 * hv_mmap_ring_buffer -> hv_mmap_prepare_ring_buffer).
 */
export function preparedFieldName(name: string): string {
	const infix = /^(.*?mmap)(_.+)$/.exec(name);
	return infix ? `${infix[1]}_prepare${infix[2]}` : `${name}_prepare`;
}

/** Generic helpers whose _prepare siblings exist in 7.x (P17, in initialisers and in bodies). */
export const GENERIC_HOOKS: Record<string, string> = {
	generic_file_mmap: 'generic_file_mmap_prepare',
	generic_file_readonly_mmap: 'generic_file_readonly_mmap_prepare',
};
