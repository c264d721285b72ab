// Small file operations of the output folder's transaction: hashes, fsync,
// durable writes, a replacement in one rename, and a move that never
// overwrites (a file that appeared at the destination is kept, not replaced).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** lstat, or undefined when nothing is there. */
export function lstat(p: string): fs.Stats | undefined {
	try {
		return fs.lstatSync(p);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw e;
	}
}

/** Is p a regular file whose content hashes to sha? */
export function holds(p: string, sha: string): boolean {
	const st = lstat(p);
	return !!st?.isFile() && sha256(fs.readFileSync(p)) === sha;
}

export function fsyncPath(p: string): void {
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

export function writeDurably(p: string, data: string | Buffer): void {
	const fd = fs.openSync(p, 'w');
	try {
		fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

/** Replace p with data in one rename (written and fsynced beside it first). */
export function replaceAtomically(p: string, data: string): void {
	const tmp = `${p}.tmp`;
	writeDurably(tmp, data);
	fs.renameSync(tmp, p);
	fsyncPath(path.dirname(p));
}

/** Filesystems without hard links answer link() with one of these. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Move from -> to (same filesystem) without ever replacing a file at `to`:
 * link() then unlink(), which fails with EEXIST when `to` exists (rename()
 * would silently replace it). Returns false, moving nothing, when `to`
 * exists. On a filesystem without hard links it checks, then renames.
 */
export function moveNoReplace(from: string, to: string): boolean {
	try {
		fs.linkSync(from, to);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') return false;
		if (!NO_LINKS.has(code ?? '')) throw e;
		if (lstat(to)) return false;
		fs.renameSync(from, to);
		return true;
	}
	fs.unlinkSync(from);
	return true;
}

/** Are a and b the same file (one inode: a move by link() stopped before its unlink())? */
export function sameFile(a: fs.Stats | undefined, b: fs.Stats | undefined): boolean {
	return !!a && !!b && a.ino === b.ino && a.dev === b.dev;
}
