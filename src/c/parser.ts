// tree-sitter (wasm build) loader. One parser per thread; callers must
// delete() every tree they get back, wasm memory is not garbage collected.
import { createRequire } from 'node:module';
import { Parser, Language, Query, type Node, type Tree } from 'web-tree-sitter';

export type { Node, Tree };

let parser: Parser | undefined;

export async function initParser(): Promise<Parser> {
	if (parser) return parser;
	await Parser.init();
	const wasm = createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm');
	const lang = await Language.load(wasm);
	parser = new Parser();
	parser.setLanguage(lang);
	return parser;
}

/** Has initParser() completed on this thread? */
export function parserReady(): boolean {
	return parser !== undefined;
}

/** How much this thread has parsed (for reports of the work a run did). */
export const parseStats = { parses: 0, chars: 0 };

/** A part of a source to parse (string indices; rows and columns 0-based, columns in string units). */
export interface SourceRange {
	startIndex: number;
	endIndex: number;
	startPosition: { row: number; column: number };
	endPosition: { row: number; column: number };
}

/**
 * Parse C source; the returned tree must be deleted by the caller. With
 * ranges, only those parts are parsed (node positions stay the source's).
 */
export function parseC(source: string, ranges?: SourceRange[]): Tree {
	if (!parser) throw new Error('initParser() must be awaited before parseC()');
	parseStats.parses++;
	parseStats.chars += ranges ? ranges.reduce((n, r) => n + r.endIndex - r.startIndex, 0) : source.length;
	const tree = ranges ? parser.parse(source, null, { includedRanges: ranges }) : parser.parse(source);
	if (!tree) throw new Error('tree-sitter returned no tree');
	return tree;
}

const queries = new Map<string, Query>();
/** Nodes captured by a (cached) tree-sitter query, in document order. Much cheaper than walking every node from JS. */
export function captures(root: Node, pattern: string): Array<{ name: string; node: Node }> {
	let q = queries.get(pattern);
	if (!q) {
		if (!parser?.language) throw new Error('initParser() must be awaited before captures()');
		queries.set(pattern, (q = new Query(parser.language, pattern)));
	}
	return q.captures(root);
}

/** Comments and string/char literals replaced by spaces (offsets and newlines kept). */
export function stripComments(text: string): string {
	return text.replace(/\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|"(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

/**
 * The top-level items of a kernel-style C file as [start, end) ranges: an
 * item ends with a line that starts with `}` (the end of a function, a struct
 * or an initialiser) outside block comments and macro continuations. Text
 * between items (prototypes, includes) belongs to the next item.
 */
export function topLevelItems(src: string): Array<[number, number]> {
	const items: Array<[number, number]> = [];
	let start = 0;
	let inComment = false;
	const comments = new BlockComments(src);
	let continued = false;
	/** a `}` line whose declaration goes on (`} NAME,`): the item ends with the line that ends with `;` */
	let pending = false;
	for (let bol = 0; bol < src.length; ) {
		let eol = src.indexOf('\n', bol);
		if (eol === -1) eol = src.length;
		const closes = !inComment && !continued && src.charCodeAt(bol) === 125; /* } */
		if (closes || (pending && !inComment)) {
			const tail = src.slice(bol, eol).replace(/\/\*.*?\*\/|\/\/.*$/g, '').trimEnd();
			// `}` alone, then `NAME;` on the next line: a typedef's name, part of the item.
			const nameNext = tail === '}' && /^[ \t]*[A-Za-z_]\w*(?:[ \t]*,[ \t]*\*?[ \t]*[A-Za-z_]\w*)*[ \t]*;/.test(src.slice(eol + 1, eol + 200));
			if (nameNext) pending = true;
			else if (tail === '}' || tail.endsWith(';')) {
				items.push([start, Math.min(eol + 1, src.length)]);
				start = eol + 1;
				pending = false;
			} else if (closes) pending = true;
		}
		// Block comments across lines (strings and // comments are rare enough to ignore here).
		inComment = comments.after(bol, eol);
		continued = eol > bol && src.charCodeAt(eol - 1) === 92; /* backslash */
		bol = eol + 1;
	}
	if (start < src.length) items.push([start, src.length]);
	return items;
}

/**
 * Whether each line of a source, taken in order, ends inside a block comment.
 * The next `/*` and `*\/` are searched for once and kept until passed: a
 * search per line would scan to the next comment, far ahead in code without.
 */
export class BlockComments {
	private inside = false;
	private nextOpen = -2;
	private nextClose = -2;
	constructor(private readonly src: string) {}
	/** Is the text after the line [bol, eol) inside a block comment? Lines must come in order. */
	after(bol: number, eol: number): boolean {
		for (let i = bol; ; ) {
			const at = this.inside ? (this.nextClose = this.find('*/', this.nextClose, i)) : (this.nextOpen = this.find('/*', this.nextOpen, i));
			if (at === -1 || at >= eol) break;
			this.inside = !this.inside;
			i = at + 2;
		}
		return this.inside;
	}
	private find(needle: string, cached: number, from: number): number {
		return cached === -1 || cached >= from ? cached : this.src.indexOf(needle, from);
	}
}

/** Parse ranges for some [start, end) spans of a source (adjacent spans merged). */
export function toRanges(src: string, spans: Array<[number, number]>): SourceRange[] {
	const merged: Array<[number, number]> = [];
	for (const [a, b] of spans) {
		const last = merged[merged.length - 1];
		if (last && last[1] === a) last[1] = b;
		else merged.push([a, b]);
	}
	// Spans come in order: count the newlines once, forwards.
	let row = 0;
	let at = 0;
	const pos = (i: number) => {
		for (let j = src.indexOf('\n', at); j !== -1 && j < i; j = src.indexOf('\n', j + 1)) {
			row++;
			at = j + 1;
		}
		return { row, column: i - (src.lastIndexOf('\n', i - 1) + 1) };
	};
	return merged.map(([a, b]) => ({ startIndex: a, endIndex: b, startPosition: pos(a), endPosition: pos(b) }));
}

/** Run fn on the parsed tree of source and free the tree afterwards. */
export function withTree<T>(source: string, fn: (root: Node) => T): T {
	const tree = parseC(source);
	try {
		return fn(tree.rootNode);
	} finally {
		tree.delete();
	}
}

/** 1-based line number of a string index. */
export function lineOf(source: string, index: number): number {
	let line = 1;
	for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
	return line;
}

/** Depth-first walk over named descendants (including node itself). */
export function* walk(node: Node): Generator<Node> {
	const stack: Node[] = [node];
	while (stack.length) {
		const n = stack.pop()!;
		yield n;
		const kids = n.namedChildren;
		for (let i = kids.length - 1; i >= 0; i--) {
			const k = kids[i];
			if (k) stack.push(k);
		}
	}
}
