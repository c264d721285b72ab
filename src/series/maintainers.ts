// Who a patch goes to: a port of the parts of the kernel's
// scripts/get_maintainer.pl (v0.26, Linux 7.3) that b4 and `git send-email
// --cc-cmd` use, run as `get_maintainer.pl --no-git --no-git-fallback
// --no-rolestats`, without Perl.
//
// What is ported, with the script's own semantics:
// - MAINTAINERS (a file, or a folder of files) is read into one list of
//   "T:value" entries; sections are the runs of entries between header lines.
// - F:/X: globs become the same regular expressions (`.` -> `\.`, `**` ->
//   `(?:.*)`, `*` -> `.*`, `?` -> `.`, a trailing `/` added when the pattern
//   names a folder), matched at the start of the path; a pattern without a
//   trailing `/` only matches a path with as many `/` (so `*` does not cross
//   folders) unless it has `**`.
// - N: regexes on the path and K: regexes on the patch text (with Perl's /x
//   and `(?i)` translated to JavaScript); before the first diff line a K:
//   matches anywhere in a line, after it only in +/- lines.
// - "Most specific first": each file's matching sections are ordered by the
//   depth of the matching pattern (folders in it, +1 for a file pattern,
//   -1 for a pattern starting with `*`); the last matching F: of a section
//   counts, N: counts as 0. get_maintainer.pl orders equal depths by Perl's
//   hash order (random per run); here they keep MAINTAINERS order.
// - M:/R:/L: addresses in section order; duplicates by name or address
//   (case-insensitive) dropped; .mailmap applied; names quoted as the script
//   does; subscribers-only lists left out, moderated lists kept; Linus
//   Torvalds (the "chief penguin") dropped.
// - Addresses written in a touched .yaml file (DT bindings name their
//   maintainers) are added, as the script always does for .yaml.
// Not ported: git history (--git, --git-fallback, Fixes: signers, blame),
// --file-emails for other files, --self-test.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linearRegex, Unsupported, type Matcher } from '../base/linregex.js';

export type Role = 'maintainer' | 'reviewer' | 'list';

/** One address as get_maintainer.pl prints it with --no-rolestats. */
export interface Recipient {
	/** `Name <addr>`, `"Quoted, Name" <addr>` or a bare list address */
	email: string;
	address: string;
	role: Role;
	/** header line of the section that contributed it */
	section: string;
}

/** A section that matched a file (or the patch text, for K:). */
export interface SectionMatch {
	section: string;
	status: string;
	/** the file it matched (for a K: keyword, a file whose diff lines matched); undefined for a keyword only the commit message matched */
	file?: string;
	/** matched by its K: keyword over the patch text, not by the file's path */
	keyword?: boolean;
	/** pattern depth (see above); keyword matches are -Infinity */
	depth: number;
}

export interface MaintainersDb {
	root: string;
	/** the MAINTAINERS files read */
	sources: string[];
	tv: string[];
	keywords: Map<number, string>;
	mailmap: Mailmap;
	/** problems found while reading (a regex JavaScript cannot compile, ...) */
	warnings: string[];
	/** compiled patterns (src/base/linregex.ts: a hostile pattern cannot hang the run) */
	cache: Map<string, Matcher | null>;
}

interface Mailmap {
	names: Map<string, string>;
	addresses: Map<string, string>;
}

const TYPE_LINE = /^([A-Z]):\s*(.*)/s;

// ---------------------------------------------------------------------------
// Reading MAINTAINERS and .mailmap

/** `F:`/`X:` glob -> the regex source get_maintainer.pl matches with. */
export function globToRegex(glob: string, isDir: (p: string) => boolean = () => false): string {
	let v = glob.replace(/\./g, '\\.');
	v = v.replace(/\*\*/g, '\x00');
	v = v.replace(/\*/g, '.*');
	v = v.replace(/\?/g, '.');
	v = v.replace(/\x00/g, '(?:.*)');
	if (isDir(v)) v = v.replace(/([^/])$/, '$1/');
	return v;
}

/** Read the tree's MAINTAINERS (file or folder) and .mailmap; undefined when there is none. */
export function loadMaintainers(root: string): MaintainersDb | undefined {
	const top = path.join(root, 'MAINTAINERS');
	let sources: string[];
	try {
		const st = fs.statSync(top);
		sources = st.isDirectory()
			? fs
					.readdirSync(top)
					.filter((f) => !f.startsWith('.'))
					.sort()
					.map((f) => path.join(top, f))
			: [top];
	} catch {
		return undefined;
	}
	const isDir = (p: string) => {
		try {
			return fs.statSync(path.join(root, p)).isDirectory();
		} catch {
			return false;
		}
	};
	const texts = sources.map((s) => fs.readFileSync(s, 'utf8'));
	const db = parseMaintainers(texts.join('\n'), isDir);
	let mailmapText = '';
	try {
		mailmapText = fs.readFileSync(path.join(root, '.mailmap'), 'utf8');
	} catch {
		/* no .mailmap */
	}
	return { ...db, root, sources, mailmap: parseMailmap(mailmapText) };
}

/** Parse MAINTAINERS text (tests pass a folder predicate for the `F: dir` rule). */
export function parseMaintainers(
	text: string,
	isDir: (p: string) => boolean = () => false,
	mailmap = '',
): MaintainersDb {
	const tv: string[] = [];
	const keywords = new Map<number, string>();
	const lines = text.split('\n');
	if (lines.length && lines[lines.length - 1] === '') lines.pop();
	for (const line of lines) {
		const m = /^([A-Z]):\s*(.*)/.exec(line);
		if (m) {
			const type = m[1]!;
			let value = m[2]!;
			if (type === 'F' || type === 'X') value = globToRegex(value, isDir);
			else if (type === 'K') keywords.set(tv.length, value);
			tv.push(`${type}:${value}`);
		} else if (!(/^\s*$/.test(line) || /^\s*#/.test(line))) {
			tv.push(line);
		}
	}
	return { root: '', sources: [], tv, keywords, mailmap: parseMailmap(mailmap), warnings: [], cache: new Map() };
}

/** .mailmap as get_maintainer.pl's read_mailmap() understands it. */
export function parseMailmap(text: string): Mailmap {
	const mm: Mailmap = { names: new Map(), addresses: new Map() };
	for (let line of text.split('\n')) {
		line = line.replace(/#.*$/, '').replace(/^\s+|\s+$/g, '');
		if (!line) continue;
		let m: RegExpExecArray | null;
		if ((m = /^([^<]+)<([^>]+)>$/.exec(line))) {
			const [name, address] = parseEmail(`${m[1]!.replace(/\s+$/, '')} <${m[2]}>`);
			mm.names.set(address, name);
		} else if ((m = /^<([^>]+)>\s*<([^>]+)>$/.exec(line))) {
			mm.addresses.set(m[2]!, m[1]!);
		} else if ((m = /^(.+)<([^>]+)>\s*<([^>]+)>$/.exec(line))) {
			const [name, address] = parseEmail(`${m[1]!.replace(/\s+$/, '')} <${m[2]}>`);
			mm.names.set(m[3]!, name);
			mm.addresses.set(m[3]!, address);
		} else if ((m = /^(.+)<([^>]+)>\s*(.+)\s*<([^>]+)>$/.exec(line))) {
			const [realName, realAddress] = parseEmail(`${m[1]!.replace(/\s+$/, '')} <${m[2]}>`);
			const [wrongName, wrongAddress] = parseEmail(`${m[3]!.replace(/\s+$/, '')} <${m[4]}>`);
			const wrong = formatEmail(wrongName, wrongAddress);
			mm.names.set(wrong, realName);
			mm.addresses.set(wrong, realAddress);
		}
	}
	return mm;
}

// ---------------------------------------------------------------------------
// Addresses (parse_email, format_email, escape_name, rfc822_valid*)

function escapeName(name: string): string {
	if (/[^A-Za-z0-9_ \-]/.test(name)) return `"${name.replace(/(?<!\\)"/g, '\\"')}"`;
	return name;
}

/** parse_email(): [name (quoted when needed), address]. */
export function parseEmail(formatted: string): [string, string] {
	let name = '';
	let address = '';
	let m: RegExpExecArray | null;
	if ((m = /^([^<]+)<(.+@.*)>.*$/s.exec(formatted))) {
		name = m[1]!;
		address = m[2]!;
	} else if ((m = /^\s*<(.+@\S*)>.*$/s.exec(formatted))) {
		address = m[1]!;
	} else if ((m = /^(.+@\S*).*$/s.exec(formatted))) {
		address = m[1]!;
	}
	name = name.replace(/^\s+|\s+$/g, '').replace(/^"|"$/g, '');
	return [escapeName(name), address.replace(/^\s+|\s+$/g, '')];
}

/** format_email(name, address, 1). */
export function formatEmail(name: string, address: string): string {
	name = escapeName(name.replace(/^\s+|\s+$/g, '').replace(/^"|"$/g, ''));
	address = address.replace(/^\s+|\s+$/g, '');
	return name === '' ? address : `${name} <${address}>`;
}

/** The bare address of `Name <addr>` (lower-cased: the key for de-duplication). */
export function addressKey(email: string): string {
	return parseEmail(email)[1].toLowerCase();
}

const LWSP = '(?:(?:\\r\\n)?[ \\t])';
const RFC822_RE = (() => {
	const specials = '()<>@,;:\\\\".\\[\\]';
	const controls = '\\x00-\\x1f\\x7f';
	const dtext = '[^\\[\\]\\r\\\\]';
	const domainLiteral = `\\[(?:${dtext}|\\\\.)*\\]${LWSP}*`;
	const quotedString = `"(?:[^\\"\\r\\\\]|\\\\.|${LWSP})*"${LWSP}*`;
	const atom = `[^${specials} ${controls}]+(?:${LWSP}+|(?=\\n?$)|(?=[\\["${specials}]))`;
	const word = `(?:${atom}|${quotedString})`;
	const localpart = `${word}(?:\\.${LWSP}*${word})*`;
	const subDomain = `(?:${atom}|${domainLiteral})`;
	const domain = `${subDomain}(?:\\.${LWSP}*${subDomain})*`;
	const addrSpec = `${localpart}@${LWSP}*${domain}`;
	const phrase = `${word}*`;
	const route = `(?:@${domain}(?:,@${LWSP}*${domain})*:${LWSP}*)`;
	const routeAddr = `\\<${LWSP}*${route}?${addrSpec}\\>${LWSP}*`;
	const mailbox = `(?:${addrSpec}|${phrase}${routeAddr})`;
	const group = `${phrase}:${LWSP}*(?:${mailbox}(?:,\\s*${mailbox})*)?;\\s*`;
	return `${LWSP}*(?:${mailbox}|${group})`;
})();
const RFC822_ONE = new RegExp(`^${RFC822_RE}$`, 's');
const RFC822_LIST = new RegExp(`^(?:${RFC822_RE})?(?:,(?:${RFC822_RE})?)*$`, 's');
const RFC822_ITEM = new RegExp(`(?:^|,${LWSP}*)(${RFC822_RE})`, 'gs');
const LATIN1 = /^[\x00-\xff]*$/;

function stripComments(s: string): string {
	const re = /^((?:[^"\\]|\\.)*(?:"(?:[^"\\]|\\.)*"(?:[^"\\]|\\.)*)*)\((?:[^()\\]|\\.)*\)/s;
	for (;;) {
		const next = s.replace(re, '$1 ');
		if (next === s) return s;
		s = next;
	}
}

/** The addresses of one M:/R: value (push_email_addresses). */
function splitAddresses(value: string): string[] {
	const s = stripComments(value);
	if (RFC822_ONE.test(s) && LATIN1.test(s)) return [value];
	if (RFC822_LIST.test(s) && LATIN1.test(s)) {
		const out = [...s.matchAll(RFC822_ITEM)].map((m) => m[1]!);
		return out;
	}
	return [value];
}

// ---------------------------------------------------------------------------
// Perl regex -> JavaScript

/**
 * Translate a Perl regex compiled with /x (as N: and K: are) into a
 * JavaScript source: unescaped whitespace and #-comments outside classes are
 * dropped, `(?i)` and `(?i:...)` become explicit case classes, \A \z \Z
 * become anchors.
 */
export function perlRegex(src: string): { source: string; flags: string } {
	// Pass 1: /x and the escapes JavaScript lacks.
	let out = '';
	let inClass = false;
	for (let i = 0; i < src.length; i++) {
		const c = src[i]!;
		if (c === '\\' && i + 1 < src.length) {
			const n = src[i + 1]!;
			i++;
			if (!inClass && n === 'A') out += '^';
			else if (!inClass && n === 'z') out += '$';
			else if (!inClass && n === 'Z') out += '(?=\\n?$)';
			else out += c + n;
			continue;
		}
		if (inClass) {
			if (c === ']') inClass = false;
			out += c;
			continue;
		}
		if (c === '[') {
			inClass = true;
			out += c;
			if (src[i + 1] === '^') out += src[++i];
			if (src[i + 1] === ']') out += src[++i];
			continue;
		}
		if (/\s/.test(c)) continue;
		if (c === '#') {
			while (i < src.length && src[i] !== '\n') i++;
			continue;
		}
		out += c;
	}
	// Pass 2: case-insensitive regions.
	let flags = '';
	if (out.startsWith('(?i)')) {
		out = out.slice(4);
		flags = 'i';
	}
	if (out.includes('(?i')) out = foldInline(out);
	return { source: out, flags };
}

/** Letters as [xX] from index i to the end of the current group. */
function foldCase(s: string): string {
	let out = '';
	let inClass = false;
	for (let i = 0; i < s.length; i++) {
		const c = s[i]!;
		if (c === '\\' && i + 1 < s.length) {
			out += c + s[++i];
			continue;
		}
		if (inClass) {
			if (c === ']') inClass = false;
			else if (/[a-z]/i.test(c) && s[i + 1] !== '-' && s[i - 1] !== '-') {
				out += c.toLowerCase() + c.toUpperCase();
				continue;
			}
			out += c;
			continue;
		}
		if (c === '[') {
			inClass = true;
			out += c;
			if (s[i + 1] === '^') out += s[++i];
			continue;
		}
		if (/[a-z]/i.test(c)) {
			out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
			continue;
		}
		out += c;
	}
	return out;
}

/** End of the group that contains index i (index of its ')' or s.length). */
function groupEnd(s: string, i: number): number {
	let depth = 0;
	let inClass = false;
	for (; i < s.length; i++) {
		const c = s[i]!;
		if (c === '\\') {
			i++;
			continue;
		}
		if (inClass) {
			if (c === ']') inClass = false;
			continue;
		}
		if (c === '[') inClass = true;
		else if (c === '(') depth++;
		else if (c === ')') {
			if (depth === 0) return i;
			depth--;
		}
	}
	return s.length;
}

function foldInline(s: string): string {
	for (;;) {
		const scoped = s.indexOf('(?i:');
		const bare = s.indexOf('(?i)');
		if (scoped < 0 && bare < 0) return s;
		if (scoped >= 0 && (bare < 0 || scoped < bare)) {
			const end = groupEnd(s, scoped + 4);
			s = `${s.slice(0, scoped)}(?:${foldCase(s.slice(scoped + 4, end))}${s.slice(end)}`;
		} else {
			const end = groupEnd(s, bare + 4);
			s = `${s.slice(0, bare)}${foldCase(s.slice(bare + 4, end))}${s.slice(end)}`;
		}
	}
}

/**
 * A MAINTAINERS pattern as a linear-time matcher (src/base/linregex.ts): its
 * patterns are anyone's to write, and one crafted for a backtracking engine
 * (`N: ^(([a-z_/]+)+)+\.x$`) would hang the run. What that matcher does not
 * handle (backreferences, look-arounds) or JavaScript cannot compile is
 * ignored with a warning.
 */
function compile(db: MaintainersDb, key: string, make: () => { source: string; flags: string }, what: string): Matcher | null {
	let re = db.cache.get(key);
	if (re !== undefined) return re;
	const { source, flags } = make();
	try {
		new RegExp(source, flags);
		re = linearRegex(source, flags);
	} catch (e) {
		re = null;
		db.warnings.push(
			e instanceof Unsupported
				? `MAINTAINERS: ${what} uses ${e.message}, which mmapify does not match (it matches in linear time only); ignored`
				: `MAINTAINERS: ${what} is not a regex JavaScript can compile (${(e as Error).message}); ignored`,
		);
	}
	db.cache.set(key, re);
	return re;
}

// ---------------------------------------------------------------------------
// Matching (get_maintainers, file_match_pattern, add_categories)

const slashes = (s: string) => s.split('/').length - 1;

function fileMatchPattern(db: MaintainersDb, file: string, pattern: string): boolean {
	const re = compile(db, `F\0${pattern}`, () => ({ source: `^${pattern}`, flags: '' }), `pattern "${pattern}"`);
	if (!re || !re.test(file)) return false;
	if (pattern.endsWith('/')) return true;
	return slashes(file) === slashes(pattern) || pattern.includes('(?:');
}

function typeOf(line: string): [string, string] | undefined {
	const m = TYPE_LINE.exec(line);
	return m ? [m[1]!, m[2]!] : undefined;
}

function startIndex(tv: string[], i: number): number {
	while (i > 0) {
		if (!typeOf(tv[i]!)) break;
		i--;
	}
	return i;
}

function endIndex(tv: string[], i: number): number {
	while (i < tv.length) {
		if (!typeOf(tv[i]!)) break;
		i++;
	}
	return i;
}

function sectionStatus(tv: string[], start: number, end: number): string {
	let status = 'Unknown';
	for (let i = start + 1; i < end; i++) {
		const t = typeOf(tv[i]!);
		if (t && t[0] === 'S') status = t[1];
	}
	return status;
}

export interface MatchOptions {
	/** M: entries (default true) */
	maintainers?: boolean;
	/** R: entries (default true) */
	reviewers?: boolean;
	/** L: entries (default true) */
	lists?: boolean;
	/** K: keywords over the patch text (default true; only with a patch) */
	keywords?: boolean;
}

export interface MatchResult {
	/** get_maintainer.pl's output, in its order */
	recipients: Recipient[];
	/** every matching section, per file, most specific first; then keyword sections */
	sections: SectionMatch[];
	files: string[];
}

/** The files a patch touches, as get_maintainer.pl reads them from a patch. */
export function patchFiles(patch: string): string[] {
	const files: string[] = [];
	for (const line of patch.split('\n')) {
		let m: RegExpExecArray | null;
		if ((m = /^ mode change [0-7]+ => [0-7]+ (\S+)\s*$/.exec(line))) files.push(m[1]!);
		else if ((m = /^rename (?:from|to) (\S+)\s*$/.exec(line))) files.push(m[1]!);
		else if ((m = /^diff --git a\/(\S+) b\/(\S+)\s*$/.exec(line))) files.push(m[1]!, m[2]!);
		else if (/^Fixes:\s+([0-9a-fA-F]{6,40})/.test(line)) continue;
		else if ((m = /^\+\+\+\s+(\S+)/.exec(line) ?? /^---\s+(\S+)/.exec(line))) files.push(m[1]!.replace(/^[^/]*\//, ''));
	}
	return [...new Set(files)].sort();
}

/**
 * The K: entries (their typevalue index) that match the patch text, each with
 * the files whose diff lines matched it (none: only the commit message did).
 */
function keywordHits(db: MaintainersDb, patch: string): Array<[number, string[]]> {
	const hits = new Map<number, string[]>();
	let prefix = '';
	let file: string | undefined;
	for (const line of patch.split('\n')) {
		if (
			/^ mode change [0-7]+ => [0-7]+ (\S+)\s*$/.test(line) ||
			/^rename (?:from|to) (\S+)\s*$/.test(line) ||
			/^diff --git a\/(\S+) b\/(\S+)\s*$/.test(line) ||
			/^Fixes:\s+([0-9a-fA-F]{6,40})/.test(line)
		)
			continue;
		let m: RegExpExecArray | null;
		if ((m = /^\+\+\+\s+(\S+)/.exec(line)) || /^---\s+(\S+)/.test(line)) {
			prefix = '^[+-].*';
			if (m) file = m[1]!.replace(/^[^/]*\//, '');
			continue;
		}
		if (/^@@ -(\d+),(\d+)/.test(line)) continue;
		for (const [i, kw] of db.keywords) {
			const seen = hits.get(i);
			if (seen && (!file || seen.includes(file))) continue;
			const re = compile(db, `K\0${prefix}\0${kw}`, () => perlRegex(prefix + kw), `K: ${kw}`);
			if (re?.test(line)) hits.set(i, [...(seen ?? []), ...(file ? [file] : [])]);
		}
	}
	// sort_and_uniq: Perl's default sort compares strings
	return [...hits].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

/**
 * get_maintainer.pl for files (its -f mode) or for a patch (files and
 * keywords from the patch text).
 */
export function getMaintainers(
	db: MaintainersDb,
	input: { files?: string[]; patch?: string },
	opts: MatchOptions = {},
): MatchResult {
	const wantM = opts.maintainers ?? true;
	const wantR = opts.reviewers ?? true;
	const wantL = opts.lists ?? true;
	const tv = db.tv;
	const files = input.patch !== undefined ? patchFiles(input.patch) : (input.files ?? []).map((f) => f.replace(/^\.\//, ''));

	const emailTo: Array<[string, Role, string]> = [];
	const listTo: Array<[string, Role, string]> = [];
	const hashName = new Set<string>();
	const hashAddress = new Set<string>();
	const hashList = new Set<string>();
	const sections: SectionMatch[] = [];

	const pushEmail = (line: string, role: Role, section: string) => {
		const [name, address] = parseEmail(line);
		if (address === '') return false;
		const inUse = (name !== '' && hashName.has(name.toLowerCase())) || hashAddress.has(address.toLowerCase());
		if (!inUse) {
			emailTo.push([formatEmail(name, address), role, section]);
			if (name !== '') hashName.add(name.toLowerCase());
			hashAddress.add(address.toLowerCase());
		}
		return true;
	};

	const addCategories = (index: number, file: string | undefined, depth: number, keyword = false) => {
		const start = startIndex(tv, index);
		const end = endIndex(tv, index);
		const header = tv[start]!;
		sections.push({ section: header, status: sectionStatus(tv, start, end), file, depth, ...(keyword ? { keyword: true } : {}) });
		for (let i = start + 1; i < end; i++) {
			const t = typeOf(tv[i]!);
			if (!t) continue;
			const [type, value] = t;
			if (type === 'L') {
				let address = value;
				let additional = '';
				const m = /([^\s]+)\s+(.*)$/s.exec(address);
				if (m) {
					address = m[1]!;
					additional = m[2]!;
				}
				if (/subscribers-only/.test(additional)) continue; // --s is off by default
				if (!wantL || hashList.has(address.toLowerCase())) continue;
				hashList.add(address.toLowerCase());
				listTo.push([address, 'list', header]);
			} else if (type === 'M' && wantM) {
				for (const a of splitAddresses(value)) pushEmail(a, 'maintainer', header);
			} else if (type === 'R' && wantR) {
				for (const a of splitAddresses(value)) pushEmail(a, 'reviewer', header);
			}
		}
	};

	for (const file of files) {
		const depthOf = new Map<number, number>();
		let tvi = 0;
		while (tvi < tv.length && !typeOf(tv[tvi]!)) tvi++;
		while (tvi < tv.length) {
			const start = startIndex(tv, tvi);
			const end = endIndex(tv, tvi);
			let exclude = false;
			for (let i = start; i < end; i++) {
				const t = typeOf(tv[i]!);
				if (t && t[0] === 'X' && fileMatchPattern(db, file, t[1])) {
					exclude = true;
					break;
				}
			}
			if (!exclude) {
				for (let i = start; i < end; i++) {
					const t = typeOf(tv[i]!);
					if (!t) continue;
					const [type, value] = t;
					if (type === 'F') {
						if (fileMatchPattern(db, file, value)) {
							let pd = slashes(value);
							if (!value.endsWith('/')) pd++;
							if (/^(\.\*|\(\?:\.\*\))/.test(value)) pd = -1;
							depthOf.set(tvi, pd);
						}
					} else if (type === 'N') {
						const re = compile(db, `N\0${value}`, () => perlRegex(value), `N: ${value}`);
						if (re?.test(file)) depthOf.set(tvi, 0);
					}
				}
			}
			tvi = end + 1;
		}
		// Most specific first; equal depths in MAINTAINERS order.
		const order = [...depthOf.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
		for (const [index, depth] of order) addCategories(index, file, depth);
	}

	if (input.patch !== undefined && (opts.keywords ?? true))
		for (const [index, where] of keywordHits(db, input.patch)) {
			addCategories(index, where[0], -Infinity, true);
			// the other files whose lines it matched: the section is theirs too (its recipients are in already)
			const header = tv[startIndex(tv, index)]!;
			const status = sections[sections.length - 1]!.status;
			for (const f of where.slice(1)) sections.push({ section: header, status, file: f, depth: -Infinity, keyword: true });
		}

	// deduplicate_email + mailmap over everything collected
	const dedupName = new Map<string, [string, string]>();
	const dedupAddress = new Map<string, [string, string]>();
	const dedup = (email: string): string => {
		let [name, address] = parseEmail(email);
		email = mailmapEmail(db.mailmap, formatEmail(name, address));
		[name, address] = parseEmail(email);
		let hit: [string, string] | undefined;
		if (name !== '' && (hit = dedupName.get(name.toLowerCase()))) [name, address] = hit;
		else if ((hit = dedupAddress.get(address.toLowerCase()))) [name, address] = hit;
		else {
			dedupName.set(name.toLowerCase(), [name, address]);
			dedupAddress.set(address.toLowerCase(), [name, address]);
		}
		return mailmapEmail(db.mailmap, formatEmail(name, address));
	};
	for (const e of [...emailTo, ...listTo]) e[0] = dedup(e[0]);
	// The chief penguin is only added with --git-chief-penguins.
	const chief = /Linus Torvalds <torvalds@linux-foundation.org>/;
	const people = emailTo.filter((e) => !chief.test(e[0]));

	// Addresses inside touched .yaml files (maintainers_in_file), after the
	// de-duplication above, as the script adds them.
	if (db.root && (wantM || wantR))
		for (const email of yamlEmails(db.root, files)) {
			const [name, address] = parseEmail(mailmapEmail(db.mailmap, email));
			const inUse = (name !== '' && hashName.has(name.toLowerCase())) || hashAddress.has(address.toLowerCase());
			if (address === '' || inUse) continue;
			people.push([formatEmail(name, address), 'maintainer', `in file ${files.find((f) => f.endsWith('.yaml'))}`]);
			if (name !== '') hashName.add(name.toLowerCase());
			hashAddress.add(address.toLowerCase());
		}

	// merge_email: drop exact duplicates
	const seen = new Set<string>();
	const recipients: Recipient[] = [];
	for (const [email, role, section] of [...people, ...listTo]) {
		if (seen.has(email)) continue;
		seen.add(email);
		recipients.push({ email, address: parseEmail(email)[1], role, section });
	}
	return { recipients, sections, files };
}

/** maintainers_in_file() + clean_file_emails() for the .yaml files among files. */
function yamlEmails(root: string, files: string[]): string[] {
	const out: string[] = [];
	for (const file of files) {
		if (!file.endsWith('.yaml') || /\bMAINTAINERS$/.test(file)) continue;
		let text: string;
		try {
			text = fs.readFileSync(path.join(root, file), 'utf8');
		} catch {
			continue;
		}
		const poss = text.match(/[\p{L}"' ,.+-]*\s*,*\s*[(<{]?[A-Za-z0-9_.+-]+@[A-Za-z0-9.-]+\.[A-Za-z0-9]+[)>}]?/gu) ?? [];
		for (let email of poss) {
			email = email.replace(/[(<{]?([A-Za-z0-9_.+-]+@[A-Za-z0-9.-]+)[)>}]?/g, '<$1>');
			let [name, address] = parseEmail(email);
			name = name.replace(/^"(.*)"$/s, '$1');
			const parts = name.split(/[^\p{L}',.+-]/u);
			while (parts.length && parts[parts.length - 1] === '') parts.pop(); // Perl's split drops trailing empty fields
			const nw = parts.filter((w) => !/^[',.+-]$/.test(w));
			if (nw.length > 2) {
				const [first, middle, last] = nw.slice(-3) as [string, string, string];
				const initial = (w: string) => (w.length === 1 && /\p{L}/u.test(w)) || (w.length === 2 && w.endsWith('.'));
				name = initial(first) || middle.length === 1 || (middle.length === 2 && middle.endsWith('.')) ? `${first} ${middle} ${last}` : `${middle} ${last}`;
			} else name = nw.join(' ');
			if (/[,.]$/.test(name)) name = name.slice(0, -1);
			if (/^[,.]/.test(name)) name = name.slice(1);
			out.push(formatEmail(name, address));
		}
	}
	return [...new Set(out)];
}

function mailmapEmail(mm: Mailmap, line: string): string {
	const [name, address] = parseEmail(line);
	const email = formatEmail(name, address);
	let realName = name;
	let realAddress = address;
	if (mm.names.has(email) || mm.addresses.has(email)) {
		if (mm.names.has(email)) realName = mm.names.get(email)!;
		if (mm.addresses.has(email)) realAddress = mm.addresses.get(email)!;
	} else {
		if (mm.names.has(address)) realName = mm.names.get(address)!;
		if (mm.addresses.has(address)) realAddress = mm.addresses.get(address)!;
	}
	return formatEmail(realName, realAddress);
}

// ---------------------------------------------------------------------------
// Recipients of a patch series

/** To: and Cc: of one mail, plus what the lookup found. */
export interface MailRecipients {
	to: string[];
	cc: string[];
	/** sections that matched, for the status report */
	sections: SectionMatch[];
}

/**
 * To: the maintainers (M:) of the sections a patch touches; Cc: their
 * reviewers (R:) and lists (L:). Together they are exactly what
 * `get_maintainer.pl --no-git --no-git-fallback --no-rolestats PATCH` prints;
 * To: is what it prints with --no-r --no-l added.
 */
export function recipientsFor(db: MaintainersDb, input: { files?: string[]; patch?: string }): MailRecipients {
	const all = getMaintainers(db, input);
	const maint = new Set(getMaintainers(db, input, { reviewers: false, lists: false }).recipients.map((r) => r.address.toLowerCase()));
	const to: string[] = [];
	const cc: string[] = [];
	for (const r of all.recipients) (r.role !== 'list' && maint.has(r.address.toLowerCase()) ? to : cc).push(r.email);
	return { to, cc, sections: all.sections };
}

/**
 * Union of several mails' recipients (the cover letter's, as b4 does it),
 * with extra --to/--cc addresses first. An address is listed once; To: wins
 * over Cc:.
 */
export function mergeRecipients(parts: Array<{ to: string[]; cc: string[] }>): { to: string[]; cc: string[] } {
	const to: string[] = [];
	const cc: string[] = [];
	const inTo = new Set<string>();
	for (const p of parts)
		for (const e of p.to) {
			const k = addressKey(e);
			if (inTo.has(k)) continue;
			inTo.add(k);
			to.push(e);
		}
	const inCc = new Set<string>();
	for (const p of parts)
		for (const e of p.cc) {
			const k = addressKey(e);
			if (inTo.has(k) || inCc.has(k)) continue;
			inCc.add(k);
			cc.push(e);
		}
	return { to, cc };
}

/** Statuses that mean nobody (or only occasionally somebody) looks after the code. */
export function isUnmaintained(status: string): boolean {
	return /orphan|odd fixes|obsolete/i.test(status);
}

/** Sections with an Orphan, Odd Fixes or Obsolete status, each once, with the files they cover. */
export function unmaintainedSections(matches: SectionMatch[]): UnmaintainedSection[] {
	const by = new Map<string, UnmaintainedSection>();
	for (const m of matches) {
		if (m.section === 'THE REST' || !isUnmaintained(m.status)) continue;
		let e = by.get(m.section);
		if (!e) by.set(m.section, (e = { section: m.section, status: m.status, files: [] }));
		if (m.file && !e.files.includes(m.file)) e.files.push(m.file);
		if (m.keyword) e.keyword = true;
	}
	// a section its paths matched is listed for its files alone; one only a K: keyword matched says so
	for (const e of by.values()) if (e.keyword && matches.some((m) => m.section === e.section && !m.keyword && m.file)) delete e.keyword;
	return [...by.values()];
}

/** A touched section without an active maintainer, for the notes and the cover letter. */
export interface UnmaintainedSection {
	section: string;
	status: string;
	/** the files it is there for (for a K: keyword, those whose diff lines matched it) */
	files: string[];
	/** only its K: keyword (a regex over the patch text) matched, not a file's path */
	keyword?: boolean;
}

/**
 * The most specific MAINTAINERS section of a file, for ordering the series
 * (the catch-all THE REST is none).
 */
export function sectionOfFile(db: MaintainersDb, file: string): string | undefined {
	return getMaintainers(db, { files: [file] }, { keywords: false }).sections.find((s) => s.section !== 'THE REST')?.section;
}
