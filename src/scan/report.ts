// What `mmapify scan` is asked (ScanOptions) and what it answers (ScanReport):
// the wiring sites, the hooks with their census category and mmapify's
// verdict, the nested chains, the totals. The --json report is this shape.
import type { DroppedSite } from './file.js';
import type { Category } from './classify.js';
import type { Progress } from '../ui/progress.js';


export type SiteKind = 'init' | 'assign' | 'macro-use' | 'macro-def' | 'register';

export interface ScanSite {
	file: string;
	line: number;
	struct: string;
	field: string;
	/** the function wired, as written (after macro expansion) */
	hook: string;
	kind: SiteKind;
	/** the macro (macro-use, macro-def) or registration function (register) */
	via?: string;
	/** the variable a macro use initialises */
	instance?: string;
	/** the id of the hook it wires (see ScanHook.id); absent when no definition taking a vma was found */
	hookId?: string;
	/** counted in the totals: the field takes a vma (or the hook does) */
	counted: boolean;
	/** why it is not counted, or what is odd about it */
	note?: string;
	/** the site sits inside a region tree-sitter could not parse */
	inError?: boolean;
}

export interface ScanHook {
	/** function@file:line of the definition ('function@' when none was found) */
	id: string;
	function: string;
	file: string;
	line: number;
	isStatic: boolean;
	/** struct.field it is wired into */
	wiredAs: string[];
	sites: number;
	/** wired into a file_operations .mmap (the census's f_op-level hooks) */
	fop: boolean;
	/** census category: a-e, or f when no C definition was found */
	category: Category | 'f';
	pure: boolean;
	cReady: boolean;
	/** the census's "strictly convertible": (a or b) and pure, or c with a _prepare sibling for every delegate */
	strict: boolean;
	/** what the category was decided from, most telling first */
	evidence: string[];
	sideEffects: string[];
	/** mmapify today: converted, or skipped with the reason; not-planned when the plan did not report it */
	status: 'converted' | 'skipped' | 'not-planned';
	reason?: string;
	/** the reason's stable code (src/rewrite/refusals.ts) */
	code?: string;
	/** where the refused construct is (as in the convert report) */
	at?: { file: string; line: number };
	newName?: string;
	chain?: string;
	/** ERROR nodes inside the definition */
	parseErrors?: number;
	/** the definition sits inside an ERROR region (its facts are partial) */
	inError?: boolean;
}

export interface ScanChain {
	chain: string;
	decl: string;
	dispatchers: Array<{ function: string; file: string; line: number }>;
	implementors: string[];
	wirings: number;
	registrations: string[];
	/** not-planned: found from the dispatchers' calls, without the plan (--no-plan) */
	status: 'converted' | 'skipped' | 'not-planned';
	mode?: string;
	reason?: string;
	code?: string;
}

export interface Totals {
	sites: number;
	hooks: number;
	fopHooks: number;
	nestedHooks: number;
	strict: number;
	converted: number;
	byKind: Record<string, number>;
	byCategory: Record<string, { hooks: number; sites: number; strict: number; converted: number }>;
	byStruct: Array<{ struct: string; sites: number; hooks: number; categories: Record<string, number>; strict: number; converted: number }>;
	byDir: Array<{ dir: string; sites: number; hooks: number; categories: Record<string, number>; strict: number; converted: number }>;
}

export interface ScanReport {
	tree: string;
	version: string;
	targets: string[];
	/** planConversions() ran: the hooks' status and the chains are mmapify's verdicts */
	planned: boolean;
	/** whole files were parsed; otherwise only their relevant top-level items (ERROR counts cover those) */
	fullParse: boolean;
	files: {
		listed: number;
		read: number;
		bytes: number;
		/** files that mention "mmap" */
		corpus: number;
		/** parsed by the workers (each once) */
		parsed: number;
		parsedBytes: number;
		/** parsed later on the main thread by the plan and on-demand indexing (tree-sitter calls, files may repeat) */
		mainThreadParses: number;
		/** parsed files with ERROR nodes, and their count */
		unclean: number;
		errorRegions: number;
		uncleanFiles: Array<{ file: string; regions: number; firstLine: number }>;
		unreadable: string[];
		/** files too large to parse (src/kernel/source-file.ts MAX_PARSE_BYTES): their hooks are not listed, and not converted */
		tooLarge: string[];
	};
	workers: number;
	timing: { listMs: number; readParseMs: number; macrosMs: number; definitionsMs: number; planMs: number; assembleMs: number; totalMs: number; workers: { readMs: number; parseMs: number; analyzeMs: number } };
	sites: ScanSite[];
	/** `.xmmapx = fn` text the index did not take as a site (inside ERROR regions, or not wiring) */
	dropped: DroppedSite[];
	hooks: ScanHook[];
	chains: ScanChain[];
	totals: Totals;
}

export interface ScanOptions {
	root: string;
	/** tree-relative paths; ['.'] for the whole tree */
	targets: string[];
	version: string;
	progress?: Progress;
	workers?: number;
	/** false: no convert/refuse verdicts (planConversions() is not run; chains come from the dispatchers' calls) */
	plan?: boolean;
	/** parse whole files (an ERROR census of every candidate), not only the items that matter */
	fullParse?: boolean;
	/** read and parse on this thread (default: only for trees under 3,000 files) */
	inline?: boolean;
	/** files per pool task (default 200; tests use small ones to spread a small tree) */
	filesPerTask?: number;
}

