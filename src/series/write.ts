// From plan to series: render the series and check every patch against the
// texts it was made from (src/outdir/ writes it).
import { applyPatch, parsePatch } from 'diff';
import type { Plan } from '../plan/plan.js';
import type { PatchSpec, Person } from '../base/types.js';
import { diffSection, renderSeries, type MailHeaders } from './render.js';
import { commitMessage, type ChainSummary } from './message.js';
import { stageMessage } from './stage-message.js';
import { countsPhrase, hookCounts } from './counts.js';
import { commonPrefix, subjectPrefix, type PrefixRule, type SubjectPrefixOptions } from './subject.js';
import { learnPrefixes } from './prefix-history.js';
import { refusalReport, refusalReportName } from './refusal-report.js';
import { coverSubjectFor, rerollOf } from './render.js';
import { mergeRecipients, recipientsFor, unmaintainedSections, type MaintainersDb, type SectionMatch, type UnmaintainedSection } from './maintainers.js';

export interface SeriesOptions {
	author: Person;
	date: Date;
	subjectPrefix: string;
	signoff?: Person;
	baseCommit?: string;
	version: string;
	/** subsystem prefix of every subject (a bare --prefix) */
	prefix?: string;
	/** --prefix PATH=PREFIX rules, tried before the history and the table */
	prefixRules?: readonly PrefixRule[];
	/** the kernel tree: when it is a git work tree, prefixes are learned from its files' history */
	tree?: string;
	/** the tree's MAINTAINERS: To:/Cc: of each patch and their union on the cover letter */
	maintainers?: MaintainersDb;
	/** extra recipients of every mail (--to/--cc) */
	to?: string[];
	cc?: string[];
	/** Message-Id the cover letter answers (--in-reply-to) */
	inReplyTo?: string;
	/** the list under "Changes in vN:" (--changelog FILE) */
	changelog?: string;
	/** the cover letter's paragraph on what was verified; a "not verified" line when absent */
	testing?: string;
	/** the cover letter's paragraph on a base that is not a commit (--allow-dirty) */
	provenance?: string;
	/** refusal code -> its one-line meaning (the catalogue), for the refusal report */
	refusalCodes?: Readonly<Record<string, string>>;
}

export interface SeriesFile {
	path: string; // file name inside the output folder
	text: string;
	patch: boolean; // false for the cover letter and the refusal report
	/** the refusal report (refusals.txt), not a mail */
	report?: boolean;
	subject: string;
	files: string[];
	/** its To:/Cc: headers */
	to?: string[];
	cc?: string[];
	/** MAINTAINERS sections of its files that are Orphan, Odd Fixes or Obsolete (union on the cover letter) */
	unmaintained?: UnmaintainedSection[];
}

/** What the cover letter says when the series was not proven by --verify. */
export const NOT_VERIFIED =
	'mmapify checked that each patch reproduces the files it converted. It did not apply, checkpatch or build the series: it was run without --verify.';

/** The cover letter's paragraph on MAINTAINERS entries without an active maintainer. */
export function unmaintainedNote(list: UnmaintainedSection[]): string {
	if (!list.length) return '';
	return (
		'MAINTAINERS has no active maintainer for some of the touched files:\n\n' +
		list.map((u) => `- ${u.section} (S: ${u.status}): ${unmaintainedWhere(u)}`).join('\n')
	);
}

/**
 * What a section without an active maintainer is listed for: its files, or,
 * for a section only its K: keyword (a regex over the patch text) matched,
 * the files whose lines matched it, or the commit message.
 */
export function unmaintainedWhere(u: UnmaintainedSection): string {
	if (!u.keyword) return u.files.join(', ');
	return u.files.length ? `${u.files.join(', ')} (their diff lines match its K: keyword)` : 'the commit message matches its K: keyword';
}

type PrefixOptions = Pick<SeriesOptions, 'prefix' | 'prefixRules' | 'tree' | 'version'>;

/** The chain summaries of a patch, for its commit message. */
function chainSummaries(p: Plan['patches'][number]): ChainSummary[] {
	return p.chains.map(chainSummary);
}

function chainSummary(c: Plan['chains'][number]): ChainSummary {
	return {
		struct: c.chain.key.struct,
		field: c.chain.key.field,
		newField: c.newField,
		mode: c.mode ?? 'rename',
		dispatchers: c.dispatchers.map((d) => ({ fn: d.fn, mode: d.mode })),
		leftBehind: [
			...c.reports.filter((r) => r.status === 'skipped').map((r) => `${r.function}()`),
			...[...new Set(c.chain.macroWired.map((w) => w.macro))].filter(Boolean).map((m) => `the hooks wired by ${m}`),
		],
	};
}

/**
 * The subject prefix of each patch, from one source for the whole series: the
 * user's rules, then what the tree's git history uses for the files, then
 * the table. A chain's patch is named after the outer hook's subsystem.
 */
export function patchPrefixes(plan: Plan, opts: PrefixOptions): string[] {
	const paths = plan.patches.flatMap((p) => [...p.files, ...p.chains.flatMap((c) => c.dispatchers.map((d) => d.file))]);
	const prefixOpts: SubjectPrefixOptions = {
		override: opts.prefix,
		rules: opts.prefixRules,
		learned: opts.tree ? learnPrefixes(opts.tree, paths) : undefined,
	};
	return plan.patches.map((p) => {
		// a step of a split chain: adding and removing the field is the owner's, a conversion its subsystem's
		const chains = p.stage ? (p.stage.kind === 'convert' ? [] : [p.stage.chain]) : p.chains;
		const outer = chains.flatMap((c) => c.dispatchers.map((d) => d.file));
		return subjectPrefix(outer.length ? outer : p.files, prefixOpts);
	});
}

/** Each patch's subject and body, as the series will carry them. */
export function patchMessages(plan: Plan, opts: PrefixOptions): Array<{ subject: string; body: string; prefix: string }> {
	const prefixes = patchPrefixes(plan, opts);
	return plan.patches.map((p, i) => {
		const stage = p.stage && p.stage.kind !== 'convert' ? p.stage : undefined;
		const msg =
			p.message ??
			(stage
				? stageMessage(stage.kind as 'add' | 'remove', chainSummary(stage.chain), stage.kind === 'add' ? p.hooks.map((h) => h.function) : [], prefixes[i]!, { version: opts.version })
				: commitMessage({ hooks: p.hooks, files: p.files, chains: chainSummaries(p) }, { version: opts.version, prefix: prefixes[i], phrases: plan.phrases }));
		return { ...msg, prefix: prefixes[i]! };
	});
}

export function buildSeries(plan: Plan, opts: SeriesOptions): SeriesFile[] {
	const refused = plan.hooks.filter((h) => h.status === 'skipped');
	const messages = patchMessages(plan, opts);
	const specs: PatchSpec[] = plan.patches.map((p, i) => ({ subject: messages[i]!.subject, body: messages[i]!.body, changes: p.changes, hooks: p.hooks }));
	// The cover letter names the subsystem the patches share (mm: when they share none).
	const coverSubject = specs.length === 1 ? specs[0]!.subject : coverSubjectFor(commonPrefix(messages.map((m) => m.prefix)) || 'mm:', specs);
	// Counts count converted hooks: a dispatcher that became a compat shim is not one.
	const counts = hookCounts(plan.hooks);
	const shims = counts.shims;
	const shimNote = shims
		? ` ${shims} outer hook${shims === 1 ? '' : 's'} that still need${shims === 1 ? 's' : ''} the VMA call${shims === 1 ? 's' : ''} ${shims === 1 ? 'its' : 'their'} converted nested hook through the temporary compat shim.`
		: '';
	const tally = `In all: ${countsPhrase(counts)}.`;
	const render = (recipients?: { cover: MailHeaders; patches: MailHeaders[] }, maintainers?: string) =>
		renderSeries(specs, {
			author: opts.author,
			date: opts.date,
			subjectPrefix: opts.subjectPrefix,
			signoff: opts.signoff,
			baseCommit: opts.baseCommit,
			version: opts.version,
			cover: {
				subject: coverSubject,
				summary: `This series converts ${counts.converted} f_op->mmap hook${counts.converted === 1 ? '' : 's'} to f_op->mmap_prepare in ${specs.length} patch${specs.length === 1 ? '' : 'es'}.${shimNote} ${tally}`,
				refused,
				refusalReport: refusalReportName(rerollOf(opts.subjectPrefix)),
				maintainers,
				testing: opts.testing ?? NOT_VERIFIED,
				provenance: opts.provenance,
				changelog: opts.changelog,
			},
			recipients,
			inReplyTo: opts.inReplyTo,
		});
	// Recipients come from each patch as get_maintainer.pl reads it (files
	// and K: keywords over the whole mail), so the series is rendered once
	// without them, then with them.
	let rendered = render();
	const extra = { to: opts.to ?? [], cc: opts.cc ?? [] };
	let perPatch: Array<{ to: string[]; cc: string[]; sections: SectionMatch[] }> = specs.map(() => ({ to: [], cc: [], sections: [] }));
	if (opts.maintainers) perPatch = rendered.slice(1).map((r) => recipientsFor(opts.maintainers!, { patch: r.text }));
	const patchHeaders = perPatch.map((r) => mergeRecipients([extra, r]));
	const coverHeaders = mergeRecipients([extra, ...perPatch]);
	const unmaintained = perPatch.map((r) => unmaintainedSections(r.sections));
	const allUnmaintained = unmaintainedSections(perPatch.flatMap((r) => r.sections));
	if (opts.maintainers || extra.to.length || extra.cc.length || allUnmaintained.length)
		rendered = render({ cover: coverHeaders, patches: patchHeaders }, unmaintainedNote(allUnmaintained));
	const out: SeriesFile[] = rendered.map((r, i) => ({
		path: r.fileName,
		text: r.text,
		patch: i > 0,
		subject: i > 0 ? specs[i - 1]!.subject : '',
		files: i > 0 ? specs[i - 1]!.changes.map((c) => c.path) : [],
		...(i > 0 ? patchHeaders[i - 1]! : coverHeaders),
		unmaintained: i > 0 ? unmaintained[i - 1]! : allUnmaintained,
	}));
	for (const [i, spec] of specs.entries()) checkPatch(out[i + 1]!, spec);
	return out;
}

/**
 * The refused hooks as one more file of the series (refusals.txt), so that it
 * is written, and replaced, with the mails: the writer gets
 * [...buildSeries(), refusalReportFile()]. It is no mail: `report` is set,
 * and its name does not end in .patch.
 */
export function refusalReportFile(plan: Plan, opts: Pick<SeriesOptions, 'version' | 'refusalCodes' | 'subjectPrefix'>): SeriesFile {
	const refused = plan.hooks.filter((h) => h.status === 'skipped');
	return { path: refusalReportName(rerollOf(opts.subjectPrefix)), text: refusalReport(refused, { version: opts.version, meanings: opts.refusalCodes }), patch: false, report: true, subject: '', files: [] };
}

/** A rendered patch must turn every `before` into its `after`, byte for byte. */
function checkPatch(file: SeriesFile, spec: PatchSpec): void {
	const diffs = parsePatch(diffSection(file.text));
	for (const ch of spec.changes) {
		const d = diffs.find((x) => x.newFileName === `b/${ch.path}`);
		if (!d) throw new Error(`${file.path}: no diff for ${ch.path}`);
		const got = applyPatch(ch.before, d);
		if (got !== ch.after) throw new Error(`${file.path}: the diff of ${ch.path} does not reproduce the converted file`);
	}
}
