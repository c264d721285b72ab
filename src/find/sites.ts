// The index's entry for one file: its old-style mmap wiring sites and the
// functions that take a struct vm_area_struct *, found on one parse.
import { captures, withTree, type Node, type SourceRange } from '../c/parser.js';
import { ancestor, declaredName, functionDeclarator, hasStorageClass, parameters } from '../c/node.js';
import type { WiringSite } from '../base/types.js';
import { lineMap } from '../base/text.js';
import { initialiserType } from './initialisers.js';

/** A function definition that takes a struct vm_area_struct *. */
export interface VmaFunction {
	name: string;
	file: string;
	line: number;
	start: number; // function_definition range
	end: number;
	isStatic: boolean;
}

export interface FileIndex {
	file: string;
	sites: WiringSite[];
	functions: VmaFunction[];
	/** ERROR nodes tree-sitter reported in the file */
	parseErrors: number;
	/** the nested hook fields (struct.field) it reaches, when the worker that indexed it found them (chainkeys.ts) */
	hookFields?: string[];
	/** set when the file is not UTF-8: it was indexed as Latin-1 so that its hooks are reported (and refused), with why */
	notUtf8?: string;
}

// `.mmap = fn` in initialisers and `x->ops.mmap = fn` / `x->mmap = fn` assignments,
// for any field whose name has mmap in it (fb_mmap, map_mmap, mmap_ring_buffer...).
const SITE_RE = /(\.|->)(\w*mmap\w*)\b(\s*)=(?!=)(\s*)([A-Za-z_]\w*)/g;

/** ERROR nodes and function definitions, in document order. */
const INDEX_QUERY = '(ERROR) @error (function_definition) @fn';

/** What indexing a parsed file yields, with the nodes an analysis of the same parse may want. */
export interface IndexedTree {
	fi: FileIndex;
	/** the function_definition of each fi.functions[i] */
	fnNodes: Node[];
	/** every ERROR node, in document order */
	errorNodes: Node[];
}

/** Index a parsed file: its wiring sites, the functions that take a vma, its ERROR count. */
export function indexTree(file: string, src: string, root: Node): IndexedTree {
	const lineAt = lineMap(src);
	const sites: WiringSite[] = [];
	for (const m of src.matchAll(SITE_RE)) {
		const at = m.index! + m[1]!.length; // the field name
		const node = root.descendantForIndex(at, at + m[2]!.length);
		if (!node || ancestor(node, 'comment', 'string_literal', 'string_content', 'char_literal')) continue;
		if (m[5] === 'NULL' || m[2]!.includes('prepare')) continue;
		const site: WiringSite = {
			file,
			line: lineAt(m.index!),
			structType: '',
			field: m[2]!,
			value: m[5]!,
			start: m.index!,
			end: m.index! + m[0].length,
		};
		const macro = ancestor(node, 'preproc_def', 'preproc_function_def');
		if (macro) {
			site.macro = macro.childForFieldName('name')?.text ?? '?';
			const before = src.slice(macro.startIndex, m.index!);
			site.structType = [...before.matchAll(/struct\s+(\w+)\s*\w*\s*(?:\[\s*\w*\s*\])?\s*=\s*\{|\(\s*struct\s+(\w+)\s*\)\s*\{/g)].map((x) => x[1] ?? x[2]).pop() ?? '';
		} else {
			const list = ancestor(node, 'initializer_list');
			if (list) site.structType = initialiserType(list) ?? '';
			else if (!ancestor(node, 'assignment_expression')) continue; // e.g. a call argument, not wiring
		}
		sites.push(site);
	}
	const functions: VmaFunction[] = [];
	const fnNodes: Node[] = [];
	const errorNodes: Node[] = [];
	for (const { name: cap, node: n } of captures(root, INDEX_QUERY)) {
		if (cap === 'error') {
			errorNodes.push(n);
			continue;
		}
		const fd = functionDeclarator(n.childForFieldName('declarator'));
		const name = declaredName(fd?.childForFieldName('declarator') ?? null);
		if (!fd || !name) continue;
		if (!parameters(fd).some((p) => p.type === 'struct vm_area_struct' && p.pointer)) continue;
		functions.push({
			name: name.text,
			file,
			line: lineAt(n.startIndex),
			start: n.startIndex,
			end: n.endIndex,
			isStatic: hasStorageClass(n, 'static'),
		});
		fnNodes.push(n);
	}
	return { fi: { file, sites, functions, parseErrors: errorNodes.length }, fnNodes, errorNodes };
}

export function indexSource(file: string, src: string): FileIndex {
	return withTree(src, (root) => indexTree(file, src, root).fi);
}

/** Cheap byte test before parsing: only files that mention mmap can wire or define a hook. */
export function mayHoldHooks(src: string): boolean {
	return src.includes('mmap') || src.includes('vm_area_struct');
}

export interface TreeIndex {
	root: string;
	files: Map<string, FileIndex>;
	/** files that could not be read as UTF-8 */
	unreadable: string[];
	/** the run's extra work on every file addFile() indexes (the scan's) */
	analyzer?: FileAnalyzer;
	/** what the run's lookups learnt, for its later questions (memoOf()) */
	memo?: IndexMemo;
}

/** A call through a file_operations pointer held in a struct field (fops-callers.ts). */
export interface DirectCaller {
	/** the struct field that holds the file_operations pointer, e.g. "fops" */
	field: string;
	/** the struct that has that field, e.g. "drm_driver" */
	owner: string;
	where: string;
}

/**
 * What one run's lookups over the tree learnt, kept with its index (not in
 * module state keyed by the tree's root): it lives and dies with the run.
 */
export interface IndexMemo {
	/** folder -> its source files (findDefinitions() widening its search) */
	listings: Map<string, string[]>;
	/** the direct fops callers of the tree (fops-callers.ts) */
	fopsCallers?: DirectCaller[];
	/** field of a direct caller -> the corpus files that store into it, by the name stored */
	fopsStores: Map<string, Map<string, Array<{ file: string; text: string }>>>;
}

export function memoOf(index: TreeIndex): IndexMemo {
	return (index.memo ??= { listings: new Map(), fopsStores: new Map() });
}

/**
 * More work to do on the parse of every file addFile() indexes (the scan's
 * per-function facts), and optionally which parts of a file to parse (the
 * scan parses only the top-level items that can hold what the index takes).
 */
export interface FileAnalyzer {
	analyze(file: string, src: string, root: Node, indexed: IndexedTree): void;
	ranges?(src: string): SourceRange[] | undefined;
}


/**
 * Can the file matter to a plan before anything asks for it? Only if it wires
 * a hook (SITE_RE) or calls through a field named *mmap* (what chainKeys()
 * looks for in the targets). Both need "mmap" in the file.
 */
export function isIndexCandidate(src: string): boolean {
	if (!src.includes('mmap')) return false;
	SITE_RE.lastIndex = 0;
	const site = SITE_RE.test(src);
	SITE_RE.lastIndex = 0;
	return site || FIELD_CALL_RE.test(src);
}
const FIELD_CALL_RE = /(?:->|\.)\s*\w*mmap\w*\s*\(/;
