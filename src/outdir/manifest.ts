// What mmapify keeps in .mmapify: the manifest of the series it wrote
// (series.json: per series, each file's name and SHA-256; replaced in one
// rename, which commits a swap) and the journal of a swap in progress
// (swap/journal.json: the old and the new files, written before anything in
// the folder moves).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asEnvironmentError } from '../base/envfail.js';
import { UsageError } from '../base/usage.js';
import { STATE_DIR } from './folder.js';

export const MANIFEST = 'series.json';
export const SWAP = 'swap';
export const JOURNAL = 'journal.json';

export interface Manifest {
	format: 1;
	series: Record<string, { files: Record<string, string>; written: string }>;
}

export interface Journal {
	series: string;
	/** the earlier series' files that were in the folder (name -> sha256) */
	old: Record<string, string>;
	/** the new series (name -> sha256) */
	new: Record<string, string>;
}

export function readManifest(state: string, display: string): Manifest {
	const file = path.join(state, MANIFEST);
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, series: {} };
		throw asEnvironmentError(e, `cannot read ${display}/${STATE_DIR}/${MANIFEST}`);
	}
	try {
		const m = JSON.parse(text) as Manifest;
		if (m.format === 1 && m.series && typeof m.series === 'object') return m;
	} catch {
		// fall through
	}
	throw new UsageError(`${display}/${STATE_DIR}/${MANIFEST} is not mmapify's manifest of the series it wrote; remove ${display}/${STATE_DIR} if you know that nothing there is mmapify's`);
}

export const sameFiles = (a: Record<string, string>, b: Record<string, string>) =>
	Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
