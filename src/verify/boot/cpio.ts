// A gzipped newc cpio archive (the initramfs format), written directly: no
// root is needed for the /dev/console node, and the bytes are the same on
// every run (mtime 0, fixed inode numbers).
import * as zlib from 'node:zlib';

export type Entry =
	| { kind: 'dir'; path: string; mode?: number }
	| { kind: 'file'; path: string; data: Buffer; mode?: number }
	| { kind: 'symlink'; path: string; target: string }
	| { kind: 'char'; path: string; major: number; minor: number; mode?: number };

const hex = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

function header(ino: number, mode: number, size: number, nameLen: number, rmajor = 0, rminor = 0): string {
	// magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
	return '070701' + [ino, mode, 0, 0, 1, 0, size, 0, 0, rmajor, rminor, nameLen, 0].map(hex).join('');
}

function record(ino: number, name: string, mode: number, data: Buffer, rmajor = 0, rminor = 0): Buffer {
	const nameBuf = Buffer.from(`${name}\0`);
	const head = Buffer.from(header(ino, mode, data.length, nameBuf.length, rmajor, rminor), 'ascii');
	return Buffer.concat([head, nameBuf, pad4(head.length + nameBuf.length), data, pad4(data.length)]);
}

/** The uncompressed archive. */
export function newc(entries: Entry[]): Buffer {
	const parts: Buffer[] = [];
	let ino = 1;
	for (const e of entries) {
		const name = e.path.replace(/^\/+/, '');
		if (e.kind === 'dir') parts.push(record(ino++, name, 0o040000 | (e.mode ?? 0o755), Buffer.alloc(0)));
		else if (e.kind === 'file') parts.push(record(ino++, name, 0o100000 | (e.mode ?? 0o644), e.data));
		else if (e.kind === 'symlink') parts.push(record(ino++, name, 0o120777, Buffer.from(e.target)));
		else parts.push(record(ino++, name, 0o020000 | (e.mode ?? 0o600), Buffer.alloc(0), e.major, e.minor));
	}
	parts.push(record(0, 'TRAILER!!!', 0, Buffer.alloc(0)));
	return Buffer.concat(parts);
}

export const gzipNewc = (entries: Entry[]) => zlib.gzipSync(newc(entries), { level: 6 });
