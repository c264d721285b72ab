// --verify --boot: the boot check after verifySeries, on the series it
// proved. It runs only when every patch applied there (otherwise every hook
// is "not exercised", with why), in a scratch folder that is kept: the next
// run's base build is incremental and ccache makes a new folder's fast.
import * as os from 'node:os';
import * as path from 'node:path';
import type { Progress } from '../../ui/progress.js';
import type { VerifyReport } from '../verify.js';
import { bootVerify, type BootPatch } from './boot.js';
import { notBooted, type BootReport } from './report.js';

export interface BootSeriesOptions {
	tree: string;
	base: string;
	patches: BootPatch[];
	/** the converted hooks (file and function as in the base tree; a repeated one counts once) */
	hooks: Array<{ file: string; function: string }>;
	verified: VerifyReport;
	/** scratch folder (default: defaultBootDir()) */
	dir?: string | undefined;
	jobs?: number | undefined;
	progress: Progress;
}

/** $XDG_CACHE_HOME/mmapify/boot, or ~/.cache/mmapify/boot. */
export function defaultBootDir(env = process.env): string {
	return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mmapify', 'boot');
}

export async function bootSeries(o: BootSeriesOptions): Promise<BootReport> {
	const scratch = path.resolve(o.dir ?? defaultBootDir());
	const seen = new Set<string>();
	const hooks = o.hooks.filter((h) => !seen.has(`${h.file} ${h.function}`) && !!seen.add(`${h.file} ${h.function}`));
	const lost = o.patches.length - o.verified.patches.filter((p) => p.apply.ok).length;
	if (lost > 0) return notBooted(hooks, `not booted: ${lost} of ${o.verified.patches.length} patches did not apply in --verify`, scratch);
	try {
		return await bootVerify({ tree: o.tree, base: o.base, patches: o.patches, hooks, scratch, jobs: o.jobs ?? 2, say: (l) => o.progress.start(l) });
	} finally {
		o.progress.end();
	}
}
