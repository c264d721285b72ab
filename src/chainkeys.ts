// Which nested chains a run reaches: fields called with a vma by functions in
// the targets (dispatchers), and fields that the targets wire hooks into
// (implementors). f_op itself is not a chain: vfs_mmap() already handles
// stacked file operations.
import { walk, type Node } from './parser.js';
import { withItemsTree, WHOLE_FILE } from './partial.js';
import { StructScope, fieldOwner, typeOf } from './ctypes.js';
import { isVmaHookField, type ChainKey } from './chains.js';
import type { TreeIndex } from './index.js';
import { readSource } from './tree.js';

export interface ChainTrigger {
	key: ChainKey;
	/** a file that sees the struct definition */
	from: string;
}

/** A call through a field whose name has mmap in it: `->mmap(`, `.mmap_ring_buffer(`. */
const FIELD_CALL = /(?:->|\.)\s*\w*mmap\w*\s*\(/;

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
		// Only a call through a field named *mmap* can be a chain's (isVmaHookField()).
		const callers = fi.functions.filter((fn) => FIELD_CALL.test(src.slice(fn.start, fn.end)));
		const assigned = fi.sites.filter((x) => !x.structType && !x.macro);
		if (!callers.length && !assigned.length) continue;
		const found: Array<[string, string]> = [];
		withItemsTree(src, { at: [...callers.map((fn) => fn.start), ...assigned.map((s) => s.start + 1)] }, (root, partial) => {
			found.length = 0;
			// An object typed by no item parsed (a global declared elsewhere) needs the whole file.
			const ownerOf = (fe: Node) => {
				const owner = fieldOwner(fe, scopeOf());
				return owner === undefined && partial && typeOf(fe.childForFieldName('argument'), scopeOf()) === undefined ? WHOLE_FILE : owner;
			};
			for (const fn of callers) {
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
					const owner = ownerOf(f);
					if (owner === WHOLE_FILE) return WHOLE_FILE;
					if (owner) found.push([owner, f.childForFieldName('field')!.text]);
				}
			}
			// `x->ops.mmap = fn` assignments wire implementors too.
			for (const s of assigned) {
				const n = root.descendantForIndex(s.start + 1);
				let fe: Node | null = n;
				while (fe && fe.type !== 'field_expression') fe = fe.parent;
				const owner = fe ? ownerOf(fe) : undefined;
				if (owner === WHOLE_FILE) return WHOLE_FILE;
				if (owner) found.push([owner, s.field]);
			}
		});
		for (const [owner, field] of found) add(owner, field, file, scopeOf());
	}
	return [...out.values()];
}
