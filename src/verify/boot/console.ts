// Reading a --boot console: the markers /init and the probe print (@@B, @@U,
// @@S, @@P, @@E), and the kernel's reports (WARNING:, BUG:, Oops, Call
// Trace, lockdep), each attributed to the probe that was running when it
// was printed, or to the boot itself.
export interface Step {
	step: string;
	result: string;
}

export interface ProbeRun {
	id: string;
	steps: Step[];
	/** "exit=0", "exit=1", "stuck"; undefined when the probe never ended */
	end?: string;
	oops: number;
	warn: number;
	/** the kernel's report lines printed while the probe ran */
	reports: string[];
	/** the lines that start a report (BUG:, WARNING:, ...) */
	hits: string[];
}

export interface ConsoleRecord {
	reachedInit: boolean;
	done: boolean;
	/** setup line results per probe id, in order */
	setup: Map<string, string[]>;
	probes: Map<string, ProbeRun>;
	/** report lines outside any probe */
	bootReports: string[];
	bootHits: string[];
}

/** A line that starts or belongs to a kernel report the tip must not add. */
export const HIT = /(WARNING:|BUG:|Oops|Call Trace|general protection fault|kernel BUG at|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lockdep|INFO: task .* blocked)/;
/** Lines that belong to a report: its header, the registers' RIP, the trace. */
const REPORT = /(WARNING:|BUG:|Oops|Call Trace|RIP:|general protection fault|kernel BUG at|Kernel panic|lockdep|possible circular|possible recursive|inconsistent lock|suspicious RCU|INFO: task|^\s*(\? )?[\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+|<TASK>|<\/TASK>|Modules linked in|CPU: \d+ |Hardware name:)/;

const MARK = /@@([BUSEP]) (.*?) @@/g;

export function parseConsole(text: string): ConsoleRecord {
	const rec: ConsoleRecord = { reachedInit: false, done: false, setup: new Map(), probes: new Map(), bootReports: [], bootHits: [] };
	let cur: ProbeRun | undefined;
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.replace(/\r/g, '');
		let marked = false;
		for (const m of line.matchAll(MARK)) {
			marked = true;
			const [, kind, body] = m as unknown as [string, string, string];
			const words = body.split(' ');
			if (kind === 'B') {
				if (words[0] === 'start') rec.reachedInit = true;
				if (words[0] === 'done') rec.done = true;
			} else if (kind === 'U') {
				const l = rec.setup.get(words[0]!) ?? [];
				l.push(words.slice(1).join(' '));
				rec.setup.set(words[0]!, l);
			} else if (kind === 'S') {
				cur = { id: words[0]!, steps: [], oops: 0, warn: 0, reports: [], hits: [] };
				rec.probes.set(cur.id, cur);
			} else if (kind === 'P') {
				const p = rec.probes.get(words[0]!);
				if (p) p.steps.push({ step: words[1] ?? '?', result: words.slice(2).join(' ') });
			} else if (kind === 'E') {
				const p = rec.probes.get(words[0]!);
				if (p) {
					p.end = words[1];
					for (const w of words.slice(2)) {
						const kv = /^(oops|warn)=(-?\d+)$/.exec(w);
						if (kv) p[kv[1] as 'oops' | 'warn'] = Number(kv[2]);
					}
				}
				if (cur?.id === words[0]) cur = undefined;
			}
		}
		const rest = line.replace(MARK, '').trim();
		if (!rest || (marked && !REPORT.test(rest))) continue;
		if (REPORT.test(rest)) {
			(cur ? cur.reports : rec.bootReports).push(rest);
			if (HIT.test(rest)) (cur ? cur.hits : rec.bootHits).push(rest);
		}
	}
	return rec;
}

/** A report line without what differs between two boots of one kernel: addresses, pids, offsets. */
export function normalizeHit(line: string): string {
	return line
		.replace(/^\[[\s\d.]+\]\s*/, '')
		.replace(/0x[0-9a-f]+/gi, 'X')
		.replace(/\b[0-9a-f]{8,16}\b/gi, 'X')
		.replace(/\b(PID|pid|CPU): ?\d+/g, '$1: N')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The hits of tip that base does not have (by normalized line, with multiplicity). */
export function newHits(base: string[], tip: string[]): string[] {
	const left = new Map<string, number>();
	for (const b of base) left.set(normalizeHit(b), (left.get(normalizeHit(b)) ?? 0) + 1);
	const out: string[] = [];
	for (const t of tip) {
		const k = normalizeHit(t);
		const n = left.get(k) ?? 0;
		if (n > 0) left.set(k, n - 1);
		else out.push(t);
	}
	return out;
}

/** The lines to quote for a report: the first header, its RIP and a few frames. */
export function quote(reports: string[], max = 8): string[] {
	const first = reports.findIndex((l) => HIT.test(l) && !/Call Trace/.test(l));
	if (first < 0) return reports.slice(0, max);
	const out = [reports[first]!];
	const rip = reports.slice(first).find((l) => /RIP:/.test(l));
	if (rip) out.push(rip);
	const frames = reports.slice(first).filter((l) => /^(\? )?[\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+/.test(l.trim()));
	out.push(...frames.slice(0, max - out.length));
	return out;
}
