// Code outside mm/ that calls a file_operations' .mmap directly, e.g.
// drm_gem_prime_mmap(): obj->dev->driver->fops->mmap(file, vma). A
// file_operations reachable that way must keep .mmap: converting it would
// leave that caller with a NULL .mmap.
import { lineOf } from '../c/parser.js';
import { withItemsTree, WHOLE_FILE } from '../c/partial.js';
import { StructScope, baseUndeclared, fieldOwner, typeOf } from './typing.js';
import { ancestor } from '../c/node.js';
import { initialiserType } from './initialisers.js';
import { corpusAnalysis, mmapCorpus } from '../corpus/corpus.js';
import type { ReadAnalysis } from '../corpus/tasks.js';
import { memoOf, type DirectCaller, type TreeIndex } from './sites.js';

export type { DirectCaller } from './sites.js';

/** Files worth parsing for direct callers: a call through `->X->mmap(`, outside mm/. */
export function mayCallFopsDirectly(file: string, text: string): boolean {
	return !file.startsWith('mm/') && /(->|\.)\s*(\w+)\s*->\s*mmap\s*\(/.test(text);
}

/** The direct callers in one corpus file (text: its latin1 text), in document order. */
export function directCallersIn(root: string, file: string, text: string): DirectCaller[] {
	const out: DirectCaller[] = [];
	const src = text;
	const scope = new StructScope(root, file);
	const calls = [...src.matchAll(/(?:->|\.)\s*mmap\b/g)];
	withItemsTree(src, { at: calls.map((m) => m.index!) }, (r, partial) => {
		out.length = 0;
		// Every call through a field named mmap, in document order (the field token, then its call).
		for (const m of calls) {
			const at = m.index! + m[0].length - 4;
			const id = r.descendantForIndex(at, at + 4);
			const f = id?.type === 'field_identifier' ? id.parent : null;
			const n = f?.parent;
			if (f?.type !== 'field_expression' || n?.type !== 'call_expression' || n.childForFieldName('function')?.id !== f.id) continue;
			const holder = f.childForFieldName('argument');
			if (holder?.type !== 'field_expression') continue;
			const t = typeOf(holder, scope);
			// typed by no item parsed (a global declared elsewhere): the whole file
			if (!t && partial && baseUndeclared(holder, scope)) return WHOLE_FILE;
			const owner = fieldOwner(holder, scope);
			if (t?.name === 'file_operations' && owner) out.push({ field: holder.childForFieldName('field')!.text, owner, where: `${file}:${lineOf(src, n.startIndex)}` });
		}
	});
	return out;
}

/** The corpus pass runs this on the files it reads (src/worker.ts names it). */
export const fopsCallersAnalysis: ReadAnalysis<DirectCaller[]> = { name: 'fops-callers', may: mayCallFopsDirectly, run: directCallersIn };

export function directFopsCallers(index: TreeIndex): DirectCaller[] {
	const memo = memoOf(index);
	if (memo.fopsCallers) return memo.fopsCallers;
	const root = index.root;
	const out: DirectCaller[] = [];
	// The pass that read the corpus may have found them already, while the workers read.
	const corpus = mmapCorpus(root);
	const known = corpusAnalysis<DirectCaller[]>(root, fopsCallersAnalysis.name);
	for (const { file, text } of corpus) {
		// The pass looked at every corpus file with the same test: its keys are the files that pass it.
		if (known ? !known.has(file) : !mayCallFopsDirectly(file, text)) continue;
		out.push(...(known?.get(file) ?? directCallersIn(root, file, text)));
	}
	memo.fopsCallers = out;
	return out;
}

/**
 * For each field of a direct caller: the corpus files that store something
 * into it (`.fops = &v`), by the name stored, in corpus order. Built once, so
 * that a question about one variable does not scan the corpus.
 */
function storesInto(index: TreeIndex, field: string): Map<string, Array<{ file: string; text: string }>> {
	const stores = memoOf(index).fopsStores;
	let m = stores.get(field);
	if (m) return m;
	m = new Map();
	const re = new RegExp(`\\.\\s*${field}\\s*=\\s*&?\\s*(\\w+)`, 'g');
	for (const entry of mmapCorpus(index.root)) {
		const names = new Set<string>();
		for (const x of entry.text.matchAll(re)) names.add(x[1]!);
		for (const n of names) m.set(n, [...(m.get(n) ?? []), entry]);
	}
	stores.set(field, m);
	return m;
}

/** Is the file_operations variable v stored into such a field anywhere (`.fops = &v`)? */
export function reachedDirectly(index: TreeIndex, v: string): DirectCaller | undefined {
	const root = index.root;
	for (const c of directFopsCallers(index)) {
		const re = new RegExp(`\\.\\s*${c.field}\\s*=\\s*&?\\s*${v}\\b`, 'g');
		// A file that stores a fops with an .mmap hook names that hook: it is in the corpus.
		for (const { file, text } of storesInto(index, c.field).get(v) ?? []) {
			re.lastIndex = 0;
			if (!re.test(text)) continue;
			// Only an initialiser of the owner struct (a drm_driver, not a miscdevice) counts.
			const scope = new StructScope(root, file);
			const stores = [...text.matchAll(re)];
			const hit = withItemsTree(text, { at: stores.map((m) => m.index!) }, (r) => {
				for (const m of stores) {
					const list = ancestor(r.descendantForIndex(m.index!), 'initializer_list');
					if (list && initialiserType(list, scope) === c.owner) return true;
				}
				return false;
			});
			if (hit) return c;
		}
	}
	return undefined;
}
