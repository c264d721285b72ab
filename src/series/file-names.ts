// Patch file names as git format-patch makes them (pretty.c:
// format_sanitized_subject; log-tree.c: fmt_output_subject).
import { NAME_MAX } from './limits.js';

/** git's sanitised subject: runs of other characters become one '-', no '..', no trailing '.'/'-'. */
export function sanitizeSubject(subject: string): string {
	let out = '';
	let space = 2;
	for (let i = 0; i < subject.length; i++) {
		const c = subject[i]!;
		if (/[A-Za-z0-9._]/.test(c)) {
			if (space === 1) out += '-';
			space = 0;
			out += c;
			if (c === '.') while (subject[i + 1] === '.') i++;
		} else space |= 1;
	}
	return out.replace(/[.-]+$/, '');
}

/** "[vN-]NNNN-<sanitised subject>.patch", cut to git's 64-character default. */
export function patchFileName(nr: number, subject: string, reroll?: string): string {
	const suffix = '.patch';
	const head = `${reroll ? `v${sanitizeSubject(reroll)}-` : ''}${String(nr).padStart(4, '0')}-${sanitizeSubject(subject)}`;
	return head.slice(0, NAME_MAX - (suffix.length + 1)) + suffix;
}
