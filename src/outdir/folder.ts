// The output folder itself: checked before any work (a folder, or a path
// that can become one), made when a series is written, with mmapify's state
// folder inside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asEnvironmentError, EnvironmentError, envStep } from '../base/envfail.js';
import { UsageError } from '../base/usage.js';
import { lstat } from './files.js';

/** mmapify's state inside an output folder. */
export const STATE_DIR = '.mmapify';

/**
 * Check -o before any work: it is a folder, or can become one (a symlink to
 * a folder is fine, a dangling one or a file is not). Creates nothing.
 */
export function checkOutputDir(outDir: string, display: string): void {
	if (!display) throw new UsageError('-o/--output-dir needs a folder, not an empty value');
	let st: fs.Stats | undefined;
	try {
		st = fs.lstatSync(outDir);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') {
			// its nearest existing ancestor must be a folder
			for (let up = path.dirname(outDir); ; up = path.dirname(up)) {
				const s = lstat(up);
				if (s) {
					if (!fs.statSync(up).isDirectory()) throw new EnvironmentError(`-o ${display}: ${up} is not a folder`, 'ENOTDIR');
					return;
				}
				if (path.dirname(up) === up) return;
			}
		}
		if (code === 'ENOTDIR') throw new EnvironmentError(`-o ${display}: a part of the path is not a folder`, code);
		throw asEnvironmentError(e, `-o ${display}`);
	}
	if (st.isSymbolicLink()) {
		let target: fs.Stats;
		try {
			target = fs.statSync(outDir);
		} catch {
			throw new EnvironmentError(`-o ${display} is a symbolic link to ${fs.readlinkSync(outDir)}, which does not exist`, 'ENOENT');
		}
		if (!target.isDirectory()) throw new EnvironmentError(`-o ${display} is a symbolic link to ${fs.readlinkSync(outDir)}, which is not a folder`, 'ENOTDIR');
		return;
	}
	if (!st.isDirectory()) throw new EnvironmentError(`-o ${display} is not a folder`, 'ENOTDIR');
}

export function makeOutputDir(outDir: string, display: string): void {
	checkOutputDir(outDir, display);
	envStep(`cannot create the output folder ${display}`, () => fs.mkdirSync(outDir, { recursive: true }));
	envStep(`cannot write to the output folder ${display}`, () => fs.mkdirSync(path.join(outDir, STATE_DIR), { recursive: true }));
}
