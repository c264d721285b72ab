// What a conversion run prints: the text report, the --check list, the gcc
// lines of --format gcc and the JSON report (its schema:
// docs/schema/convert.schema.json, explained in docs/json.md).
import type { Note } from './notes.js';
import { patchMessages } from '../series/write.js';
import { countsPhrase, hookCounts } from '../series/counts.js';
import { isShim } from '../series/message.js';
import type { PrefixRule } from '../series/subject.js';
import type { BootReport } from '../verify/boot/report.js';
import type { FileProblem } from '../kernel/source-file.js';
import type { Plan } from '../plan/plan.js';
import type { HookReport } from '../base/types.js';
import type { SeriesFile } from '../series/write.js';
import type { VerifyReport } from '../verify/verify.js';
import { patchFileName } from '../series/file-names.js';
import { REPORT_FORMAT } from '../base/report-format.js';
import { color } from '../ui/term.js';
import type { Output } from './options.js';

/** Where a hook is: its definition, or its first wiring site. */
export const hookPlace = (h: HookReport) => (h.file ? `${h.file}:${h.line}` : `${h.wiring[0]?.file}:${h.wiring[0]?.line}`);

/** The hooks a text report lists: with --only, the selected ones and their chains' (unless verbose). */
function shown(plan: Plan, out: Output): HookReport[] {
	const sel = plan.selection;
	if (!sel?.only.length || out.verbose) return plan.hooks;
	return plan.hooks.filter((h) => sel.only.includes(h.function) || sel.withChain.some((w) => w.function === h.function && w.file === h.file));
}

/** One line per hook (converted or skipped with its reason), then the counts. */
export function textReport(plan: Plan, out: Output): string {
	const c = color(out.color);
	const lines: string[] = [];
	for (const h of shown(plan, out)) {
		if (h.status === 'converted' && isShim(h)) {
			lines.push(`${c.cyan('shim     ')} ${h.function}  ${hookPlace(h)}\n          keeps its mmap hook and calls the converted nested hook through the compat shim`);
			if (out.verbose) for (const w of h.wiring) lines.push(`          wired: ${w.struct}.${w.field} at ${w.file}:${w.line}`);
		} else if (h.status === 'converted') {
			lines.push(`${c.green('converted')} ${h.function} -> ${h.newName}  ${hookPlace(h)}`);
			if (out.verbose) {
				lines.push(`          rules: ${(h.rules ?? []).join(', ') || '-'}${h.chain ? `; chain ${h.chain}` : ''}`);
				for (const w of h.wiring) lines.push(`          wired: ${w.struct}.${w.field} at ${w.file}:${w.line}`);
			}
		} else lines.push(`${c.red('skipped  ')} ${h.function}  ${hookPlace(h)}\n          ${out.verbose && h.code ? `[${h.code}] ` : ''}${h.reason}`);
	}
	const sel = plan.selection;
	if (sel) {
		for (const w of sel.withChain) lines.push(`note: ${w.function} (${w.file}) converts with chain ${w.chain}, which --only ${w.for.join(', ')} selected`);
		if (sel.leftOut && !out.verbose) lines.push(`note: ${sel.leftOut} more hook${sel.leftOut === 1 ? '' : 's'} would convert but ${sel.leftOut === 1 ? 'is' : 'are'} left out by --only/--exclude (-v lists them)`);
	}
	lines.push(counts(plan));
	return lines.join('\n');
}

/** "N hooks converted, M dispatchers given a compat shim, K refused, P patches" */
export function counts(plan: Plan): string {
	return `${countsPhrase(hookCounts(plan.hooks))}, ${plan.patches.length} patch${plan.patches.length === 1 ? '' : 'es'}`;
}

/** --check: the hooks that would convert, one per line, and the verdict. */
export function checkReport(plan: Plan, out: Output): string {
	const conv = plan.hooks.filter((h) => h.status === 'converted');
	const lines = conv.map((h) => `${hookPlace(h)}: ${h.function} -> ${h.newName}`);
	if (out.verbose) for (const h of plan.hooks) if (h.status === 'skipped') lines.push(`${h.at ? `${h.at.file}:${h.at.line}` : hookPlace(h)}: ${h.function} not converted [${h.code}]: ${h.reason}`);
	const skipped = plan.hooks.length - conv.length;
	lines.push(
		conv.length
			? `mmapify --check: ${conv.length} hook${conv.length === 1 ? '' : 's'} would convert (${plan.patches.length} patch${plan.patches.length === 1 ? '' : 'es'}); ${skipped} not convertible`
			: `mmapify --check: no hook would convert; ${skipped} not convertible`,
	);
	return lines.join('\n');
}

/**
 * --format gcc: one line per refused hook, `file:line: mmapify: code: reason`,
 * which editors' quickfix lists read; with check, the hooks that would convert too.
 */
export function gccLines(plan: Plan, check = false): string[] {
	const lines: string[] = [];
	for (const h of plan.hooks) {
		if (h.status === 'skipped') lines.push(`${h.at!.file}:${h.at!.line}: mmapify: ${h.code}: ${h.reason}`);
		else if (check) lines.push(`${hookPlace(h)}: mmapify: would-convert: ${h.function} -> ${h.newName}`);
	}
	return lines;
}

export type RunMode = 'write' | 'dry-run' | 'check';

/** written: the series files, or undefined when nothing was written (patches then carry the name they would get). */
/** How subjects get their prefixes: --prefix (bare, or PATH=PREFIX rules), else the tree's history or the table. */
export type PrefixChoice = { prefix?: string; prefixRules: PrefixRule[]; tree: string };

/** The text report's counts, under names that say what they count (`converted` and `skipped` count statuses). */
function countsFor(plan: Plan) {
	const c = hookCounts(plan.hooks);
	return { hooksConverted: c.converted, compatShims: c.shims, refused: c.refused };
}

export function jsonReport(o: { root: string; plan: Plan; mode: RunMode; tool: string; written?: SeriesFile[]; prefixes: PrefixChoice; reroll?: string; verify?: VerifyReport; boot?: BootReport; notes?: Note[]; skippedFiles?: FileProblem[] }) {
	const { plan, written } = o;
	const converted = plan.hooks.filter((h) => h.status === 'converted').length;
	const patches = written
		? written.filter((w) => w.patch).map((w) => ({ path: w.path, subject: w.subject, files: w.files, to: w.to, cc: w.cc, unmaintained: w.unmaintained }))
		: patchMessages(plan, { ...o.prefixes, version: o.tool }).map(({ subject }, i) => {
				const p = plan.patches[i]!;
				return { path: patchFileName(i + 1, subject, o.reroll), subject, files: p.files, written: false };
			});
	const cover = written?.find((w) => !w.patch && !w.report);
	const refusals = written?.find((w) => w.report);
	return {
		version: REPORT_FORMAT,
		kind: 'convert',
		tool: { name: 'mmapify', version: o.tool },
		mode: o.mode,
		tree: o.root,
		...(plan.selection ? { selection: plan.selection } : {}),
		hooks: plan.hooks,
		patches,
		...(cover ? { cover: { path: cover.path, subject: cover.text.match(/^Subject: (.*(?:\n .*)*)/m)?.[1]?.replace(/\n /g, ' '), to: cover.to, cc: cover.cc, unmaintained: cover.unmaintained } } : {}),
		...(refusals ? { refusals: { path: refusals.path } } : {}),
		...(o.verify ? { verify: o.verify } : {}),
		...(o.boot ? { boot: o.boot } : {}),
		...(o.skippedFiles?.length ? { skippedFiles: o.skippedFiles } : {}),
		...(o.notes?.length ? { notes: o.notes } : {}),
		summary: { converted, skipped: plan.hooks.length - converted, patches: plan.patches.length, ...countsFor(plan) },
	};
}
