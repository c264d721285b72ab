// Which nested chains a run reaches: fields called with a vma by functions in
// the targets (dispatchers), and fields that the targets wire hooks into
// (implementors). f_op itself is not a chain: vfs_mmap() already handles
// stacked file operations.
import { walk, withTree, type Node } from './parser.js';
import { StructScope, fieldOwner } from './ctypes.js';
import { isVmaHookField, type ChainKey } from './chains.js';
import type { TreeIndex } from './index.js';
import { readSource } from './tree.js';

export interface ChainTrigger {
	key: ChainKey;
	/** a file that sees the struct definition */
	from: string;
}

export function chainKeys(index: TreeIndex, targetFiles: string[]): ChainTrigger[] {
	const out = new Map<string, ChainTrigger>();
	const add = (struct: string, field: string, from: string, scope: StructScope) => {
		if (struct === 'file_operations') return;
		const decl = scope.field(struct, field);
		if (!decl || !isVmaHookField(decl)) return;
		const k = `${struct}.${field}`;
		if (!out.has(k)) out.set(k, { key: { struct, field }, from });
	};
	for (const file of targetFiles) {
		const fi = index.files.get(file);
		if (!fi) continue;
		const nestedSites = fi.sites.filter((s) => s.structType !== 'file_operations' && !s.macro);
		if (!fi.functions.length && !nestedSites.length) continue;
		const src = readSource(index.root, file);
		if (src === undefined) continue;
		let scope: StructScope | undefined;
		const scopeOf = () => (scope ??= new StructScope(index.root, file));
		for (const s of nestedSites) if (s.structType) add(s.structType, s.field, file, scopeOf());
		withTree(src, (root) => {
			for (const fn of fi.functions) {
				const node = root.descendantForIndex(fn.start, fn.start + 1);
				let def: Node | null = node;
				while (def && def.type !== 'function_definition') def = def.parent;
				if (!def) continue;
				const vmaNames = new Set<string>();
				for (const n of walk(def)) if (n.type === 'parameter_declaration' && /struct\s+vm_area_struct\s*\*/.test(n.text)) {
					const id = [...walk(n)].find((x) => x.type === 'identifier');
					if (id) vmaNames.add(id.text);
				}
				for (const n of walk(def)) {
					if (n.type !== 'call_expression') continue;
					const f = n.childForFieldName('function');
					if (f?.type !== 'field_expression') continue;
					const args = n.childForFieldName('arguments')?.namedChildren ?? [];
					if (!args.some((a) => a?.type === 'identifier' && vmaNames.has(a.text))) continue;
					const owner = fieldOwner(f, scopeOf());
					if (owner) add(owner, f.childForFieldName('field')!.text, file, scopeOf());
				}
			}
			// `x->ops.mmap = fn` assignments wire implementors too.
			for (const s of fi.sites.filter((x) => !x.structType && !x.macro)) {
				const n = root.descendantForIndex(s.start + 1);
				let fe: Node | null = n;
				while (fe && fe.type !== 'field_expression') fe = fe.parent;
				const owner = fe && fieldOwner(fe, scopeOf());
				if (owner) add(owner, s.field, file, scopeOf());
			}
		});
	}
	return [...out.values()];
}
