// The refused hooks in a report of their own, written beside the series
// (refusals.txt): one line per hook, "FILE:LINE: CODE: FUNCTION: REASON",
// grouped by code, so that a maintainer can grep it and a script can parse
// it. The cover letter gives the count and points to it instead of listing
// every hook.
import type { HookReport } from '../base/types.js';

export const REFUSAL_REPORT = 'refusals.txt';

/** The report's file name: vN-refusals.txt for version N, as the patches are named. */
export const refusalReportName = (reroll?: string) => (reroll ? `v${reroll}-${REFUSAL_REPORT}` : REFUSAL_REPORT);

/** Where a refused hook is: its definition, else its first wiring site. */
export function refusalPlace(h: HookReport): string {
	if (h.file) return `${h.file}:${h.line}`;
	const w = h.wiring[0];
	return w ? `${w.file}:${w.line}` : 'unknown location';
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The report's text. `meanings` (code -> one line, the refusal catalogue)
 * heads each group when given. Groups come by size, then code; lines by
 * place.
 */
export function refusalReport(refused: HookReport[], opts: { version: string; meanings?: Readonly<Record<string, string>> }): string {
	const n = refused.length;
	const head = [
		`mmapify ${opts.version}: ${n === 0 ? 'no hook was' : n === 1 ? '1 hook was' : `${n} hooks were`} left on f_op->mmap for manual conversion.`,
		...(n ? ['One line per hook: FILE:LINE: CODE: FUNCTION: REASON, grouped by code.'] : []),
	];
	const byCode = new Map<string, HookReport[]>();
	for (const h of refused) {
		const code = h.code ?? 'uncoded';
		byCode.set(code, [...(byCode.get(code) ?? []), h]);
	}
	const groups = [...byCode.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
	const blocks = groups.map(([code, hooks]) => {
		const meaning = opts.meanings?.[code];
		const lines = hooks
			.map((h) => `${refusalPlace(h)}: ${code}: ${h.function}: ${oneLine(h.reason ?? 'not converted')}`)
			.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
		return [`${code} (${hooks.length})${meaning ? `: ${meaning}` : ''}`, ...lines].join('\n');
	});
	return [head.join('\n'), ...blocks].join('\n\n') + '\n';
}

/** The cover letter's paragraph: the count and where the list is. */
export function refusalPointer(count: number, file = REFUSAL_REPORT): string {
	if (!count) return '';
	const what = count === 1 ? 'One hook was' : `${count} hooks were`;
	return `${what} left on f_op->mmap and need${count === 1 ? 's' : ''} manual conversion: ${file}, written beside this series, lists ${count === 1 ? 'it' : 'each'} with its file and line, a stable code and the reason.`;
}
