// --verify-dir DIR: --verify deletes and rewrites DIR/src, DIR/build,
// DIR/patches and DIR/verify.log. It does so only in a folder it made itself
// (it leaves a marker there) or in an empty or new one; any other folder is
// refused with exit 2, untouched.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../base/usage.js';

/** The file that says mmapify made a --verify-dir folder. */
export const VERIFY_MARKER = '.mmapify-verify';

/** Refuse a --verify-dir that is not new, empty or mmapify's. */
export function checkVerifyDir(dir: string, display: string): void {
	let st: fs.Stats;
	try {
		st = fs.statSync(dir);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw new UsageError(`--verify-dir ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
	}
	if (!st.isDirectory()) throw new UsageError(`--verify-dir ${display} is not a folder`);
	if (fs.existsSync(path.join(dir, VERIFY_MARKER))) return;
	const entries = fs.readdirSync(dir);
	if (entries.length)
		throw new UsageError(
			`--verify-dir ${display} is not empty and was not made by mmapify (it has no ${VERIFY_MARKER}); --verify deletes and rewrites src/, build/, patches/ and verify.log in it: give a new or empty folder`,
		);
}

/** Make (or reuse) a --verify-dir and mark it as mmapify's. */
export function makeVerifyDir(dir: string): void {
	checkVerifyDir(dir, dir);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, VERIFY_MARKER), 'This folder is the scratch folder of mmapify --verify (--verify-dir); mmapify deletes and rewrites what is in it.\n');
}
