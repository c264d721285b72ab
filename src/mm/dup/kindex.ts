// The kernel side of the dup.h check: every top-level item of the files a
// dup.h copy can come from, indexed by name once per run.
//
// Tier 1 (include/linux/*.h, mm/*.h, mm/*.c, ~17 MB in 7.3) is read and split
// when the index is built.  Tier 2 (include/linux/**, include/asm-generic,
// include/uapi/**, arch/x86/include/**, kernel/*.c, fs/*.c, lib/*.c, ~40 MB)
// is only consulted for names tier 1 does not define, and only the files that
// mention one of those names are split.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanItems, tokenize, type ScannedItem } from './scan.js';

export interface KernelItem extends ScannedItem {
	/** path relative to the tree root */
	file: string;
	tier: 1 | 2;
}

/** An enum constant, e.g. `AS_MM_ALL_LOCKS = 2` in `enum mapping_flags`. */
export interface Enumerator {
	name: string;
	/** the tokens after `=`, or null when the value is implicit */
	value: string[] | null;
	enumItem: KernelItem;
}

export interface IndexStats {
	files: number;
	bytes: number;
	items: number;
	ms: number;
	tier2Files: number;
	tier2Ms: number;
}

const TIER1: Array<[dir: string, ext: RegExp]> = [
	['include/linux', /\.h$/],
	['mm', /\.h$/],
	['mm', /\.c$/],
];
const TIER2_RECURSIVE = ['include/linux', 'include/asm-generic', 'include/uapi', 'arch/x86/include'];
const TIER2_FLAT = ['kernel', 'fs', 'lib'];

function listFlat(root: string, dir: string, ext: RegExp): string[] {
	const abs = path.join(root, dir);
	if (!fs.existsSync(abs)) return [];
	return fs
		.readdirSync(abs, { withFileTypes: true })
		.filter((e) => e.isFile() && ext.test(e.name))
		.map((e) => `${dir}/${e.name}`)
		.sort();
}

function listDeep(root: string, dir: string, ext: RegExp, skipTop: boolean): string[] {
	const out: string[] = [];
	const visit = (rel: string, top: boolean) => {
		const abs = path.join(root, rel);
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(abs, { withFileTypes: true });
		} catch {
			return;
		}
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const e of entries) {
			const r = `${rel}/${e.name}`;
			if (e.isDirectory()) visit(r, false);
			else if (e.isFile() && ext.test(e.name) && !(top && skipTop)) out.push(r);
		}
	};
	visit(dir, true);
	return out;
}

export class KernelIndex {
	readonly root: string;
	readonly stats: IndexStats = { files: 0, bytes: 0, items: 0, ms: 0, tier2Files: 0, tier2Ms: 0 };
	private byName = new Map<string, KernelItem[]>();
	private enumerators = new Map<string, Enumerator[]>();
	private tier2: string[] | undefined;
	private tier2Done = new Set<string>(); // tier-2 files already split
	private tier2Searched = new Set<string>(); // names already looked for in tier 2

	constructor(root: string) {
		this.root = root;
		const t0 = performance.now();
		for (const [dir, ext] of TIER1) for (const f of listFlat(root, dir, ext)) this.addFile(f, 1);
		this.stats.ms = performance.now() - t0;
	}

	private addFile(file: string, tier: 1 | 2): void {
		let text: string;
		try {
			text = fs.readFileSync(path.join(this.root, file), 'utf8');
		} catch {
			return;
		}
		this.addText(file, text, tier);
	}

	private addText(file: string, text: string, tier: 1 | 2): void {
		this.stats.files++;
		this.stats.bytes += text.length;
		for (const it of scanItems(text)) {
			if (!it.name || it.cond.includes('0')) continue; // #if 0 blocks are not kernel code
			const k = it as KernelItem; // no copy: 80k items per run
			k.file = file;
			k.tier = tier;
			this.stats.items++;
			let list = this.byName.get(it.name);
			if (!list) this.byName.set(it.name, (list = []));
			list.push(k);
			if (it.kind === 'enum') for (const e of enumeratorsOf(k)) {
				let l = this.enumerators.get(e.name);
				if (!l) this.enumerators.set(e.name, (l = []));
				l.push(e);
			}
		}
	}

	private tier2Files(): string[] {
		if (!this.tier2) {
			const files: string[] = [];
			for (const d of TIER2_RECURSIVE) files.push(...listDeep(this.root, d, /\.h$/, d === 'include/linux'));
			for (const d of TIER2_FLAT) files.push(...listFlat(this.root, d, /\.c$/));
			this.tier2 = files;
		}
		return this.tier2;
	}

	/** Make sure tier 2 has been searched for these names (one pass over tier 2 for all of them). */
	searchTier2(names: Iterable<string>): void {
		const want = [...new Set(names)].filter((n) => /^\w+$/.test(n) && !this.tier2Searched.has(n));
		if (!want.length) return;
		const t0 = performance.now();
		for (const n of want) this.tier2Searched.add(n);
		const re = new RegExp(`\\b(?:${want.join('|')})\\b`);
		for (const f of this.tier2Files()) {
			if (this.tier2Done.has(f)) continue;
			let text: string;
			try {
				text = fs.readFileSync(path.join(this.root, f), 'utf8');
			} catch {
				continue;
			}
			if (!re.test(text)) continue;
			this.tier2Done.add(f);
			this.stats.tier2Files++;
			this.addText(f, text, 2);
		}
		this.stats.tier2Ms += performance.now() - t0;
	}

	/** Items named `name`: the tier-1 ones if any, else those of tier 2. */
	items(name: string): KernelItem[] {
		const all = this.byName.get(name) ?? [];
		const t1 = all.filter((i) => i.tier === 1);
		if (t1.length) return t1;
		if (!this.tier2Searched.has(name)) {
			this.searchTier2([name]);
			return (this.byName.get(name) ?? []).filter((i) => i.tier === 2);
		}
		return all;
	}

	/** Items named `name` among those already indexed (no tier-2 search). */
	indexed(name: string): KernelItem[] {
		return this.byName.get(name) ?? [];
	}

	/** Enum constants named `name` (tier 1 first, like items()). */
	enumerator(name: string): Enumerator[] {
		const all = this.enumerators.get(name) ?? [];
		const t1 = all.filter((e) => e.enumItem.tier === 1);
		if (t1.length) return t1;
		if (!this.tier2Searched.has(name)) this.searchTier2([name]);
		return (this.enumerators.get(name) ?? []).filter((e) => e.enumItem.tier === 2);
	}

	/** Whether tier 1 defines the name (as an item or an enum constant). */
	inTier1(name: string): boolean {
		return (this.byName.get(name) ?? []).some((i) => i.tier === 1) || (this.enumerators.get(name) ?? []).some((e) => e.enumItem.tier === 1);
	}
}

/** The constants of an enum item; entries that are macro calls (`DECLARE_VMA_BIT(READ, 0)`) are skipped. */
export function enumeratorsOf(item: KernelItem): Enumerator[] {
	const open = item.text.indexOf('{');
	const close = item.text.lastIndexOf('}');
	if (open < 0 || close < open) return [];
	const body = item.text.slice(open + 1, close).replace(/^[ \t]*#.*(?:\\\r?\n.*)*$/gm, ' ');
	const toks = tokenize(body);
	const out: Enumerator[] = [];
	let cur: string[] = [];
	let depth = 0;
	const flush = () => {
		if (cur.length && /^[A-Za-z_]\w*$/.test(cur[0]!)) {
			if (cur.length === 1) out.push({ name: cur[0]!, value: null, enumItem: item });
			else if (cur[1] === '=') out.push({ name: cur[0]!, value: cur.slice(2), enumItem: item });
		}
		cur = [];
	};
	for (const t of toks) {
		if (t === '(' || t === '[' || t === '{') depth++;
		else if (t === ')' || t === ']' || t === '}') depth--;
		if (t === ',' && depth === 0) flush();
		else cur.push(t);
	}
	flush();
	return out;
}

const cache = new Map<string, KernelIndex>();

/** The index of a tree, built once per process and root. */
export function kernelIndex(root: string): KernelIndex {
	const key = path.resolve(root);
	let idx = cache.get(key);
	if (!idx) cache.set(key, (idx = new KernelIndex(key)));
	return idx;
}

/** Forget cached indexes (tests that modify a tree in place). */
export function clearIndexCache(): void {
	cache.clear();
}
