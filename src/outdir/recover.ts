// Undoing a swap: putting the earlier series back as the journal says it was
// (at once after a failure or SIGINT/SIGTERM; by the next run after a SIGKILL
// or a crash), or cleaning up after one that had committed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../base/envfail.js';
import { STATE_DIR } from './folder.js';
import { holds, fsyncPath, lstat, sameFile } from './files.js';
import { JOURNAL, readManifest, sameFiles, SWAP, type Journal } from './manifest.js';

/**
 * Put the folder back as the journal says it was: the new files that were
 * moved in go back to swap/new, the old ones come back from swap/old, then
 * swap/ goes. Every step can be run again, so an interrupted roll-back is
 * finished by the next one.
 */
export function rollBack(outDir: string, display: string, swap: string, j: Journal): void {
	for (const [name, sha] of Object.entries(j.new)) {
		const staged = path.join(swap, 'new', name);
		const placed = path.join(outDir, name);
		const st = lstat(staged);
		// a move stopped between its link() and its unlink(): the file is in both places
		if (st) {
			if (sameFile(st, lstat(placed))) fs.unlinkSync(placed);
		} else if (holds(placed, sha)) fs.renameSync(placed, staged);
	}
	for (const name of Object.keys(j.old)) {
		const aside = path.join(swap, 'old', name);
		if (!lstat(aside)) continue;
		if (lstat(path.join(outDir, name)))
			throw new EnvironmentError(`cannot put back ${display}/${name} of the earlier series: a file of that name appeared; the earlier one is in ${path.relative(process.cwd(), aside)}`, 'EEXIST');
		fs.renameSync(aside, path.join(outDir, name));
	}
	fsyncPath(outDir);
	fs.rmSync(swap, { recursive: true, force: true });
}

/**
 * Finish what an interrupted run left in .mmapify/swap (the lock must be
 * held): a committed swap is cleaned up, any other is rolled back. Returns a
 * note for the user, or undefined when there was nothing to do.
 */
export function recover(outDir: string, display: string): string | undefined {
	const state = path.join(outDir, STATE_DIR);
	const swap = path.join(state, SWAP);
	if (!lstat(swap)) return undefined;
	let j: Journal | undefined;
	try {
		j = JSON.parse(fs.readFileSync(path.join(swap, JOURNAL), 'utf8')) as Journal;
	} catch {
		// no journal: it stopped while staging, before anything in the folder moved
	}
	if (!j) {
		fs.rmSync(swap, { recursive: true, force: true });
		return `${display}: removed the files an interrupted mmapify run had staged; the series there is unchanged`;
	}
	const m = readManifest(state, display);
	if (m.series[j.series] && sameFiles(m.series[j.series]!.files, j.new)) {
		fs.rmSync(swap, { recursive: true, force: true });
		return `${display}: finished cleaning up after an interrupted mmapify run, which had already put its series (${j.series}) in place`;
	}
	rollBack(outDir, display, swap, j);
	return `${display}: an mmapify run was interrupted while replacing a series (${j.series}); the earlier series is back in place`;
}

/** Is there an interrupted replacement in outDir (for a dry run's note)? */
export function interruptedSwap(outDir: string): boolean {
	return !!lstat(path.join(outDir, STATE_DIR, SWAP));
}
