// Where a chain's dispatcher is entered from, and what its callers did to the
// vma before they called it (issue #11, class 1: state set above the shim).
//
// The compat shim (compat_set_desc_from_vma() .. __compat_vma_mmap(), mm/util.c
// and mm/vma.h of 7.3) round-trips pgoff, vm_file, the flags, page_prot and
// vm_ops through the descriptor, but writes `vma->vm_private_data =
// desc->private_data`, which the descriptor never took from the vma: a
// vm_private_data set above the shim, at any depth, would be lost, so the shim
// then seeds the descriptor with it (`desc.private_data = vma->vm_private_data;`
// right after compat_set_desc_from_vma(); transforms/chain/compat-shim.ts). A
// field the descriptor does not have at all, set above, still forbids the
// shim. So before a shim is emitted every path from an entry down to the
// dispatcher is followed:
//  - an entry is the mm core calling a file_operations' .mmap (__mmap_region()
//    -> vm_area_alloc() -> vma_init() memsets the vma: vm_private_data is NULL);
//  - a function wired into another hook field (kernfs_ops.mmap,
//    drm_gem_object_funcs.mmap...) is entered from every call through that
//    field, whose callers are followed in turn;
//  - a function called by name is entered from each of its callers.
// The dispatcher itself called by name (or exported) is a library helper that
// drivers call in the middle of their own .mmap: never a place for the shim.
// The result is data (the planner refuses on it, the equivalence checker takes
// its entry facts), never prose.
import { walk, type Node } from '../c/parser.js';
import { withItemsTree } from '../c/partial.js';
import { ancestor, declaredName, functionDeclarator, parameters } from '../c/node.js';
import { lineOf } from '../c/parser.js';
import { scanMentions } from '../corpus/corpus.js';
import { readSource } from '../kernel/tree.js';
import { addFile } from './build-index.js';
import type { TreeIndex } from './sites.js';
import { discoverChain } from './chains.js';
import { StructScope, typeOf } from './typing.js';
import { escapeRegExp as esc } from '../base/text.js';

/** A place in a function: its name, file and line. */
export interface FnAt {
	fn: string;
	file: string;
	line: number;
}

/** A write of vma state in a caller, before the call that leads down to the dispatcher. */
export interface WriteAbove extends FnAt {
	/** the vma field written (vm_private_data) */
	field: string;
}

export interface EntryFacts {
	/** functions that call the dispatcher by name (it is a library helper) */
	directCallers: FnAt[];
	/** the dispatcher is EXPORT_SYMBOL*()ed (callable from any module) */
	exported: boolean;
	/** vma state set above the dispatcher on some path (vm_private_data, which the shim seeds, or a field it cannot carry) */
	writesAbove: WriteAbove[];
	/** the paths followed, each from an entry down to the dispatcher (`file_operations.mmap`, `fn()`, `struct.field`) */
	paths: string[][];
	/** a path that could not be followed to an entry (why) */
	unknown?: string;
	/** vm_private_data is NULL when the dispatcher is entered, on every path */
	privateDataUnset: boolean;
	/** vm_private_data may be set when the dispatcher is entered: the shim seeds the descriptor with it */
	privateDataSetAbove: boolean;
}

/**
 * vma fields whose value set above the shim compat_set_desc_from_vma() does
 * not copy (mm/util.c:1180 in 7.3 copies vm_mm, vm_start, vm_end, vm_pgoff,
 * vm_file, the flags, vm_page_prot and vm_ops, nothing else):
 * vm_private_data, which the shim seeds (SEEDED), and the fields of struct
 * vm_area_struct (include/linux/mm_types.h:923 in 7.3) that struct
 * vm_area_desc has no place for: a hook behind the shim could not see them.
 */
export const SEEDED = 'vm_private_data';
export const NOT_COPIED = [
	'vm_freeptr',
	'vm_lock_seq',
	'__vm_anon_pgoff_lo',
	'__vm_anon_pgoff_hi',
	'anon_vma_chain',
	'anon_vma',
	'swap_readahead_info',
	'vm_region',
	'vm_policy',
	'numab_state',
	'vm_refcnt',
	'vmlock_dep_map',
	'shared',
	'anon_name',
	'vm_userfaultfd_ctx',
	'pfnmap_track_ctx',
];
const MAX_DEPTH = 5;

export function entryFacts(index: TreeIndex, fn: string, file: string): EntryFacts {
	const facts: EntryFacts = { directCallers: [], exported: false, writesAbove: [], paths: [], privateDataUnset: false, privateDataSetAbove: false };
	const top = callersOf(index, fn, file);
	facts.directCallers = top.calls.map((c) => ({ fn: c.fn, file: c.file, line: c.line }));
	facts.exported = top.exported;
	const seen = new Set<string>();
	const follow = (name: string, at: string, path: string[], depth: number, found: ReturnType<typeof callersOf>): void => {
		if (facts.unknown) return;
		const key = `${at}\0${name}`;
		if (seen.has(key)) return;
		seen.add(key);
		if (depth > MAX_DEPTH) {
			facts.unknown = `the callers of ${name}() (${at}) go deeper than ${MAX_DEPTH} levels`;
			return;
		}
		const entries: Array<{ caller: string; file: string; at: number; via: string }> = [];
		for (const c of found.calls) entries.push({ caller: c.fn, file: c.file, at: c.start, via: `${name}()` });
		for (const w of found.wirings) {
			if (w.struct === 'file_operations' && w.field === 'mmap') {
				facts.paths.push(['file_operations.mmap', ...path]);
				continue;
			}
			// The hook struct may sit a few headers away (fs/sysfs/file.c -> "sysfs.h" -> <linux/sysfs.h> -> <linux/kernfs.h>).
			const decl = w.struct ? new StructScope(index.root, w.file, 4).field(w.struct, w.field) : undefined;
			if (!decl) {
				facts.unknown = `${name}() is wired as ${w.struct || '?'}.${w.field} (${w.file}:${w.line}), whose callers could not be found`;
				return;
			}
			const calls = discoverChain(index.root, { struct: w.struct, field: w.field }, decl).uses.filter((u) => u.kind === 'call' && u.fn);
			if (!calls.length) {
				facts.unknown = `${name}() is wired as ${w.struct}.${w.field} (${w.file}:${w.line}), and no call through that field was found`;
				return;
			}
			for (const u of calls) entries.push({ caller: u.fn!, file: u.file, at: u.callStart!, via: `${w.struct}.${w.field}` });
		}
		if (!entries.length && !facts.paths.length) {
			facts.unknown = `${name}() (${at}) is neither wired as a hook nor called by name`;
			return;
		}
		for (const e of entries) {
			for (const wr of writesBefore(index.root, e.file, e.at)) facts.writesAbove.push({ fn: e.caller, file: e.file, line: wr.line, field: wr.field });
			follow(e.caller, e.file, [`${e.caller}()`, ...path], depth + 1, callersOf(index, e.caller, e.file));
			if (facts.unknown) return;
		}
	};
	follow(fn, file, [`${fn}()`], 0, top);
	facts.privateDataSetAbove = facts.writesAbove.some((w) => w.field === SEEDED);
	facts.privateDataUnset = !facts.unknown && !facts.privateDataSetAbove && facts.paths.length > 0;
	return facts;
}

interface Callers {
	calls: Array<FnAt & { start: number }>;
	wirings: Array<{ struct: string; field: string; file: string; line: number }>;
	exported: boolean;
}

/** Who calls name() by name, where it is wired into a hook field, and whether it is exported. */
function callersOf(index: TreeIndex, name: string, file: string): Callers {
	const out: Callers = { calls: [], wirings: [], exported: false };
	const src0 = readSource(index.root, file) ?? '';
	const isStatic = new RegExp(`\\bstatic\\b[^;{]*\\b${esc(name)}\\s*\\(`).test(src0);
	const files = isStatic ? [file] : (scanMentions(index.root, [name]).get(name) ?? [file]);
	for (const f of files) {
		const src = readSource(index.root, f);
		if (src === undefined) continue;
		if (new RegExp(`\\bEXPORT_SYMBOL\\w*\\s*\\(\\s*${esc(name)}\\s*\\)`).test(src)) out.exported = true;
		for (const s of addFile(index, f)?.sites ?? []) if (s.value === name) out.wirings.push({ struct: s.structType || assignedStruct(index.root, f, src, s.start, s.field) || '', field: s.field, file: f, line: s.line });
		withItemsTree(src, { words: [name] }, (root) => {
			for (const m of src.matchAll(new RegExp(`\\b${esc(name)}\\s*\\(`, 'g'))) {
				const n = root.descendantForIndex(m.index!);
				if (n?.type !== 'identifier' || n.parent?.type !== 'call_expression' || n.parent.childForFieldName('function')?.id !== n.id) continue;
				const def = ancestor(n, 'function_definition');
				const id = def && declaredName(functionDeclarator(def.childForFieldName('declarator'))?.childForFieldName('declarator') ?? null);
				if (!def || !id) continue;
				out.calls.push({ fn: id.text, file: f, line: lineOf(src, m.index!), start: m.index! });
			}
		});
	}
	return out;
}

/**
 * Writes of vm_private_data (on any object, as before seeding) and of a
 * NOT_COPIED field of a struct vm_area_struct * parameter in the function
 * holding position at, before it.
 */
function writesBefore(root: string, file: string, at: number): Array<{ field: string; line: number }> {
	const src = readSource(root, file);
	if (src === undefined) return [];
	return withItemsTree(src, { at: [at] }, (r) => {
		const def = ancestor(r.descendantForIndex(at), 'function_definition');
		const out: Array<{ field: string; line: number }> = [];
		if (!def) return out;
		const fd = functionDeclarator(def.childForFieldName('declarator'));
		const vmas = new Set(fd ? parameters(fd).filter((p) => p.type === 'struct vm_area_struct' && p.pointer).map((p) => p.name) : []);
		for (const n of walk(def) as Iterable<Node>) {
			if (n.startIndex >= at) break;
			if (n.type !== 'assignment_expression' && n.type !== 'update_expression') continue;
			const left = n.childForFieldName(n.type === 'assignment_expression' ? 'left' : 'argument');
			// `vma->f = x`, `vma->f.g = x`, `vma->f++`: the outermost field of the vma
			let fe = left;
			while (fe?.type === 'field_expression' && fe.childForFieldName('argument')?.type === 'field_expression') fe = fe.childForFieldName('argument');
			const field = fe?.type === 'field_expression' ? fe.childForFieldName('field')?.text : undefined;
			const onVma = fe?.childForFieldName('argument')?.type === 'identifier' && vmas.has(fe.childForFieldName('argument')!.text);
			const direct = left?.type === 'field_expression' && left.childForFieldName('field')?.text === SEEDED;
			if (direct) out.push({ field: SEEDED, line: lineOf(src, n.startIndex) });
			else if (field && onVma && NOT_COPIED.includes(field)) out.push({ field, line: lineOf(src, n.startIndex) });
		}
		return out;
	});
}

/**
 * The struct whose field an assignment `x->ops.f = fn;` (at is where the site's
 * text starts, in the object's last field access) stores into, from the
 * declared type of its object: `rtd->ops` is a struct snd_pcm_ops when rtd is
 * a struct snd_soc_pcm_runtime * whose member ops is one. Undefined when the
 * object cannot be typed.
 */
function assignedStruct(root: string, file: string, src: string, at: number, field: string): string | undefined {
	const scope = new StructScope(root, file, 4);
	return withItemsTree(src, { at: [at] }, (r) => {
		const asg = ancestor(r.descendantForIndex(at), 'assignment_expression');
		const left = asg?.childForFieldName('left');
		if (left?.type !== 'field_expression' || left.childForFieldName('field')?.text !== field) return undefined;
		const t = typeOf(left.childForFieldName('argument'), scope);
		return t && scope.field(t.name, field) ? t.name : undefined;
	});
}
