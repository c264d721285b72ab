// The scan's per-file work, done in a pool worker on the one parse of a file
// (or by addFile() on the main thread for files indexed on demand): the
// index entry, the ERROR regions, wiring matches the index dropped, and for
// every function that takes a vma the facts its census category is decided
// from (src/classify.ts): which calls get the vma, in loops or alternative
// branches, which vma fields it reads and writes, what else it changes.
import { MAX_PARSE_BYTES } from '../kernel/source-file.js';
import * as path from 'node:path';
import { ancestor, parameters, functionDeclarator } from '../c/node.js';
import { lineMap } from '../base/text.js';
import { indexTree, isIndexCandidate, mayHoldHooks, type FileIndex, type IndexedTree } from '../find/sites.js';
import { parseC, parseStats, toRanges, topLevelItems, type Node, type SourceRange } from '../c/parser.js';
import { StructScope, fieldOwner, typeOf } from '../find/typing.js';
import { initialiserType } from '../find/initialisers.js';
import { readShared } from '../base/fs.js';
import { hookFieldsOnParse } from '../find/chain-keys.js';
import { mmapCallWords } from '../base/words.js';
import { statefulEffect } from '../../transforms/lib/effects.js';

export interface ErrorSpan {
	start: number;
	end: number;
	line: number;
}

/** A call made by a vma function: with the vma, or one that changes state. */
export interface CallFact {
	callee: string;
	/** name: foo(...); field: x->ops.foo(...); vma-field: vma->vm_ops->open(...); other: (*fp)(...) */
	via: 'name' | 'field' | 'vma-field' | 'other';
	/** the vma is one of the arguments */
	vma: boolean;
	/** inside a loop (for/while/do, or a for_each-style macro) */
	loop: boolean;
	/** the if/switch/?: arms it sits in, e.g. "if@120:then" */
	arms: string[];
	/** the call's value is returned: nothing after it runs on that path */
	returns: boolean;
	line: number;
	/** via field, with the vma: the struct that has the field, when the types tell (a dispatcher's chain) */
	owner?: string;
}

export interface FnFacts {
	name: string;
	start: number;
	line: number;
	isStatic: boolean;
	calls: CallFact[];
	/** uses of the vma that make the hook need a human: stores, writes of vm_start..., other fields */
	escapes: string[];
	/** state the hook changes besides the vma (a prepare hook must not): writes, allocations, references */
	sideEffects: string[];
	/** ERROR nodes inside the function */
	errors: number;
	/** the definition itself sits inside an ERROR node */
	inError: boolean;
}

/** A `.xmmapx = fn` match that the index did not take as a wiring site. */
export interface DroppedSite {
	file: string;
	line: number;
	field: string;
	value: string;
	/** 'error': inside a region tree-sitter could not parse; 'other': not an initialiser or assignment */
	cause: 'error' | 'other';
}

export interface FileScan {
	index: FileIndex;
	facts: FnFacts[];
	/** outermost ERROR regions */
	errors: ErrorSpan[];
	dropped: DroppedSite[];
	/** indexes into index.sites of the sites inside an ERROR region */
	sitesInError: number[];
	/** for each of index.sites: a designated initialiser, an assignment, or a store of the enclosing function's parameter (a registration function) */
	siteKinds: Array<'init' | 'assign' | 'param'>;
	/** for each of index.sites: its struct when the index left it empty (nested member, assignment) and the types tell */
	siteStructs: string[];
}

/** Fields of a vma a prepare hook may read (vm_area_desc has them, or they are what the mmap sees). */
const VMA_READ = new Set(['vm_start', 'vm_end', 'vm_pgoff', 'vm_flags', 'vm_page_prot', 'vm_file', 'vm_mm', 'vm_private_data', 'vm_ops']);
/** Fields of a vma a prepare hook may set. */
const VMA_WRITE = new Set(['vm_pgoff', 'vm_flags', 'vm_page_prot', 'vm_private_data', 'vm_ops']);

/** Calls whose name says they change state outside the vma (the one vocabulary of transforms/lib/effects.ts). */
export function isSideEffect(name: string): boolean {
	return statefulEffect(name) !== undefined;
}

/** Page-table work the prepare API has no request for (category d even without the vma argument). */
export const PAGE_TABLE = new Set([
	'vm_insert_page', 'vm_insert_pages', 'vm_insert_pfn', 'vm_insert_pfn_prot', 'vmf_insert_pfn', 'vmf_insert_pfn_prot', 'vmf_insert_mixed', 'vmf_insert_page',
	'apply_to_page_range', 'apply_to_existing_page_range', 'zap_vma_ptes', 'zap_page_range_single', 'remap_pfn_range_notrack', 'vm_insert_range', 'insert_pfn', 'set_pte_at',
]);

const LOOP = new Set(['for_statement', 'while_statement', 'do_statement']);

function outermostErrors(errorNodes: Node[], lineAt: (i: number) => number): ErrorSpan[] {
	const out: ErrorSpan[] = [];
	for (const n of errorNodes) {
		const last = out[out.length - 1];
		if (last && n.startIndex >= last.start && n.endIndex <= last.end) continue; // nested (document order: parents first)
		out.push({ start: n.startIndex, end: n.endIndex, line: lineAt(n.startIndex) });
	}
	return out;
}

const SITE_RE = /(\.|->)(\w*mmap\w*)\b(\s*)=(?!=)(\s*)([A-Za-z_]\w*)/g;

/** The scan's analysis of one parsed file. */
export function analyzeTree(rootDir: string, file: string, src: string, root: Node, t: IndexedTree): FileScan {
	const lineAt = lineMap(src);
	const errors = outermostErrors(t.errorNodes, lineAt);
	const inErr = (i: number) => {
		let lo = 0;
		let hi = errors.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (errors[mid]!.end <= i) lo = mid + 1;
			else hi = mid;
		}
		return lo < errors.length && errors[lo]!.start <= i;
	};
	const kept = new Set(t.fi.sites.map((s) => s.start));
	const dropped: DroppedSite[] = [];
	for (const m of src.matchAll(SITE_RE)) {
		if (kept.has(m.index!) || m[5] === 'NULL' || m[2]!.includes('prepare')) continue;
		const at = m.index! + m[1]!.length;
		const node = root.descendantForIndex(at, at + m[2]!.length);
		if (node && ancestor(node, 'comment', 'string_literal', 'string_content', 'char_literal')) continue;
		dropped.push({ file, line: lineAt(m.index!), field: m[2]!, value: m[5]!, cause: inErr(at) ? 'error' : 'other' });
	}
	const sitesInError: number[] = [];
	t.fi.sites.forEach((s, i) => {
		if (inErr(s.start)) sitesInError.push(i);
	});
	let scope: StructScope | undefined;
	const scopeOf = () => (scope ??= new StructScope(rootDir, file));
	const facts = t.fnNodes.map((n, i) => functionFacts(n, t.fi.functions[i]!, lineAt, inErr, scopeOf));
	const siteKinds: FileScan['siteKinds'] = [];
	const siteStructs: string[] = [];
	for (const site of t.fi.sites) {
		const at = site.start + (src.startsWith('->', site.start) ? 2 : 1);
		const node = root.descendantForIndex(at, at + site.field.length);
		const list = site.macro ? null : ancestor(node, 'initializer_list');
		let kind: FileScan['siteKinds'][number] = site.macro || list ? 'init' : 'assign';
		if (kind === 'assign') {
			// `x->mmap = fn` where fn is a parameter: a registration function, wired where it is called.
			const fn = ancestor(node, 'function_definition');
			const fd = fn && functionDeclarator(fn.childForFieldName('declarator'));
			if (fd && parameters(fd).some((p) => p.name === site.value)) kind = 'param';
		}
		siteKinds.push(kind);
		let struct = site.structType;
		if (!struct && !site.macro) {
			if (list) struct = initialiserType(list, scopeOf()) ?? '';
			else {
				// The owner when the scope sees its struct, else the declared type of the object.
				const fe = ancestor(node, 'field_expression');
				struct = (fe && (fieldOwner(fe, scopeOf()) ?? typeOf(fe.childForFieldName('argument'), scopeOf())?.name)) ?? '';
			}
		}
		siteStructs.push(struct);
	}
	return { index: t.fi, facts, errors, dropped, sitesInError, siteKinds, siteStructs };
}

function functionFacts(fn: Node, vf: FileIndex['functions'][number], lineAt: (i: number) => number, inErr: (i: number) => boolean, scopeOf: () => StructScope): FnFacts {
	const facts: FnFacts = { name: vf.name, start: vf.start, line: vf.line, isStatic: vf.isStatic, calls: [], escapes: [], sideEffects: [], errors: 0, inError: inErr(fn.startIndex) };
	const fd = functionDeclarator(fn.childForFieldName('declarator'));
	const vma = new Set(fd ? parameters(fd).filter((p) => p.type === 'struct vm_area_struct' && p.pointer && p.name).map((p) => p.name!) : []);
	const body = fn.childForFieldName('body');
	if (!body) return facts;
	const isVma = (n: Node | null): boolean => {
		while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) n = n.type === 'cast_expression' ? n.childForFieldName('value') : n.namedChildren[0] ?? null;
		return !!n && n.type === 'identifier' && vma.has(n.text);
	};
	/** does the expression's base (through -> . [] casts) name the vma? */
	const rootedInVma = (n: Node | null): boolean => {
		while (n) {
			if (n.type === 'identifier') return vma.has(n.text);
			if (n.type === 'field_expression' || n.type === 'subscript_expression') n = n.childForFieldName('argument');
			else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
			else if (n.type === 'cast_expression') n = n.childForFieldName('value');
			else if (n.type === 'pointer_expression') n = n.childForFieldName('argument');
			else return false;
		}
		return false;
	};
	const locals = new Set<string>();
	for (const d of body.descendantsOfType('declaration')) for (const dd of d.childrenForFieldName('declarator')) {
		let x: Node | null = dd;
		while (x && x.type !== 'identifier') x = x.childForFieldName('declarator') ?? (x.type === 'parenthesized_declarator' ? x.namedChildren[0] ?? null : null);
		if (x) locals.add(x.text);
	}
	const context = (n: Node) => {
		let loop = false;
		const arms: string[] = [];
		let returns = false;
		let x: Node = n;
		for (let p = n.parent; p && p.id !== fn.id; x = p, p = p.parent) {
			if (LOOP.has(p.type)) loop = true;
			else if (p.type === 'if_statement') {
				if (p.childForFieldName('condition')?.id !== x.id) arms.push(`if@${p.startIndex}:${p.childForFieldName('consequence')?.id === x.id ? 'then' : 'else'}`);
			} else if (p.type === 'case_statement') arms.push(`switch@${p.parent?.startIndex}:${p.startIndex}`);
			else if (p.type === 'conditional_expression') {
				if (p.childForFieldName('condition')?.id !== x.id) arms.push(`?@${p.startIndex}:${p.childForFieldName('consequence')?.id === x.id ? 'then' : 'else'}`);
			} else if (p.type === 'compound_statement') {
				// `list_for_each_entry(...) { ... }` parses as a call statement followed by a block.
				const prev = p.previousNamedSibling;
				const call = prev?.type === 'expression_statement' ? prev.namedChildren[0] : null;
				if (call?.type === 'call_expression' && /for_each|foreach/.test(call.childForFieldName('function')?.text ?? '')) loop = true;
			}
			if (p.type === 'return_statement' && x.id === n.id) returns = true;
		}
		return { loop, arms, returns };
	};
	for (const call of body.descendantsOfType('call_expression')) {
		const f = call.childForFieldName('function');
		const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
		const withVma = args.some(isVma);
		let callee = '';
		let via: CallFact['via'] = 'other';
		if (f?.type === 'identifier') {
			callee = f.text;
			via = 'name';
		} else if (f?.type === 'field_expression') {
			callee = f.childForFieldName('field')?.text ?? '';
			via = rootedInVma(f.childForFieldName('argument')) ? 'vma-field' : 'field';
		} else callee = (f?.text ?? '').replace(/\s+/g, ' ');
		if (!withVma && !(via === 'name' && (isSideEffect(callee) || PAGE_TABLE.has(callee)))) continue;
		let ret = call as Node;
		while (ret.parent && (ret.parent.type === 'parenthesized_expression' || ret.parent.type === 'cast_expression')) ret = ret.parent;
		const c = context(call);
		const fact: CallFact = { callee, via, vma: withVma, loop: c.loop, arms: c.arms, returns: ret.parent?.type === 'return_statement', line: lineAt(call.startIndex) };
		if (via === 'field' && withVma && f) {
			const owner = fieldOwner(f, scopeOf());
			if (owner) fact.owner = owner;
		}
		facts.calls.push(fact);
	}
	for (const id of body.descendantsOfType('identifier')) {
		if (!vma.has(id.text)) continue;
		const p = id.parent;
		if (!p) continue;
		if (p.type === 'field_expression' && p.childForFieldName('argument')?.id === id.id) {
			const field = p.childForFieldName('field')?.text ?? '';
			const a = p.parent;
			const written = (a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === p.id) || a?.type === 'update_expression';
			if (written && !VMA_WRITE.has(field)) facts.escapes.push(`writes vma->${field} (line ${lineAt(p.startIndex)})`);
			else if (!written && !VMA_READ.has(field)) facts.escapes.push(`uses vma->${field} (line ${lineAt(p.startIndex)})`);
			continue;
		}
		if (p.type === 'argument_list') continue; // a call's argument: see the calls
		if (p.type === 'assignment_expression' && p.childForFieldName('right')?.id === id.id) facts.escapes.push(`stores the vma: ${firstLine(p.text)} (line ${lineAt(p.startIndex)})`);
		else if (p.type === 'init_declarator' && p.childForFieldName('value')?.id === id.id) facts.escapes.push(`copies the vma pointer: ${firstLine(p.text)} (line ${lineAt(p.startIndex)})`);
		else if (p.type === 'initializer_list' || p.type === 'initializer_pair') facts.escapes.push(`stores the vma in an initialiser (line ${lineAt(p.startIndex)})`);
		else if (p.type === 'return_statement') facts.escapes.push(`returns the vma (line ${lineAt(p.startIndex)})`);
	}
	const writes = [...body.descendantsOfType('assignment_expression').map((a) => a.childForFieldName('left')), ...body.descendantsOfType('update_expression').map((u) => u.childForFieldName('argument'))];
	for (const left of writes) {
		if (!left || (left.type !== 'field_expression' && left.type !== 'subscript_expression' && left.type !== 'pointer_expression')) continue;
		if (rootedInVma(left)) continue; // the vma's own fields: see above
		// A local struct value (`desc.x = ...`) is not state; anything reached through a pointer is.
		const base = left.childForFieldName('argument');
		const op = left.childForFieldName('operator')?.text ?? (left.text.includes('->') ? '->' : '.');
		if (left.type === 'field_expression' && base?.type === 'identifier' && locals.has(base.text) && op === '.') continue;
		if (left.type === 'subscript_expression' && base?.type === 'identifier' && locals.has(base.text)) continue;
		facts.sideEffects.push(`writes ${firstLine(left.text)} (line ${lineAt(left.startIndex)})`);
	}
	for (const c of facts.calls) if (c.via === 'name' && isSideEffect(c.callee)) facts.sideEffects.push(`${c.callee}() (line ${c.line})`);
	facts.errors = body.descendantsOfType('ERROR').length;
	return facts;
}

const firstLine = (s: string) => s.split('\n')[0]!.trim().slice(0, 80);

// ---------------------------------------------------------------- the pool task

export interface CorpusEntry {
	file: string;
	flags: number;
	data: Uint8Array;
	/** the identifiers with "mmap" written before a `(` (mentions.ts filesCalling()) */
	tokens?: string[];
}

/**
 * Read a slice of the tree once: keep the files that mention "mmap" (the
 * run's corpus), the files that name one of macroNames (macro-generated
 * wiring), and parse + analyse the index candidates under the targets.
 */
export interface ScanTask {
	kind: 'scan';
	root: string;
	files: string[];
	/** tree-relative folders or files whose candidates are parsed ('.' = all) */
	targets: string[];
	macroNames: string[];
	/** parse whole files, not only their relevant parts (relevantRanges()) */
	fullParse?: boolean;
	/** index and analyse every file given (as addFile() would), keep no corpus: definitions found later */
	parseAll?: boolean;
	/** find each file's hook fields for the plan's chainKeys() (FileIndex.hookFields) */
	hookFields?: boolean;
}

export interface ScanResult {
	kind: 'scan';
	files: number;
	bytes: number;
	corpus: CorpusEntry[];
	macroFiles: CorpusEntry[];
	scanned: FileScan[];
	unreadable: string[];
	/** files over MAX_PARSE_BYTES that would have been parsed (they are not) */
	tooLarge: string[];
	/** files that could not be read at all (path, errno code) */
	unreadableFiles: Array<[string, string]>;
	/** bytes parsed */
	parsed: number;
	/** milliseconds spent reading, parsing + indexing, analysing */
	ms: { read: number; parse: number; analyze: number };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MMAP = Buffer.from('mmap');

export function underTargets(file: string, targets: string[]): boolean {
	return targets.some((t) => t === '.' || t === '' || file === t || file.startsWith(`${t}/`));
}

export function scanFileTask(t: ScanTask): ScanResult {
	const out: ScanResult = { kind: 'scan', files: 0, bytes: 0, corpus: [], macroFiles: [], scanned: [], unreadable: [], tooLarge: [], unreadableFiles: [], parsed: 0, ms: { read: 0, parse: 0, analyze: 0 } };
	const t0 = performance.now();
	const chars0 = parseStats.chars;
	const macros = t.macroNames.map((n) => Buffer.from(n));
	// One search for a piece all the names share (e.g. "OPS"), then the names, in the few files that have it.
	const common = commonPiece(t.macroNames);
	const commonBuf = common ? Buffer.from(common) : undefined;
	for (const file of t.files) {
		const buf = readShared(path.join(t.root, file), (code) => {
			if (code !== 'ENOENT') out.unreadableFiles.push([file, code]);
		});
		if (!buf) continue;
		out.files++;
		out.bytes += buf.length;
		if (t.parseAll) {
			if (buf.length > MAX_PARSE_BYTES) {
				out.tooLarge.push(file);
				continue;
			}
			let src: string;
			try {
				src = utf8.decode(buf);
			} catch {
				out.unreadable.push(file);
				continue;
			}
			out.scanned.push(mayHoldHooks(src) ? scanSource(t.root, file, src, out.ms, !t.fullParse, t.hookFields) : emptyScan(file));
			continue;
		}
		const mm = buf.indexOf(MMAP) !== -1;
		if (!mm) {
			if (macros.length && (!commonBuf || buf.indexOf(commonBuf) !== -1) && macros.some((m) => buf.indexOf(m) !== -1)) out.macroFiles.push({ file, flags: 0, data: Uint8Array.prototype.slice.call(buf) });
			continue;
		}
		const own = Uint8Array.prototype.slice.call(buf) as Uint8Array;
		const latin1 = Buffer.from(own.buffer, own.byteOffset, own.byteLength).toString('latin1');
		out.corpus.push({ file, flags: 1, data: own, tokens: mmapCallWords(latin1) });
		if (!underTargets(file, t.targets)) continue;
		if (!isIndexCandidate(latin1)) continue;
		if (own.length > MAX_PARSE_BYTES) {
			out.tooLarge.push(file);
			continue;
		}
		let src: string;
		try {
			src = utf8.decode(own);
		} catch {
			out.unreadable.push(file);
			continue;
		}
		out.scanned.push(scanSource(t.root, file, src, out.ms, !t.fullParse, t.hookFields));
	}
	out.ms.read = performance.now() - t0 - out.ms.parse - out.ms.analyze;
	out.parsed = parseStats.chars - chars0;
	return out;
}

/**
 * The parts of a file worth parsing for the scan: the top-level items (a
 * kernel-style file closes each function and initialiser with a `}` in
 * column 0) that hold a wiring match, a call through a field named *mmap* or
 * the words vm_area_struct, merged; undefined when that is most of the file.
 * Everything the index takes from a file (its sites and the functions that
 * take a vma) lies inside such items, so parsing only them gives the same
 * index, faster.
 */
export function relevantRanges(src: string): SourceRange[] | undefined {
	const keep: Array<[number, number]> = [];
	let kept = 0;
	for (const [a, b] of topLevelItems(src)) {
		const part = src.slice(a, b);
		if (!part.includes('vm_area_struct') && !RELEVANT.some((re) => re.test(part))) {
			// Keep the conditionals of a left-out item, so that #if/#endif still pair up.
			for (const m of part.matchAll(/^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b[^\n]*(?:\\\n[^\n]*)*\n?/gm)) keep.push([a + m.index!, a + m.index! + m[0].length]);
			continue;
		}
		keep.push([a, b]);
		kept += b - a;
	}
	if (kept > src.length * 0.6) return undefined;
	return toRanges(src, keep);
}
const RELEVANT = [/(\.|->)\w*mmap\w*\b\s*=(?!=)\s*[A-Za-z_]/, /(?:->|\.)\s*\w*mmap\w*\s*\(/];

/** What addFile() records for a file that cannot hold a hook. */
export function emptyScan(file: string): FileScan {
	return { index: { file, sites: [], functions: [], parseErrors: 0 }, facts: [], errors: [], dropped: [], sitesInError: [], siteKinds: [], siteStructs: [] };
}

/** The longest piece (3 characters or more) that every name contains, if any. */
export function commonPiece(names: string[]): string | undefined {
	if (!names.length) return undefined;
	const shortest = names.reduce((a, b) => (b.length < a.length ? b : a));
	for (let len = shortest.length; len >= 3; len--)
		for (let i = 0; i + len <= shortest.length; i++) {
			const piece = shortest.slice(i, i + len);
			if (names.every((n) => n.includes(piece))) return piece;
		}
	return undefined;
}

/** Parse (the relevant parts of) one file and analyse it. */
export function scanSource(rootDir: string, file: string, src: string, ms?: ScanResult['ms'], partial = true, hookFields = false): FileScan {
	const t0 = performance.now();
	const ranges = partial ? relevantRanges(src) : undefined;
	const tree = parseC(src, ranges);
	try {
		const root = tree.rootNode;
		const t = indexTree(file, src, root);
		const t1 = performance.now();
		const a = analyzeTree(rootDir, file, src, root, t);
		const keys = hookFields ? hookFieldsOnParse(rootDir, src, root, t.fi, ranges !== undefined) : undefined;
		if (keys) t.fi.hookFields = keys;
		if (ms) {
			ms.parse += t1 - t0;
			ms.analyze += performance.now() - t1;
		}
		return a;
	} finally {
		tree.delete();
	}
}
