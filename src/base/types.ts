// Shared data shapes. Data flows one way:
// tree (files) -> index (hooks, wiring sites) -> plan (conversions, refusals)
// -> rewrite (new file texts) -> series (patch files).

/** Where an old-style hook is wired, e.g. `.mmap = foo_mmap` in a file_operations. */
export interface WiringSite {
	file: string; // tree-relative path
	line: number;
	structType: string; // e.g. "file_operations"
	field: string; // e.g. "mmap"
	value: string; // the hook name as written
	/** string-index range of `.mmap<ws>=<ws>value` in the file, when editable */
	start: number;
	end: number;
	/** name of the macro whose body holds this site, when wired by a macro */
	macro?: string;
}

export type HookStatus = 'converted' | 'skipped';

/** One old-style hook function and what mmapify decided about it. */
export interface HookReport {
	function: string;
	file: string; // where it is defined ('' when no definition was found)
	line: number;
	wiring: Array<{ struct: string; field: string; file: string; line: number }>;
	status: HookStatus;
	/** why it was skipped: names the construct and its file:line */
	reason?: string;
	/** the reason's stable code (src/rewrite/refusals.ts; the README's table) */
	code?: string;
	newName?: string;
	/** rule ids (P1..P23, naming, ...) that the conversion applied */
	rules?: string[];
	/** for hooks in a nested chain: "struct.field" of the chain */
	chain?: string;
}

/** A file's text before and after conversion. */
export interface FileChange {
	path: string; // tree-relative, forward slashes
	before: string;
	after: string;
}

/** One patch of the series, before rendering. */
export interface PatchSpec {
	subject: string; // without "[PATCH n/m]"
	body: string; // commit message body, already wrapped to 75 columns
	changes: FileChange[];
	hooks: HookReport[]; // converted hooks in this patch
}

export interface Person {
	name: string;
	email: string;
}
