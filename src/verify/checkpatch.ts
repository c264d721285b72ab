// scripts/checkpatch.pl on one patch of the series: running it (--terse, and
// --no-signoff unless the patches carry a Signed-off-by), and reading its
// findings back to the file and line of the tree they are about.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, tail } from './exec.js';

export interface Finding {
	level: 'ERROR' | 'WARNING' | 'CHECK';
	message: string;
	/** file:line in the tree, or "patch line N" for the commit message */
	where?: string;
}

export interface CheckpatchResult {
	ran: boolean;
	errors: Finding[];
	warnings: Finding[];
	checks: Finding[];
	/** why it did not run, or its output when no summary was found */
	detail?: string;
}

/**
 * Where line n (1-based) of a patch points: `file:line` in the patched file
 * for a diff line, else `patch line n` (mail headers, commit message).
 */
export function patchLocation(patch: string, n: number): string {
	const lines = patch.split('\n');
	let file: string | undefined;
	let next = 0;
	let inHunk = false;
	for (let i = 0; i < Math.min(n, lines.length); i++) {
		const l = lines[i]!;
		const here = i === n - 1;
		let m: RegExpExecArray | null;
		if (l.startsWith('diff --git ')) {
			file = undefined;
			inHunk = false;
		} else if ((m = /^\+\+\+ b\/(.*)$/.exec(l))) file = m[1];
		else if ((m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l))) {
			next = Number(m[1]);
			inHunk = true;
		} else if (inHunk && file && (l.startsWith(' ') || l.startsWith('+') || l.startsWith('-'))) {
			if (here) return `${file}:${next}`;
			if (!l.startsWith('-')) next++;
			continue;
		} else if (l === '-- ') inHunk = false;
		if (here) break;
	}
	return `patch line ${n}`;
}

/**
 * Parse `checkpatch.pl --terse` output (PATCH:LINE: LEVEL: message); patch
 * maps lines to files. --terse prints nothing at all for a clean patch
 * (exit 0), and a "total:" line otherwise; anything else means it did not
 * run properly.
 */
export function parseCheckpatch(out: string, patch?: string, exitCode: number | null = 1): CheckpatchResult {
	const res: CheckpatchResult = { ran: true, errors: [], warnings: [], checks: [] };
	let summary = false;
	for (const line of out.split('\n')) {
		const m = /^(.*?):(\d+): (ERROR|WARNING|CHECK): (.*)$/.exec(line);
		if (m) {
			const where = patch !== undefined ? patchLocation(patch, Number(m[2])) : m[1] ? `${m[1]}:${m[2]}` : `patch line ${m[2]}`;
			const f: Finding = { level: m[3] as Finding['level'], message: m[4]!.trim(), where };
			(f.level === 'ERROR' ? res.errors : f.level === 'WARNING' ? res.warnings : res.checks).push(f);
		} else if (/^total: \d+ errors, \d+ warnings/.test(line)) summary = true;
	}
	if (!summary && !(exitCode === 0 && !out.trim())) res.detail = tail(out, 6).join('\n') || `no output (exit ${exitCode})`;
	return res;
}

/** The report's note when checkpatch ran with --no-signoff. */
export const SIGNOFF_NOTE = "checkpatch ran with --no-signoff: the patches carry no Signed-off-by, which is the sender's to add (mmapify -s adds git's identity and has checkpatch check it)";

/** The commit ids a patch's text cites (`commit <12 to 40 hex digits>`, as checkpatch reads them), lower-case and unique. */
export function citedCommits(text: string): string[] {
	return [...new Set([...text.matchAll(/\bcommit\s+([0-9a-f]{12,40})\b/gi)].map((m) => m[1]!.toLowerCase()))].sort();
}

/**
 * The report's note when the base's history lacks commits the patches cite:
 * checkpatch could only answer UNKNOWN_COMMIT_ID for them, which says nothing
 * about the patches, so that check is left out.
 */
export function unknownCommitNote(ids: string[]): string {
	return `the base's history lacks the cited commit${ids.length === 1 ? '' : 's'} ${ids.join(', ')} (a tree without history): checkpatch ran with --ignore UNKNOWN_COMMIT_ID`;
}

export async function runCheckpatch(src: string, patchFile: string, log: string, signoff: boolean, ignore: string[] = []): Promise<CheckpatchResult> {
	const script = path.join(src, 'scripts', 'checkpatch.pl');
	if (!fs.existsSync(script)) return { ran: false, errors: [], warnings: [], checks: [], detail: 'scripts/checkpatch.pl is missing' };
	// --strict: the CHECK-level style items too, as maintainers and the build bots run it.
	const r = await run('perl', [script, '--strict', '--no-color', '--terse', ...(signoff ? [] : ['--no-signoff']), ...(ignore.length ? ['--ignore', ignore.join(',')] : []), patchFile], { cwd: src, log, timeoutMs: 600_000 });
	const res = parseCheckpatch(r.out, fs.readFileSync(patchFile, 'utf8'), r.code);
	if (res.detail) return { ...res, ran: false };
	return res;
}
