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
// Replacing a series is a transaction inside the folder, so it is on the
// folder's own filesystem (a tmpfs or another disk at -o is fine):
//   1. lock .mmapify/lock (flock(1); a second run on the folder is refused);
//   2. finish an interrupted earlier transaction, if any (see recover());
//   3. stage the new files in .mmapify/swap/new and fsync them;
//   4. write the journal .mmapify/swap/journal.json (old and new names and
//      hashes): from here an interruption is undone, never left half-done;
//   5. move each old file to .mmapify/swap/old, then each new one into place
//      (one rename each, all in one folder);
//   6. commit: the manifest is replaced in one rename; then .mmapify/swap goes.
// At every instant the folder holds the whole old series or the whole new
// one: before the commit the old files are in the folder or in swap/old and
// the journal says how to put them back, which a failure or SIGINT/SIGTERM
// does at once and the next run does after a SIGKILL or a crash; after the
// commit the new series is in place. SIGINT and SIGTERM never leave swap/
// behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asEnvironmentError, EnvironmentError, envStep, errnoText, isEnvironmentFailure } from '../base/envfail.js';
import { beforeMove } from './test-slow.js';
import { UsageError } from '../base/usage.js';

/** mmapify's state inside an output folder. */
export const STATE_DIR = '.mmapify';
const MANIFEST = 'series.json';
const LOCK = 'lock';
const SWAP = 'swap';
const JOURNAL = 'journal.json';

export interface OutputFile {
	/** file name inside the output folder */
	path: string;
	text: string;
}

interface Manifest {
	format: 1;
	series: Record<string, { files: Record<string, string>; written: string }>;
}

interface Journal {
	series: string;
	/** the earlier series' files that were in the folder (name -> sha256) */
	old: Record<string, string>;
	/** the new series (name -> sha256) */
	new: Record<string, string>;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function lstat(p: string): fs.Stats | undefined {
	try {
		return fs.lstatSync(p);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw e;
	}
}

/** Is p a regular file whose content hashes to sha? */
function holds(p: string, sha: string): boolean {
	const st = lstat(p);
	return !!st?.isFile() && sha256(fs.readFileSync(p)) === sha;
}

function fsyncPath(p: string): void {
	let fd: number | undefined;
	try {
		fd = fs.openSync(p, 'r');
		fs.fsyncSync(fd);
	} catch {
		// a folder that cannot be fsynced (some filesystems): nothing more to do
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
}

function writeDurably(p: string, data: string | Buffer): void {
	const fd = fs.openSync(p, 'w');
	try {
		fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

/** Replace p with data in one rename (written and fsynced beside it first). */
function replaceAtomically(p: string, data: string): void {
	const tmp = `${p}.tmp`;
	writeDurably(tmp, data);
	fs.renameSync(tmp, p);
	fsyncPath(path.dirname(p));
}

// ---------------------------------------------------------------------------
// The folder itself

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

function makeOutputDir(outDir: string, display: string): void {
	checkOutputDir(outDir, display);
	envStep(`cannot create the output folder ${display}`, () => fs.mkdirSync(outDir, { recursive: true }));
	envStep(`cannot write to the output folder ${display}`, () => fs.mkdirSync(path.join(outDir, STATE_DIR), { recursive: true }));
}

// ---------------------------------------------------------------------------
// The lock: flock(1) on .mmapify/lock, held by a child process for as long as
// this one lives (the kernel drops it when either dies, even on SIGKILL).

class FolderLock {
	private constructor(private readonly child: ReturnType<typeof spawn>) {}

	static async acquire(state: string, display: string): Promise<FolderLock> {
		const file = path.join(state, LOCK);
		envStep(`cannot write to the output folder ${display}`, () => fs.closeSync(fs.openSync(file, 'a')));
		const child = spawn('flock', ['-n', file, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
		let err = '';
		child.stderr!.on('data', (b) => (err += b));
		const got = await new Promise<'locked' | 'busy' | Error>((resolve) => {
			child.stdout!.once('data', () => resolve('locked'));
			child.once('error', (e) => resolve(e));
			child.once('exit', (code) => resolve(code === 1 && !err.trim() ? 'busy' : new Error(`flock exited with ${code}: ${err.trim()}`)));
		});
		if (got === 'busy') {
			let owner = '';
			try {
				owner = fs.readFileSync(file, 'utf8').trim();
			} catch {
				// no owner recorded
			}
			throw new EnvironmentError(`${display} is being written by another mmapify run${/^\d+$/.test(owner) ? ` (pid ${owner})` : ''}; try again when it has finished`, 'EBUSY');
		}
		if (got instanceof Error) {
			child.kill();
			if ((got as NodeJS.ErrnoException).code === 'ENOENT') throw new EnvironmentError('mmapify needs flock(1) (util-linux) to lock the output folder', 'ENOENT');
			throw new EnvironmentError(`cannot lock the output folder ${display}: ${got.message}`);
		}
		child.stdout!.removeAllListeners('data');
		child.removeAllListeners('exit');
		child.unref();
		for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
		try {
			fs.writeFileSync(file, `${process.pid}\n`);
		} catch {
			// the owner is only for the message of a second run
		}
		return new FolderLock(child);
	}

	release(): void {
		this.child.stdin?.end();
	}
}

// ---------------------------------------------------------------------------
// Manifest and journal

function readManifest(state: string, display: string): Manifest {
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

const sameFiles = (a: Record<string, string>, b: Record<string, string>) =>
	Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * Put the folder back as the journal says it was: the new files that were
 * moved in go back to swap/new, the old ones come back from swap/old, then
 * swap/ goes. Every step can be run again, so an interrupted roll-back is
 * finished by the next one.
 */
function rollBack(outDir: string, display: string, swap: string, j: Journal): void {
	for (const [name, sha] of Object.entries(j.new)) {
		const staged = path.join(swap, 'new', name);
		const placed = path.join(outDir, name);
		if (!lstat(staged) && holds(placed, sha)) fs.renameSync(placed, staged);
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
function recover(outDir: string, display: string): string | undefined {
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

// ---------------------------------------------------------------------------
// Signals

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type Sig = keyof typeof SIGNALS;

/** SIGINT/SIGTERM during a transaction are noted and acted on between its steps. */
class Interrupts {
	got: Sig | undefined;
	private readonly handlers = new Map<Sig, () => void>();
	constructor() {
		for (const s of Object.keys(SIGNALS) as Sig[]) {
			const h = () => {
				this.got ??= s;
			};
			this.handlers.set(s, h);
			process.on(s, h);
		}
	}
	remove(): void {
		for (const [s, h] of this.handlers) process.removeListener(s, h);
	}
}

class Interrupted extends Error {
	constructor(readonly signal: Sig) {
		super(signal);
	}
}

// ---------------------------------------------------------------------------
// Writing a series

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
		const r = envStep(`cannot recover the interrupted run in ${display}`, () => recover(outDir, display));
		if (r) notes.push(r);
		const m = envStep(what, () => readManifest(state, display));
		const old = envStep(what, () => precheck(outDir, display, m, key, files));
		const fresh: Record<string, string> = {};
		for (const f of files) fresh[f.path] = sha256(f.text);
		try {
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
			for (const name of Object.keys(old)) {
				await beforeMove();
				if (intr.got) throw new Interrupted(intr.got);
				fs.renameSync(path.join(outDir, name), path.join(swap, 'old', name));
			}
			for (const f of files) {
				await beforeMove();
				if (intr.got) throw new Interrupted(intr.got);
				fs.renameSync(path.join(swap, 'new', f.path), path.join(outDir, f.path));
			}
			fsyncPath(outDir);
			// 6. commit
			const series = { ...m.series, [key]: { files: fresh, written: new Date().toISOString() } };
			// series whose files are all gone from the folder are forgotten
			for (const [k, s] of Object.entries(series)) if (k !== key && !Object.keys(s.files).some((n) => lstat(path.join(outDir, n)))) delete series[k];
			replaceAtomically(path.join(state, MANIFEST), JSON.stringify({ format: 1, series } satisfies Manifest, null, 1) + '\n');
			journal = undefined;
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
 * A run that writes nothing still finishes an interrupted transaction in the
 * folder it would have written to. Returns the note, if there was one.
 */
export async function recoverOutputDir(outDir: string, display: string): Promise<string | undefined> {
	if (!interruptedSwap(outDir)) return undefined;
	const state = path.join(outDir, STATE_DIR);
	const lock = await FolderLock.acquire(state, display);
	try {
		return envStep(`cannot recover the interrupted run in ${display}`, () => recover(outDir, display));
	} finally {
		lock.release();
	}
}
