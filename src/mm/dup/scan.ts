// A fast, macro-tolerant splitter of C source into top-level items.
//
// tree-sitter is too slow to read the ~17 MB of headers and mm/ sources that
// the dup.h check indexes (it parses dup.h's 60 KB in ~70 ms), and it misreads
// kernel idioms such as `typedef int __bitwise vma_flag_t;`.  This scanner only
// has to find where each top-level item starts and ends, and what it names, so
// it works on characters: comments, strings and preprocessor lines are skipped,
// braces and parentheses are counted, and an item ends at a `;` outside braces
// or at the `}` closing a function body.  Every `#define` outside an item is an
// item of its own, with the `#if` conditions around it.
//
// The same scanner reads dup.h and the kernel files, so both sides of every
// comparison have the same extents and names.

export type ItemKind = 'define' | 'function' | 'prototype' | 'struct' | 'union' | 'enum' | 'typedef' | 'variable' | 'other';

export interface ScannedItem {
	kind: ItemKind;
	/** the name the item defines; anonymous enums are `anon-enum(FIRST)`, FIRST their first identifier */
	name: string;
	/** offsets of the item's text in the source: [start, end) */
	start: number;
	end: number;
	/** 1-based lines of start and of the last character */
	line: number;
	endLine: number;
	/** the `#if` conditions around the item, outermost first (`defined(X)`, `!defined(X)`, `X > 3`, …) */
	cond: string[];
	text: string;
	/** for `#define`: the parameter list (null for object-like macros) and the body */
	params?: string[] | null;
	body?: string;
}

interface CondFrame {
	/** conditions of the branches seen so far in this #if chain */
	taken: string[];
	/** the condition of the current branch */
	current: string;
	depthAtIf: number;
	parenAtIf: number;
	depthAfterFirst: number | null;
	parenAfterFirst: number | null;
}

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdChar = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);

/** Negation of a condition, written the way a reader would. */
export function negateCond(c: string): string {
	let m = /^defined\((\w+)\)$/.exec(c);
	if (m) return `!defined(${m[1]})`;
	m = /^!defined\((\w+)\)$/.exec(c);
	if (m) return `defined(${m[1]})`;
	return `!(${c})`;
}

/** Collapse whitespace and drop comments of a directive's expression. */
function cleanExpr(s: string): string {
	return stripComments(s).replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Remove C comments (outside string and character literals); each becomes one space. */
export function stripComments(s: string): string {
	let out = '';
	let last = 0;
	const n = s.length;
	for (let i = 0; i < n; i++) {
		const c = s.charCodeAt(i);
		if (c === 47 /* / */ && s.charCodeAt(i + 1) === 42 /* * */) {
			const e = s.indexOf('*/', i + 2);
			out += s.slice(last, i) + ' ';
			i = e < 0 ? n : e + 1;
			last = i + 1;
		} else if (c === 47 && s.charCodeAt(i + 1) === 47) {
			let e = i;
			while (e < n && s.charCodeAt(e) !== 10) e++;
			out += s.slice(last, i) + ' ';
			i = e - 1;
			last = e;
		} else if (c === 34 /* " */ || c === 39 /* ' */) {
			i = skipQuoted(s, i);
		}
	}
	return out + s.slice(last);
}

/** Index of the closing quote of the literal opening at i (or of the line end). */
function skipQuoted(s: string, i: number): number {
	const q = s.charCodeAt(i);
	for (let j = i + 1; j < s.length; j++) {
		const c = s.charCodeAt(j);
		if (c === 92 /* \ */) j++;
		else if (c === q || c === 10) return j;
	}
	return s.length - 1;
}

/** End (exclusive, at the newline) of the preprocessor directive starting at i. */
function directiveEnd(s: string, i: number): number {
	const n = s.length;
	for (let j = i; j < n; j++) {
		const c = s.charCodeAt(j);
		if (c === 10) {
			if (s.charCodeAt(j - 1) === 92 || (s.charCodeAt(j - 1) === 13 && s.charCodeAt(j - 2) === 92)) continue;
			return j;
		}
		if (c === 47 && s.charCodeAt(j + 1) === 42) {
			const e = s.indexOf('*/', j + 2);
			if (e < 0) return n;
			j = e + 1;
		} else if (c === 47 && s.charCodeAt(j + 1) === 47) {
			while (j < n && s.charCodeAt(j) !== 10) j++;
			return j;
		} else if (c === 34 || c === 39) j = skipQuoted(s, j);
	}
	return n;
}

function atLineStart(s: string, i: number): boolean {
	for (let j = i - 1; j >= 0; j--) {
		const c = s.charCodeAt(j);
		if (c === 10) return true;
		if (c !== 32 && c !== 9 && c !== 13 && c !== 12) return false;
	}
	return true;
}

/** Parse a `#define` directive's text into name, parameters and body. */
export function parseDefine(text: string): { name: string; params: string[] | null; body: string } | null {
	const m = /^#\s*define\s+([A-Za-z_]\w*)/.exec(text);
	if (!m) return null;
	let rest = text.slice(m[0].length);
	let params: string[] | null = null;
	if (rest.startsWith('(')) {
		const close = rest.indexOf(')');
		params = cleanExpr(rest.slice(1, close < 0 ? rest.length : close))
			.split(',')
			.map((p) => p.trim())
			.filter((p) => p !== '');
		rest = close < 0 ? '' : rest.slice(close + 1);
	}
	return { name: m[1]!, params, body: rest };
}

/**
 * Split source into its top-level items.  `#define`s inside an item (a struct
 * body, say) belong to that item; conditional directives between items only
 * set the conditions of the items that follow; other directives and comments
 * between items are skipped.
 */
export function scanItems(src: string, from = 0): ScannedItem[] {
	const items: ScannedItem[] = [];
	const conds: CondFrame[] = [];
	const n = src.length;
	// line numbers, counted incrementally (items come in source order)
	let cursor = 0;
	let line = 1;
	const lineOfPos = (pos: number) => {
		if (pos < cursor) {
			cursor = 0;
			line = 1;
		}
		for (let j = src.indexOf('\n', cursor); j !== -1 && j < pos; j = src.indexOf('\n', j + 1)) {
			line++;
			cursor = j + 1;
		}
		return line;
	};
	const condList = () => conds.map((f) => f.current);

	let start = -1; // start of the pending code item
	let startCond: string[] = [];
	let depth = 0;
	let paren = 0;
	let sawParenClose = false; // a top-level `)` before the first `{`
	let sawEq = false; // a top-level `=` before the first `{`
	let funcBody = false; // the first top-level `{` opens a function body
	let opened = false; // a top-level `{` has been seen

	let openPos = -1; // the first top-level `{`
	let closePos = -1; // the `}` that closes it
	const emit = (end: number) => {
		const text = src.slice(start, end);
		if (/[^\s;]/.test(text)) {
			// naming needs the head, the first word of the body and what follows the body:
			// skip the body itself (most of the text of a function)
			let summary = text;
			if (openPos >= 0 && closePos > openPos && closePos - openPos > 200) {
				const body = stripComments(src.slice(openPos + 1, Math.min(closePos, openPos + 4000))).replace(/^[ \t]*#.*$/gm, ' ');
				const first = /[A-Za-z_]\w*/.exec(body)?.[0] ?? '';
				summary = src.slice(start, openPos) + `{ ${first} }` + src.slice(closePos + 1, end);
			}
			const d = describeCode(summary);
			items.push({
				kind: d.kind,
				name: d.name,
				start,
				end,
				line: lineOfPos(start),
				endLine: lineOfPos(end - 1),
				cond: startCond,
				text,
			});
		}
		start = -1;
		depth = paren = 0;
		sawParenClose = sawEq = funcBody = opened = false;
		openPos = closePos = -1;
	};

	for (let i = from; i < n; i++) {
		const c = src.charCodeAt(i);
		if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) continue;
		if (c === 47 && src.charCodeAt(i + 1) === 42) {
			const e = src.indexOf('*/', i + 2);
			i = e < 0 ? n : e + 1;
			continue;
		}
		if (c === 47 && src.charCodeAt(i + 1) === 47) {
			while (i < n && src.charCodeAt(i) !== 10) i++;
			continue;
		}
		if (c === 35 /* # */ && atLineStart(src, i)) {
			const end = directiveEnd(src, i);
			const dtext = src.slice(i, end);
			const m = /^#\s*(\w+)/.exec(dtext);
			const dir = m ? m[1]! : '';
			const arg = m ? dtext.slice(m[0].length) : '';
			switch (dir) {
				case 'if':
				case 'ifdef':
				case 'ifndef': {
					const e = cleanExpr(arg);
					const cur = dir === 'if' ? e : dir === 'ifdef' ? `defined(${e})` : `!defined(${e})`;
					conds.push({ taken: [cur], current: cur, depthAtIf: depth, parenAtIf: paren, depthAfterFirst: null, parenAfterFirst: null });
					break;
				}
				case 'elif':
				case 'else': {
					const f = conds[conds.length - 1];
					if (!f) break;
					if (f.depthAfterFirst === null) {
						f.depthAfterFirst = depth;
						f.parenAfterFirst = paren;
					}
					// only the first branch counts for brace balance: `#if A / f(x) { / #else / g(x) { / #endif`
					depth = f.depthAtIf;
					paren = f.parenAtIf;
					const neg = f.taken.map(negateCond);
					if (dir === 'elif') {
						const e = cleanExpr(arg);
						f.current = [...neg, /\|\||\?/.test(e) ? `(${e})` : e].join(' && ');
						f.taken.push(e);
					} else f.current = neg.join(' && ');
					break;
				}
				case 'endif': {
					const f = conds.pop();
					if (f && f.depthAfterFirst !== null) {
						depth = f.depthAfterFirst;
						paren = f.parenAfterFirst!;
					}
					break;
				}
				case 'define':
					if (start === -1) {
						const d = parseDefine(dtext);
						if (d)
							items.push({
								kind: 'define',
								name: d.name,
								start: i,
								end,
								line: lineOfPos(i),
								endLine: lineOfPos(end),
								cond: condList(),
								text: dtext,
								params: d.params,
								body: d.body,
							});
					}
					break;
				default:
					break;
			}
			i = end - 1;
			continue;
		}
		// code
		if (start === -1) {
			start = i;
			startCond = condList();
		}
		if (c === 34 || c === 39) {
			i = skipQuoted(src, i);
			continue;
		}
		if (isIdStart(c)) {
			while (i + 1 < n && isIdChar(src.charCodeAt(i + 1))) i++;
			continue;
		}
		switch (c) {
			case 40: // (
				paren++;
				break;
			case 41: // )
				if (paren > 0) paren--;
				if (paren === 0 && depth === 0 && !opened) sawParenClose = true;
				break;
			case 123: // {
				if (depth === 0 && paren === 0 && !opened) {
					opened = true;
					openPos = i;
					funcBody = sawParenClose && !sawEq;
				}
				depth++;
				break;
			case 125: // }
				if (depth > 0) depth--;
				if (depth === 0 && opened && closePos < 0) closePos = i;
				if (depth === 0 && paren === 0 && funcBody) emit(i + 1);
				break;
			case 61: // =
				if (depth === 0 && paren === 0 && !opened) {
					const p = src.charCodeAt(i - 1);
					const q = src.charCodeAt(i + 1);
					if (q !== 61 && p !== 61 && p !== 33 && p !== 60 && p !== 62) sawEq = true;
				}
				break;
			case 59: // ;
				if (depth === 0 && paren === 0) emit(i + 1);
				break;
		}
	}
	if (start !== -1) emit(n);
	return items;
}

// ------------------------------------------------------------------ naming

/** C tokens: identifiers, numbers, literals, operators; comments and line continuations dropped. */
export function tokenize(text: string): string[] {
	const s = stripComments(text).replace(/\\\r?\n/g, ' ');
	return s.match(/[A-Za-z_]\w*|\.?\d[\w.]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|->|\+\+|--|<<=?|>>=?|[<>=!+\-*/%&|^]=|&&|\|\||##|\.\.\.|\S/g) ?? [];
}

/** Identifiers that take a parenthesised argument but are attributes, not declarators. */
const ATTRIBUTE_CALLS = new Set([
	'__attribute__', '__attribute', '__printf', '__scanf', '__aligned', '__section', '__alloc_size', '__realloc_size',
	'__diagnose_as', '__acquires', '__releases', '__must_hold', '__cond_acquires', '__cond_releases', '__cond_lock',
	'__assume_aligned', '__counted_by', '__free', '__cleanup', 'alignas', '_Alignas', '__typeof__', '__typeof', 'typeof',
	'__context_unsafe', '__guarded_by', '__pt_guarded_by', '__cond_acquires_shared', '__acquires_shared', '__releases_shared',
	'__must_hold_shared', '__no_context_analysis', '__malloc', '__nonstring', '__designated_init', 'asm', '__asm__', '__asm',
]);
const STRUCTISH = new Set(['struct', 'union', 'enum']);

/** Kind and name of a code item (anything but a #define), from its tokens. */
export function describeCode(text: string): { kind: ItemKind; name: string } {
	// drop preprocessor lines inside the item: they do not name anything
	const toks = tokenize(text.replace(/^[ \t]*#.*(?:\\\r?\n.*)*$/gm, ' '));
	if (!toks.length) return { kind: 'other', name: '' };
	const isId = (t: string | undefined) => t !== undefined && /^[A-Za-z_]\w*$/.test(t);

	// positions at top level (outside () and {})
	let firstBrace = -1;
	let closeBrace = -1;
	{
		let d = 0;
		for (let i = 0; i < toks.length; i++) {
			const t = toks[i];
			if (t === '{') {
				if (d === 0 && firstBrace < 0) firstBrace = i;
				d++;
			} else if (t === '}') {
				d--;
				if (d === 0 && closeBrace < 0 && firstBrace >= 0) closeBrace = i;
			}
		}
	}
	const head = firstBrace >= 0 ? toks.slice(0, firstBrace) : toks;

	if (toks[0] === 'typedef') {
		// typedef R (*name)(...);  or  typedef ... name;
		const tail = closeBrace >= 0 ? toks.slice(closeBrace + 1) : toks.slice(1);
		for (let i = 0; i + 2 < tail.length; i++) {
			if (tail[i] !== '(' || ATTRIBUTE_CALLS.has(tail[i - 1] ?? '')) continue;
			// typedef R (*name)(...);  typedef R (name)(...);
			let j = i + 1;
			while (tail[j] === '*' || tail[j] === 'const') j++;
			if (isId(tail[j]) && tail[j + 1] === ')') return { kind: 'typedef', name: tail[j]! };
			// typedef R name(...);
			if (isId(tail[i - 1])) return { kind: 'typedef', name: tail[i - 1]! };
			break;
		}
		return { kind: 'typedef', name: lastDeclarator(tail) ?? '' };
	}

	// struct/union/enum definitions: [qualifiers] struct NAME? { ... } [attributes] ;
	const sIdx = head.findIndex((t) => STRUCTISH.has(t));
	if (firstBrace >= 0 && sIdx >= 0 && !head.includes('(') && !head.includes('=')) {
		const kw = head[sIdx] as 'struct' | 'union' | 'enum';
		const tag = isId(head[sIdx + 1]) && head[sIdx + 1] !== '__packed' ? head[sIdx + 1] : undefined;
		// `} __randomize_layout;` is still a definition; `} name;` declares a variable
		const tail = closeBrace >= 0 ? toks.slice(closeBrace + 1) : [];
		const declarator = lastDeclarator(tail.filter((t) => !t.startsWith('__')));
		if (declarator) return { kind: 'variable', name: declarator };
		if (tag) return { kind: kw, name: tag };
		if (kw === 'enum') {
			const first = toks.slice(firstBrace + 1).find(isId);
			return { kind: 'enum', name: `anon-enum(${first ?? ''})` };
		}
		return { kind: kw, name: `anon-${kw}` };
	}

	// declarations with a parenthesised part: functions, prototypes, function pointers
	const eq = head.indexOf('=');
	const declHead = eq >= 0 ? head.slice(0, eq) : head;
	for (let i = 0; i < declHead.length; i++) {
		if (declHead[i] !== '(') continue;
		const prev = declHead[i - 1];
		if (prev && ATTRIBUTE_CALLS.has(prev)) {
			i = skipParens(declHead, i);
			continue;
		}
		if (declHead[i + 1] === '*') {
			// R (*name)(...)  — a function pointer (or a pointer to array)
			let j = i + 1;
			while (declHead[j] === '*' || declHead[j] === 'const') j++;
			if (isId(declHead[j])) return { kind: 'variable', name: declHead[j]! };
		}
		if (isId(prev) && prev !== 'sizeof') {
			if (eq >= 0) return { kind: 'variable', name: prev! };
			return { kind: firstBrace >= 0 ? 'function' : 'prototype', name: prev! };
		}
		i = skipParens(declHead, i);
	}
	// plain variables: [...] name [= ...] [[...]] ;
	const name = lastDeclarator(declHead);
	if (name) return { kind: 'variable', name };
	return { kind: 'other', name: '' };
}

function skipParens(toks: string[], i: number): number {
	let d = 0;
	for (let j = i; j < toks.length; j++) {
		if (toks[j] === '(') d++;
		else if (toks[j] === ')' && --d === 0) return j;
	}
	return toks.length;
}

/** The last identifier at paren depth 0 that is not an attribute call or an array size. */
function lastDeclarator(toks: string[]): string | undefined {
	let name: string | undefined;
	let d = 0;
	let bracket = 0;
	for (let i = 0; i < toks.length; i++) {
		const t = toks[i]!;
		if (t === '(') {
			if (d === 0 && toks[i - 1] && ATTRIBUTE_CALLS.has(toks[i - 1]!)) {
				i = skipParens(toks, i);
				continue;
			}
			d++;
		} else if (t === ')') d--;
		else if (t === '[') bracket++;
		else if (t === ']') bracket--;
		else if (t === '=' || t === ';' || t === ',') {
			if (d === 0 && bracket === 0 && name) return name;
		} else if (d === 0 && bracket === 0 && /^[A-Za-z_]\w*$/.test(t) && toks[i + 1] !== '(' && !ATTRIBUTE_CALLS.has(t)) name = t;
	}
	return name;
}
