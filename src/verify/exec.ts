// Running the commands of --verify (git, make, perl, the vma test) and reading
// their output: what it printed (the tail of a long one), appended to the
// scratch folder's log, a time limit; what git am said about a failure.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface RunResult {
	code: number | null;
	out: string;
}

const MAX_OUT = 2 * 1024 * 1024;

export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; log?: string }): Promise<RunResult> {
	return new Promise((resolve) => {
		let out = '';
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const take = (b: Buffer) => {
			out += b.toString('utf8');
			if (out.length > MAX_OUT) out = out.slice(-MAX_OUT / 2);
		};
		child.stdout.on('data', take);
		child.stderr.on('data', take);
		const timer = opts.timeoutMs
			? setTimeout(() => {
					out += `\nmmapify: ${cmd} timed out after ${Math.round(opts.timeoutMs! / 1000)}s\n`;
					child.kill('SIGTERM');
				}, opts.timeoutMs)
			: undefined;
		child.on('error', (e) => {
			if (timer) clearTimeout(timer);
			resolve({ code: 127, out: out + `\n${cmd}: ${e.message}\n` });
		});
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			if (opts.log) fs.appendFileSync(opts.log, `$ ${cmd} ${args.join(' ')}\n${out}\n[exit ${code}]\n\n`);
			resolve({ code, out });
		});
	});
}

/** What git am said about a failure, without its hints and instructions. */
export function amErrors(out: string): string {
	const lines = out.split('\n').map((l) => l.trimEnd()).filter(Boolean);
	const errs = lines.filter((l) => /^(error|fatal):/.test(l));
	return (errs.length ? errs : lines.filter((l) => !/^hint:|git am --|^Patch failed at|^When you have|^If you prefer|^To restore/.test(l))).slice(0, 6).join('\n');
}

export const tail = (s: string, n = 8) =>
	s
		.split('\n')
		.map((l) => l.trimEnd())
		.filter(Boolean)
		.slice(-n);
