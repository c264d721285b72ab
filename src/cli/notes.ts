// The notes a run prints ("note: TEXT") and lists in its --json report
// ({ code, text }): things the user should know that do not stop the run.
// The code is stable and for machines; the text is for humans and names the
// file or folder. Adding one is a line here and one in the README's table.

export const NOTES = {
	'enclosing-repo': 'the tree sits inside a git repository whose top level it is not; that repository is ignored',
	'other-modified': 'source files the series does not carry differ from the base commit',
	'dirty-tree': 'files the series changes differ from the base commit: writing it would need --allow-dirty',
	'file-skipped': 'a file of the tree was not used (not UTF-8, too large to parse, unreadable)',
	'swap-recovered': 'an interrupted replacement of a series in the output folder was finished first',
	'swap-interrupted': 'the output folder holds an interrupted replacement (a dry run only says so)',
} as const;

export type NoteCode = keyof typeof NOTES;

export interface Note {
	code: NoteCode;
	text: string;
}

export const note = (code: NoteCode, text: string): Note => ({ code, text });
