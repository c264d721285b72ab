// Values the user gives that end up in mail headers (--to, --cc,
// --in-reply-to, --subject-prefix, --prefix) or in the cover letter's
// trailer block (--base), checked before anything is rendered: a CR or LF
// would start a header of its own that `git send-email` then honours (a Bcc:
// to anyone). Addresses are parsed as RFC 5322 mailboxes, Message-Ids as
// msg-id; a bad value is a UsageError naming the option (exit 2, one line).
import { UsageError } from '../base/usage.js';

/** The value as it can be shown on one line of an error message. */
const shown = (v: string) => JSON.stringify(v);

/** Control characters (CR, LF, NUL, ...): never allowed in a header value. Tab is folding white space. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** A one-line header value: no CR, LF or other control character. */
export function headerText(option: string, value: string): string {
	if (CONTROL.test(value)) {
		const what = /[\r\n]/.test(value) ? 'a line break' : 'a control character';
		throw new UsageError(`${option} ${shown(value)}: contains ${what}, which would end the mail header`);
	}
	return value;
}

// ---------------------------------------------------------------------------
// RFC 5322 §3.4 mailboxes (RFC 6532: UTF-8 allowed where atext and qtext are)

type Token =
	| { kind: 'atom'; text: string }
	| { kind: 'quoted'; text: string }
	| { kind: 'literal'; text: string }
	| { kind: 'special'; text: string };

/** atext (RFC 5322 §3.2.3), and any non-ASCII character (RFC 6532 §3.2). */
const ATEXT = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]/;

function tokens(s: string): Token[] | string {
	const out: Token[] = [];
	for (let i = 0; i < s.length; ) {
		const c = s[i]!;
		if (c === ' ' || c === '\t') {
			i++;
			continue;
		}
		if (ATEXT.test(c)) {
			let j = i;
			while (j < s.length && ATEXT.test(s[j]!)) j++;
			out.push({ kind: 'atom', text: s.slice(i, j) });
			i = j;
			continue;
		}
		if (c === '"' || c === '[') {
			const close = c === '"' ? '"' : ']';
			let j = i + 1;
			for (; j < s.length && s[j] !== close; j++) {
				if (s[j] === '\\') j++;
				else if (c === '[' && s[j] === '[') return 'a "[" inside a domain literal';
			}
			if (j >= s.length) return c === '"' ? 'an unterminated quoted string' : 'an unterminated domain literal';
			out.push({ kind: c === '"' ? 'quoted' : 'literal', text: s.slice(i, j + 1) });
			i = j + 1;
			continue;
		}
		if ('<>@,.:;'.includes(c)) {
			out.push({ kind: 'special', text: c });
			i++;
			continue;
		}
		if (c === '(') return 'a comment in parentheses (write the name before <address> instead)';
		return `the character ${shown(c)}`;
	}
	return out;
}

class Cursor {
	i = 0;
	constructor(readonly t: Token[]) {}
	peek(): Token | undefined {
		return this.t[this.i];
	}
	is(text: string): boolean {
		const p = this.peek();
		return p?.kind === 'special' && p.text === text;
	}
	take(): Token {
		return this.t[this.i++]!;
	}
}

/** dot-atom: atom *("." atom); false when there is none here. */
function dotAtom(c: Cursor): boolean {
	if (c.peek()?.kind !== 'atom') return false;
	c.take();
	while (c.is('.')) {
		c.take();
		if (c.peek()?.kind !== 'atom') return false;
		c.take();
	}
	return true;
}

/** addr-spec = local-part "@" domain; an error or undefined. */
function addrSpec(c: Cursor): string | undefined {
	if (c.peek()?.kind === 'quoted') c.take();
	else if (!dotAtom(c)) return 'no local part before "@"';
	if (!c.is('@')) return 'no "@domain"';
	c.take();
	if (c.peek()?.kind === 'literal') c.take();
	else if (!dotAtom(c)) return 'no domain after "@"';
	return undefined;
}

/** mailbox = name-addr / addr-spec (display-name: obs-phrase, words and dots). */
function mailbox(c: Cursor): string | undefined {
	const start = c.i;
	// addr-spec first: "user@example.org"
	if (addrSpec(c) === undefined && (c.peek() === undefined || c.is(','))) return undefined;
	c.i = start;
	let words = 0;
	for (;;) {
		const p = c.peek();
		if (p?.kind === 'atom' || p?.kind === 'quoted') {
			c.take();
			words++;
		} else if (words && c.is('.')) c.take();
		else break;
	}
	if (!c.is('<')) return words ? 'a name without an <address>' : 'not an address';
	c.take();
	const err = addrSpec(c);
	if (err) return err;
	if (!c.is('>')) return 'no ">" after the address';
	c.take();
	return undefined;
}

/**
 * The mailboxes of one --to/--cc value: one address, or several separated by
 * commas. Returned as written (trimmed), one per mailbox.
 */
export function mailboxes(option: string, value: string): string[] {
	headerText(option, value);
	if (!value.trim()) throw new UsageError(`${option} needs an address, not an empty value`);
	const toks = tokens(value);
	const bad = (why: string): never => {
		throw new UsageError(`${option} ${shown(value)}: not an e-mail address (${why}); write user@example.org or "Name <user@example.org>"`);
	};
	if (typeof toks === 'string') return bad(toks);
	// Split at the commas outside quoted strings (tokens keep those whole).
	const parts: Token[][] = [[]];
	for (const t of toks) {
		if (t.kind === 'special' && t.text === ',') parts.push([]);
		else parts[parts.length - 1]!.push(t);
	}
	const out: string[] = [];
	let from = 0;
	for (const part of parts) {
		const c = new Cursor(part);
		if (!part.length) bad('an empty entry between commas');
		const err = mailbox(c);
		if (err) bad(err);
		if (c.peek()) bad(`${shown(c.peek()!.text)} after the address`);
		// the text of this part: up to the next comma outside quotes
		const end = nextComma(value, from);
		out.push(value.slice(from, end).trim());
		from = end + 1;
	}
	return out;
}

/** Index of the next comma outside quoted strings and domain literals, or the length. */
function nextComma(s: string, from: number): number {
	let q: string | undefined;
	for (let i = from; i < s.length; i++) {
		const c = s[i]!;
		if (q) {
			if (c === '\\') i++;
			else if (c === q) q = undefined;
		} else if (c === '"') q = '"';
		else if (c === '[') q = ']';
		else if (c === ',') return i;
	}
	return s.length;
}

// ---------------------------------------------------------------------------
// RFC 5322 §3.6.4 msg-id

const DOT_ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

/** "<id-left@id-right>" for a Message-Id given with or without its angle brackets. */
export function messageIdValue(option: string, value: string): string {
	headerText(option, value);
	const v = value.trim();
	const inner = v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1) : v;
	const at = inner.lastIndexOf('@');
	const left = inner.slice(0, at);
	const right = inner.slice(at + 1);
	const ok = at > 0 && DOT_ATOM_TEXT.test(left) && (DOT_ATOM_TEXT.test(right) || /^\[[\x21-\x5a\x5e-\x7e]*\]$/.test(right));
	if (!ok) throw new UsageError(`${option} ${shown(value)}: not a Message-Id; it looks like <20260101120000.1234-1-user@example.org>`);
	return `<${inner}>`;
}

// ---------------------------------------------------------------------------
// --base

/** A full object name: what `base-commit:` may carry when there is no repository to ask. */
const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * --base REV as the commit it names (the full id, as git format-patch
 * --base writes it). resolve asks the tree's repository (undefined: there is
 * none); without one only a full commit id is accepted.
 */
export function baseCommitValue(value: string, resolve: ((rev: string) => string | undefined) | undefined): string {
	headerText('--base', value);
	const v = value.trim();
	if (!v) throw new UsageError('--base needs a commit, not an empty value');
	if (!resolve) {
		if (FULL_ID.test(v)) return v;
		throw new UsageError(`--base ${shown(value)}: the tree is not a git repository, so only a full commit id can be named`);
	}
	const id = resolve(v);
	if (!id) throw new UsageError(`--base ${shown(value)}: names no commit in the tree's repository`);
	return id;
}
