// The probe catalogue (probes/catalogue.json): for each hook it knows, how a
// booted kernel reaches it (a device node, a sysfs file, a mount; the kernel
// options, command line and QEMU devices that make it exist) and which
// mappings probes/probe.c makes of it. Loaded and checked here; which probe
// reaches which converted hook is decided here too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HookRef {
	file: string;
	/** the function as named in the unconverted tree; absent: any hook of the file */
	function?: string;
}

export interface Probe {
	id: string;
	about: string;
	hooks: HookRef[];
	/** CONFIG_X=y lines */
	config: string[];
	cmdline: string[];
	/** QEMU arguments; @SHARE@ is the 9p share folder */
	qemu: string[];
	/** busybox sh lines /init runs before the probes */
	setup: string[];
	/** files to create in the share: name -> size in bytes (a fixed pattern) */
	share: Record<string, number>;
	/** PATH[:ro|rw] */
	open: string;
	prepare: string;
	/** probe.c --map specs: NAME:key=value,... */
	maps: string[];
}

export interface Unreachable extends HookRef {
	why: string;
}

export interface Catalogue {
	config: string[];
	cmdline: string[];
	qemu: string[];
	probes: Probe[];
	unreachable: Unreachable[];
}

/** The repository's probes/ folder (beside dist/ when built, beside src/ under tsx). */
export function probesDir(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 6; i++) {
		const p = path.join(dir, 'probes', 'catalogue.json');
		if (fs.existsSync(p)) return path.dirname(p);
		dir = path.dirname(dir);
	}
	throw new Error('probes/catalogue.json not found beside mmapify');
}

const PREPARE = new Set(['none', 'pcm-hw-params', 'udmabuf', 'dma-heap', 'usbmon']);
const MAP_KEYS = /^(len=(\d+|0x[0-9a-f]+|size(\+\d+)?)|off=(\d+|0x[0-9a-f]+|size)|shared|private|prot=(r|w|rw|none)|touch=(r|rw)|value|fork|keep|mprotect=(r|rw|none))$/;

function strings(v: unknown, what: string): string[] {
	if (v === undefined) return [];
	if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${what}: expected a list of strings`);
	return v as string[];
}

/** Parse and check a catalogue; every problem is an error naming the probe. */
export function parseCatalogue(text: string): Catalogue {
	const raw = JSON.parse(text) as Record<string, unknown>;
	const config = (x: string[], what: string) => {
		for (const c of x) if (!/^CONFIG_[A-Z0-9_]+=(y|n|m|\d+|"[^"]*")$/.test(c)) throw new Error(`${what}: bad config line ${c}`);
		return x;
	};
	const ids = new Set<string>();
	const probes = (raw.probes as Array<Record<string, unknown>>).map((p) => {
		const id = String(p.id ?? '');
		if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || ids.has(id)) throw new Error(`probe ${id || '(no id)'}: missing, malformed or repeated id`);
		ids.add(id);
		const w = `probe ${id}`;
		const hooks = (p.hooks as HookRef[] | undefined) ?? [];
		if (!hooks.length || hooks.some((h) => typeof h.file !== 'string')) throw new Error(`${w}: no hooks`);
		const prepare = (p.prepare as string | undefined) ?? 'none';
		if (!PREPARE.has(prepare)) throw new Error(`${w}: unknown prepare ${prepare}`);
		const maps = strings(p.maps, `${w} maps`);
		if (!maps.length) throw new Error(`${w}: no maps`);
		const names = new Set<string>();
		for (const m of maps) {
			const [name, spec] = m.split(':', 2) as [string, string | undefined];
			if (!/^[a-z0-9-]+$/.test(name) || names.has(name) || spec === undefined) throw new Error(`${w}: bad or repeated map name in ${m}`);
			names.add(name);
			for (const k of spec.split(',')) if (!MAP_KEYS.test(k)) throw new Error(`${w}: bad map key ${k} in ${m}`);
		}
		if (typeof p.open !== 'string' || !p.open.startsWith('/')) throw new Error(`${w}: open must be an absolute path`);
		return {
			id,
			about: String(p.about ?? ''),
			hooks,
			config: config(strings(p.config, `${w} config`), w),
			cmdline: strings(p.cmdline, `${w} cmdline`),
			qemu: strings(p.qemu, `${w} qemu`),
			setup: strings(p.setup, `${w} setup`),
			share: (p.share as Record<string, number> | undefined) ?? {},
			open: p.open,
			prepare,
			maps,
		};
	});
	return {
		config: config(strings(raw.config, 'config'), 'config'),
		cmdline: strings(raw.cmdline, 'cmdline'),
		qemu: strings(raw.qemu, 'qemu'),
		probes,
		unreachable: (raw.unreachable as Unreachable[] | undefined) ?? [],
	};
}

export function loadCatalogue(file = path.join(probesDir(), 'catalogue.json')): Catalogue {
	return parseCatalogue(fs.readFileSync(file, 'utf8'));
}

const matches = (ref: HookRef, hook: HookRef) => ref.file === hook.file && (!ref.function || !hook.function || ref.function === hook.function);

/** The probes that reach a hook. */
export function probesFor(cat: Catalogue, hook: HookRef): Probe[] {
	return cat.probes.filter((p) => p.hooks.some((h) => matches(h, hook)));
}

/** Why a hook cannot be reached under QEMU, when the catalogue says. */
export function unreachableWhy(cat: Catalogue, hook: HookRef): string | undefined {
	return cat.unreachable.find((u) => matches(u, hook))?.why;
}
