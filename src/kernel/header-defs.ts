// Definitions of static inline functions in the headers a file includes, for
// the equivalence checker: a hook that calls `GFS2_I()` or
// `ecryptfs_file_to_lower()` can then be run through them instead of treating
// them as unknown calls. Headers are followed through #include "..." (next to
// the file) and #include <linux/...> (under include/), a few levels deep; only
// the definition's own text goes to the checker. One instance per run.
import * as path from 'node:path';
import { readSource } from './tree.js';

const DEPTH = 3;
const MAX_HEADERS = 80;

export class HeaderDefinitions {
	private readonly texts = new Map<string, string | undefined>();
	private readonly closures = new Map<string, string[]>();
	private readonly found = new Map<string, { label: string; text: string } | undefined>();
	constructor(private readonly root: string) {}

	private text(file: string): string | undefined {
		if (!this.texts.has(file)) {
			let t: string | undefined;
			try {
				t = readSource(this.root, file);
			} catch {
				t = undefined;
			}
			this.texts.set(file, t);
		}
		return this.texts.get(file);
	}

	/** The headers file includes, breadth first. */
	private includes(file: string): string[] {
		let c = this.closures.get(file);
		if (c) return c;
		c = [];
		const seen = new Set([file]);
		let level = [file];
		for (let d = 0; d < DEPTH && level.length && c.length < MAX_HEADERS; d++) {
			const next: string[] = [];
			for (const f of level)
				for (const m of (this.text(f) ?? '').matchAll(/^[ \t]*#[ \t]*include[ \t]*(?:"([^"]+)"|<((?:linux|uapi|net|sound|drm|media|rdma|xen|video|trace|kvm|crypto|acpi|misc|scsi|soc|clocksource|vdso|keys)\/[^>]+)>)/gm)) {
					const h = m[1] ? path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1])) : `include/${m[2]}`;
					if (seen.has(h) || this.text(h) === undefined) continue;
					seen.add(h);
					c.push(h);
					next.push(h);
				}
			level = next;
		}
		this.closures.set(file, c);
		return c;
	}

	/**
	 * The text of `static inline ... name(...) { ... }` from a header file
	 * includes, when it is the name's only declaration there: headers often
	 * have `#ifdef CONFIG_X` a prototype `#else` an inline stub, and a stub is
	 * not what the kernel runs in every configuration.
	 */
	find(file: string, name: string): { label: string; text: string } | undefined {
		const key = `${file}\0${name}`;
		if (this.found.has(key)) return this.found.get(key);
		let out: { label: string; text: string } | undefined;
		const head = new RegExp(`^[ \\t]*static[^;{}()]*\\binline\\b[^;{}()]*?\\b${name}\\s*\\([^;{}]*\\)\\s*\\{`, 'gm');
		// any declaration, definition or macro of the name
		const decl = new RegExp(`^[ \\t]*(?:#[ \\t]*define[ \\t]+${name}\\b|[^\\n;{}()#]*\\b${name}\\s*\\([^;{}]*\\)\\s*[;{])`, 'gm');
		let declarations = 0;
		for (const h of this.includes(file)) {
			const t = this.text(h)!;
			if (!t.includes(name)) continue;
			declarations += [...t.matchAll(decl)].length;
			for (const m of t.matchAll(head)) {
				const end = matchingBrace(t, m.index! + m[0].length - 1);
				if (end >= 0 && !out) out = { label: `${h} (${name}())`, text: t.slice(m.index, end + 1) + '\n' };
			}
		}
		if (declarations !== 1) out = undefined;
		this.found.set(key, out);
		return out;
	}
}

/** The index of the `}` that closes the `{` at open (comments and literals skipped). */
function matchingBrace(t: string, open: number): number {
	let depth = 0;
	for (let i = open; i < t.length; i++) {
		const c = t[i];
		if (c === '/' && t[i + 1] === '*') {
			i = t.indexOf('*/', i + 2);
			if (i < 0) return -1;
			i++;
		} else if (c === '/' && t[i + 1] === '/') {
			i = t.indexOf('\n', i);
			if (i < 0) return -1;
		} else if (c === '"' || c === "'") {
			for (i++; i < t.length && t[i] !== c; i++) if (t[i] === '\\') i++;
		} else if (c === '{') depth++;
		else if (c === '}' && --depth === 0) return i;
	}
	return -1;
}
