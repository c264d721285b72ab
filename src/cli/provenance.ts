// What a series is made from, and whether its cover letter may say so: the
// tree's own git repository (never an unrelated one it happens to sit in),
// the commit it names as base-commit, and the hook files that differ from
// that commit (uncommitted edits, untracked files), which a series made from
// the working tree would carry without a word.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { baseCommitValue } from '../series/header-values.js';
import { realpath, UsageError } from '../kernel/tree.js';

/** git in dir (paths taken literally unless globs); stdout, or undefined when git fails. */
function gitOut(dir: string, args: string[], globs = false): string | undefined {
	try {
		return execFileSync('git', ['-C', dir, ...(globs ? [] : ['--literal-pathspecs']), '-c', 'core.quotePath=false', ...args], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
			maxBuffer: 256 << 20,
		});
	} catch {
		return undefined;
	}
}


export interface TreeRepository {
	/** root is the top level of a git repository: base-commit, --verify and the checks below use it */
	own: boolean;
	/** the top level of the repository root sits in without being its top level (that repository is ignored) */
	enclosing?: string;
}

/** The tree's own repository: only one whose top level is the tree root counts. */
export function treeRepository(root: string): TreeRepository {
	const top = gitOut(root, ['rev-parse', '--show-toplevel'])?.trim();
	if (!top) return { own: false };
	if ((realpath(top) ?? path.resolve(top)) === (realpath(root) ?? path.resolve(root))) return { own: true };
	return { own: false, enclosing: top };
}

/** The note for a tree inside another repository. */
export function enclosingNote(root: string, repo: TreeRepository): string | undefined {
	if (!repo.enclosing) return undefined;
	return `${root} is inside the git repository ${repo.enclosing} but is not its top level: that repository is ignored (no base-commit, no --verify, no check of uncommitted changes)`;
}

/** A revision of the tree's repository as a full commit id. */
export function resolveCommit(root: string, rev: string): string | undefined {
	return gitOut(root, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`])?.trim() || undefined;
}

/**
 * The commit the series names as base-commit: --base REV resolved, else
 * HEAD of the tree's own repository, else none.
 */
export function baseCommit(root: string, repo: TreeRepository, baseArg: string | undefined): string | undefined {
	if (baseArg !== undefined) return baseCommitValue(baseArg, repo.own ? (rev) => resolveCommit(root, rev) : undefined);
	return repo.own ? resolveCommit(root, 'HEAD') : undefined;
}

export interface Divergence {
	/** tracked files whose content on disk differs from the base commit */
	modified: string[];
	/** files git does not track */
	untracked: string[];
}

/** Which of files (tree-relative) are not what base holds: edited since, or untracked. */
export function divergence(root: string, base: string, files: string[]): Divergence {
	if (!files.length) return { modified: [], untracked: [] };
	const list = (out: string | undefined) => (out ?? '').split('\0').filter(Boolean);
	const tracked = new Set(list(gitOut(root, ['ls-files', '-z', '--', ...files])));
	const modified = list(gitOut(root, ['diff', '--no-renames', '--name-only', '-z', base, '--', ...files]));
	const untracked = files.filter((f) => !tracked.has(f));
	return { modified: modified.filter((f) => tracked.has(f)).sort(), untracked: untracked.sort() };
}

/** "a.c has uncommitted changes against HEAD (1234abcd5678), b.c is untracked" */
export function describeDivergence(d: Divergence, baseName: string, base: string): string {
	const parts: string[] = [];
	const list = (xs: string[]) => (xs.length <= 3 ? xs.join(', ') : `${xs.slice(0, 3).join(', ')} and ${xs.length - 3} more`);
	if (d.modified.length)
		parts.push(`${list(d.modified)} ${d.modified.length === 1 ? 'has' : 'have'} uncommitted changes against ${baseName === base ? base.slice(0, 12) : `${baseName} (${base.slice(0, 12)})`}`);
	if (d.untracked.length) parts.push(`${list(d.untracked)} ${d.untracked.length === 1 ? 'is' : 'are'} untracked`);
	return parts.join('; ');
}

/** Other tracked .c/.h files of the tree that differ from base (the plan read them as they are on disk). */
export function otherModified(root: string, base: string, files: string[]): string[] {
	const mine = new Set(files);
	const out = gitOut(root, ['diff', '--no-renames', '--name-only', '-z', base, '--', '*.c', '*.h'], true);
	return (out ?? '').split('\0').filter((f) => f && !mine.has(f)).sort();
}

/**
 * Refuse a series whose hook files are not the base commit's: it would name
 * a base-commit it does not apply to. allowDirty turns the refusal into the
 * cover letter's paragraph (returned). note: other source files that differ
 * from base, which the series does not carry but the plan read.
 */
export function checkProvenance(
	root: string,
	base: string | undefined,
	baseName: string,
	files: string[],
	allowDirty: boolean,
): { dirty?: Divergence; paragraph?: string; note?: string } {
	if (!base) return {};
	const others = otherModified(root, base, files);
	const note = others.length
		? `${others.length <= 3 ? others.join(', ') : `${others.slice(0, 3).join(', ')} and ${others.length - 3} more`} ${others.length === 1 ? 'differs' : 'differ'} from ${baseName} without being in the series; mmapify read ${others.length === 1 ? 'it' : 'them'} as on disk`
		: undefined;
	const d = divergence(root, base, files);
	if (!d.modified.length && !d.untracked.length) return { note };
	const what = describeDivergence(d, baseName, base);
	if (!allowDirty)
		throw new UsageError(`${what}: the series is made from the files on disk and would not apply to base-commit ${base.slice(0, 12)}; commit or stash them, or pass --allow-dirty`);
	return {
		note,
		dirty: d,
		paragraph: `The base of this series is not a commit: it was made from a working tree in which ${what}, so it does not apply to ${base} as it stands.`,
	};
}
