// The kernel of --boot: an x86_64 tinyconfig plus a fragment, built into a
// scratch folder (make O=) through ccache, and its uapi headers (make
// headers: headers_install would need rsync) for the probe program.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fragment, notKept, readConfig } from './kconfig.js';
import { run, tailLines } from './exec.js';

export interface BuildOptions {
	/** a checked-out kernel source tree (clean: no .config of its own) */
	src: string;
	/** the build folder (make O=) */
	out: string;
	/** CONFIG_X=y lines on top of tinyconfig */
	config: string[];
	jobs: number;
	/** ccache's folder; ccache is used when this is set and ccache is installed */
	ccacheDir?: string;
	/** CCACHE_BASEDIR: a parent of every tree built, so that their objects hit */
	ccacheBase?: string;
	log: string;
	timeoutMs?: number;
}

export interface BuildResult {
	ok: boolean;
	bzImage?: string;
	/** requested options olddefconfig did not keep */
	notKept: string[];
	/** the error lines of a failed step */
	errors: string[];
	seconds: number;
	ccache: boolean;
}

let ccachePresent: boolean | undefined;
async function haveCcache(cwd: string): Promise<boolean> {
	ccachePresent ??= (await run('ccache', ['--version'], { cwd })).code === 0;
	return ccachePresent;
}

/** Reproducible kbuild stamps: the same sources give the same objects, and ccache hits. */
const STAMPS = { KBUILD_BUILD_TIMESTAMP: '2026-01-01', KBUILD_BUILD_USER: 'mmapify', KBUILD_BUILD_HOST: 'mmapify', KBUILD_BUILD_VERSION: '1' };

export async function buildKernel(o: BuildOptions): Promise<BuildResult> {
	const t0 = Date.now();
	fs.mkdirSync(o.out, { recursive: true });
	const ccache = !!o.ccacheDir && (await haveCcache(o.src));
	const env: NodeJS.ProcessEnv = { ...process.env, ...STAMPS, ARCH: 'x86_64' };
	delete env.KBUILD_OUTPUT;
	delete env.CROSS_COMPILE;
	if (ccache) {
		fs.mkdirSync(o.ccacheDir!, { recursive: true });
		env.CCACHE_DIR = o.ccacheDir;
		if (o.ccacheBase) env.CCACHE_BASEDIR = o.ccacheBase;
		env.CCACHE_NOHASHDIR = '1';
		env.CCACHE_SLOPPINESS = 'time_macros,include_file_mtime,include_file_ctime';
	}
	const make = (args: string[]) =>
		run('make', ['-C', o.src, `O=${o.out}`, 'ARCH=x86_64', ...(ccache ? ['CC=ccache gcc', 'HOSTCC=ccache gcc'] : []), ...args], {
			cwd: o.src,
			env,
			log: o.log,
			timeoutMs: o.timeoutMs ?? 60 * 60 * 1000,
		});
	const res: BuildResult = { ok: false, notKept: [], errors: [], seconds: 0, ccache };
	const fail = (what: string, out: string) => {
		res.errors = [what, ...errorLines(out)];
		res.seconds = Math.round((Date.now() - t0) / 1000);
		return res;
	};
	let r = await make(['-s', 'tinyconfig']);
	if (r.code !== 0) return fail('make tinyconfig failed', r.out);
	const cfg = path.join(o.out, '.config');
	fs.appendFileSync(cfg, `\n# mmapify --boot\n${fragment(o.config)}`);
	r = await make(['-s', 'olddefconfig']);
	if (r.code !== 0) return fail('make olddefconfig failed', r.out);
	res.notKept = notKept(o.config, readConfig(fs.readFileSync(cfg, 'utf8')));
	r = await make([`-j${o.jobs}`, 'bzImage']);
	if (r.code !== 0) return fail('make bzImage failed', r.out);
	const img = path.join(o.out, 'arch/x86/boot/bzImage');
	if (!fs.existsSync(img)) return fail('make bzImage made no arch/x86/boot/bzImage', r.out);
	res.ok = true;
	res.bzImage = img;
	res.seconds = Math.round((Date.now() - t0) / 1000);
	return res;
}

/** make headers: <out>/usr/include, for building the probe. */
export async function buildHeaders(o: Pick<BuildOptions, 'src' | 'out' | 'log'>): Promise<{ ok: boolean; include: string; errors: string[] }> {
	const env: NodeJS.ProcessEnv = { ...process.env, ARCH: 'x86_64' };
	delete env.KBUILD_OUTPUT;
	const r = await run('make', ['-C', o.src, `O=${o.out}`, 'ARCH=x86_64', '-s', 'headers'], { cwd: o.src, env, log: o.log });
	const include = path.join(o.out, 'usr/include');
	return { ok: r.code === 0 && fs.existsSync(include), include, errors: r.code === 0 ? [] : errorLines(r.out) };
}

function errorLines(out: string): string[] {
	const lines = out.split('\n').map((l) => l.trimEnd());
	const errs = lines.filter((l) => /(^|: )(fatal )?error\b|\*\*\*/i.test(l) && !/^make(\[\d+\])?: \*\*\* \[/.test(l));
	return [...new Set(errs.length ? errs : tailLines(out, 4))].slice(0, 6);
}
