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
import { diffstat } from './diff/stat.js';
import { fileDiff, type DiffOptions } from './diff/hunks.js';
import { commonPrefix, subjectPrefix } from './subject.js';
import type { FileChange, HookReport, PatchSpec, Person } from '../base/types.js';
import { gitWrap, NBSP, wrapMessage } from '../base/wrap.js';
import { loadTemplate, renderTemplate } from './templates.js';
import { appendTrailer, convertedHooks, disclosureLine, refusalLine, signedOffBy } from './message.js';
import { fromHeader, nonAscii, rfc2822, subjectHeader } from './headers.js';
import { patchFileName } from './file-names.js';
import { refusalPointer } from './refusal-report.js';
import { MAIL_WRAP } from './limits.js';

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
		/** name of the refusal report beside the series: the cover letter then gives the count and points to it */
		refusalReport?: string;
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
	return coverSubjectFor(commonPrefix(patches.map((p) => subjectPrefix(p.changes.map((c) => c.path)))) || 'mm:', patches);
}

/** "<prefix> Convert N mmap hooks to mmap_prepare", N counting converted hooks only. */
export function coverSubjectFor(prefix: string, patches: PatchSpec[]): string {
	const n = patches.reduce((k, p) => k + convertedHooks(p.hooks).length, 0);
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

	const refused = opts.cover.refused;
	const prose = wrapMessage(
		renderTemplate(loadTemplate('cover-letter.txt', opts.templateDir), {
			summary: opts.cover.summary,
			refused: opts.cover.refusalReport
				? refusalPointer(refused.length, opts.cover.refusalReport)
				: refused.length
					? (refused.length === 1
						? 'One hook was left on f_op->mmap and needs manual conversion:\n\n'
						: `${refused.length} hooks were left on f_op->mmap and need manual conversion:\n\n`) +
						refused.map((h) => `- ${refusalLine(h)}`).join('\n')
					: '',
			disclosure: disclosureLine(opts.version),
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
