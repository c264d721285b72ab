// The outcome of --boot: one verdict per converted hook (booted-and-equal,
// booted-and-different, not exercised at run time, with the probe and the
// reason), the lines --verify prints, and the cover letter's paragraph.
import { probesFor, unreachableWhy, type Catalogue, type HookRef } from './catalogue.js';
import type { BootComparison, ProbeVerdict } from './compare.js';

export type HookStatus = 'booted-equal' | 'booted-different' | 'not-exercised';

export interface BootHook {
	file: string;
	function: string;
	status: HookStatus;
	probes: string[];
	/** what differed, or why it was not exercised */
	detail?: string;
}

export interface KernelBuild {
	seconds: number;
	ccache: boolean;
	ok: boolean;
	errors: string[];
}

export interface BootRun {
	seconds: number;
	accel: string;
	reachedInit: boolean;
	done: boolean;
	timedOut: boolean;
	console: string;
}

export interface BootReport {
	ok: boolean;
	base: string;
	/** options olddefconfig did not keep, and the probes they cost */
	notKept: string[];
	builds: { base?: KernelBuild; tip?: KernelBuild };
	boots: { base?: BootRun; tip?: BootRun };
	probes: ProbeVerdict[];
	hooks: BootHook[];
	bootHits: string[];
	bootQuote?: string[];
	/** what stopped the boot check (a build that failed, a base that did not boot) */
	problems: string[];
	notes: string[];
	seconds: number;
	scratch: string;
}

const name = (h: HookRef) => `${h.file} ${h.function ?? ''}`.trim();

/** The verdict for each converted hook. */
export function hookVerdicts(hooks: Array<Required<HookRef>>, cat: Catalogue, cmp: BootComparison | undefined, skipped: Map<string, string>): BootHook[] {
	return hooks.map((h) => {
		const probes = probesFor(cat, h);
		const base = { file: h.file, function: h.function };
		if (!probes.length) return { ...base, status: 'not-exercised', probes: [], detail: unreachableWhy(cat, h) ?? 'no probe in the catalogue reaches it' } satisfies BootHook;
		const ids = probes.map((p) => p.id);
		if (!cmp) return { ...base, status: 'not-exercised', probes: ids, detail: 'the kernels were not booted' } satisfies BootHook;
		const verdicts = probes.map((p) => cmp.probes.find((v) => v.id === p.id)).filter((v): v is ProbeVerdict => !!v);
		const diff = verdicts.find((v) => v.status === 'different');
		if (diff) return { ...base, status: 'booted-different', probes: [diff.id], detail: `probe ${diff.id}: ${diff.differences[0]}` } satisfies BootHook;
		const eq = verdicts.filter((v) => v.status === 'equal' && v.reached);
		if (eq.length) return { ...base, status: 'booted-equal', probes: eq.map((v) => v.id) } satisfies BootHook;
		const why = ids.map((id) => skipped.get(id) ?? verdicts.find((v) => v.id === id)?.why ?? 'not run').map((w, i) => `probe ${ids[i]}: ${w}`);
		return { ...base, status: 'not-exercised', probes: ids, detail: why.join('; ') } satisfies BootHook;
	});
}

/** The report of a boot check that was not run (the series did not apply, say): every hook not exercised, with why. */
export function notBooted(hooks: Array<Required<HookRef>>, why: string, scratch: string): BootReport {
	return {
		ok: false,
		base: '',
		notKept: [],
		builds: {},
		boots: {},
		probes: [],
		hooks: hooks.map((h) => ({ file: h.file, function: h.function, status: 'not-exercised', probes: [], detail: why })),
		bootHits: [],
		problems: [why],
		notes: [],
		seconds: 0,
		scratch,
	};
}

const LABEL: Record<HookStatus, string> = { 'booted-equal': 'booted-and-equal', 'booted-different': 'booted-and-different', 'not-exercised': 'not exercised at run time' };

/** The lines --verify --boot prints. */
export function formatBootReport(r: BootReport): string[] {
	const out: string[] = [];
	const b = r.builds.base;
	const t = r.builds.tip;
	const k = (x?: KernelBuild) => (x ? `${x.ok ? '' : 'FAILED after '}${x.seconds}s${x.ccache ? ' (ccache)' : ''}` : 'not built');
	out.push(`boot: kernels built at base ${k(b)}, at the tip ${k(t)}`);
	const bt = (x?: BootRun) => (x ? `${x.seconds}s${x.done ? '' : x.reachedInit ? ', probes unfinished' : ', did not reach /init'}${x.timedOut ? ', timed out' : ''}` : 'not booted');
	if (r.boots.base || r.boots.tip) out.push(`boot: booted under QEMU (${r.boots.base?.accel ?? 'tcg'}): base ${bt(r.boots.base)}, tip ${bt(r.boots.tip)}`);
	for (const p of r.problems) out.push(`  FAIL  ${p}`);
	for (const n of r.notKept) out.push(`  note  not in the boot kernel: ${n}`);
	for (const p of r.probes) {
		const what = p.status === 'equal' ? (p.reached ? `equal (${p.results.length} steps)` : `equal, hooks not reached: ${p.why}`) : p.status === 'different' ? `DIFFERENT: ${p.differences.join('; ')}` : `not run: ${p.why}`;
		out.push(`  ${p.status === 'different' ? 'FAIL' : p.status === 'equal' ? 'ok  ' : 'skip'}  probe ${p.id}: ${what}`);
		for (const q of p.quote ?? []) out.push(`        | ${q}`);
	}
	if (r.bootHits.length) {
		out.push(`  FAIL  the tip's console outside the probes: ${r.bootHits[0]}`);
		for (const q of r.bootQuote ?? []) out.push(`        | ${q}`);
	}
	out.push('boot: converted hooks:');
	for (const h of r.hooks) out.push(`  ${LABEL[h.status].padEnd(26)} ${name(h)}${h.probes.length && h.status === 'booted-equal' ? ` (probe ${h.probes.join(', ')})` : ''}${h.detail ? `: ${h.detail}` : ''}`);
	out.push(`boot: ${r.ok ? 'ok' : 'FAILED'} (${r.seconds}s; scratch ${r.scratch})`);
	return out;
}

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
const fn = (h: BootHook) => `${h.function}()`;

/** The cover letter's run-time testing paragraph. */
export function bootTestingParagraph(r: BootReport): string {
	const eq = r.hooks.filter((h) => h.status === 'booted-equal');
	const diff = r.hooks.filter((h) => h.status === 'booted-different');
	const none = r.hooks.filter((h) => h.status === 'not-exercised');
	const s: string[] = [];
	if (!r.boots.tip?.reachedInit && !eq.length && !diff.length) {
		s.push(`The base and converted kernels were to be booted under QEMU, but ${r.problems[0] ?? 'the boot did not complete'}.`);
	} else {
		s.push(
			`The base and the converted kernel (x86_64 tinyconfig with the probed drivers) were booted under QEMU (${r.boots.tip?.accel ?? 'tcg'}), each running the same probes: mmap() shared and private, touch, fork() while mapped, mprotect(), munmap(), offsets inside and past the end.`,
		);
		if (eq.length) s.push(`Exercised and behaving as on the base kernel: ${list(eq.map(fn))}.`);
		if (diff.length) s.push(`Exercised and behaving differently: ${list(diff.map((h) => `${fn(h)} (${h.detail})`))}.`);
		if (r.bootHits.length) s.push(`The converted kernel's console shows a report the base's does not: ${r.bootHits[0]}.`);
	}
	if (none.length) s.push(`Not exercised at run time: ${list(none.map(fn))}.`);
	return s.join(' ');
}
