// Subject prefixes ("subsys: component:") from the paths a patch touches.
//
// Prefixes are each subsystem's habit, not a rule (5.Posting.rst). The table
// follows kernel-api.md §4.3 and common git-log usage; anything it does not
// know falls back to directory names. The CLI can override the result for a
// whole run (opts.override) or add its own rules in front of the table
// (opts.rules, e.g. parsed from "--prefix drivers/foo/=foo: bar:").
import { escapeRegExp } from '../base/text.js';

/** One table row: the first row whose pattern matches a path wins; $1.. refer to its groups. */
export interface PrefixRule {
	pattern: RegExp;
	prefix: string;
}

const rule = (pattern: RegExp, prefix: string): PrefixRule => ({ pattern, prefix });

// Component names in drivers/hv drop the "_main"/"_drv" of their file name:
// mshv_vtl_main.c -> "mshv_vtl", vmbus_drv.c -> "vmbus".
export const PREFIX_RULES: readonly PrefixRule[] = [
	// memory management and its mirrors
	rule(/^mm\/secretmem\.c$/, 'mm/secretmem:'),
	rule(/^(?:mm\/vma[^/]*\.[ch]|tools\/testing\/vma\/)/, 'mm/vma:'),
	rule(/^(?:mm\/|include\/linux\/mm[^/]*\.h$|include\/linux\/shmem_fs\.h$)/, 'mm:'),
	// Hyper-V and UIO
	rule(/^drivers\/hv\/(?:hv_)?([^/]+?)(?:_main|_drv)?\.[ch]$/, 'Drivers: hv: $1:'),
	rule(/^(?:drivers\/hv\/|include\/linux\/hyperv\.h$)/, 'Drivers: hv:'),
	rule(/^drivers\/uio\/uio_hv_generic\.c$/, 'uio_hv_generic:'),
	rule(/^(?:drivers\/uio\/|include\/linux\/uio_driver\.h$)/, 'uio:'),
	// char and misc
	rule(/^drivers\/char\/hpet\.c$/, 'hpet:'),
	rule(/^drivers\/char\/mem\.c$/, '/dev/mem:'),
	rule(/^drivers\/char\/([^/]+?)(?:\.c|\/.*)$/, 'char: $1:'),
	rule(/^drivers\/misc\/([^/]+?)(?:\.c|\/.*)$/, 'misc: $1:'),
	// other driver subsystems with a settled prefix
	rule(/^drivers\/xen\/([^/]+)\.c$/, 'xen/$1:'),
	rule(/^drivers\/target\/target_core_user\.c$/, 'scsi: target: tcmu:'),
	rule(/^drivers\/target\//, 'scsi: target:'),
	rule(/^drivers\/staging\/([^/]+)\//, 'staging: $1:'),
	rule(/^drivers\/mtd\/([^/]+?)(?:\.c|\/.*)$/, 'mtd: $1:'),
	rule(/^drivers\/hwtracing\/stm\//, 'stm class:'),
	rule(/^drivers\/dax\//, 'device-dax:'),
	rule(/^include\/linux\/dax\.h$/, 'dax:'),
	rule(/^drivers\/vdpa\/vdpa_user\//, 'vduse:'),
	rule(/^drivers\/gpu\/drm\/([^/]+)\//, 'drm/$1:'),
	rule(/^drivers\/gpu\/drm\//, 'drm:'),
	rule(/^drivers\/infiniband\/(?:hw|sw|ulp)?\/?([^/]+)\//, 'RDMA/$1:'),
	rule(/^drivers\/vfio\/pci\//, 'vfio/pci:'),
	rule(/^drivers\/vfio\//, 'vfio:'),
	rule(/^drivers\/firewire\/core-/, 'firewire: core:'),
	rule(/^drivers\/media\/(?:[^/]+\/)*([^/]+)\/[^/]+$/, 'media: $1:'),
	// file systems
	rule(/^fs\/smb\/client\//, 'smb: client:'),
	rule(/^fs\/resctrl\//, 'fs/resctrl:'),
	rule(/^fs\/aio\.c$/, 'aio:'),
	rule(/^fs\/([^/]+)\//, '$1:'),
	rule(/^(?:fs\/[^/]+$|include\/linux\/fs\.h$)/, 'fs:'),
	// core kernel, sound, arch
	rule(/^kernel\/events\//, 'perf/core:'),
	rule(/^kernel\/bpf\//, 'bpf:'),
	rule(/^kernel\/([^/]+)\.c$/, '$1:'),
	rule(/^sound\/soc\/(?:[^/]+\/)*([^/]+)\/[^/]+$/, 'ASoC: $1:'),
	rule(/^sound\/([^/]+)\//, 'ALSA: $1:'),
	rule(/^arch\/powerpc\/platforms\/cell\/spufs\//, 'powerpc/spufs:'),
	rule(/^arch\/x86\/kernel\/cpu\/resctrl\//, 'x86/resctrl:'),
	rule(/^block\//, 'block:'),
	rule(/^io_uring\//, 'io_uring:'),
];

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

/** The prefix for one path: the first matching table row, else the directory fallback. */
export function prefixFor(path: string, rules: readonly PrefixRule[] = PREFIX_RULES): string {
	for (const r of rules) {
		const m = r.pattern.exec(path);
		if (m) return r.prefix.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? '');
	}
	return fallback(path);
}

export interface SubjectPrefixOptions {
	/** use this prefix verbatim (the CLI's --subject-prefix) */
	override?: string;
	/** extra rules tried before the built-in table */
	rules?: readonly PrefixRule[];
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
	if (opts.override !== undefined) return opts.override.trim();
	const rules = [...(opts.rules ?? []), ...PREFIX_RULES];
	const voters = paths.some(isSource) ? paths.filter(isSource) : paths;
	const prefixes = [...new Set(voters.map((p) => prefixFor(p, rules)))];
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
		return { pattern: new RegExp(`^${path}`), prefix: spec.slice(eq + 1).trim() };
	});
}
