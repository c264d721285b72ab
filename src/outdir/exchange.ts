// Replacing a series by exchanging the whole output folder: the way that
// gives a reader of the folder, at every instant, either the whole old series
// or the whole new one (outdir.ts falls back to its per-file transaction
// where this is not possible; see exchangeBlocked()).
//
// The folder holds the user's files too, so it cannot just be replaced by a
// fresh one. Instead, beside it (same parent, so the same filesystem; the
// folder must not be a mount point) a hidden folder NEXT = .NAME.mmapify-next
// is built holding:
//   - the new series, written there first (O_EXCL: nothing is overwritten);
//   - a hard link of every other entry of the folder (the user's files,
//     other series), never of the old series' files; a link is the same file,
//     so edits made in place are seen in both folders;
//   - NEXT/.mmapify: the new manifest, a hard link of the lock file (the lock
//     is flock() on that inode, so after the exchange the path .mmapify/lock
//     still names the locked file: a second run stays refused), and the
//     journal exchange.json (the old and new series, and the inode of each
//     link), which is written first, so NEXT is always recognisable.
// Then one renameat2(RENAME_EXCHANGE) swaps the two folders: that is the
// commit. The old folder, now at NEXT, is settled: each link is removed, each
// old series file (unchanged) is removed, and anything else — a file the user
// created or replaced meanwhile — is moved into the folder (never over a file
// that is not the link mmapify made); then the old folder goes, then the
// journal. A kill at any point is finished by the next run (recoverExchange):
// with no journal in the folder, the exchange did not happen and NEXT (only
// staged files and links) is removed; with one, it did, and settling resumes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError, errnoText, isEnvironmentFailure } from '../base/envfail.js';
import { UsageError } from '../base/usage.js';
import { fsyncPath, holds, lstat, moveNoReplace, replaceAtomically, sameFile, writeDurably } from './files.js';
import { STATE_DIR } from './folder.js';
import { MANIFEST, type Manifest } from './manifest.js';
import { exchange, xattrBytes } from './renameat2.js';

/** The journal of an exchange, in the new folder's .mmapify. */
export const XJOURNAL = 'exchange.json';
const LOCK = 'lock';

export interface XJournal {
	series: string;
	/** the earlier series' files that were in the folder (name -> sha256) */
	old: Record<string, string>;
	/** the new series (name -> sha256) */
	new: Record<string, string>;
	/** the entries linked from the old folder (name -> "dev:ino") */
	linked: Record<string, string>;
}

/** The folder the new one is built in: hidden, beside the output folder (whose real path this takes). */
export const nextOf = (real: string) => path.join(path.dirname(real), `.${path.basename(real)}.mmapify-next`);

const id = (st: fs.Stats) => `${st.dev}:${st.ino}`;

/**
 * Why the folder cannot be exchanged (the per-file transaction is used then),
 * or undefined when it can. outDir exists, holds .mmapify, and no interrupted
 * transaction (recovery has run).
 */
export function exchangeBlocked(outDir: string): string | undefined {
	if (process.platform !== 'linux') return `not Linux (${process.platform})`;
	const real = fs.realpathSync(outDir);
	const parent = path.dirname(real);
	if (parent === real) return 'it is the root folder';
	const st = fs.statSync(real);
	if (st.dev !== fs.statSync(parent).dev) return 'it is a mount point';
	const uid = process.getuid?.();
	if (uid !== 0 && (st.uid !== uid || fs.statSync(path.join(real, STATE_DIR)).uid !== uid)) return 'it is owned by another user';
	for (const e of fs.readdirSync(real, { withFileTypes: true }))
		if (e.isDirectory() && e.name !== STATE_DIR) return `it holds a folder (${e.name})`;
	for (const e of fs.readdirSync(path.join(real, STATE_DIR), { withFileTypes: true })) if (e.isDirectory()) return `${STATE_DIR} holds a folder (${e.name})`;
	const x = xattrBytes(real);
	if (typeof x === 'string') return `renameat2 is not available (${x})`;
	if (x > 0) return 'it has extended attributes (an ACL or a label) that a new folder would not have';
	return undefined;
}

/** Make dir like model (mode, owner). */
function likeFolder(dir: string, model: string): void {
	const st = fs.statSync(model);
	fs.chmodSync(dir, st.mode & 0o7777);
	const me = fs.statSync(dir);
	if (me.uid !== st.uid || me.gid !== st.gid) fs.chownSync(dir, st.uid, st.gid);
}

/** Errors of link() that say: this filesystem or this file cannot be linked here. */
const CANNOT_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV', 'EACCES']);

export class Unavailable extends Error {}

/**
 * Build NEXT beside outDir: the new series, links of every other entry, the
 * new manifest and the journal. Throws Unavailable (NEXT removed) when this
 * folder cannot be built so (the caller falls back), UsageError when a file
 * appeared under a new series name.
 */
export function buildNext(outDir: string, display: string, j: Omit<XJournal, 'linked'>, m: Manifest, files: Array<{ path: string; text: string }>): XJournal {
	const real = fs.realpathSync(outDir);
	const next = nextOf(real);
	const state = path.join(next, STATE_DIR);
	const journal: XJournal = { ...j, linked: {} };
	try {
		fs.mkdirSync(next, { mode: 0o700 });
		fs.mkdirSync(state, { mode: 0o700 });
	} catch (e) {
		fs.rmSync(next, { recursive: true, force: true });
		throw new Unavailable(`cannot make ${path.basename(next)} beside it (${(e as NodeJS.ErrnoException).code})`);
	}
	try {
		// the journal first: a NEXT without it is not mmapify's (recovery leaves it alone unless empty)
		replaceAtomically(path.join(state, XJOURNAL), JSON.stringify(journal, null, 1) + '\n');
		for (const f of files) {
			const fd = fs.openSync(path.join(next, f.path), 'wx');
			fs.closeSync(fd);
			writeDurably(path.join(next, f.path), f.text);
		}
		linkAll(real, next, journal, display);
		const lockIn = path.join(real, STATE_DIR, LOCK);
		try {
			fs.linkSync(lockIn, path.join(state, LOCK));
		} catch (e) {
			fs.rmSync(next, { recursive: true, force: true });
			throw new Unavailable(`cannot link ${STATE_DIR}/${LOCK} (${(e as NodeJS.ErrnoException).code})`);
		}
		const series = { ...m.series, [j.series]: { files: j.new, written: new Date().toISOString() } };
		// series whose files are all gone from the folder are forgotten
		for (const [k, s] of Object.entries(series)) if (k !== j.series && !Object.keys(s.files).some((n) => lstat(path.join(next, n)))) delete series[k];
		replaceAtomically(path.join(state, MANIFEST), JSON.stringify({ format: 1, series } satisfies Manifest, null, 1) + '\n');
		replaceAtomically(path.join(state, XJOURNAL), JSON.stringify(journal, null, 1) + '\n');
		try {
			likeFolder(state, path.join(real, STATE_DIR));
			likeFolder(next, real);
		} catch (e) {
			fs.rmSync(next, { recursive: true, force: true });
			throw new Unavailable(`cannot give the new folder the old one's mode and owner (${(e as NodeJS.ErrnoException).code})`);
		}
		fsyncPath(state);
		fsyncPath(next);
	} catch (e) {
		fs.rmSync(next, { recursive: true, force: true });
		if (e instanceof UsageError || e instanceof Unavailable || !isEnvironmentFailure(e)) throw e;
		throw new Unavailable(`cannot build it beside the folder (${errnoText(e)})`);
	}
	return journal;
}

/**
 * Link into next every entry of real that is not .mmapify, not a file of the
 * old series and not linked yet (run again just before the exchange, for
 * files that appeared meanwhile).
 */
function linkAll(real: string, next: string, journal: XJournal, display: string): void {
	for (const name of fs.readdirSync(real)) {
		if (name === STATE_DIR || name in journal.old || name in journal.linked) continue;
		const from = path.join(real, name);
		const st = lstat(from);
		if (!st) continue; // removed meanwhile
		if (st.isDirectory()) {
			fs.rmSync(next, { recursive: true, force: true });
			throw new Unavailable(`it holds a folder (${name})`);
		}
		if (name in journal.new) {
			fs.rmSync(next, { recursive: true, force: true });
			throw new EnvironmentError(`${display}/${name} appeared while mmapify was writing its series there; that file is kept, and the earlier series is unchanged`, 'EEXIST');
		}
		try {
			fs.linkSync(from, path.join(next, name));
		} catch (e) {
			const code = (e as NodeJS.ErrnoException).code ?? '';
			if (code === 'ENOENT') continue;
			fs.rmSync(next, { recursive: true, force: true });
			if (CANNOT_LINK.has(code)) throw new Unavailable(`cannot hard-link ${name} (${code})`);
			throw e;
		}
		journal.linked[name] = id(st);
	}
}

/**
 * The last checks, then the exchange. Returns true when the folders were
 * exchanged (the commit); false, with NEXT removed, when renameat2 refused
 * (the caller falls back; the reason is in `why`). Throws, with NEXT removed,
 * when a file of the old series was edited meanwhile or a file appeared under
 * a new name.
 */
export function exchangeFolders(outDir: string, display: string, journal: XJournal, why: (r: string) => void): boolean {
	const real = fs.realpathSync(outDir);
	const next = nextOf(real);
	for (const [name, sha] of Object.entries(journal.old)) {
		const p = path.join(real, name);
		if (lstat(p) && !holds(p, sha)) {
			fs.rmSync(next, { recursive: true, force: true });
			throw new UsageError(`${display}/${name} was changed while mmapify was replacing it; it is as you left it, and the earlier series is unchanged`);
		}
	}
	const before = Object.keys(journal.linked).length;
	linkAll(real, next, journal, display);
	if (Object.keys(journal.linked).length !== before) replaceAtomically(path.join(next, STATE_DIR, XJOURNAL), JSON.stringify(journal, null, 1) + '\n');
	const r = exchange(real, next);
	// whether it happened is read from disk (perl may have been killed around the call)
	if (lstat(path.join(real, STATE_DIR, XJOURNAL))) {
		fsyncPath(path.dirname(real));
		return true;
	}
	fs.rmSync(next, { recursive: true, force: true });
	why(r.ok ? 'renameat2 said it exchanged the folders, but they are not' : `renameat2 failed: ${r.why}`);
	return false;
}

/**
 * After the exchange: empty the old folder (now at NEXT) into the new one.
 * Links mmapify made and unchanged old series files are removed; a file the
 * user created or replaced there meanwhile is moved into the folder. Returns
 * the names it could not move (a new series file has that name).
 */
export function settleOld(real: string, journal: XJournal): string[] {
	const old = nextOf(real);
	const kept: string[] = [];
	for (const name of fs.readdirSync(old)) {
		if (name === STATE_DIR) continue;
		const from = path.join(old, name);
		const st = lstat(from);
		const cur = lstat(path.join(real, name));
		if (!st) continue;
		if (sameFile(st, cur)) fs.unlinkSync(from);
		else if (name in journal.old && holds(from, journal.old[name]!)) fs.unlinkSync(from);
		else if (!cur) {
			if (!moveNoReplace(from, path.join(real, name))) kept.push(name);
		} else if (journal.linked[name] === id(cur)) {
			// replaced in the old folder after it was linked: the user's later file wins over the link
			fs.renameSync(from, path.join(real, name));
		} else kept.push(name);
	}
	fsyncPath(real);
	return kept;
}

/** Remove the emptied old folder (its .mmapify is mmapify's own), then the journal. False when the old folder is not empty. */
export function removeOld(real: string): boolean {
	const old = nextOf(real);
	fs.rmSync(path.join(old, STATE_DIR), { recursive: true, force: true });
	try {
		fs.rmdirSync(old);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
		if (code !== 'ENOENT') throw e;
	}
	fsyncPath(path.dirname(real));
	fs.rmSync(path.join(real, STATE_DIR, XJOURNAL), { force: true });
	fsyncPath(path.join(real, STATE_DIR));
	return true;
}

/** Settle and remove the old folder; throws, naming them, when files of the user's could not be moved back. */
export function finishExchange(real: string, display: string, journal: XJournal): void {
	for (let round = 0; round < 3; round++) {
		const kept = settleOld(real, journal);
		if (kept.length) {
			const where = path.join(path.basename(nextOf(real)));
			throw new EnvironmentError(
				`the new series is in ${display}, but ${kept.join(', ')}, changed or created there while mmapify replaced the series, ${kept.length === 1 ? 'has' : 'have'} the name of a new file: kept in ${path.join(path.dirname(display), where)}; move ${kept.length === 1 ? 'it' : 'them'} out, and the next run finishes`,
				'EEXIST',
			);
		}
		if (removeOld(real)) return;
	}
	throw new EnvironmentError(`the new series is in ${display}, but files keep appearing in the old folder ${path.join(path.dirname(display), path.basename(nextOf(real)))}; the next run finishes`, 'EBUSY');
}

/** Is there an interrupted exchange at outDir? */
export function interruptedExchange(outDir: string): boolean {
	let real: string;
	try {
		real = fs.realpathSync(outDir);
	} catch {
		return false;
	}
	return !!lstat(nextOf(real)) || !!lstat(path.join(real, STATE_DIR, XJOURNAL));
}

/** Only empty folders under dir? */
function onlyEmptyFolders(dir: string): boolean {
	return fs.readdirSync(dir, { withFileTypes: true }).every((e) => e.isDirectory() && onlyEmptyFolders(path.join(dir, e.name)));
}

/**
 * Finish an interrupted exchange (the lock held). Returns a note, or
 * undefined when there was nothing to do.
 */
export function recoverExchange(outDir: string, display: string): string | undefined {
	const real = fs.realpathSync(outDir);
	const next = nextOf(real);
	const mark = path.join(real, STATE_DIR, XJOURNAL);
	const nextShown = path.join(path.dirname(display), path.basename(next));
	if (lstat(mark)) {
		const j = JSON.parse(fs.readFileSync(mark, 'utf8')) as XJournal;
		if (lstat(next)) finishExchange(real, display, j);
		else fs.rmSync(mark, { force: true });
		return `${display}: finished cleaning up after an interrupted mmapify run, which had already put its series (${j.series}) in place`;
	}
	if (!lstat(next)) return undefined;
	if (lstat(path.join(next, STATE_DIR, XJOURNAL)) || onlyEmptyFolders(next)) {
		// not exchanged: NEXT holds only the staged series and links of the folder's files
		fs.rmSync(next, { recursive: true, force: true });
		return `${display}: removed the files an interrupted mmapify run had staged; the series there is unchanged`;
	}
	throw new EnvironmentError(`${nextShown} is in the way of mmapify and is not its own: look inside, then move or remove it`, 'EEXIST');
}
