// Building probes/probe.c: the host's gcc, static, against the uapi headers
// of the tree at the base (make headers), so that one binary runs on both
// kernels.
import * as path from 'node:path';
import { run } from './exec.js';

export async function buildProbe(o: { source: string; include: string; out: string; log: string }): Promise<{ ok: boolean; errors: string[] }> {
	const r = await run('gcc', ['-static', '-O2', '-Wall', '-Werror', '-I', o.include, '-o', o.out, o.source], { cwd: path.dirname(o.out), log: o.log });
	return { ok: r.code === 0, errors: r.code === 0 ? [] : r.out.split('\n').filter((l) => /error/.test(l)).slice(0, 6) };
}
