// The series writer: commit messages and `git format-patch`-style mbox files.
//
// Output follows git 2.39's format-patch with --cover-letter --numbered
// --base: one file per patch plus 0000-cover-letter.patch, each starting
// with the "From <sha> Mon Sep 17 00:00:00 2001" mbox line. Like git, a
// series of one patch still gets a cover letter ([PATCH 0/1] + [PATCH 1/1]);
// it is where the refused hooks and the tool disclosure go. `git am` and
// `b4 am` skip it; apply 0001.. only.
//
// Deliberate differences from git: the From_ hash is a sha1 of the patch
// text (there is no commit), and the MIME headers are also written when only
// the diff has non-ASCII bytes, so that git send-email does not have to ask
// for an encoding.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffstat, fileDiff, type DiffOptions } from './gitobj.js';
import { commonPrefix, subjectPrefix, type PrefixRule } from './subject.js';
import type { FileChange, HookReport, PatchSpec, Person } from './types.js';
import { columns, gitWrap, isTrailer, NBSP, wrapMessage } from './wrap.js';

/** submitting-patches.rst: the summary "must be no more than 70-75 characters". */
export const MAX_SUBJECT = 75;
const MAIL_WRAP = 72; // git's MAIL_DEFAULT_WRAP (diffstat, shortlog)
const HEADER_WRAP = 78; // rfc2822 line length git folds headers at
const NAME_MAX = 64; // git format-patch --filename-max-length default

// ---------------------------------------------------------------------------
// Templates

/** templates/ next to src/ (tsx) or two levels up (dist/src). */
function templateDir(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 4; i++) {
		const t = path.join(dir, 'templates');
		if (fs.existsSync(path.join(t, 'commit-message.txt'))) return t;
		dir = path.dirname(dir);
	}
	throw new Error('mmapify: templates/ not found');
}

/**
 * Fill {{name}} placeholders. '#' lines are comments. A paragraph whose
 * placeholders all came out empty is dropped, so optional sections need no
 * conditionals in the template.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
	const text = template
		.split('\n')
		.filter((l) => !l.startsWith('#'))
		.join('\n');
	const paragraphs = text.split(/\n\s*\n/).flatMap((para) => {
		const names = [...para.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
		for (const n of names) if (!(n in values)) throw new Error(`template: no value for {{${n}}}`);
		if (names.length && names.every((n) => !values[n]!.trim())) return [];
		return [para.replace(/\{\{(\w+)\}\}/g, (_, n: string) => values[n]!).trim()];
	});
	return paragraphs.filter(Boolean).join('\n\n');
}

function loadTemplate(name: string, dir?: string): string {
	return fs.readFileSync(path.join(dir ?? templateDir(), name), 'utf8');
}

// ---------------------------------------------------------------------------
// Commit messages

// What each rule did, as a verb phrase whose subject is the converted hook.
// P1 (signature), P2/initialiser (wiring) and naming are in the lead sentence.
const RULE_PHRASES: Record<string, string> = {
	P3: 'takes the file from desc->file',
	P4: 'sets desc->vm_ops instead of vma->vm_ops',
	P5: 'sets desc->private_data instead of vma->vm_private_data',
	P6: 'sets VMA flags with vma_desc_set_flags() and VMA_*_BIT values instead of vm_flags_set()',
	P7: 'clears VMA flags with vma_desc_clear_flags() instead of vm_flags_clear()',
	P8: 'replaces vm_flags_mod() with vma_desc_set_flags() and vma_desc_clear_flags()',
	P9: 'tests VMA flags with the vma_desc_test*() helpers instead of reading vma->vm_flags',
	P10: 'takes the mapping size and range from vma_desc_size(), desc->start and desc->end',
	P11: 'counts pages with vma_desc_pages() instead of vma_pages()',
	P12: 'reads the page offset from desc->pgoff',
	P13: 'changes desc->page_prot instead of vma->vm_page_prot',
	P14: 'keeps its file_accessed() call',
	P15: 'requests the mapping with mmap_action_simple_ioremap() instead of calling vm_iomap_memory(), so the core maps the range after the hook returns',
	P16: 'requests the remap with an mmap_action_remap*() helper instead of calling remap_pfn_range(), so the core remaps after the hook returns',
	P17: 'calls the generic_file_*mmap_prepare() helper instead of its VMA-based counterpart',
	P18: 'uses vma_desc_set_anonymous() instead of vma_set_anonymous()',
	P19: 'uses shmem_zero_setup_desc() instead of shmem_zero_setup()',
	P20: 'moves per-mapping side effects into a new vm_ops->mapped callback, which runs only once the VMA is really mapped',
	P21: 'uses a helper split into a field-based part and a thin VMA wrapper',
	P22: 'passes the descriptor to the helper it calls, which is converted too',
	P23: 'checks file_is_dax() instead of vma_is_dax()',
	'kernel-doc': 'has its kernel-doc updated for @desc',
	chain: 'passes the descriptor on to the nested hook it calls',
};

/** A nested chain a patch converts, for its commit message. */
export interface ChainSummary {
	struct: string;
	field: string;
	newField: string;
	mode: 'rename' | 'coexist';
	dispatchers: Array<{ fn: string; mode: 'whole-chain' | 'compat-shim' }>;
	/** implementors left on the old field (coexist): "foo_mmap()" or "the hooks wired by MACRO" */
	leftBehind: string[];
}

/** The paragraph that explains a chain: the field, the outer hooks, the shim and why it is temporary. */
export function describeChain(c: ChainSummary): string {
	const field = `struct ${c.struct}'s .${c.field} hook`;
	const out: string[] = [];
	if (c.mode === 'rename')
		out.push(`${field} is called from an old-style mmap hook. Replace it with .${c.newField}, which takes a struct vm_area_desc, and convert every implementor.`);
	else
		out.push(
			`${field} is called from an old-style mmap hook. Add .${c.newField}, which takes a struct vm_area_desc, beside it and move the implementors that can be converted to it; ${joinAnd(c.leftBehind)} stay${c.leftBehind.length === 1 && !c.leftBehind[0]!.startsWith('the hooks') ? 's' : ''} on .${c.field}, which can go away once ${c.leftBehind.length === 1 ? 'it is' : 'they are'} converted.`,
		);
	const whole = c.dispatchers.filter((d) => d.mode === 'whole-chain').map((d) => `${d.fn}()`);
	const shim = c.dispatchers.filter((d) => d.mode === 'compat-shim').map((d) => `${d.fn}()`);
	if (whole.length) out.push(`${joinAnd(whole)} only used the VMA to call the hook, so ${whole.length === 1 ? 'it becomes an mmap_prepare hook itself' : 'they become mmap_prepare hooks themselves'} and no compatibility shim is needed.`);
	if (shim.length)
		out.push(
			`${joinAnd(shim)} still need${shim.length === 1 ? 's' : ''} the VMA, so ${shim.length === 1 ? 'it calls' : 'they call'} the new hook through compat_set_desc_from_vma() and __compat_vma_mmap(), as uio and Hyper-V do upstream. This shim is temporary: it goes away when the outer hook is converted to mmap_prepare too.`,
		);
	return out.join(' ');
}

/** "P9c" -> "P9": sub-rules share their parent's sentence. */
const baseRule = (id: string) => /^P\d+/.exec(id)?.[0] ?? id;

/** P-rules in numeric order, then the named ones alphabetically. */
export function sortRules(ids: Iterable<string>): string[] {
	const key = (id: string) => {
		const m = /^P(\d+)(.*)$/.exec(id);
		return m ? [0, Number(m[1]), m[2]!] as const : [1, 0, id] as const;
	};
	return [...new Set(ids)].sort((a, b) => {
		const [ka, kb] = [key(a), key(b)];
		return ka[0] - kb[0] || ka[1] - kb[1] || ka[2].localeCompare(kb[2]);
	});
}

/** "a", "a and b", "a, b and c" */
export function joinAnd(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** upstream's field rule: "mmap" -> "mmap_prepare", "mmap_ring_buffer" -> "mmap_prepare_ring_buffer" */
const prepareField = (field: string) => field.replace(/mmap/, 'mmap_prepare');

const uniq = <T>(xs: T[]) => [...new Set(xs)];

/** The thing a subject names for a hook: the function, or the ops struct when the hook is a library function. */
function hookThing(h: HookReport): string {
	return h.file ? `${h.function}()` : (h.wiring[0]?.struct ?? `${h.function}()`);
}

/** One paragraph on what happened to a hook, derived from its rules. */
export function describeHook(h: HookReport, showFile: boolean): string {
	const newName = h.newName ?? h.function;
	if ((h.rules ?? []).includes('compat-shim'))
		return `Make ${h.function}()${showFile ? ` in ${h.file}` : ''} call the converted nested hook through the compat shim; it keeps its VMA.`;
	const where = uniq(h.wiring.map((w) => `.${prepareField(w.field)} in ${w.struct}`));
	if (!h.file) {
		// A library hook such as generic_file_mmap: only the initialiser changes.
		const structs = joinAnd(uniq(h.wiring.map((w) => w.struct)));
		return `Switch ${structs || 'the file_operations'} from ${h.function}() to ${newName}().`;
	}
	const lead = newName !== h.function ? `Rename ${h.function}() to ${newName}()` : `Convert ${h.function}()`;
	const loc = showFile ? ` in ${h.file}` : '';
	const wired = where.length ? ` and install it as ${joinAnd(where)}` : '';
	const phrases = uniq(sortRules(h.rules ?? []).map(baseRule))
		.map((id) => RULE_PHRASES[id])
		.filter((p): p is string => !!p);
	const rest = ['It now receives a struct vm_area_desc describing the mapping instead of the VMA', ...phrases];
	return `${lead}${loc}${wired}. ${joinAnd(rest)}.`;
}

/** "fn (file:line): reason" for a hook that was left alone. */
export function refusalLine(h: HookReport): string {
	const at = h.file ? `${h.file}:${h.line}` : h.wiring[0] ? `${h.wiring[0].file}:${h.wiring[0].line}` : 'unknown location';
	return `${h.function} (${at}): ${h.reason ?? 'not converted'}`;
}

/**
 * The summary line: "<prefix> Convert <what> to mmap_prepare", naming the
 * hooks so that no two patches of a series share a summary
 * (submitting-patches.rst), shortened to stay within 75 columns.
 */
export function commitSubject(prefix: string, hooks: HookReport[]): string {
	const things = uniq(hooks.map(hookThing));
	const n = hooks.length;
	const candidates = [
		things.length ? `Convert ${joinAnd(things)} to mmap_prepare` : '',
		n > 1 ? `Convert ${n} mmap hooks to mmap_prepare` : '',
		`Convert mmap hook${n > 1 ? 's' : ''} to mmap_prepare`,
	].filter(Boolean);
	for (const c of candidates) if (columns(`${prefix} ${c}`) <= MAX_SUBJECT) return `${prefix} ${c}`;
	return `${prefix} ${candidates[candidates.length - 1]}`;
}

export interface CommitMessageOptions {
	/** mmapify's version, for the disclosure line */
	version: string;
	/** add Signed-off-by for this human; never added otherwise (coding-assistants.rst) */
	signoff?: Person;
	/** use this subject prefix instead of deriving one from the paths */
	prefix?: string;
	/** extra path -> prefix rules tried before the built-in table */
	prefixRules?: readonly PrefixRule[];
	/** directory holding commit-message.txt (default: the package's templates/) */
	templateDir?: string;
}

export function signedOffBy(p: Person): string {
	return `Signed-off-by: ${p.name} <${p.email}>`;
}

/** Append a trailer like git's --signoff: no blank line if the message already ends in trailers, no duplicate. */
export function appendTrailer(body: string, trailer: string): string {
	const text = body.replace(/\s+$/, '');
	if (!text) return trailer;
	const paras = text.split(/\n\s*\n/);
	const last = paras[paras.length - 1]!.split('\n');
	if (last[last.length - 1] === trailer) return text;
	return last.every(isTrailer) ? `${text}\n${trailer}` : `${text}\n\n${trailer}`;
}

/** Subject and body (wrapped at 75) for a patch converting hooks in files. */
export function commitMessage(
	spec: { hooks: HookReport[]; files: string[]; refused?: HookReport[]; chains?: ChainSummary[] },
	opts: CommitMessageOptions,
): { subject: string; body: string } {
	const prefix = subjectPrefix(spec.files, { override: opts.prefix, rules: opts.prefixRules });
	const subject = commitSubject(prefix, spec.hooks);
	const showFile = uniq(spec.hooks.map((h) => h.file)).length > 1;
	const refused = spec.refused ?? [];
	const rules = sortRules(spec.hooks.flatMap((h) => h.rules ?? []));
	const body = wrapMessage(
		renderTemplate(loadTemplate('commit-message.txt', opts.templateDir), {
			chains: (spec.chains ?? []).map(describeChain).join('\n\n'),
			changes: spec.hooks.map((h) => describeHook(h, showFile)).join('\n\n'),
			refused: refused.length
				? `${refused.length === 1 ? 'This hook is' : 'These hooks are'} left on f_op->mmap for manual conversion:\n\n` +
					refused.map((h) => `- ${refusalLine(h)}`).join('\n')
				: '',
			version: opts.version,
			rules: rules.length ? joinAnd(rules) : 'none',
		}),
	);
	return { subject, body: opts.signoff ? appendTrailer(body, signedOffBy(opts.signoff)) : body };
}

// ---------------------------------------------------------------------------
// Mail headers (pretty.c: pp_user_info, pp_title_line, add_rfc2047)

const nonAscii = (s: string) => /[^\x00-\x7f]/.test(s);
const lastLineLength = (s: string) => s.length - (s.lastIndexOf('\n') + 1);

function needsRfc2047(s: string): boolean {
	return nonAscii(s) || s.includes('\n') || s.includes('=?');
}

function isRfc2047Special(byte: number, address: boolean): boolean {
	if (byte >= 0x80 || byte < 0x20 || byte === 0x7f) return true;
	const ch = String.fromCharCode(byte);
	if (' \t\n\r=?_'.includes(ch)) return true;
	if (!address) return false;
	return !/[A-Za-z0-9!*+\-/]/.test(ch);
}

/** RFC 2047 Q-encoding as git writes it: "=?UTF-8?q?...?=", folded before 76 columns. */
function rfc2047(s: string, lineLen: number, address: boolean): string {
	let out = '=?UTF-8?q?';
	lineLen += 'UTF-8'.length + 5;
	for (const ch of s) {
		const bytes = Buffer.from(ch, 'utf8');
		const special = bytes.length > 1 || isRfc2047Special(bytes[0]!, address);
		const enc = special ? [...bytes].map((b) => '=' + b.toString(16).toUpperCase().padStart(2, '0')).join('') : ch;
		if (lineLen + enc.length + 2 > 76) {
			out += '?=\n =?UTF-8?q?';
			lineLen = 'UTF-8'.length + 5 + 1;
		}
		out += enc;
		lineLen += enc.length;
	}
	return out + '?=';
}

/** "From: Name <email>", quoted or encoded like git. */
export function fromHeader(p: Person): string {
	let sb = 'From: ';
	let max = HEADER_WRAP;
	if (needsRfc2047(p.name)) {
		sb += rfc2047(p.name, lastLineLength(sb), true);
		max = 76;
	} else if (/[()<>[\]:;@,."\\]/.test(p.name)) {
		sb += gitWrap(`"${p.name.replace(/["\\]/g, '\\$&')}"`, -6, 1, max);
	} else {
		sb += gitWrap(p.name, -6, 1, max);
	}
	if (max < lastLineLength(sb) + 2 + p.email.length + 1) sb += '\n';
	return `${sb} <${p.email}>\n`;
}

/** "Subject: [PREFIX n/m] title", folded at 78 or RFC 2047-encoded like git. */
export function subjectHeader(tag: string, title: string): string {
	const sb = `Subject: ${tag ? `[${tag}] ` : ''}`;
	const t = title.replace(/\s*\n\s*/g, ' ').trim();
	if (needsRfc2047(t)) return sb + rfc2047(t, sb.length, false) + '\n';
	return sb + gitWrap(t, -sb.length, 1, HEADER_WRAP) + '\n';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 2822 date in UTC, as git's DATE_RFC2822 prints it ("Tue, 4 Nov 2026 08:01:28 +0000"). */
export function rfc2822(d: Date): string {
	const p2 = (n: number) => String(n).padStart(2, '0');
	return (
		`${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
		`${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
	);
}

// ---------------------------------------------------------------------------
// File names (pretty.c: format_sanitized_subject; log-tree.c: fmt_output_subject)

/** git's sanitised subject: runs of other characters become one '-', no '..', no trailing '.'/'-'. */
export function sanitizeSubject(subject: string): string {
	let out = '';
	let space = 2;
	for (let i = 0; i < subject.length; i++) {
		const c = subject[i]!;
		if (/[A-Za-z0-9._]/.test(c)) {
			if (space === 1) out += '-';
			space = 0;
			out += c;
			if (c === '.') while (subject[i + 1] === '.') i++;
		} else space |= 1;
	}
	return out.replace(/[.-]+$/, '');
}

/** "[vN-]NNNN-<sanitised subject>.patch", cut to git's 64-character default. */
export function patchFileName(nr: number, subject: string, reroll?: string): string {
	const suffix = '.patch';
	const head = `${reroll ? `v${sanitizeSubject(reroll)}-` : ''}${String(nr).padStart(4, '0')}-${sanitizeSubject(subject)}`;
	return head.slice(0, NAME_MAX - (suffix.length + 1)) + suffix;
}

// ---------------------------------------------------------------------------
// The series

export interface SeriesOptions {
	author: Person;
	date: Date;
	/** the bracket tag without numbers, e.g. "PATCH", "RFC PATCH", "PATCH v2" (default "PATCH") */
	subjectPrefix?: string;
	/** add Signed-off-by for this human; never added otherwise */
	signoff?: Person;
	/** written as "base-commit: <sha>" in the cover letter */
	baseCommit?: string;
	/** mmapify's version, for the signature and the disclosure */
	version: string;
	cover: {
		summary: string;
		refused: HookReport[];
		/** cover letter summary (after the prefix); derived from the patches when absent */
		subject?: string;
		/** paragraph on MAINTAINERS sections without an active maintainer */
		maintainers?: string;
		/** paragraph on what was verified (generated-content.rst asks for it) */
		testing?: string;
		/** the list under "Changes in vN:"; a line to be filled in when absent */
		changelog?: string;
		/** paragraph on a base that is not a commit (the series was made from a dirty tree) */
		provenance?: string;
	};
	/** To:/Cc: headers: of the cover letter, and of each patch (in order) */
	recipients?: { cover?: MailHeaders; patches?: Array<MailHeaders | undefined> };
	/** Message-Id the cover letter answers (In-Reply-To/References), e.g. the previous version's cover letter */
	inReplyTo?: string;
	/** blob id abbreviation in `index` lines (default 7; linux.git's git uses 12) */
	abbrev?: number;
	/** directory holding cover-letter.txt (default: the package's templates/) */
	templateDir?: string;
}

export interface SeriesFile {
	fileName: string;
	text: string;
}

/** Recipients of one mail, as `Name <addr>` strings. */
export interface MailHeaders {
	to: string[];
	cc: string[];
}

/** "To: a,\n    b\n" as git format-patch writes --to/--cc (empty list: no header). */
export function addressHeader(name: 'To' | 'Cc', addresses: string[]): string {
	return addresses.length ? `${name}: ${addresses.join(',\n    ')}\n` : '';
}

function recipientHeaders(r: MailHeaders | undefined): string {
	return r ? addressHeader('To', r.to) + addressHeader('Cc', r.cc) : '';
}

/** "<id>" for "id" or "<id>", as git format-patch --in-reply-to normalises it. */
export function messageId(id: string): string {
	const t = id.trim();
	return t.startsWith('<') ? t : `<${t}>`;
}

/** https://lore.kernel.org/r/<id> for a Message-Id. */
export function loreLink(id: string): string {
	return `https://lore.kernel.org/r/${messageId(id).slice(1, -1)}`;
}

/**
 * The "Changes in vN:" block of a re-rolled series' cover letter (b4's
 * layout): the given list of changes, or one line saying what is to be
 * filled in, and a link to the previous version when its Message-Id is known.
 */
export function changelogBlock(reroll: number, changes: string | undefined, previous: string | undefined, dir?: string): string {
	const prev = reroll - 1;
	const list = changes?.replace(/\s+$/, '').replace(/^\n+/, '');
	return renderTemplate(loadTemplate('changelog.txt', dir), {
		reroll: String(reroll),
		previous: String(prev),
		changes: list || `- What changed since v${prev} is to be filled in here.`,
		// NBSP: the link stays on one line, as b4 writes it, however long
		link: previous && prev >= 1 ? `- ${[`Link`, `to`, `v${prev}:`, loreLink(previous)].join(NBSP)}` : '',
	});
}

/**
 * Concatenated changes of several patches to the same path become one
 * before -> after change, which is what the cover letter's diffstat (the
 * range diff base..tip in git) counts.
 */
function netChanges(patches: PatchSpec[]): FileChange[] {
	const byPath = new Map<string, FileChange>();
	for (const p of patches)
		for (const c of p.changes) {
			const prev = byPath.get(c.path);
			byPath.set(c.path, prev ? { path: c.path, before: prev.before, after: c.after } : { ...c });
		}
	// git orders diffstat entries by path
	return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function sortByPath(changes: FileChange[]): FileChange[] {
	return [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function mbox(hashInput: string, headers: string, rest: string): string {
	const sha = createHash('sha1').update(hashInput).digest('hex');
	return `From ${sha} Mon Sep 17 00:00:00 2001\n${headers}${rest}`;
}

function mimeHeaders(eightBit: boolean): string {
	return eightBit ? 'MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n' : '';
}

/** "PATCH v2" -> "2": git names such files v2-NNNN-... */
export function rerollOf(tag: string): string | undefined {
	return /(?:^|\s)v(\d+)(?:\s|$)/.exec(tag)?.[1];
}

/** The shortlog block of a cover letter: "Name (n):" and the wrapped subjects. */
export function shortlog(author: Person, subjects: string[]): string {
	if (!subjects.length) return '';
	return `${author.name} (${subjects.length}):\n${subjects.map((s) => gitWrap(s, 2, 4, MAIL_WRAP) + '\n').join('')}\n`;
}

function coverSubject(patches: PatchSpec[]): string {
	if (patches.length === 1) return patches[0]!.subject;
	// What the patches' prefixes share; a series across subsystems is an mm
	// series (that is how upstream carried the mmap_prepare conversions).
	const prefix = commonPrefix(patches.map((p) => subjectPrefix(p.changes.map((c) => c.path)))) || 'mm:';
	const n = patches.reduce((k, p) => k + p.hooks.length, 0);
	return `${prefix} Convert ${n ? `${n} ` : ''}mmap hook${n === 1 ? '' : 's'} to mmap_prepare`;
}

/**
 * Render the series: 0000-cover-letter.patch, then one file per patch, in
 * git format-patch's layout so that `git am` applies 0001.. in order and
 * `git send-email` sends all of them.
 */
export function renderSeries(patches: PatchSpec[], opts: SeriesOptions): SeriesFile[] {
	const tag = (opts.subjectPrefix ?? 'PATCH').trim();
	const reroll = rerollOf(tag);
	const total = patches.length;
	const digits = String(total).length;
	const numbered = (n: number) => `${tag ? `${tag} ` : ''}${String(n).padStart(digits, '0')}/${total}`;
	const from = fromHeader(opts.author);
	const date = `Date: ${rfc2822(opts.date)}\n`;
	const signature = `-- \nmmapify ${opts.version}\n\n`;
	const diffOpts: DiffOptions = { abbrev: opts.abbrev };

	const files: SeriesFile[] = patches.map((p, i) => {
		const body = opts.signoff ? appendTrailer(p.body, signedOffBy(opts.signoff)) : p.body.replace(/\s+$/, '');
		const changes = sortByPath(p.changes.filter((c) => c.before !== c.after));
		const diffs = changes.map((c) => fileDiff(c, diffOpts)).join('');
		const message = body ? `\n${body}\n` : '\n';
		const rest = `${message}---\n${diffstat(changes, MAIL_WRAP)}\n${diffs}${signature}`;
		const headers =
			from + date + subjectHeader(numbered(i + 1), p.subject) + recipientHeaders(opts.recipients?.patches?.[i]) + mimeHeaders(nonAscii(p.subject + rest));
		return { fileName: patchFileName(i + 1, p.subject, reroll), text: mbox(headers + rest, headers, rest) };
	});

	const rules = sortRules(patches.flatMap((p) => p.hooks.flatMap((h) => h.rules ?? [])));
	const refused = opts.cover.refused;
	const prose = wrapMessage(
		renderTemplate(loadTemplate('cover-letter.txt', opts.templateDir), {
			summary: opts.cover.summary,
			refused: refused.length
				? (refused.length === 1
					? 'One hook was left on f_op->mmap and needs manual conversion:\n\n'
					: `${refused.length} hooks were left on f_op->mmap and need manual conversion:\n\n`) +
					refused.map((h) => `- ${refusalLine(h)}`).join('\n')
				: '',
			version: opts.version,
			rules: rules.length ? joinAnd(rules) : 'none',
			maintainers: opts.cover.maintainers ?? '',
			testing: opts.cover.testing ?? '',
			provenance: opts.cover.provenance ?? '',
			changelog:
				reroll && Number(reroll) > 1 ? changelogBlock(Number(reroll), opts.cover.changelog, opts.inReplyTo, opts.templateDir) : '',
		}),
	);
	const subject = opts.cover.subject ?? coverSubject(patches);
	const stat = diffstat(netChanges(patches), MAIL_WRAP);
	// Layout as git's make_cover_letter: blurb, shortlog, diffstat, then
	// "\nbase-commit:" after the blank line that ends the diffstat.
	const rest =
		`\n${prose}\n\n` +
		shortlog(opts.author, patches.map((p) => p.subject)) +
		`${stat}\n` +
		(opts.baseCommit ? `\nbase-commit: ${opts.baseCommit}\n` : '') +
		signature;
	// As format-patch --in-reply-to: the first mail answers the given one;
	// git send-email threads the patches under it.
	const thread = opts.inReplyTo ? `In-Reply-To: ${messageId(opts.inReplyTo)}\nReferences: ${messageId(opts.inReplyTo)}\n` : '';
	const headers =
		thread + from + date + subjectHeader(numbered(0), subject) + recipientHeaders(opts.recipients?.cover) + mimeHeaders(nonAscii(subject + rest));
	const cover = {
		fileName: `${reroll ? `v${reroll}-` : ''}0000-cover-letter.patch`,
		text: mbox(headers + rest + files.map((f) => f.text).join(''), headers, rest),
	};
	return [cover, ...files];
}

/**
 * The diff part of a rendered patch: from the first "diff --git" up to the
 * "-- " signature line, which a plain unified-diff parser would otherwise
 * take for a deleted line.
 */
export function diffSection(patchText: string): string {
	const start = patchText.indexOf('\ndiff --git ');
	if (start < 0) return '';
	const end = patchText.lastIndexOf('\n-- \n');
	return patchText.slice(start + 1, end > start ? end + 1 : undefined);
}
