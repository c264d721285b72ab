// What the user asked to leave out: --exclude (files never edited) and --only
// (the hooks to convert). The plan decides per unit (one hook, or one chain,
// which converts all or nothing), so a selection keeps or drops whole units:
// a unit that would edit an excluded file is dropped, and with --only a unit
// is kept when one of its hooks is named (a chain then brings its other hooks
// along, and the report says so).
import type { HookReport } from '../base/types.js';
import type { RefusalCode } from '../rewrite/refusals.js';

export interface Selection {
	/** hook function names to convert (--only); empty or absent: all */
	only?: string[];
	/** the --exclude glob that matches a tree-relative file, or undefined */
	excluded?: (file: string) => string | undefined;
}

/** What a selection did, for the reports. */
export interface SelectionReport {
	only: string[];
	/** --only names that are no hook under the paths */
	unmatched: string[];
	/** hooks converted only because a chain they belong to was selected */
	withChain: Array<{ function: string; file: string; chain: string; for: string[] }>;
	/** hooks that would convert but were left out (by --only or --exclude) */
	leftOut: number;
}

export interface UnitView<U> {
	hooks(u: U): HookReport[];
	/** every file the unit would edit (with what it needs added, e.g. the compat helpers) */
	files(u: U): string[];
	/** the chain's name when the unit is a chain */
	chain(u: U): string | undefined;
	/** told when a unit is dropped (a chain plan marks itself skipped) */
	dropped(u: U, code: RefusalCode, reason: string): void;
}

/**
 * Keep the units the selection allows; the converted hooks of the others are
 * reported skipped with code `excluded` or `not-selected`.
 */
export function selectUnits<U>(units: U[], sel: Selection, view: UnitView<U>): { units: U[]; report: SelectionReport } {
	const only = new Set(sel.only ?? []);
	const report: SelectionReport = { only: [...only], unmatched: [], withChain: [], leftOut: 0 };
	const kept: U[] = [];
	for (const u of units) {
		const converted = view.hooks(u).filter((h) => h.status === 'converted');
		const chain = view.chain(u);
		let drop: { code: RefusalCode; reason: string } | undefined;
		const hit = sel.excluded && view.files(u).map((f) => [f, sel.excluded!(f)] as const).find(([, g]) => g);
		if (hit) drop = { code: 'excluded', reason: `it would edit ${hit[0]}, which --exclude ${hit[1]} leaves out` };
		else if (only.size && !converted.some((h) => only.has(h.function)))
			drop = { code: 'not-selected', reason: `not selected by --only${chain ? ` (nor is any other hook of chain ${chain})` : ''}` };
		if (drop) {
			report.leftOut += converted.length;
			for (const h of converted) unconvert(h, drop.code, drop.reason);
			view.dropped(u, drop.code, drop.reason);
			continue;
		}
		if (only.size && chain) {
			const named = converted.filter((h) => only.has(h.function)).map((h) => h.function);
			for (const h of converted) if (!only.has(h.function)) report.withChain.push({ function: h.function, file: h.file, chain, for: named });
		}
		kept.push(u);
	}
	return { units: kept, report };
}

/** A hook that would have converted, reported as left out. */
export function unconvert(h: HookReport, code: RefusalCode, reason: string): void {
	h.status = 'skipped';
	h.reason = reason;
	h.code = code;
	h.at = { file: h.file || h.wiring[0]?.file || '', line: h.line || h.wiring[0]?.line || 0 };
	delete h.newName;
	delete h.rules;
}
