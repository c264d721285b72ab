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

/** How much this thread has parsed (for reports of the work a run did). */
export const parseStats = { parses: 0, chars: 0 };

/** Parse C source; the returned tree must be deleted by the caller. */
export function parseC(source: string): Tree {
	if (!parser) throw new Error('initParser() must be awaited before parseC()');
	parseStats.parses++;
	parseStats.chars += source.length;
	const tree = parser.parse(source);
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
