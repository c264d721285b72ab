// Reading files fast: one buffer reused across reads.
import * as fs from 'node:fs';

let shared = Buffer.allocUnsafe(1 << 20);
/**
 * A file's bytes in a buffer that the next call reuses (open + read + close:
 * cheaper than readFileSync, which also stats and allocates); undefined when
 * the file cannot be read.
 */
export function readShared(abs: string): Buffer | undefined {
	let fd: number;
	try {
		fd = fs.openSync(abs, 'r');
	} catch {
		return undefined;
	}
	try {
		let n = 0;
		for (;;) {
			if (n === shared.length) {
				const bigger = Buffer.allocUnsafe(shared.length * 2);
				shared.copy(bigger, 0, 0, n);
				shared = bigger;
			}
			const k = fs.readSync(fd, shared, n, shared.length - n, null);
			if (k === 0) break;
			n += k;
		}
		return shared.subarray(0, n);
	} catch {
		return undefined;
	} finally {
		fs.closeSync(fd);
	}
}
