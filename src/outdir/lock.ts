// The output folder's lock: flock(1) on .mmapify/lock, held by a child
// process for as long as this one lives (the kernel drops it when either
// dies, even on SIGKILL). A second run on the same folder is refused with the
// first one's pid.
//
// The lock is on the lock file's inode, and a run that exchanges the folder
// (exchange.ts) hard-links that file into the new folder, so the path names
// the locked inode before and after the exchange. A run that opened the path
// through the old folder as it was being removed could lock a file nobody
// else will ever open: so the child reports the inode it locked, and a lock
// on anything but what the path names now is dropped and taken again.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError, envStep } from '../base/envfail.js';

const LOCK = 'lock';

export class FolderLock {
	private constructor(private readonly child: ReturnType<typeof spawn>) {}

	static async acquire(state: string, display: string): Promise<FolderLock> {
		const file = path.join(state, LOCK);
		envStep(`cannot write to the output folder ${display}`, () => fs.closeSync(fs.openSync(file, 'a')));
		for (let attempt = 0; ; attempt++) {
			const held = await FolderLock.tryOnce(file, display);
			const st = fs.statSync(file);
			if (held.inode === `${st.dev}:${st.ino}`) {
				try {
					fs.writeFileSync(file, `${process.pid}\n`);
				} catch {
					// the owner is only for the message of a second run
				}
				return held.lock;
			}
			held.lock.release();
			if (attempt >= 5) throw new EnvironmentError(`cannot lock the output folder ${display}: its lock file keeps being replaced`, 'EBUSY');
			envStep(`cannot write to the output folder ${display}`, () => fs.closeSync(fs.openSync(file, 'a')));
		}
	}

	private static async tryOnce(file: string, display: string): Promise<{ lock: FolderLock; inode: string }> {
		// fd 9 is the lock; stat(1) says which file it is
		const script = 'exec 9>>"$0" || exit 3; flock -n 9 || exit 1; stat -L -c %d:%i /proc/self/fd/9 || exit 3; exec cat >/dev/null';
		const child = spawn('sh', ['-c', script, file], { stdio: ['pipe', 'pipe', 'pipe'] });
		let err = '';
		let out = '';
		child.stderr!.on('data', (b) => (err += b));
		const got = await new Promise<'locked' | 'busy' | Error>((resolve) => {
			child.stdout!.on('data', (b) => {
				out += b;
				if (out.includes('\n')) resolve('locked');
			});
			child.once('error', (e) => resolve(e));
			child.once('exit', (code) =>
				resolve(
					code === 1 && !err.trim()
						? 'busy'
						: code === 127 && /flock/.test(err)
							? Object.assign(new Error('no flock'), { code: 'ENOENT' })
							: new Error(`flock exited with ${code}: ${err.trim()}`),
				),
			);
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
		return { lock: new FolderLock(child), inode: out.trim() };
	}

	release(): void {
		this.child.stdin?.end();
	}
}
