// Subject prefixes ("subsys: component:") from the paths a patch touches.
//
// Prefixes are each subsystem's habit, not a rule (5.Posting.rst). For each
// path, in this order: the user's --prefix PATH=PREFIX rules (opts.rules),
// the prefix the file's own git history uses (opts.learned, from
// prefix-history.ts), the conventions table (prefix-table.ts, each row with
// its source), and last directory names. A whole-run prefix (opts.override,
// a bare --prefix) replaces all of it. Whatever the source, a prefix is
// normalised: one trailing colon per component, no component doubled
// ("dma-buf: dma-buf:" is "dma-buf:").
import { escapeRegExp } from '../base/text.js';
import { PREFIX_RULES, type PrefixRule } from './prefix-table.js';

export { PREFIX_RULES, type PrefixRule };

// Directories too generic to name a component.
const GENERIC_DIRS = new Set(['kernel', 'mm', 'lib', 'platforms', 'include', 'core', 'common']);

const stem = (file: string) => file.replace(/\.[^.]*$/, '');

/** The fallback: directory names. drivers/foo/bar/baz.c -> "foo: bar:", drivers/foo/baz.c -> "foo: baz:". */
function fallback(path: string): string {
	const parts = path.split('/');
	const [top] = parts;
	if (parts.length === 1) return `${stem(top!)}:`;
	if (top === 'drivers' && parts.length >= 3) {
		const second = parts.length > 3 ? parts[2]! : stem(parts[2]!);
		return `${parts[1]}: ${second}:`;
	}
	if (top === 'arch' && parts.length >= 4) {
		const dir = parts[parts.length - 2]!;
		return GENERIC_DIRS.has(dir) ? `${parts[1]}:` : `${parts[1]}/${dir}:`;
	}
	if (top === 'include') return `${stem(parts[parts.length - 1]!)}:`;
	// net/packet/af_packet.c -> "net/packet:", ipc/shm.c -> "ipc/shm:"
	return `${top}/${stem(parts[1]!)}:`;
}

/**
 * A prefix as a subject carries it: components "name:" separated by one
 * space, the same component never twice in a row (compared without case:
 * "dma-buf: dma-buf:" and "dma-buf: DMA-BUF:" give "dma-buf:"), and a colon
 * at the end even when the user gave none ("xen" gives "xen:").
 */
export function normalizePrefix(prefix: string): string {
	const parts = prefix
		.trim()
		.split(/(?<=:)\s+/)
		.map((c) => c.trim().replace(/:*$/, ''))
		.filter(Boolean);
	const out: string[] = [];
	for (const c of parts) if (!out.length || out[out.length - 1]!.toLowerCase() !== c.toLowerCase()) out.push(c);
	return out.map((c) => `${c}:`).join(' ');
}

/** The first matching rule's prefix, its $1.. filled in, or undefined. */
function fromRules(path: string, rules: readonly PrefixRule[]): string | undefined {
	for (const r of rules) {
		const m = r.pattern.exec(path);
		if (m) return r.prefix.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? '');
	}
	return undefined;
}

/**
 * The prefix for one path: the first of `rules` that matches (the user's
 * rules in front of the table), else the prefix learned from the file's
 * history, else the table, else the directory fallback.
 */
export function prefixFor(path: string, rules: readonly PrefixRule[] = [], learned?: ReadonlyMap<string, string>): string {
	const found = fromRules(path, rules) ?? learned?.get(path) ?? fromRules(path, PREFIX_RULES) ?? fallback(path);
	return normalizePrefix(found);
}

export interface SubjectPrefixOptions {
	/** use this prefix verbatim (the CLI's --subject-prefix) */
	override?: string;
	/** extra rules tried before the built-in table (--prefix PATH=PREFIX) */
	rules?: readonly PrefixRule[];
	/** path -> the prefix its git history uses (prefix-history.ts) */
	learned?: ReadonlyMap<string, string>;
}

const isSource = (p: string) => !p.startsWith('include/') && !p.startsWith('Documentation/') && !p.endsWith('.h');

/**
 * The subject prefix for a patch touching paths. Headers and docs follow the
 * code they serve, so only source files vote when there are any. When the
 * sources disagree, the shared leading part wins ("Drivers: hv: vmbus:" and
 * "Drivers: hv: util:" give "Drivers: hv:"); with nothing shared, the first
 * source file's prefix is used.
 */
export function subjectPrefix(paths: string[], opts: SubjectPrefixOptions = {}): string {
	if (opts.override !== undefined) return normalizePrefix(opts.override);
	const rules = opts.rules ?? [];
	const voters = paths.some(isSource) ? paths.filter(isSource) : paths;
	const prefixes = [...new Set(voters.map((p) => prefixFor(p, rules, opts.learned)))];
	if (prefixes.length === 0) return 'mm:';
	return commonPrefix(prefixes) || prefixes[0]!;
}

/**
 * The leading components several prefixes share, compared per "name:"
 * component: "Drivers: hv: vmbus:" and "Drivers: hv: util:" give
 * "Drivers: hv:"; nothing shared gives ''.
 */
export function commonPrefix(prefixes: string[]): string {
	if (!prefixes.length) return '';
	const split = prefixes.map((p) => p.trim().split(/(?<=:) +/));
	const common: string[] = [];
	for (let i = 0; split.every((s) => s[i] !== undefined && s[i] === split[0]![i]); i++) common.push(split[0]![i]!);
	return common.join(' ');
}

/**
 * Parse "PATH=PREFIX" pairs (e.g. from a repeated CLI option) into rules that
 * match PATH as a path prefix: "drivers/foo/=foo: bar:".
 */
export function parsePrefixRules(specs: string[]): PrefixRule[] {
	return specs.map((spec) => {
		const eq = spec.indexOf('=');
		if (eq <= 0) throw new Error(`subject prefix rule needs PATH=PREFIX: ${spec}`);
		const path = escapeRegExp(spec.slice(0, eq));
		const prefix = spec.slice(eq + 1).trim();
		if (!prefix) throw new Error(`subject prefix rule has no prefix after '=': ${spec}`);
		return { pattern: new RegExp(`^${path}`), prefix };
	});
}

/**
 * The values of a repeated --prefix: PATH=PREFIX pairs become rules (the
 * longest PATH first, so that a file's rule beats its folder's); a bare
 * PREFIX is the prefix of every subject (the last one given wins).
 */
export function parsePrefixOption(values: readonly string[]): { override?: string; rules: PrefixRule[] } {
	const pairs = values.filter((v) => v.includes('='));
	const bare = values.filter((v) => !v.includes('='));
	const rules = parsePrefixRules(pairs).sort((a, b) => b.pattern.source.length - a.pattern.source.length);
	return { override: bare.length ? bare[bare.length - 1] : undefined, rules };
}
