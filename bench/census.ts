// Reconcile a `mmapify scan --json` report of Linux 7.3 with the census
// (shared/docs/census.md, census.tsv): sites, hooks, categories and the
// strictly convertible hooks, each difference listed by key.
//
//   node dist/bench/census.js SCAN.json [census.tsv]     (prints the tables)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanReport } from '../src/scan/report.js';

export interface CensusSite {
	file: string;
	line: number;
	struct: string;
	hook: string;
	/** handler file (no line), '' when none */
	handler: string;
	category: string;
	via: string;
	strict: boolean;
}

/** The census's 735 C sites: no `= NULL` rows, no Rust, no uncounted macro definitions. */
export function readCensus(tsv: string): CensusSite[] {
	const out: CensusSite[] = [];
	for (const line of fs.readFileSync(tsv, 'utf8').split('\n').slice(1)) {
		if (!line.trim()) continue;
		const [file, ln, struct, hook, handler, category, notes = ''] = line.split('\t') as string[];
		const via = /via=([\w:-]+(?:\(counted\))?)/.exec(notes)?.[1] ?? '';
		if (category === '-' || via === 'rust' || via === 'macro-def') continue;
		const pure = !/NOT-PURE/.test(notes);
		out.push({
			file: file!,
			line: Number(ln),
			struct: struct!,
			hook: hook!,
			handler: handler === '-' ? '' : handler!.replace(/:\d+$/, ''),
			category: category!,
			via,
			strict: (((category === 'a' || category === 'b') && pure) || /c_ready=yes/.test(notes)) && category !== 'f',
		});
	}
	return out;
}

/** MMAPIFY_CENSUS_TSV, or shared/docs/census.tsv beside the repository (from bench/ or dist/bench/). */
export function defaultCensus(): string {
	if (process.env.MMAPIFY_CENSUS_TSV) return process.env.MMAPIFY_CENSUS_TSV;
	let dir = path.dirname(fileURLToPath(import.meta.url));
	while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
	return path.resolve(dir, '../shared/docs/census.tsv');
}

export interface Reconciliation {
	census: { sites: number; hooks: number; fop: number; strict: number; categories: Record<string, number> };
	scan: { sites: number; hooks: number; fop: number; strict: number; converted: number; categories: Record<string, number> };
	sitesOnlyCensus: string[];
	sitesOnlyScan: string[];
	hooksOnlyCensus: string[];
	hooksOnlyScan: string[];
	/** census category -> scan category -> hooks */
	confusion: Record<string, Record<string, string[]>>;
	strictOnlyCensus: string[];
	strictOnlyScan: string[];
	/** census-strict hooks mmapify does not convert, with its reason */
	strictRefused: Array<{ hook: string; reason: string }>;
	/** hooks mmapify converts that the census does not count as strict */
	convertedNotStrict: Array<{ hook: string; category: string }>;
}

const siteKey = (file: string, line: number, hook: string) => `${file}:${line} ${hook}`;

export function reconcile(scan: ScanReport, census: CensusSite[]): Reconciliation {
	const cSites = new Set(census.map((c) => siteKey(c.file, c.line, c.hook)));
	const sSites = new Set(scan.sites.filter((s) => s.counted).map((s) => siteKey(s.file, s.line, s.hook)));
	const cHooks = new Map<string, CensusSite>();
	for (const c of census) if (c.category !== 'f') cHooks.set(`${c.hook}@${c.handler}`, c);
	const fopC = new Set(census.filter((c) => c.struct === 'file_operations').map((c) => `${c.hook}@${c.handler}`));
	const sHooks = new Map(scan.hooks.filter((h) => h.category !== 'f').map((h) => [`${h.function}@${h.file}`, h]));
	const cats = (xs: string[]) => Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((k) => [k, xs.filter((x) => x === k).length]));
	const confusion: Reconciliation['confusion'] = {};
	for (const [k, c] of cHooks) {
		const s = sHooks.get(k);
		if (!s) continue;
		((confusion[c.category] ??= {})[s.category] ??= []).push(k);
	}
	const strictC = new Set([...cHooks].filter(([, c]) => c.strict).map(([k]) => k));
	const strictS = new Set([...sHooks].filter(([, h]) => h.strict).map(([k]) => k));
	return {
		census: { sites: census.length, hooks: cHooks.size, fop: [...cHooks.keys()].filter((k) => fopC.has(k)).length, strict: strictC.size, categories: cats([...cHooks.values()].map((c) => c.category)) },
		scan: { sites: sSites.size, hooks: sHooks.size, fop: [...sHooks.values()].filter((h) => h.fop).length, strict: strictS.size, converted: [...sHooks.values()].filter((h) => h.status === 'converted').length, categories: cats([...sHooks.values()].map((h) => h.category)) },
		sitesOnlyCensus: [...cSites].filter((k) => !sSites.has(k)).sort(),
		sitesOnlyScan: [...sSites].filter((k) => !cSites.has(k)).sort(),
		hooksOnlyCensus: [...cHooks.keys()].filter((k) => !sHooks.has(k)).sort(),
		hooksOnlyScan: [...sHooks.keys()].filter((k) => !cHooks.has(k)).sort(),
		confusion,
		strictOnlyCensus: [...strictC].filter((k) => !strictS.has(k)).sort(),
		strictOnlyScan: [...strictS].filter((k) => !strictC.has(k)).sort(),
		strictRefused: [...strictC].filter((k) => sHooks.get(k)?.status !== 'converted').map((k) => ({ hook: k, reason: sHooks.get(k)?.reason ?? '(not in the scan)' })).sort((a, b) => a.hook.localeCompare(b.hook)),
		convertedNotStrict: [...sHooks].filter(([k, h]) => h.status === 'converted' && !strictC.has(k)).map(([k, h]) => ({ hook: k, category: `${cHooks.get(k)?.category ?? '?'}${cHooks.get(k) && !cHooks.get(k)!.strict ? ' (not strict)' : ''}` })).sort((a, b) => a.hook.localeCompare(b.hook)),
	};
}

function print(r: Reconciliation): string {
	const out: string[] = [];
	out.push(`sites: census ${r.census.sites}, scan ${r.scan.sites}; only census ${r.sitesOnlyCensus.length}, only scan ${r.sitesOnlyScan.length}`);
	out.push(`hooks: census ${r.census.hooks} (${r.census.fop} f_op), scan ${r.scan.hooks} (${r.scan.fop} f_op); only census ${r.hooksOnlyCensus.length}, only scan ${r.hooksOnlyScan.length}`);
	out.push(`categories: census ${JSON.stringify(r.census.categories)}, scan ${JSON.stringify(r.scan.categories)}`);
	out.push(`strict: census ${r.census.strict}, scan ${r.scan.strict}; only census ${r.strictOnlyCensus.length}, only scan ${r.strictOnlyScan.length}; mmapify converts ${r.scan.converted}`);
	const list = (title: string, xs: string[]) => {
		out.push(`\n${title} (${xs.length})`);
		for (const x of xs) out.push(`  ${x}`);
	};
	list('sites only in the census', r.sitesOnlyCensus);
	list('sites only in the scan', r.sitesOnlyScan);
	list('hooks only in the census', r.hooksOnlyCensus);
	list('hooks only in the scan', r.hooksOnlyScan);
	out.push('\ncategory: census (rows) x scan (columns)');
	for (const c of ['a', 'b', 'c', 'd', 'e']) out.push(`  ${c}: ${['a', 'b', 'c', 'd', 'e'].map((s) => `${s}=${r.confusion[c]?.[s]?.length ?? 0}`).join(' ')}`);
	for (const c of ['a', 'b', 'c', 'd', 'e']) for (const s of ['a', 'b', 'c', 'd', 'e']) if (c !== s && r.confusion[c]?.[s]?.length) list(`census ${c}, scan ${s}`, r.confusion[c]![s]!);
	list('strict only in the census', r.strictOnlyCensus);
	list('strict only in the scan', r.strictOnlyScan);
	list('census-strict hooks mmapify refuses', r.strictRefused.map((x) => `${x.hook}: ${x.reason}`));
	list('hooks mmapify converts that the census does not count as strict', r.convertedNotStrict.map((x) => `${x.hook} (census ${x.category})`));
	return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const [scanFile, tsv = defaultCensus()] = process.argv.slice(2);
	if (!scanFile) {
		process.stderr.write('usage: node dist/bench/census.js SCAN.json [census.tsv]\n');
		process.exit(2);
	}
	process.stdout.write(print(reconcile(JSON.parse(fs.readFileSync(scanFile, 'utf8')), readCensus(tsv))) + '\n');
}
