// Failures of the environment (a folder that cannot be written, a full or
// read-only filesystem, a path that is not a folder, a file that vanished):
// the user's to fix, so they end with exit 2 and one line, as the README
// promises; exit 70 is kept for mmapify's own bugs.
import { UsageError } from './usage.js';

/** errno codes that say something about the machine, not about mmapify. */
const ENVIRONMENT = new Set([
	'EACCES',
	'EPERM',
	'EROFS',
	'ENOSPC',
	'EDQUOT',
	'EEXIST',
	'ENOENT',
	'ENOTDIR',
	'EISDIR',
	'ENAMETOOLONG',
	'ELOOP',
	'EMFILE',
	'ENFILE',
	'EIO',
	'EBUSY',
	'ETXTBSY',
	'EXDEV',
	'EFBIG',
]);

export class EnvironmentError extends UsageError {
	constructor(
		message: string,
		readonly code?: string,
	) {
		super(message);
	}
}

/** Is e a failed system call on a file (an errno the user's machine caused)? */
export function isEnvironmentFailure(e: unknown): e is NodeJS.ErrnoException {
	const x = e as NodeJS.ErrnoException | undefined;
	return !!x && typeof x.code === 'string' && ENVIRONMENT.has(x.code) && typeof x.syscall === 'string';
}

/** "ENOSPC (no space left on device)" from a Node errno error. */
export function errnoText(e: NodeJS.ErrnoException): string {
	const desc = /^[A-Z]+: ([^,]+)/.exec(e.message)?.[1];
	return desc ? `${e.code} (${desc})` : String(e.code);
}

/** An environment failure while doing `what`, as one line; any other error passes through unchanged. */
export function asEnvironmentError(e: unknown, what: string): unknown {
	if (e instanceof UsageError || !isEnvironmentFailure(e)) return e;
	return new EnvironmentError(`${what}: ${errnoText(e)}`, e.code);
}

/** Run fn; an environment failure in it becomes one line about `what`. */
export function envStep<T>(what: string, fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		throw asEnvironmentError(e, what);
	}
}

/** The one line for an environment failure nobody wrapped (the top-level handler's fallback). */
export function describeFailure(e: NodeJS.ErrnoException): string {
	const dest = (e as { dest?: string }).dest;
	const where = e.path ? ` ${e.path}${dest ? ` -> ${dest}` : ''}` : '';
	return `${e.syscall}${where}: ${errnoText(e)}`;
}
