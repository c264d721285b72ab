// Parsing only the parts of a file a question is about. The plan asks about a
// few functions, initialisers or field uses of files that are often large;
// parsing just the top-level items that hold them (plus the preprocessor
// conditionals around them) gives the same nodes at the same positions at a
// fraction of the cost. When the parts do not parse as they would in the whole
// file, the whole file is parsed: the answer is then always a whole parse's.
import { escapeRegExp } from '../base/text.js';
import { BlockComments, parseC, toRanges, topLevelItems, withTree, type Node } from './parser.js';

/** MMAPIFY_FULL_PARSE=1: every tree is a whole file's (to check that parsing only some items changes nothing). */
const wholeFilesOnly = process.env.MMAPIFY_FULL_PARSE === '1';

/** What a caller of withItemsTree() looks at: places in the source, and words (identifiers) it searches for. */
export interface Focus {
	at?: number[];
	words?: string[];
}

/** Returned by withItemsTree()'s callback: the answer needs the whole file (e.g. a global declared in another item). */
export const WHOLE_FILE = Symbol('whole file');

type Span = [number, number];

/** A preprocessor conditional: the lines of its #if/#ifdef/#ifndef, #elif/#else and #endif. */
interface Conditional {
	lines: Span[];
	start: number;
	end: number;
}

interface Layout {
	items: Span[];
	conditionals: Conditional[];
}

/** The last few sources' layouts (the plan looks at the same file several times in a row). */
const layouts = new Map<string, Layout>();
function layoutOf(src: string): Layout {
	let l = layouts.get(src);
	if (!l) {
		if (layouts.size >= 64) layouts.delete(layouts.keys().next().value!);
		layouts.set(src, (l = { items: topLevelItems(src), conditionals: conditionals(src) }));
	}
	return l;
}

/** Every conditional of a source, outside block comments; continuation lines belong to their directive. */
function conditionals(src: string): Conditional[] {
	const out: Conditional[] = [];
	const open: Conditional[] = [];
	let inComment = false;
	const comments = new BlockComments(src);
	for (let bol = 0; bol < src.length; ) {
		let eol = src.indexOf('\n', bol);
		if (eol === -1) eol = src.length;
		if (!inComment) {
			const m = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b/.exec(src.slice(bol, Math.min(eol, bol + 40)));
			if (m) {
				while (eol < src.length && src.charCodeAt(eol - 1) === 92 /* backslash */) {
					const next = src.indexOf('\n', eol + 1);
					eol = next === -1 ? src.length : next;
				}
				const line: Span = [bol, Math.min(eol + 1, src.length)];
				const kind = m[1]!;
				if (kind.startsWith('if')) open.push({ lines: [line], start: bol, end: line[1] });
				else if (open.length) {
					const c = open[open.length - 1]!;
					c.lines.push(line);
					c.end = line[1];
					if (kind === 'endif') out.push(open.pop()!);
				}
			}
		}
		inComment = comments.after(bol, eol);
		bol = eol + 1;
	}
	return out;
}


/**
 * The parts to parse for a focus: the items that hold it, and the lines of
 * every conditional that encloses one of them or has a line inside one (so
 * that no conditional is cut in half), in order and merged.
 */
function partsFor(src: string, focus: Focus): Span[] {
	const { items, conditionals } = layoutOf(src);
	const word = focus.words?.length ? new RegExp(`\\b(?:${focus.words.map(escapeRegExp).join('|')})\\b`) : undefined;
	const at = focus.at ?? [];
	const chosen = items.filter(([a, b]) => at.some((i) => a <= i && i < b) || (word !== undefined && word.test(src.slice(a, b))));
	if (!chosen.length) return [];
	const inChosen = (i: number) => chosen.some(([a, b]) => a <= i && i < b);
	const extra: Span[] = [];
	for (const c of conditionals) {
		const touches = chosen.some(([a, b]) => c.start < b && a < c.end);
		if (!touches) continue;
		for (const line of c.lines) if (!inChosen(line[0])) extra.push(line);
	}
	const parts: Span[] = [];
	for (const p of [...chosen, ...extra].sort((x, y) => x[0] - y[0])) if (!parts.length || p[0] >= parts[parts.length - 1]![1]) parts.push(p);
	return parts;
}

/**
 * Run fn on a tree of only the top-level items of source that hold one of the
 * places or words of focus (positions stay the source's), and free the tree.
 * The whole file is parsed instead when the parts show a sign of having been
 * cut out (see cutMarks()), when nothing matches, or when fn returns
 * WHOLE_FILE (it must not have changed anything before).
 */
export function withItemsTree<T>(source: string, focus: Focus, fn: (root: Node, partial: boolean) => T | typeof WHOLE_FILE): T {
	const whole = () => {
		const r = withTree(source, (root) => fn(root, false));
		if (r === WHOLE_FILE) throw new Error('withItemsTree(): the callback asked for the whole file on a whole-file tree');
		return r;
	};
	if (wholeFilesOnly) return whole();
	const parts = partsFor(source, focus);
	if (!parts.length) return whole();
	const tree = parseC(source, toRanges(source, parts));
	try {
		if (!cutMarks(tree.rootNode)) {
			const r = fn(tree.rootNode, true);
			if (r !== WHOLE_FILE) return r;
		}
	} finally {
		tree.delete();
	}
	return whole();
}

/**
 * Does a tree of some parts of a file show errors the cut may have made? A
 * construct that goes on past its part ends in a missing `}` or `)` (or
 * #endif); a part that starts inside one is an ERROR at the top level. Errors
 * inside a declaration or a function (an #ifdef in an initialiser, a
 * scoped_guard block, an annotation macro, a missing `;`) are the file's own:
 * the whole parse has them too.
 */
export function cutMarks(n: Node, topLevel = true): boolean {
	if (!n.hasError) return false;
	if (n.isMissing) return n.type !== ';';
	if (n.isError && topLevel) return true;
	const container = topLevel && (n.type === 'translation_unit' || /^preproc_(if|ifdef|else|elif|elifdef)$/.test(n.type));
	for (const c of n.children) if (c && cutMarks(c, container)) return true;
	return false;
}
