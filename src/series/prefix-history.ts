// Subject prefixes learned from the tree's own git history: for each touched
// file, the prefix most of its recent non-merge commits share. This is how a
// kernel developer picks a prefix (`git log --oneline -- FILE`), and it beats
// any table on a tree with history: it knows "KVM: guest_memfd:" and
// "selinux:" without being told. Trees without history (a tarball, a
// Debian source package) get nothing here and fall back on the table.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** How many recent non-merge subjects of a file are read. */
export const HISTORY_DEPTH = 20;

// A prefix component: a name of at most three words, no brackets or quotes
// ("KVM", "guest_memfd", "stm class", "x86/resctrl", "/dev/mem").
const COMPONENT = /^([A-Za-z0-9_./+,-]+(?: [A-Za-z0-9_./+,-]+){0,2}):\s+/;

/** "KVM: guest_memfd: Fix x" -> ["KVM", "guest_memfd"]; a revert or a subject without prefix gives []. */
export function prefixComponents(subject: string): string[] {
	if (/^Revert\b/.test(subject)) return [];
	const out: string[] = [];
	let rest = subject.trim();
	for (let m = COMPONENT.exec(rest); m && out.length < 4; m = COMPONENT.exec(rest)) {
		out.push(m[1]!);
		rest = rest.slice(m[0].length);
	}
	return rest ? out : out.slice(0, -1);
}

/**
 * The prefix most subjects share: the longest chain of leading components
 * that more than half of the subjects start with ("KVM: guest_memfd:" when
 * most of a file's commits say so, "KVM:" when only a few do), or undefined
 * when no prefix has a majority.
 */
export function prefixFromSubjects(subjects: readonly string[]): string | undefined {
	if (!subjects.length) return undefined;
	const votes = new Map<string, number>();
	for (const s of subjects) {
		const comps = prefixComponents(s);
		for (let i = 1; i <= comps.length; i++) {
			const chain = comps.slice(0, i).map((c) => `${c}:`).join(' ');
			votes.set(chain, (votes.get(chain) ?? 0) + 1);
		}
	}
	let best: string | undefined;
	for (const [chain, n] of votes)
		if (n * 2 > subjects.length && (!best || chain.split(' ').length > best.split(' ').length)) best = chain;
	return best;
}

function git(root: string, args: string[]): string | undefined {
	const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
	return r.status === 0 ? r.stdout : undefined;
}

/** The recent non-merge subjects of a path, newest first; [] outside a git work tree or for an untracked path. */
export function recentSubjects(root: string, file: string, depth = HISTORY_DEPTH): string[] {
	const out = git(root, ['log', `-n${depth}`, '--no-merges', '--format=%s', '--', file]);
	return out ? out.split('\n').filter(Boolean) : [];
}

/**
 * path -> learned prefix, for the paths whose history has a majority prefix.
 * Empty unless root is the top of a git work tree: a kernel tree kept inside
 * some other repository (such as mmapify's own example tree) has that
 * repository's history, not the kernel's.
 */
export function learnPrefixes(root: string, paths: readonly string[], depth = HISTORY_DEPTH): Map<string, string> {
	const learned = new Map<string, string>();
	const top = git(root, ['rev-parse', '--show-toplevel'])?.trim();
	if (!top || fs.realpathSync(top) !== fs.realpathSync(root)) return learned;
	for (const p of new Set(paths)) {
		const prefix = prefixFromSubjects(recentSubjects(root, p, depth));
		if (prefix) learned.set(p, prefix);
	}
	return learned;
}
