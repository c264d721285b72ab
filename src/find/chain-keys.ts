// Which nested chains a run reaches: fields called with a vma by functions in
// the targets (dispatchers), and fields that the targets wire hooks into
// (implementors). f_op itself is not a chain: vfs_mmap() already handles
// stacked file operations.
import { walk, type Node } from '../c/parser.js';
import { cutMarks, withItemsTree, WHOLE_FILE } from '../c/partial.js';
import { StructScope, baseUndeclared, fieldOwner } from './typing.js';
import type { ChainKey } from './chains.js';
import { isVmaHookField } from './hook-fields.js';
import type { FileIndex, TreeIndex } from './sites.js';
import { readSource } from '../kernel/tree.js';

export interface ChainTrigger {
	key: ChainKey;
	/** a file that sees the struct definition */
	from: string;
}

/** A call through a field whose name has mmap in it: `->mmap(`, `.mmap_ring_buffer(`. */
const FIELD_CALL = /(?:->|\.)\s*\w*mmap\w*\s*\(/;

export function chainKeys(index: TreeIndex, targetFiles: string[]): ChainTrigger[] {
	const out = new Map<string, ChainTrigger>();
	for (const file of targetFiles) {
		const fi = index.files.get(file);
		if (!fi) continue;
		// The pass that indexed the file may have found them on its parse already.
		const keys = fi.hookFields ?? hookFieldsIn(index.root, fi);
		for (const k of keys) {
			if (out.has(k)) continue;
			const dot = k.indexOf('.');
			out.set(k, { key: { struct: k.slice(0, dot), field: k.slice(dot + 1) }, from: file });
		}
	}
	return [...out.values()];
}

/** Does the file need a parse for hookFieldsOf()? (No: its nested sites are all it has.) */
function needsTree(fi: FileIndex, src: string): boolean {
	return fi.functions.some((fn) => FIELD_CALL.test(src.slice(fn.start, fn.end))) || fi.sites.some((x) => !x.structType && !x.macro);
}

/** A file without vma functions or nested wiring sites reaches no hook field. */
const reachesNone = (fi: FileIndex) => !fi.functions.length && !fi.sites.some((s) => s.structType !== 'file_operations' && !s.macro);

/** hookFieldsOf() on a parse of the items it needs (the whole file when the items cannot tell). */
function hookFieldsIn(root: string, fi: FileIndex): string[] {
	if (reachesNone(fi)) return [];
	const src = readSource(root, fi.file);
	if (src === undefined) return [];
	if (!needsTree(fi, src)) return hookFieldsOf(root, src, null, fi, false) as string[];
	const at = [...fi.functions.filter((fn) => FIELD_CALL.test(src.slice(fn.start, fn.end))).map((fn) => fn.start), ...fi.sites.filter((x) => !x.structType && !x.macro).map((s) => s.start + 1)];
	return withItemsTree(src, { at }, (tree, partial) => hookFieldsOf(root, src, tree, fi, partial));
}

/**
 * The hook fields (struct.field, in the order found) one indexed file reaches:
 * the nested fields its sites wire, the fields its vma functions call with
 * the vma, and the fields its assignments (`x->ops.mmap = fn`) store into;
 * only fields whose function pointer takes a vma (isVmaHookField()), never
 * file_operations. tree: a parse holding the file's vma functions and
 * sites (null when it has no call through a *mmap* field and no assignment).
 * WHOLE_FILE when tree is partial and an object's type is declared in none
 * of its items (a global declared elsewhere). The scan's and the index's
 * workers call this on their parse (FileIndex.hookFields), chainKeys() for
 * the files they did not.
 */
export function hookFieldsOf(root: string, src: string, tree: Node | null, fi: FileIndex, partial: boolean): string[] | typeof WHOLE_FILE {
	const out: string[] = [];
	let scope: StructScope | undefined;
	const scopeOf = () => (scope ??= new StructScope(root, fi.file));
	const add = (struct: string, field: string) => {
		if (struct === 'file_operations') return;
		const decl = scopeOf().field(struct, field);
		if (!decl || !isVmaHookField(decl)) return;
		const k = `${struct}.${field}`;
		if (!out.includes(k)) out.push(k);
	};
	const found: Array<[string, string]> = [];
	for (const s of fi.sites) if (s.structType !== 'file_operations' && !s.macro && s.structType) found.push([s.structType, s.field]);
	if (tree) {
		// An object typed by no item parsed (a global declared elsewhere) needs the whole file.
		const ownerOf = (fe: Node) => {
			const owner = fieldOwner(fe, scopeOf());
			return owner === undefined && partial && baseUndeclared(fe.childForFieldName('argument'), scopeOf()) ? WHOLE_FILE : owner;
		};
		// Only a call through a field named *mmap* can be a chain's (isVmaHookField()).
		for (const fn of fi.functions) {
			if (!FIELD_CALL.test(src.slice(fn.start, fn.end))) continue;
			let def: Node | null = tree.descendantForIndex(fn.start, fn.start + 1);
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
		for (const s of fi.sites) {
			if (s.structType || s.macro) continue;
			let fe: Node | null = tree.descendantForIndex(s.start + 1);
			while (fe && fe.type !== 'field_expression') fe = fe.parent;
			const owner = fe ? ownerOf(fe) : undefined;
			if (owner === WHOLE_FILE) return WHOLE_FILE;
			if (owner) found.push([owner, s.field]);
		}
	}
	for (const [struct, field] of found) add(struct, field);
	return out;
}

/** hookFieldsOf() for a pool worker's parse; undefined when chainKeys() must look again. */
export function hookFieldsOnParse(root: string, src: string, tree: Node, fi: FileIndex, partial: boolean): string[] | undefined {
	if (reachesNone(fi)) return [];
	// A part cut out of a file may read differently from the whole (src/partial.ts).
	if (partial && cutMarks(tree)) return undefined;
	const r = hookFieldsOf(root, src, needsTree(fi, src) ? tree : null, fi, partial);
	return r === WHOLE_FILE ? undefined : r;
}
