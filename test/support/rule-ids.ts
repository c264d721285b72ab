// The rule ids of the registry that a reader of a commit log would see as
// jargon: P-numbers and the hyphenated or underscored report ids. A log says
// in words what changed (the registry's phrases), never these.
import { allRules } from '../../transforms/index.js';

/** Ids that are ordinary words of a log ("kernel-doc") are not jargon. */
const WORDS = new Set(['kernel-doc']);

export const JARGON_IDS: string[] = [
	...new Set(
		allRules
			.flatMap((r) => [r.id, ...Object.keys(r.reports ?? {})])
			.flatMap((id) => [id, ...id.split('/')])
			.filter((id) => (/^P\d+[a-z]?$/.test(id) || /[-_/]/.test(id)) && !WORDS.has(id)),
	),
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The rule ids a text names as ids: not as part of a C expression ("desc->action.error_override") or a longer word. */
export function ruleIdsIn(text: string): string[] {
	return JARGON_IDS.filter((id) => new RegExp(`(?<![\\w.>/-])${escape(id)}(?![\\w(/-])`).test(text));
}
