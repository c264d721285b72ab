// The output folder's lock: flock(1) on .mmapify/lock, held by a child
// process for as long as this one lives (the kernel drops it when either
// dies, even on SIGKILL). A second run on the same folder is refused with the
// first one's pid.
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
