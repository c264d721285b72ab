// Running the commands of --boot (git, make, gcc, qemu): output kept (the
// tail of a long one), optionally appended to a log, a time limit that kills
// the whole process group so that a hung QEMU or make leaves nothing behind.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface RunResult {
	code: number | null;
	out: string;
	timedOut: boolean;
}

export interface RunOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** file the command line and its output are appended to */
	log?: string;
	/** write stdout (not stderr) to this file as it comes, e.g. a console log */
	stdoutFile?: string;
	input?: string | Buffer;
}

const MAX_OUT = 4 * 1024 * 1024;

export function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
	return new Promise((resolve) => {
		let out = '';
		let timedOut = false;
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const file = opts.stdoutFile ? fs.openSync(opts.stdoutFile, 'w') : undefined;
		const take = (b: Buffer) => {
			out += b.toString('utf8');
			if (out.length > MAX_OUT) out = out.slice(-MAX_OUT / 2);
		};
		child.stdout!.on('data', (b: Buffer) => {
			if (file !== undefined) fs.writeSync(file, b);
			take(b);
		});
		child.stderr!.on('data', take);
		if (opts.input !== undefined) child.stdin!.end(opts.input);
		const kill = (sig: NodeJS.Signals) => {
			try {
				if (child.pid) process.kill(-child.pid, sig);
			} catch {
				/* already gone */
			}
		};
		const timer = opts.timeoutMs
			? setTimeout(() => {
					timedOut = true;
					out += `\nmmapify: ${cmd} timed out after ${Math.round(opts.timeoutMs! / 1000)}s\n`;
					kill('SIGTERM');
					setTimeout(() => kill('SIGKILL'), 3000).unref();
				}, opts.timeoutMs)
			: undefined;
		let finished = false;
		const done = (code: number | null) => {
			if (finished) return;
			finished = true;
			if (timer) clearTimeout(timer);
			if (file !== undefined) fs.closeSync(file);
			if (opts.log) fs.appendFileSync(opts.log, `$ ${cmd} ${args.join(' ')}\n${out}\n[exit ${code}${timedOut ? ', timed out' : ''}]\n\n`);
			resolve({ code, out, timedOut });
		};
		child.on('error', (e) => {
			out += `\n${cmd}: ${e.message}\n`;
			done(127);
		});
		child.on('close', (code) => done(code));
	});
}

/** The last n non-empty lines of some output. */
export function tailLines(s: string, n = 8): string[] {
	return s
		.split('\n')
		.map((l) => l.trimEnd())
		.filter(Boolean)
		.slice(-n);
}
