// The one place where a conversion is tried and its Refusal becomes a report:
// an f_op hook (plan.ts), a chain implementor (chain.ts). On refusal the
// report is skipped with the reason (the construct and its file:line) and the
// refusal's code; any other error is a bug and propagates.
import { Refusal } from '../rewrite/refusals.js';
import type { HookReport } from '../base/types.js';

/**
 * Run convert(); on a Refusal mark report skipped with its reason, located in
 * the file where() names (asked after the refusal: convert() may have found
 * the definition) when the refusal has a line, and return false. The caller
 * marks the report converted (and keeps the edits) only when it returns true.
 */
export function attempt(report: HookReport, convert: () => void, where: () => string = () => report.file): boolean {
	try {
		convert();
		return true;
	} catch (e) {
		if (!(e instanceof Refusal)) throw e;
		report.status = 'skipped';
		report.reason = e.line !== undefined ? `${e.reason} (${where()}:${e.line})` : e.message;
		report.code = e.code;
		return false;
	}
}
