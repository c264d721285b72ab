// Which struct fields are mmap hooks: function pointers taking a vma.
import type { FieldInfo } from './typing.js';

/** Does the field's function pointer take a struct vm_area_struct *? */
export function isVmaHookField(f: FieldInfo): boolean {
	// Only mmap hooks: vm_operations_struct and friends also take a vma but are not on the mmap path.
	return f.field.includes('mmap') && !!f.params?.some((p) => /^(const\s+)?struct\s+vm_area_struct\s*\*/.test(p));
}
