// A file a decision needs that could not be used (not UTF-8, too large to
// parse, unreadable: kernel/source-file.ts records why): the decision is
// refused with the file's own code and reason, never taken as if the file were
// empty.
import { fileProblem } from '../kernel/source-file.js';
import { Refusal } from '../rewrite/refusals.js';

/** `${what} but is <why>` (`${file} is <why>` without what), with the code of why (not-utf8, too-large, unreadable). */
export function unusableFile(root: string, file: string, what?: string): Refusal {
	const p = fileProblem(root, file);
	const why = p?.reason ?? 'not readable';
	return new Refusal(p?.code ?? 'unreadable', what ? `${what} but is ${why}` : `${file} is ${why}`);
}
