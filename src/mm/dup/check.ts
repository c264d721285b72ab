// `mmapify sync-dup --check`: is tools/testing/vma/include/dup.h still in
// sync with the kernel it copies from?
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classify, compareItem, condMismatch, originalOf, originalOfEnumerator, verdictRank, type DupClass, type Original, type Verdict } from './classify.js';
import { DUP_PATH, findMarker, splitItems, type DupItem } from './items.js';
import { kernelIndex, KernelIndex } from './kindex.js';
import { loadOverrides, type Overrides } from './overrides.js';

const ANON_ENUM = /^anon-enum\((\w+)\)$/;

/** Every kernel definition that could be the original of this item. */
export function candidates(index: KernelIndex, item: DupItem): Original[] {
	const anon = ANON_ENUM.exec(item.name);
	if (anon) {
		const first = anon[1]!;
		if (!index.inTier1(first)) index.searchTier2([first]);
		const direct = index.items(item.name).filter((k) => k.kind === 'enum');
		if (direct.length) return direct.map(originalOf);
		// an anonymous enum is known by its constants: any enum that has the first one
		const seen = new Set<string>();
		const out: Original[] = [];
		for (const e of index.enumerator(first)) {
			const key = `${e.enumItem.file}:${e.enumItem.start}`;
			if (!seen.has(key)) {
				seen.add(key);
				out.push(originalOf(e.enumItem));
			}
		}
		return out;
	}
	const found = index.items(item.name).map(originalOf);
	if (found.length || item.kind !== 'define') return found;
	// a macro can stand in for an enum constant (`#define AS_MM_ALL_LOCKS 2`)
	return index.enumerator(item.name).map(originalOfEnumerator);
}

const COMPATIBLE: Record<string, string[]> = {
	define: ['function', 'prototype', 'enumerator'],
	prototype: ['function'],
	function: ['prototype'],
};

function kindScore(item: DupItem, o: Original): number {
	if (item.kind === o.kind) return 0;
	return COMPATIBLE[item.kind]?.includes(o.kind) ? 1 : 2;
}

/**
 * The best original among the candidates: first the same kind of item (a
 * function definition for a function, a macro for a macro) over a stand-in
 * kind (a prototype, a function for a macro, an enum constant), then the one
 * the item is most in sync with (in-sync, then linkage, then const-only drift,
 * then drift), then the same #if conditions (config variants), then the
 * fewest differing tokens.
 */
export function bestOriginal(item: DupItem, cands: Original[]): { original: Original; verdict: Omit<Verdict, 'diff'> } | null {
	let best: { original: Original; verdict: Omit<Verdict, 'diff'>; key: number[] } | null = null;
	for (const o of cands) {
		const v = compareItem(item, o);
		const key = [kindScore(item, o), verdictRank(v), condMismatch(item.cond, o.cond), v.distance];
		if (!best || lexLess(key, best.key)) best = { original: o, verdict: v, key };
	}
	return best && { original: best.original, verdict: best.verdict };
}

function lexLess(a: number[], b: number[]): boolean {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
	return false;
}

/**
 * The kernel original of a dup.h item, or null.  With a root path the tree's
 * index is built on first use and cached for the process.
 */
export function findOriginal(root: string | KernelIndex, item: DupItem): Original | null {
	const index = typeof root === 'string' ? kernelIndex(root) : root;
	return bestOriginal(item, candidates(index, item))?.original ?? null;
}

export interface ReportItem {
	name: string;
	kind: string;
	line: number;
	endLine: number;
	cond: string[];
	class: DupClass;
	detail: string;
	constOnly?: boolean;
	linkage?: boolean;
	commentsDiffer?: boolean;
	reason?: string;
	reasonSource?: string;
	unusedOverride?: string;
	original: { file: string; line: number; endLine: number; kind: string; cond: string[] } | null;
	/** how many kernel definitions were considered (config variants, same-named items) */
	candidates: number;
	diff?: string;
}

export interface DupReport {
	root: string;
	kernelVersion: string | null;
	dupPath: string;
	/** line of the DUPLICATED comment (null: no such comment, the whole file was checked) */
	markerLine: number | null;
	items: ReportItem[];
	counts: Record<DupClass, number> & { total: number; constOnlyDrift: number };
	kinds: Record<string, number>;
	/** names of the items in stale drift, in dup.h order */
	stale: string[];
	overrideFiles: string[];
	unusedOverrides: string[];
	index: { files: number; bytes: number; items: number; tier2Files: number };
	timings: { splitMs: number; indexMs: number; tier2Ms: number; classifyMs: number; totalMs: number };
}

export interface CheckOptions {
	/** dup.h relative to root (default tools/testing/vma/include/dup.h) */
	dupPath?: string;
	/** an extra override file (after the built-in list and the tree's dup-sync.conf) */
	overridesFile?: string;
	/** use the built-in list of known customisations (default true) */
	builtinOverrides?: boolean;
	/** maximum hunk lines per diff (default 30) */
	diffLines?: number;
	/** check this dup.h text instead of the file (e.g. the result of syncDupPatch) */
	source?: string;
	/** reuse an index (e.g. one built for findOriginal) */
	index?: KernelIndex;
}

export function kernelVersion(root: string): string | null {
	try {
		const mk = fs.readFileSync(path.join(root, 'Makefile'), 'utf8').slice(0, 2000);
		const get = (k: string) => new RegExp(`^${k}[ \\t]*=[ \\t]*(\\S*)`, 'm').exec(mk)?.[1] ?? '';
		const v = get('VERSION');
		if (!v) return null;
		const sub = get('SUBLEVEL');
		return `${v}.${get('PATCHLEVEL')}${sub && sub !== '0' ? `.${sub}` : ''}${get('EXTRAVERSION')}`;
	} catch {
		return null;
	}
}

/** Check dup.h of the tree at root against the kernel sources of the same tree. */
export function checkDup(root: string, opts: CheckOptions = {}): DupReport {
	const t0 = performance.now();
	const dupPath = opts.dupPath ?? DUP_PATH;
	const abs = path.join(root, dupPath);
	if (opts.source === undefined && !fs.existsSync(abs)) throw new Error(`${dupPath} not found in ${root}`);
	const source = opts.source ?? fs.readFileSync(abs, 'utf8');
	const marker = findMarker(source);
	const items = splitItems(source);
	const t1 = performance.now();
	const index = opts.index ?? kernelIndex(root);
	const t2 = performance.now();
	const { overrides, files } = loadOverrides(root, opts.overridesFile, { builtin: opts.builtinOverrides });

	// one pass over tier 2 for every name tier 1 lacks
	const missing = new Set<string>();
	for (const it of items) {
		const name = ANON_ENUM.exec(it.name)?.[1] ?? it.name;
		if (!index.inTier1(name) && !index.inTier1(it.name)) missing.add(name);
	}
	const tier2Before = index.stats.tier2Ms;
	index.searchTier2(missing);
	const tier2Ms = index.stats.tier2Ms - tier2Before;

	const t3 = performance.now();
	const out: ReportItem[] = [];
	for (const it of items) out.push(reportItem(it, index, overrides, dupPath, opts.diffLines));
	const t4 = performance.now();

	const counts = { 'in-sync': 0, linkage: 0, drift: 0, custom: 0, 'no-original': 0, total: out.length, constOnlyDrift: 0 };
	const kinds: Record<string, number> = {};
	for (const r of out) {
		counts[r.class]++;
		if (r.class === 'drift' && r.constOnly) counts.constOnlyDrift++;
		kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
	}
	const used = new Set(out.map((r) => r.name));
	const unusedOverrides = [
		...[...overrides.values()].filter((e) => !used.has(e.name)).map((e) => `${e.source}: ${e.verdict} ${e.name}: no such item in dup.h`),
		...out.filter((r) => r.unusedOverride).map((r) => `${r.name}: ${r.unusedOverride}`),
	];
	return {
		root: path.resolve(root),
		kernelVersion: kernelVersion(root),
		dupPath,
		markerLine: marker ? source.slice(0, marker.start).split('\n').length : null,
		items: out,
		counts,
		kinds,
		stale: [...new Set(out.filter((r) => r.class === 'drift').map((r) => r.name))],
		overrideFiles: files,
		unusedOverrides,
		index: { files: index.stats.files, bytes: index.stats.bytes, items: index.stats.items, tier2Files: index.stats.tier2Files },
		timings: { splitMs: round(t1 - t0), indexMs: round(t2 - t1), tier2Ms: round(tier2Ms), classifyMs: round(t4 - t3), totalMs: round(performance.now() - t0) },
	};
}

const round = (x: number) => Math.round(x * 10) / 10;

function reportItem(it: DupItem, index: KernelIndex, overrides: Overrides, dupPath: string, diffLines?: number): ReportItem {
	const cands = candidates(index, it);
	const best = bestOriginal(it, cands);
	const v = classify(it, best?.original ?? null, overrides, { dupPath, diffLines });
	const o = best?.original;
	const r: ReportItem = {
		name: it.name,
		kind: it.kind,
		line: it.line,
		endLine: it.endLine,
		cond: it.cond,
		class: v.class,
		detail: v.detail,
		original: o ? { file: o.file, line: o.line, endLine: o.endLine, kind: o.kind, cond: o.cond } : null,
		candidates: cands.length,
	};
	if (v.constOnly) r.constOnly = true;
	if (v.linkage) r.linkage = true;
	if (v.commentsDiffer) r.commentsDiffer = true;
	if (v.reason) r.reason = v.reason;
	if (v.reasonSource) r.reasonSource = v.reasonSource;
	if (v.unusedOverride) r.unusedOverride = v.unusedOverride;
	if (v.diff) r.diff = v.diff;
	return r;
}

// ------------------------------------------------------------------ terminal table

export interface FormatOptions {
	color: boolean;
	/** list in-sync items too (default: only the others) */
	all?: boolean;
	/** print the diffs of drift items (default true) */
	diffs?: boolean;
}

const CLASS_ORDER: DupClass[] = ['drift', 'no-original', 'custom', 'linkage', 'in-sync'];

export function formatReport(report: DupReport, opts: FormatOptions): string {
	const on = opts.color;
	const paint = (code: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
	const red = paint(31);
	const green = paint(32);
	const yellow = paint(33);
	const cyan = paint(36);
	const dim = paint(2);
	const bold = paint(1);
	const classColor: Record<DupClass, (s: string) => string> = { drift: red, 'no-original': yellow, custom: cyan, linkage: dim, 'in-sync': green };

	const lines: string[] = [];
	const c = report.counts;
	lines.push(
		bold(`${report.dupPath}`) +
			` (Linux ${report.kernelVersion ?? '?'}): ${c.total} items` +
			(report.markerLine ? ` after the DUPLICATED comment (line ${report.markerLine})` : ' (no DUPLICATED comment: whole file)'),
	);
	lines.push('');
	const rows = report.items
		.filter((r) => opts.all || r.class !== 'in-sync')
		.sort((a, b) => CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) || a.line - b.line);
	const label = (r: ReportItem) => (r.class === 'drift' && r.constOnly ? 'drift/const' : r.class);
	const cells = rows.map((r) => [
		label(r),
		r.name + (r.cond.length ? ' [#if]' : ''),
		String(r.line),
		r.original ? `${r.original.file}:${r.original.line}` : '—',
		r.class === 'custom' && r.reason ? r.reason : r.detail,
	]);
	const head = ['CLASS', 'ITEM', 'DUP.H', 'KERNEL ORIGINAL', 'DETAIL'];
	const width = head.map((h, i) => Math.min(i === 1 ? 36 : i === 3 ? 44 : 99, Math.max(h.length, ...cells.map((row) => row[i]!.length))));
	const pad = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
	if (rows.length) {
		lines.push(bold(head.map((h, i) => (i < 4 ? pad(h, width[i]!) : h)).join('  ')));
		for (const [i, row] of cells.entries()) {
			const r = rows[i]!;
			const cls = classColor[r.class](pad(row[0]!, width[0]!));
			lines.push([cls, pad(row[1]!, width[1]!), pad(row[2]!, width[2]!), pad(row[3]!, width[3]!), row[4]].join('  ').trimEnd());
		}
		lines.push('');
	}
	lines.push(
		`${green(`${c['in-sync']} in sync`)}, ${c.linkage} linkage, ${red(`${c.drift} stale drift`)}` +
			(c.constOnlyDrift ? ` (${c.constOnlyDrift} const-only)` : '') +
			`, ${cyan(`${c.custom} custom`)}, ${yellow(`${c['no-original']} without kernel original`)}`,
	);
	if (report.stale.length) lines.push(`${red('stale:')} ${report.stale.join(', ')}`);
	for (const u of report.unusedOverrides) lines.push(yellow(`note: ${u}`));
	if (opts.diffs !== false) {
		for (const r of report.items) {
			if (r.class !== 'drift' || !r.diff) continue;
			lines.push('');
			lines.push(bold(`${r.name}`) + ` — ${r.detail}`);
			for (const l of r.diff.split('\n'))
				lines.push(l.startsWith('---') || l.startsWith('+++') ? bold(l) : l.startsWith('+') ? green(l) : l.startsWith('-') ? red(l) : l.startsWith('@@') ? cyan(l) : l);
		}
	}
	const t = report.timings;
	lines.push('');
	lines.push(dim(`indexed ${report.index.files} files (${(report.index.bytes / 1e6).toFixed(1)} MB, ${report.index.tier2Files} from the fallback set) in ${Math.round(t.indexMs + t.tier2Ms)} ms; total ${Math.round(t.totalMs)} ms`));
	return lines.join('\n');
}

/** Whether the report has stale drift (the CLI exits non-zero then). */
export function hasStaleDrift(report: DupReport): boolean {
	return report.counts.drift > 0;
}
