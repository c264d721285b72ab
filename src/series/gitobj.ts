// Git objects and diffs, byte-compatible with what `git format-patch` writes.
//
// The diff is a port of git's xdiff (xprepare.c, xdiffi.c, xemit.c) with the
// settings git uses by default: Myers with xdiff's cost heuristics, the
// indent heuristic for sliding change groups, 3 lines of context and the
// default funcname finder. A lookalike diff (e.g. the `diff` package) applies
// just as well, but only the same algorithm gives the same hunks as the
// maintainer's own `git format-patch` of the same commit, which is what
// reviewers compare against and what `git am -3` round-trips through.
import { createHash } from 'node:crypto';

/** git's abbreviation when it cannot or need not check uniqueness (FALLBACK_DEFAULT_ABBREV). */
export const DEFAULT_ABBREV = 7;

/** Full 40-hex git blob id of text (UTF-8): sha1("blob <len>\0" + bytes). */
export function blobSha1(text: string): string {
	const bytes = Buffer.from(text, 'utf8');
	return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * The blob id as an `index` line shows it. git abbreviates to 7 hex in a small
 * repository and to more in a big one (12 in linux.git); `git am -3` accepts
 * any unambiguous prefix, and 40 always works.
 */
export function blobId(text: string, abbrev = DEFAULT_ABBREV): string {
	return blobSha1(text).slice(0, Math.max(4, Math.min(40, abbrev)));
}
