// `mmapify scan [paths..]`: inventory of the old-style mmap hooks of a tree
// (every wiring site, hook and nested chain, each hook's census category and
// whether mmapify converts it today). A summary table on a terminal, the
// whole report with --json.
import yargs from 'yargs';
import { initParser } from '../c/parser.js';
import { resolveTargets, resolveTree, UsageError } from '../kernel/tree.js';
import { scanTree } from '../scan/scan.js';
import type { ScanReport, ScanHook } from '../scan/report.js';
import { createProgress } from '../ui/progress.js';
import { color } from '../ui/term.js';
import { workerCount, closeWorkers } from '../pool/pool.js';
import { REFUSALS, type RefusalCode } from '../rewrite/refusals.js';
import { REPORT_FORMAT } from '../base/report-format.js';
import { applyJobs, resolveOutput, withOutputOptions, type OutputArgs } from './options.js';

interface Args extends OutputArgs {
	paths: string[];
	jobs?: number;
	tree?: string;
	json: boolean;
	hooks: boolean;
	top: number;
	plan: boolean;
	fullParse: boolean;
}

export async function run(argv: string[], version: string): Promise<number> {
	const args = (await withOutputOptions(
		yargs(argv)
			.scriptName('mmapify scan')
			.usage(
				'$0 [paths..]\n\nInventory of the old-style mmap hooks under paths (default: the whole tree):\nevery wiring site of every struct (designated initialisers, assignments,\nmacros and their uses, registration functions), every hook with its census\ncategory (a-e) and whether mmapify converts it today, every nested chain\nwith its dispatchers and implementors.',
			)
			.command('$0 [paths..]', false)
			.positional('paths', { type: 'string', array: true, default: [] })
			.option('tree', { type: 'string', describe: 'kernel tree (default: nearest ancestor of the current folder that is one)' }),
		{ gcc: 'one line per refused hook, file:line: mmapify: code: reason', verboseAlias: true },
	)
		.option('hooks', { type: 'boolean', default: false, describe: 'list every hook (category, status, reason) after the summary (also with -v)' })
		.option('top', { type: 'number', default: 20, describe: 'rows of the per-folder table' })
		.option('full-parse', { type: 'boolean', default: false, describe: 'parse whole files, not only the top-level items that can wire or define a hook (slower; counts every ERROR region)' })
		.option('plan', { type: 'boolean', default: true, describe: "decide convert/refuse for every hook and chain (--no-plan: the inventory and categories only, much faster)" })
		.option('jobs', { alias: 'j', type: 'number', describe: 'worker threads that read and parse the tree (default: one per CPU; 1: none)' })
		.strict()
		.version(version)
		.help()
		.alias('help', 'h')
		.wrap(null)
		.exitProcess(false)
		.fail((msg, err) => {
			throw err ?? new UsageError(msg);
		})
		.parse()) as unknown as Args & { help?: boolean };
	if (args.help || argv.includes('--help') || argv.includes('-h') || argv.includes('--version')) return 0;
	const out = resolveOutput(args);
	applyJobs(args.jobs);
	const cwd = process.cwd();
	const root = resolveTree(cwd, args.tree);
	const baseDir = args.tree && !cwd.startsWith(root) ? root : cwd;
	// Without paths: the whole tree (not the current folder, unlike a conversion).
	const targets = args.paths.length ? resolveTargets(root, baseDir, args.paths) : ['.'];
	await initParser();
	const progress = createProgress({ json: out.format !== 'text' || out.quiet });
	let report: ScanReport;
	try {
		report = scanTree({ root, targets, version, progress, workers: workerCount(), plan: args.plan, fullParse: args.fullParse });
	} finally {
		progress.end();
		await closeWorkers();
	}
	if (out.format === 'json') process.stdout.write(JSON.stringify(scanJson(report), null, 1) + '\n');
	else if (out.format === 'gcc') {
		const lines = report.hooks.filter((h) => h.status === 'skipped' && h.at).map((h) => `${h.at!.file}:${h.at!.line}: mmapify: ${h.code}: ${h.reason}`);
		if (lines.length) process.stdout.write(lines.join('\n') + '\n');
	} else if (out.quiet) process.stdout.write(summaryLines(report, false).join('\n') + '\n');
	else process.stdout.write(formatScan(report, { color: out.color, top: args.top, hooks: args.hooks || out.verbose, width: out.width }) + '\n');
	return 0;
}

/** The JSON report (docs/schema/scan.schema.json): the format's version first, the tool's beside it. */
export function scanJson(report: ScanReport) {
	const { version: tool, ...rest } = report;
	return { version: REPORT_FORMAT, kind: 'scan', tool: { name: 'mmapify', version: tool }, ...rest };
}

const CATEGORY: Record<string, string> = {
	a: 'trivial (vm_ops, flags, private_data, page_prot, pgoff, checks)',
	b: 'one remap / ioremap / iomap / map_pages',
	c: 'delegates to a helper or a nested hook',
	d: 'page-table work, loops, several remaps',
	e: 'the vma escapes (stored, other fields, unknown callee)',
	f: 'no C definition found',
};

const n = (x: number) => x.toLocaleString('en-US');
const mb = (x: number) => `${(x / 1e6).toFixed(1)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Columns padded to their widest cell. With a width, left-aligned columns
 * (names, places, prose) give up room, the widest first, down to 8
 * characters, cut with an ellipsis, until every row fits.
 */
export function table(head: string[], rows: Array<Array<string | number>>, align: string, width?: number): string {
	const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? n(c) : c)))];
	const w = head.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
	if (width !== undefined) {
		const total = () => w.reduce((k, x) => k + x, 0) + 2 * (w.length - 1);
		while (total() > width) {
			const i = w.reduce((best, x, j) => (align[j] === 'l' && x > 8 && (best < 0 || x > w[best]!) ? j : best), -1);
			if (i < 0) break;
			const others = total() - w[i]!;
			const second = Math.max(8, ...w.filter((x, j) => j !== i && align[j] === 'l'));
			// Down to what fits, but not below the next widest column; at least one less each round.
			w[i] = Math.min(w[i]! - 1, Math.max(width - others, second));
		}
	}
	const fit = (x: string, i: number) => (x.length > w[i]! ? x.slice(0, w[i]! - 1) + '…' : x);
	return cells
		.map((r) => r.map((c, i) => fit(String(c ?? ''), i)).map((c, i) => (align[i] === 'r' ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd())
		.join('\n');
}

const cats = (c: Record<string, number>) => ['a', 'b', 'c', 'd', 'e'].map((k) => c[k] ?? 0);

/** The head of the summary: what was read, the sites, the hooks (all that -q prints). */
export function summaryLines(r: ScanReport, colour: boolean, width?: number): string[] {
	const c = color(colour);
	const t = r.totals;
	const f = r.files;
	const out: string[] = [];
	out.push(c.bold(`mmapify scan ${r.targets.join(' ')}  (${r.tree})`));
	out.push(
		`files: ${n(f.read)} read (${mb(f.bytes)}), ${n(f.corpus)} mention mmap, ${n(f.parsed)} parsed (${mb(f.parsedBytes)}${r.fullParse ? '' : ' in their relevant items'}) by ${r.workers || 'no'} worker${r.workers === 1 ? '' : 's'}; ` +
			`${n(f.unclean)} of them with parse errors (${n(f.errorRegions)} ERROR regions${r.fullParse ? '' : ' in the parsed items'}); ${n(f.mainThreadParses)} more parses after that (the plan, definitions and helpers elsewhere)${f.unreadable.length ? `; ${f.unreadable.length} not UTF-8` : ''}${f.tooLarge.length ? `; ${f.tooLarge.length} too large to parse (${f.tooLarge.slice(0, 3).join(', ')}${f.tooLarge.length > 3 ? ', ...' : ''})` : ''}`,
	);
	const kinds = Object.entries(t.byKind)
		.sort((a, b) => b[1] - a[1])
		.map(([k, v]) => `${k} ${n(v)}`)
		.join(', ');
	out.push(`sites: ${c.bold(n(t.sites))} (${kinds})`);
	out.push(`hooks: ${c.bold(n(t.hooks))} (${n(t.fopHooks)} file_operations, ${n(t.nestedHooks)} nested)  strictly convertible by the census's rule: ${c.bold(n(t.strict))}  ${r.planned ? `converted by mmapify today: ${c.green(n(t.converted))}` : 'mmapify verdicts: not planned (--no-plan)'}`);
	return out.map((l) => prose(l, width));
}

/** A line of prose folded at spaces to width (colour escapes take no room), continued with an indent. */
export function prose(line: string, width?: number, indent = '    '): string {
	const vis = (x: string) => x.replace(/\x1b\[[0-9;]*m/g, '').length;
	if (width === undefined || vis(line) <= width) return line;
	const lines: string[] = [];
	let cur = '';
	for (const word of line.split(' ')) {
		if (cur.trim() && vis(cur) + 1 + vis(word) > width) {
			lines.push(cur);
			cur = indent + word;
		} else cur = cur ? `${cur} ${word}` : word;
	}
	lines.push(cur);
	return lines.join('\n');
}

/** The terminal summary; with a width, tables and prose fit it. */
export function formatScan(r: ScanReport, opts: { color?: boolean; top?: number; hooks?: boolean; width?: number } = {}): string {
	const c = color(opts.color ?? false);
	const t = r.totals;
	const f = r.files;
	const width = opts.width;
	const out: string[] = summaryLines(r, opts.color ?? false, width);
	out.push('');
	out.push(c.bold('By struct type'));
	out.push(table(['struct.field', 'sites', 'hooks', 'a', 'b', 'c', 'd', 'e', 'strict', 'converted'], t.byStruct.map((s) => [s.struct, s.sites, s.hooks, ...cats(s.categories), s.strict, s.converted]), 'lrrrrrrrrr', width));
	out.push('');
	out.push(c.bold('By category (census §2)'));
	out.push(table(['', 'meaning', 'hooks', 'sites', 'strict', 'converted'], Object.entries(t.byCategory).filter(([, v]) => v.hooks).map(([k, v]) => [k, CATEGORY[k]!, v.hooks, v.sites, v.strict, v.converted]), 'llrrrr', width));
	out.push('');
	const top = opts.top ?? 20;
	out.push(c.bold(`By folder (sites by wiring file, hooks by definition${t.byDir.length > top ? `; top ${top} of ${t.byDir.length}` : ''})`));
	out.push(table(['folder', 'sites', 'hooks', 'a', 'b', 'c', 'd', 'e', 'strict', 'converted'], t.byDir.slice(0, top).map((d) => [d.dir, d.sites, d.hooks, ...cats(d.categories), d.strict, d.converted]), 'lrrrrrrrrr', width));
	if (r.chains.length) {
		out.push('');
		out.push(c.bold('Nested chains (by implementors)'));
		out.push(
			table(
				['chain', 'impl', 'wirings', 'dispatchers', 'mmapify'],
				r.chains.map((ch) => [
					ch.chain,
					ch.implementors.length,
					ch.wirings,
					ch.dispatchers.length ? ch.dispatchers.slice(0, 2).map((d) => `${d.function} (${d.file}:${d.line})`).join(', ') + (ch.dispatchers.length > 2 ? ` +${ch.dispatchers.length - 2}` : '') : '(none found)',
					ch.status === 'converted' ? `converts (${ch.mode ?? 'rename'})` : ch.status === 'not-planned' ? 'not planned (--no-plan)' : `refused: ${short(ch.reason ?? '')}`,
				]),
				'lrrll',
				width,
			),
		);
	}
	const refused = r.hooks.filter((h) => h.status !== 'converted' && h.category !== 'f');
	if (refused.length && r.planned) {
		out.push('');
		out.push(c.bold('Why hooks are not converted (most frequent reasons)'));
		const why = new Map<string, number>();
		for (const h of refused) why.set(h.code ?? 'not-planned', (why.get(h.code ?? 'not-planned') ?? 0) + 1);
		out.push(table(['hooks', 'code', 'meaning'], [...why].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 12).map(([k, v]) => [v, k, REFUSALS[k as RefusalCode] ?? '']), 'rll', width));
	}
	const inErr = r.sites.filter((s) => s.inError).length;
	const errHooks = r.hooks.filter((h) => h.inError || h.parseErrors).length;
	const droppedErr = r.dropped.filter((d) => d.cause === 'error').length;
	out.push('');
	out.push(prose(
		`parse errors: ${n(f.unclean)} parsed files have ERROR regions; ${n(inErr)} sites and ${n(errHooks)} hook definitions sit in or contain one; ` +
			`${n(droppedErr)} \`.mmap = fn\`-like matches inside ERROR regions were not taken as sites (--json lists them)`,
		width,
	));
	out.push(prose(`time: list ${sec(r.timing.listMs)}, read+parse ${sec(r.timing.readParseMs)}, macros ${sec(r.timing.macrosMs)}, definitions ${sec(r.timing.definitionsMs)}, plan ${sec(r.timing.planMs)}, report ${sec(r.timing.assembleMs)}; total ${sec(r.timing.totalMs)}`, width));
	if (opts.hooks) {
		out.push('');
		out.push(c.bold('Hooks'));
		out.push(table(['cat', 'hook', 'defined at', 'sites', 'wired as', 'mmapify'], r.hooks.map((h) => [h.category + (h.strict ? '*' : ''), h.function, h.file ? `${h.file}:${h.line}` : '-', h.sites, h.wiredAs.join(' '), status(h)]), 'lllrll', width));
		out.push('(* = strictly convertible by the census rule)');
	}
	return out.join('\n');
}

function status(h: ScanHook): string {
	if (h.status === 'converted') return `converts -> ${h.newName}`;
	return `${h.status === 'skipped' ? 'refused' : 'not planned'}: ${short(h.reason ?? '')}`;
}

/** One line of a reason (the tables cut it to the terminal's width). */
function short(s: string): string {
	return s.replace(/\s+/g, ' ');
}
