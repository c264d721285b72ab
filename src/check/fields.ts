// The fields of the two modelled objects under one set of names, so that the
// old hook's `vma->vm_page_prot` and the new hook's `desc->page_prot` are the
// same slot of "the mapping being set up":
//   struct vm_area_struct (mm_types.h): vm_start vm_end vm_pgoff vm_flags/flags
//     vm_page_prot vm_ops vm_private_data vm_file vm_mm
//   struct vm_area_desc (mm_types.h:890): start end pgoff vma_flags page_prot
//     vm_ops private_data vm_file mm file action
import { ZERO, sym, type Term } from './term.js';
import { NotModelled, type ObjKind, type State } from './state.js';

export const CANONICAL = ['start', 'end', 'pgoff', 'flags', 'page_prot', 'vm_ops', 'private_data', 'vm_file', 'mm'] as const;

const VMA_FIELDS: Record<string, string> = {
	vm_start: 'start',
	vm_end: 'end',
	vm_pgoff: 'pgoff',
	vm_flags: 'flags',
	flags: 'flags',
	vm_page_prot: 'page_prot',
	vm_ops: 'vm_ops',
	vm_private_data: 'private_data',
	vm_file: 'vm_file',
	vm_mm: 'mm',
};

const DESC_FIELDS: Record<string, string> = {
	start: 'start',
	end: 'end',
	pgoff: 'pgoff',
	vma_flags: 'flags',
	page_prot: 'page_prot',
	vm_ops: 'vm_ops',
	private_data: 'private_data',
	vm_file: 'vm_file',
	mm: 'mm',
	file: 'file',
};

/** The fields of struct mmap_action (mm_types.h:829) the descriptor carries, all zero in `= {}`. */
export const ACTION_FIELDS = [
	'action.type',
	'action.remap.start',
	'action.remap.start_pfn',
	'action.remap.size',
	'action.remap.pgprot',
	'action.simple_ioremap.start_phys_addr',
	'action.simple_ioremap.size',
	'action.map_kernel.start',
	'action.map_kernel.pages',
	'action.map_kernel.nr_pages',
	'action.map_kernel.pgoff',
	'action.error_override',
	'action.hide_from_rmap_until_complete',
];

/** MMAP_NOTHING is the enum's first value (mm_types.h:817): a zeroed descriptor requests nothing. */
export const MMAP_NOTHING = ZERO;
export const actionType = (name: string): Term => (name === 'MMAP_NOTHING' ? MMAP_NOTHING : sym(name));

/** The canonical name of a C field of a modelled object, if it is modelled. */
export function canonical(kind: ObjKind, field: string): string | undefined {
	return kind === 'vma' ? VMA_FIELDS[field] : DESC_FIELDS[field] ?? (field === 'action' ? 'action' : undefined);
}

export type FieldRef = { k: 'value'; v: Term } | { k: 'sub'; path: string };

/** Read obj->field (or a sub-path of the descriptor's action). */
export function readField(s: State, id: number, path: string, line: number): FieldRef {
	const o = s.obj(id);
	const v = o.fields.get(path);
	if (v) return { k: 'value', v };
	if ([...o.fields.keys()].some((k) => k.startsWith(`${path}.`))) return { k: 'sub', path };
	if (o.kind === 'vma') return { k: 'value', v: sym(`vma->${path}`) };
	throw new NotModelled(`the descriptor field ${path} is not modelled`, line);
}

/** The path of a C field below a modelled object (or below one of its sub-structs). */
export function fieldPath(kind: ObjKind, parent: string | undefined, field: string): string {
	if (parent) return `${parent}.${field}`;
	return canonical(kind, field) ?? field;
}

export function writeField(s: State, id: number, path: string, v: Term, line: number): void {
	const o = s.obj(id);
	if (o.kind === 'desc' && !o.fields.has(path)) throw new NotModelled(`the descriptor field ${path} is not modelled`, line);
	if (o.kind === 'vma' && !CANONICAL.includes(path as (typeof CANONICAL)[number]))
		throw new NotModelled(`a write to vma->${path} is not modelled`, line);
	o.fields.set(path, v);
}
