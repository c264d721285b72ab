// dup.h's items: everything after the "DUPLICATED from kernel source … must be
// kept in sync" comment, split by the text scanner (src/dup/scan.ts), and a
// cross-check of the scanner's kinds and names against tree-sitter.
import { walk, withTree, type Node } from '../../c/parser.js';
import { scanItems, type ItemKind, type ScannedItem } from './scan.js';

export type DupItem = ScannedItem;

export const DUP_PATH = 'tools/testing/vma/include/dup.h';

/**
 * The comment that opens the duplicated part of dup.h ("…DUPLICATED from
 * kernel source…" / "These must be kept in sync…"): its start and end
 * offsets, or null when the file has no such comment.
 */
export function findMarker(source: string): { start: number; end: number } | null {
	const re = /\/\*(?:(?!\*\/)[\s\S])*?(?:DUPLICATED|must be kept in sync)[\s\S]*?\*\//;
	const m = re.exec(source);
	return m ? { start: m.index, end: m.index + m[0].length } : null;
}

/**
 * Top-level items of dup.h after the DUPLICATED marker (of the whole text when
 * there is no marker, e.g. a fixture): #define (one per #if branch, with its
 * condition), struct, union, enum (anonymous: `anon-enum(FIRST)`), typedef,
 * function definition, prototype, variable.
 */
export function splitItems(source: string): DupItem[] {
	return scanItems(source, findMarker(source)?.end ?? 0);
}

export interface TreeDisagreement {
	line: number;
	scanner: { kind: ItemKind; name: string };
	treeSitter: { kind: string; name: string } | null;
}

/**
 * Compare the scanner's kind and name of every code item with what
 * tree-sitter makes of the same text.  initParser() must have been awaited.
 * tree-sitter cannot know kernel macros, so it misreads some items (e.g.
 * `typedef int __bitwise vma_flag_t;` becomes a typedef of `__bitwise`); those
 * come back as disagreements with treeSitter null or a different name.
 */
export function crossCheckWithTree(source: string, items: DupItem[]): TreeDisagreement[] {
	return withTree(source, (root) => {
		const byStart = new Map<number, Node>();
		for (const n of walk(root)) {
			if (n.parent && !isContainer(n.parent)) continue;
			if (!byStart.has(n.startIndex) && n.type !== 'comment') byStart.set(n.startIndex, n);
		}
		const out: TreeDisagreement[] = [];
		for (const it of items) {
			if (it.kind === 'define') continue;
			const node = byStart.get(it.start);
			const ts = node ? describeNode(node) : null;
			if (!ts || ts.kind !== it.kind || ts.name !== it.name) out.push({ line: it.line, scanner: { kind: it.kind, name: it.name }, treeSitter: ts });
		}
		return out;
	});
}

const isContainer = (n: Node) => ['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef'].includes(n.type);

function identifierIn(n: Node | null): string | undefined {
	for (let cur = n; cur; ) {
		if (cur.type === 'identifier' || cur.type === 'type_identifier') return cur.text;
		cur = cur.childForFieldName('declarator');
	}
	return undefined;
}

function describeNode(n: Node): { kind: string; name: string } | null {
	const spec = (s: Node): { kind: string; name: string } | null => {
		const kind = s.type.replace('_specifier', '');
		const name = s.childForFieldName('name')?.text;
		if (name) return { kind, name };
		if (kind === 'enum') {
			const first = s.childForFieldName('body')?.namedChildren.find((c) => c?.type === 'enumerator');
			const id = first?.childForFieldName('name')?.text;
			if (id) return { kind, name: `anon-enum(${id})` };
			const call = s.childForFieldName('body')?.descendantsOfType('identifier')[0];
			return call ? { kind, name: `anon-enum(${call.text})` } : null;
		}
		return null;
	};
	switch (n.type) {
		case 'function_definition': {
			const fd = n.descendantsOfType('function_declarator')[0];
			const name = identifierIn(fd?.childForFieldName('declarator') ?? null);
			return name ? { kind: 'function', name } : null;
		}
		case 'type_definition': {
			const name = identifierIn(n.childForFieldName('declarator'));
			return name ? { kind: 'typedef', name } : null;
		}
		case 'struct_specifier':
		case 'union_specifier':
		case 'enum_specifier':
			return spec(n);
		case 'declaration': {
			const type = n.childForFieldName('type');
			const decl = n.childForFieldName('declarator');
			if (type && /_specifier$/.test(type.type) && type.childForFieldName('body') && (!decl || /^__/.test(decl.text))) return spec(type);
			if (decl?.type === 'function_declarator') {
				const name = identifierIn(decl.childForFieldName('declarator'));
				return name ? { kind: 'prototype', name } : null;
			}
			const name = identifierIn(decl);
			return name ? { kind: 'variable', name } : null;
		}
		default:
			return null;
	}
}
