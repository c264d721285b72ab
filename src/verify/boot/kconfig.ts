// The kernel configuration of --boot: tinyconfig, plus the catalogue's base
// options, plus each probe's, plus the Kconfig symbols that build the touched
// objects the probes reach (read from the kbuild Makefiles: obj-$(CONFIG_X),
// composite objects, and the symbols that gate each parent folder). After
// olddefconfig, every requested symbol is checked: one that did not stick
// (its dependencies are not met) is reported, never silently dropped.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A kbuild Makefile as logical lines: continuations joined, comments dropped. */
function makeLines(file: string): string[] {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	return text
		.replace(/\\\n/g, ' ')
		.split('\n')
		.map((l) => l.replace(/#.*$/, '').trim())
		.filter(Boolean);
}

const ASSIGN = /^([A-Za-z0-9_.-]+)-(y|objs|\$\(CONFIG_([A-Z0-9_]+)\))\s*[+:]?=\s*(.*)$/;

function kbuildFile(dir: string): string | undefined {
	for (const n of ['Kbuild', 'Makefile']) if (fs.existsSync(path.join(dir, n))) return path.join(dir, n);
	return undefined;
}

/**
 * The CONFIG_ symbols that must be set for kbuild to build `target`
 * (an object `foo.o` or a folder `foo/`) in folder `dir` of the tree.
 */
function gate(tree: string, dir: string, target: string, seen = new Set<string>()): string[] | undefined {
	const key = `${dir}:${target}`;
	if (seen.has(key)) return undefined;
	seen.add(key);
	const file = kbuildFile(path.join(tree, dir));
	if (!file) return undefined;
	const found: string[][] = [];
	for (const line of makeLines(file)) {
		const m = ASSIGN.exec(line);
		if (!m) continue;
		const [, lhs, kind, sym, rhs] = m as unknown as [string, string, string, string | undefined, string];
		if (!rhs.split(/\s+/).includes(target)) continue;
		const own = sym ? [sym] : [];
		if (lhs === 'obj' || lhs === 'core' || lhs === 'drivers' || lhs === 'libs') {
			if (lhs === 'obj' && kind === 'm') continue;
			found.push(own);
			continue;
		}
		// a part of composite object lhs.o
		const outer = gate(tree, dir, `${lhs}.o`, seen);
		if (outer) return [...own, ...outer];
	}
	if (!found.length) return undefined;
	// Listed under several symbols (obj-$(CONFIG_USB) += usb/ and
	// obj-$(CONFIG_USB_PHY) += usb/): any one builds it, so none is required
	// here and the folder's own probe options decide.
	const distinct = new Set(found.map((f) => f.join(' ')));
	if (distinct.size > 1) return [];
	return [...found[0]!, ...parentGate(tree, dir, seen)];
}

/** The symbols that make kbuild descend into folder dir. */
function parentGate(tree: string, dir: string, seen: Set<string>): string[] {
	if (!dir || dir === '.') return [];
	const parent = path.dirname(dir);
	const name = `${path.basename(dir)}/`;
	const p = parent === '.' ? '' : parent;
	const g = gate(tree, p, name, seen);
	if (g) return g;
	// the top-level Makefile and arch Makefiles list folders in their own ways
	// (core-y, drivers-y += ...): no symbol there for the folders we probe
	return p ? parentGate(tree, p, seen) : [];
}

/**
 * The Kconfig symbols (without CONFIG_) that build `file` (tree-relative .c),
 * outermost last; undefined when the Makefiles do not say.
 */
export function symbolsFor(tree: string, file: string): string[] | undefined {
	const dir = path.dirname(file);
	const obj = `${path.basename(file, '.c')}.o`;
	const g = gate(tree, dir === '.' ? '' : dir, obj);
	return g ? [...new Set(g)] : undefined;
}

/** `CONFIG_X=y` lines, later ones winning, as a .config fragment. */
export function fragment(lines: string[]): string {
	const by = new Map<string, string>();
	for (const l of lines) {
		const [k, v] = l.split('=', 2) as [string, string];
		by.set(k, v);
	}
	return [...by].map(([k, v]) => (v === 'n' ? `# ${k} is not set` : `${k}=${v}`)).join('\n') + '\n';
}

/** The value of every symbol set in a .config (CONFIG_X -> y/m/"..."/n). */
export function readConfig(text: string): Map<string, string> {
	const m = new Map<string, string>();
	for (const line of text.split('\n')) {
		let r: RegExpExecArray | null;
		if ((r = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line))) m.set(r[1]!, r[2]!);
		else if ((r = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line))) m.set(r[1]!, 'n');
	}
	return m;
}

/** The requested lines a .config did not keep, e.g. "CONFIG_FOO=y (is n)". */
export function notKept(requested: string[], config: Map<string, string>): string[] {
	const want = new Map<string, string>();
	for (const l of requested) {
		const [k, v] = l.split('=', 2) as [string, string];
		want.set(k, v);
	}
	const out: string[] = [];
	for (const [k, v] of want) {
		const have = config.get(k) ?? 'n';
		if (have !== v) out.push(`${k}=${v} (is ${have === 'n' ? 'not set' : have})`);
	}
	return out;
}
