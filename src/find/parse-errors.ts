// Regions of a file that tree-sitter could not parse, as a whole-file parse
// sees them. The plan parses only the items a question is about, and an item
// cut out of a file can parse cleanly where the whole file does not (an
// unclosed `{` in an earlier function swallows every later one: the hook is
// then a nested declaration, or part of an ERROR). A hook whose definition or
// wiring lies in such a region is refused with the region's lines, the same
// way in `mmapify` and `mmapify scan`, whatever parse answered the rest.
// Errors inside a hook that is itself a top-level item (container_of() with
// a type argument, an annotation macro) are the rewrite's business, as
// before: it claims every use of the vma or refuses.
import { stripComments, withTree, type Node } from '../c/parser.js';
import { readSource } from '../kernel/tree.js';

/** Nodes whose children are top-level items: the file, preprocessor conditionals, extern "C" blocks. */
const CONTAINERS = new Set([
	'translation_unit',
	'preproc_if',
	'preproc_ifdef',
	'preproc_else',
	'preproc_elif',
	'preproc_elifdef',
	'linkage_specification',
	'declaration_list',
]);

export interface ErrorRegion {
	/** string indices of the item */
	start: number;
	end: number;
	/** its lines, 1-based, inclusive */
	firstLine: number;
	lastLine: number;
	/** the item is a function definition (its errors are inside it) */
	isFunction: boolean;
}

/** The top-level items of a parsed file that hold an error (an ERROR node or a missing token). */
export function errorRegions(root: Node): ErrorRegion[] {
	const out: ErrorRegion[] = [];
	const visit = (n: Node) => {
		for (const c of n.children) {
			if (!c || !c.hasError) continue;
			if (CONTAINERS.has(c.type) && !c.isError) visit(c);
			else
				out.push({
					start: c.startIndex,
					end: c.endIndex,
					firstLine: c.startPosition.row + 1,
					lastLine: c.endPosition.row + (c.endPosition.column === 0 && c.endPosition.row > c.startPosition.row ? 0 : 1),
					isFunction: c.type === 'function_definition',
				});
		}
	};
	if (root.hasError) visit(root);
	return out;
}

/** The last sources' regions, by text (the plan asks about the same file several times in a row). */
const cache = new Map<string, ErrorRegion[]>();

/** The error regions of a file (one whole-file parse per text, remembered). */
export function fileErrorRegions(root: string, file: string): ErrorRegion[] {
	const src = readSource(root, file);
	if (src === undefined) return [];
	let r = cache.get(src);
	if (!r) {
		r = withTree(src, errorRegions);
		if (cache.size >= 64) cache.delete(cache.keys().next().value!);
		cache.set(src, r);
	}
	return r;
}

/** The error region that holds string index at of file, if any. */
export function errorRegionAt(root: string, file: string, at: number): ErrorRegion | undefined {
	return fileErrorRegions(root, file).find((r) => r.start <= at && at < r.end);
}

/**
 * The region the function defined at fnStart is swallowed by: an error
 * region that holds it without being the function itself (an unclosed
 * function or initialiser before it, an ERROR around it). The whole-file
 * parse is only needed when the text before the function does not close
 * every brace and parenthesis it opens (comments, strings and preprocessor
 * lines left out); the answer is the same in every mode of the run.
 */
export function swallowingRegion(root: string, file: string, fnStart: number): ErrorRegion | undefined {
	const src = readSource(root, file);
	if (src === undefined || depthBefore(src, fnStart) === 0) return undefined;
	const r = errorRegionAt(root, file, fnStart);
	return r && !(r.isFunction && r.start === fnStart) ? r : undefined;
}

const stripped = new Map<string, string>();

/** Braces and parentheses open at index at (outside comments, strings and preprocessor lines). */
export function depthBefore(src: string, at: number): number {
	let text = stripped.get(src);
	if (text === undefined) {
		// preprocessor lines, with their continuations, count for nothing: #if/#else arms may each open a brace
		text = stripComments(src).replace(/^[ \t]*#(?:[^\n]*\\\n)*[^\n]*/gm, (m) => m.replace(/[^\n]/g, ' '));
		if (stripped.size > 32) stripped.delete(stripped.keys().next().value!);
		stripped.set(src, text);
	}
	let depth = 0;
	for (let i = 0; i < at && i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 123 /* { */ || c === 40 /* ( */) depth++;
		else if (c === 125 /* } */ || c === 41 /* ) */) depth--;
	}
	return depth;
}

/** "drivers/x.c:5-20, which tree-sitter could not parse" */
export function describeRegion(file: string, r: ErrorRegion): string {
	return `${file}:${r.firstLine}-${r.lastLine}, which tree-sitter could not parse`;
}
