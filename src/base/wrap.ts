// Text wrapping for commit messages and mail headers.
//
// wrapMessage() is for the prose we generate: kernel commit logs are wrapped
// at 75 columns (submitting-patches.rst; checkpatch's COMMIT_LOG_LONG_LINE),
// but trailers, indented code and URLs must stay as they are.
// gitWrap() is a port of git's strbuf_add_wrapped_text(), used where the
// output has to match git byte for byte (Subject folding, shortlog).

/** Glues two words together through wrapping; rendered as a plain space. */
export const NBSP = '\u00a0';

/** Display columns of s: one per code point (kernel logs are ASCII in practice). */
export function columns(s: string): number {
	let n = 0;
	for (const _ of s) n++;
	return n;
}

// Tags from submitting-patches.rst and friends; a line starting with one is
// never re-flowed. A plain "Word:" is not enough: prose may start with "Note:".
const TRAILER =
	/^(?:[A-Z][a-z]*(?:-[A-Za-z]+)*-by|Fixes|Link|Closes|Cc|Message-ID|Change-Id|base-commit|prerequisite-patch-id|change-id):\s/;
const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])(\s+)/;

export function isTrailer(line: string): boolean {
	return TRAILER.test(line);
}

/** Greedy fill of words into lines of at most width columns; a longer word gets a line of its own. */
function fill(words: string[], width: number, first: string, rest: string): string[] {
	const lines: string[] = [];
	let cur: string | undefined;
	for (const w of words) {
		if (cur === undefined) cur = first + w;
		else if (columns(cur) + 1 + columns(w) <= width) cur += ' ' + w;
		else {
			lines.push(cur);
			cur = rest + w;
		}
	}
	if (cur !== undefined) lines.push(cur);
	return lines;
}

const words = (s: string) => s.split(/[ \t\n]+/).filter(Boolean);

/**
 * Wrap a commit message at width columns, paragraph by paragraph. Prose lines
 * are re-flowed; list items ("- ", "* ", "1. ") get a hanging indent and
 * absorb their indented continuation lines; trailers and other indented
 * lines (code, quoted output) are kept verbatim. Words are never broken and
 * NBSP glues words that must stay on one line.
 */
export function wrapMessage(text: string, width = 75): string {
	const out: string[] = [];
	// Keep a commit citation ('commit <sha> ("title")') on one line when it fits.
	const glued = text.replace(/\b[Cc]ommit [0-9a-f]{12,40} \("[^"\n]*"\)/g, (m) =>
		columns(m) <= width ? m.replace(/ /g, NBSP) : m,
	);
	const lines = glued.replace(/\r\n/g, '\n').split('\n');
	let prose: string[] = [];
	let item: { first: string; rest: string; words: string[] } | undefined;
	const flush = () => {
		if (prose.length) out.push(...fill(prose, width, '', ''));
		prose = [];
		if (item) out.push(...fill(item.words, width, item.first, item.rest));
		item = undefined;
	};
	for (const line of lines) {
		const li = LIST_ITEM.exec(line);
		if (line.trim() === '') {
			flush();
			out.push('');
		} else if (isTrailer(line)) {
			flush();
			out.push(line.trimEnd());
		} else if (li) {
			flush();
			const first = li[1]! + li[2]! + li[3]!;
			item = { first, rest: ' '.repeat(columns(first)), words: words(line.slice(li[0].length)) };
		} else if (item && /^\s/.test(line) && columns(line.match(/^\s*/)![0]) >= item.rest.length) {
			item.words.push(...words(line));
		} else if (/^\s/.test(line)) {
			flush();
			out.push(line.trimEnd());
		} else {
			if (item) flush();
			prose.push(...words(line));
		}
	}
	flush();
	return out.join('\n').split(NBSP).join(' ');
}

const isGitSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isAlnum = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9]$/.test(c);

/**
 * Port of git's strbuf_add_wrapped_text() (utf8.c). indent1 is the first
 * line's indent; a negative indent1 means -indent1 columns are already used
 * on the current line (how Subject: and From: headers are folded). Returns
 * the text without a trailing newline.
 */
export function gitWrap(text: string, indent1: number, indent2: number, width: number): string {
	const chars = Array.from(text);
	let buf = '';
	let pos = 0;
	let bol = 0;
	let indent = indent1;
	let w = indent1;
	let space: number | undefined;
	if (indent < 0) {
		w = -indent;
		space = 0;
	}
	const slice = (a: number, b: number) => chars.slice(a, b).join('');
	for (;;) {
		const c = chars[pos];
		if (c === undefined || isGitSpace(c)) {
			if (w <= width || space === undefined) {
				let start = bol;
				if (c === undefined && pos === start) return buf;
				if (space !== undefined) start = space;
				else buf += ' '.repeat(Math.max(indent, 0));
				buf += slice(start, pos);
				if (c === undefined) return buf;
				space = pos;
				let newLine = false;
				if (c === '\t') w |= 0x07;
				else if (c === '\n') {
					space++;
					if (chars[space] === '\n') {
						buf += '\n';
						newLine = true;
					} else if (!isAlnum(chars[space])) newLine = true;
					else buf += ' ';
				}
				if (!newLine) {
					w++;
					pos++;
					continue;
				}
			}
			buf += '\n';
			pos = bol = space! + (isGitSpace(chars[space!]) ? 1 : 0);
			space = undefined;
			w = indent = indent2;
			continue;
		}
		w++;
		pos++;
	}
}
