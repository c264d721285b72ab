// The output folder: where a series is written, and replaced, without ever
// losing the user's work.
//
// The folder may hold files that are not this series: the user's own
// patches and notes, other versions (v1 when writing v2), another command's
// series (sync-dup's). mmapify keeps a manifest of what it wrote there
// (.mmapify/series.json: per series — "convert v1", "convert v2",
// "sync-dup v1" — each file's name and SHA-256) and only ever replaces or
// removes files listed in it for the series it is writing, and only while
// they are unchanged. A new file never takes the name of a file mmapify did
// not write (or that belongs to another series, or that the user edited):
// the run is refused before anything moves.
//
// Replacing a series: after the lock (.mmapify/lock, flock(1); a second run
// on the folder is refused), the recovery of an interrupted earlier run (see
// recover() and recoverExchange()) and the checks above, the series is put in
// place in one of two ways.
//
// By exchanging the whole folder (exchange.ts): a new folder is built beside
// this one and the two are swapped by one renameat2(RENAME_EXCHANGE), so that
// at every instant a listing of the folder shows either the whole old series
// or the whole new one. Where that is not possible (exchangeBlocked(): not
// Linux, no perl, a mount point, a folder of the user's inside, extended
// attributes, ...; or the build or the system call fails, leaving the folder
// as it was), by the per-file transaction below.
//
// File by file, a transaction inside the folder, so on the folder's own
// filesystem (a tmpfs or another disk at -o is fine):
//   1. stage the new files in .mmapify/swap/new and fsync them;
//   2. write the journal .mmapify/swap/journal.json (old and new names and
//      hashes): from here an interruption is undone, never left half-done;
//   3. move each old file to .mmapify/swap/old (one rename each; checked
//      again there: a file the user edited since the checks stops the run and
//      goes back), then each new one into place (link() and unlink(): never
//      over a file that appeared meanwhile, which stops the run too);
//   4. commit: the manifest is replaced in one rename; then .mmapify/swap goes.
// The old series is recoverable at every instant until the new one is whole
// in place: before the commit every old file is in the folder or in swap/old
// and the journal says how to put it back, which a failure or SIGINT/SIGTERM
// does at once and the next run does after a SIGKILL or a crash; after the
// commit the new series is in place. What a reader sees during step 3 is an
// incomplete series, the old one's remaining files, then the new one's placed
// files, never both at once and never a partly written file (the README says
// when; test/faults/output.test.ts checks both ways at every step). SIGINT
// and SIGTERM never leave swap/ or the exchange's folder behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError, envStep, errnoText, isEnvironmentFailure } from '../base/envfail.js';
import { UsageError } from '../base/usage.js';
import { holds, lstat, moveNoReplace, replaceAtomically, sha256, writeDurably, fsyncPath } from './files.js';
import { makeOutputDir, STATE_DIR } from './folder.js';
import { FolderLock } from './lock.js';
import { JOURNAL, MANIFEST, readManifest, SWAP, type Journal, type Manifest } from './manifest.js';
import { recover, rollBack } from './recover.js';
import { Interrupted, Interrupts, SIGNALS } from './signals.js';
import { announcePath, beforeStep } from './test-slow.js';
import { buildNext, exchangeBlocked, exchangeFolders, finishExchange, interruptedExchange, nextOf, recoverExchange, settleOld, Unavailable, XJOURNAL, type XJournal } from './exchange.js';

export { checkOutputDir, STATE_DIR } from './folder.js';

export interface OutputFile {
	/** file name inside the output folder */
	path: string;
	text: string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Is there an interrupted replacement in outDir (for a dry run's note)? */
export function interruptedSwap(outDir: string): boolean {
	return !!lstat(path.join(outDir, STATE_DIR, SWAP)) || interruptedExchange(outDir);
}

export interface WriteResult {
	/** what recover() did first, if anything */
	notes: string[];
}

/** Refuse, before anything moves, a series that would replace or remove a file mmapify may not touch. */
function precheck(outDir: string, display: string, m: Manifest, key: string, files: OutputFile[]): Record<string, string> {
	const old = m.series[key]?.files ?? {};
	const present: Record<string, string> = {};
	const changed: string[] = [];
	for (const [name, sha] of Object.entries(old)) {
		const st = lstat(path.join(outDir, name));
		if (!st) continue; // the user removed it
		if (st.isFile() && sha256(fs.readFileSync(path.join(outDir, name))) === sha) present[name] = sha;
		else changed.push(name);
	}
	if (changed.length)
		throw new UsageError(
			`${changed.map((n) => `${display}/${n}`).join(', ')} ${plural(changed.length, 'was', 'were')} changed since mmapify wrote ${plural(changed.length, 'it', 'them')} (series ${key}); mmapify replaces only files it wrote as it wrote them: move ${plural(changed.length, 'it', 'them')} out of ${display} first`,
		);
	const owner = (name: string) => Object.entries(m.series).find(([k, s]) => k !== key && name in s.files)?.[0];
	for (const f of files) {
		const p = path.join(outDir, f.path);
		const st = lstat(p);
		if (!st || f.path in present) continue;
		const other = owner(f.path);
		if (other && st.isFile() && holds(p, m.series[other]!.files[f.path]!))
			throw new UsageError(`${display}/${f.path} belongs to another series in ${display} (${other}); write this one to another folder (-o)`);
		throw new UsageError(
			`${display}/${f.path} exists and is not a file mmapify wrote there (${st.isDirectory() ? 'a folder' : 'a file of yours'}); the new series needs that name: move it, or write to another folder (-o)`,
		);
	}
	return present;
}

/**
 * Write files as the series `key` in outDir, replacing that series' earlier
 * files (and only those), as one transaction (see the top of this file).
 */
export async function writeSeriesFiles(outDir: string, display: string, key: string, files: OutputFile[]): Promise<WriteResult> {
	makeOutputDir(outDir, display);
	const state = path.join(outDir, STATE_DIR);
	const lock = await FolderLock.acquire(state, display);
	const intr = new Interrupts();
	const swap = path.join(state, SWAP);
	let journal: Journal | undefined;
	const what = `cannot write the series to ${display}`;
	try {
		const notes: string[] = [];
		for (const undo of [recover, recoverExchange]) {
			const r = envStep(`cannot recover the interrupted run in ${display}`, () => undo(outDir, display));
			if (r) notes.push(r);
		}
		const m = envStep(what, () => readManifest(state, display));
		const old = envStep(what, () => precheck(outDir, display, m, key, files));
		const fresh: Record<string, string> = {};
		for (const f of files) fresh[f.path] = sha256(f.text);
		try {
			const blocked = envStep(what, () => exchangeBlocked(outDir));
			const exchanged = blocked ?? (await viaExchange(outDir, display, { series: key, old, new: fresh }, m, files, intr));
			if (exchanged === true) return { notes };
			announcePath(`per-file (${exchanged})`);
			// 3. stage
			fs.rmSync(swap, { recursive: true, force: true });
			fs.mkdirSync(path.join(swap, 'new'), { recursive: true });
			for (const f of files) writeDurably(path.join(swap, 'new', f.path), f.text);
			fsyncPath(path.join(swap, 'new'));
			fs.mkdirSync(path.join(swap, 'old'));
			if (intr.got) throw new Interrupted(intr.got);
			// 4. journal
			journal = { series: key, old, new: fresh };
			replaceAtomically(path.join(swap, JOURNAL), JSON.stringify(journal, null, 1) + '\n');
			// 5. the moves
			for (const [name, sha] of Object.entries(old)) {
				await beforeStep(`aside ${name}`);
				if (intr.got) throw new Interrupted(intr.got);
				const aside = path.join(swap, 'old', name);
				fs.renameSync(path.join(outDir, name), aside);
				// edited since the check above: it is the user's now, and goes back (the catch below)
				if (!holds(aside, sha))
					throw new UsageError(`${display}/${name} was changed while mmapify was replacing it; it is back in place as you left it, and the earlier series is unchanged`);
			}
			for (const f of files) {
				await beforeStep(`place ${f.path}`);
				if (intr.got) throw new Interrupted(intr.got);
				// never over a file that appeared since the check above (rename() would replace it)
				if (!moveNoReplace(path.join(swap, 'new', f.path), path.join(outDir, f.path)))
					throw new EnvironmentError(`${display}/${f.path} appeared while mmapify was writing its series there; that file is kept, and the earlier series is back in place`, 'EEXIST');
			}
			fsyncPath(outDir);
			// 6. commit
			await beforeStep('commit');
			if (intr.got) throw new Interrupted(intr.got);
			const series = { ...m.series, [key]: { files: fresh, written: new Date().toISOString() } };
			// series whose files are all gone from the folder are forgotten
			for (const [k, s] of Object.entries(series)) if (k !== key && !Object.keys(s.files).some((n) => lstat(path.join(outDir, n)))) delete series[k];
			replaceAtomically(path.join(state, MANIFEST), JSON.stringify({ format: 1, series } satisfies Manifest, null, 1) + '\n');
			journal = undefined;
			await beforeStep('clean up');
			fs.rmSync(swap, { recursive: true, force: true });
			return { notes };
		} catch (e) {
			// Undo: before the journal, swap/ holds only staged files; after it, put the old series back.
			try {
				if (journal) rollBack(outDir, display, swap, journal);
				else fs.rmSync(swap, { recursive: true, force: true });
			} catch (undo) {
				const why = e instanceof Interrupted ? e.signal : isEnvironmentFailure(e) ? errnoText(e) : (e as Error).message;
				const how = undo instanceof UsageError ? undo.message : isEnvironmentFailure(undo) ? errnoText(undo) : (undo as Error).message;
				throw new EnvironmentError(`${what} (${why}), and putting the earlier series back failed too (${how}); the next mmapify run on ${display} finishes it`);
			}
			if (e instanceof Interrupted) {
				lock.release();
				intr.remove();
				process.stderr.write(`mmapify: interrupted (${e.signal}); the series in ${display} is as it was\n`);
				process.exit(SIGNALS[e.signal]);
			}
			throw isEnvironmentFailure(e) ? new EnvironmentError(`${what}: ${errnoText(e)}; the series there is as it was`, e.code) : e;
		}
	} finally {
		intr.remove();
		lock.release();
	}
}

/**
 * Put the series in place by exchanging the whole folder (exchange.ts).
 * Returns true when done, or why it could not be (nothing has changed then,
 * and the per-file transaction is used).
 */
async function viaExchange(outDir: string, display: string, j: Omit<XJournal, 'linked'>, m: Manifest, files: OutputFile[], intr: Interrupts): Promise<true | string> {
	announcePath('exchange');
	const real = fs.realpathSync(outDir);
	const committed = () => !!lstat(path.join(real, STATE_DIR, XJOURNAL));
	let journal: XJournal;
	let why = '';
	try {
		await beforeStep('stage');
		if (intr.got) throw new Interrupted(intr.got);
		journal = buildNext(outDir, display, j, m, files);
		await beforeStep('exchange');
		if (intr.got) throw new Interrupted(intr.got);
		if (!exchangeFolders(outDir, display, journal, (r) => (why = r))) return why;
	} catch (e) {
		if (e instanceof Unavailable) return e.message;
		if (!committed()) fs.rmSync(nextOf(real), { recursive: true, force: true });
		throw e;
	}
	// committed: the new series is in place; what is left is tidying the old folder
	try {
		await beforeStep('settle');
		settleOld(real, journal);
		await beforeStep('clean up');
		finishExchange(real, display, journal);
	} catch (e) {
		if (e instanceof UsageError || !isEnvironmentFailure(e)) throw e;
		throw new EnvironmentError(`the new series is in ${display}, but removing the old folder ${path.join(path.dirname(display), path.basename(nextOf(real)))} failed (${errnoText(e)}); the next run finishes`, e.code);
	}
	return true;
}

/**
 * A run that writes nothing still finishes an interrupted transaction in the
 * folder it would have written to. Returns the note, if there was one.
 */
export async function recoverOutputDir(outDir: string, display: string): Promise<string | undefined> {
	if (!interruptedSwap(outDir)) return undefined;
	const state = path.join(outDir, STATE_DIR);
	const lock = await FolderLock.acquire(state, display);
	try {
		const notes = [recover, recoverExchange].map((undo) => envStep(`cannot recover the interrupted run in ${display}`, () => undo(outDir, display))).filter(Boolean);
		return notes.length ? notes.join('; ') : undefined;
	} finally {
		lock.release();
	}
}
