// The mm patch that adds compat_set_desc_from_vma() and __compat_vma_mmap()
// to a tree that only has the single-function compat_vma_mmap().
//
// Upstream's "mm: allow handling of stacked mmap_prepare hooks in more
// drivers" (in Linux 7.2 and 7.3) split compat_vma_mmap() in two, so that an old-style
// mmap() hook can call a nested hook that takes a struct vm_area_desc: fill a
// descriptor from the VMA, run the nested hook on it, apply the descriptor to
// the VMA. mmapify's chain conversions use exactly that shim
// (kernel-api.md §3.5). Trees from the arrival of f_op->mmap_prepare until
// that patch have no such helpers; for them, a series that uses the shim must
// start with the patch computed here.
//
// The patch is computed from the tree's own text, so it adapts where it can:
// the fields the descriptor initialiser of compat_vma_mmap() copies become
// the assignments of compat_set_desc_from_vma(); the statements after the
// f_op->mmap_prepare() call (action prepare, VMA update, action complete, with
// whatever arguments the tree passes) become __compat_vma_mmap(). Anything it
// does not recognise makes it throw a CompatHelpersError that says what and
// where, rather than guess.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanItems } from '../dup/scan.js';
import { addPrototypes, dropConst, rewriteKernel, rewriteMirror } from './splice.js';
import { generate } from './generate.js';
import { commitBody } from './message.js';
import { checkHideMove, parseSingle } from './parse.js';
import { COMPAT_HELPERS_SUBJECT, CompatHelpersError, FS_H, MIRRORS, MM_TYPES_H, NEW_SET_VMA, OLD_SET_VMA, UTIL_C, readOpt, uniq, type CompatHelpersChange, type CompatHelpersOptions, type CompatHelpersPatch } from './shared.js';

export { COMPAT_HELPERS_SUBJECT, CompatHelpersError, type CompatHelpersChange, type CompatHelpersOptions, type CompatHelpersPatch } from './shared.js';
export { layoutSignature } from './generate.js';

/** True when the tree at root already declares the split helpers (nothing to do). */
export function treeHasCompatHelpers(root: string): boolean {
	const fsh = readOpt(root, FS_H);
	const util = readOpt(root, UTIL_C);
	const declared = (s: string | null) => !!s && /\bcompat_set_desc_from_vma\s*\(/.test(s) && /\b__compat_vma_mmap\s*\(\s*struct\s+vm_area_desc\b/.test(s);
	return declared(fsh) || declared(util);
}

/** The patch that splits the tree's compat_vma_mmap() into the stacked-hook helpers. */
export function compatHelpersPatch(root: string, opts: CompatHelpersOptions = {}): CompatHelpersPatch {
	if (treeHasCompatHelpers(root))
		throw new CompatHelpersError('present', `${root} already has compat_set_desc_from_vma() and __compat_vma_mmap(): nothing to add`);
	const files = new Map<string, { before: string; after: string }>();
	const read = (rel: string): string => {
		const f = files.get(rel);
		if (f) return f.after;
		const s = readOpt(root, rel);
		if (s === null) throw new CompatHelpersError('missing', `${rel} not found under ${root}`);
		files.set(rel, { before: s, after: s });
		return s;
	};
	const write = (rel: string, text: string) => {
		read(rel);
		files.get(rel)!.after = text;
	};

	// ---- mm/util.c: the single function
	const util = read(UTIL_C);
	const single = parseSingle(util, UTIL_C);
	checkHideMove(root, single);
	const gen = generate(single);
	write(UTIL_C, rewriteKernel(util, single, gen));

	// ---- include/linux/fs.h: prototypes next to compat_vma_mmap()'s
	write(FS_H, addPrototypes(read(FS_H)));

	// ---- vm_area_desc: the members compat_set_desc_from_vma() assigns must not be const
	const assigned = new Set(single.fields.map((f) => f.path[0]!));
	const desc = dropConst(read(MM_TYPES_H), MM_TYPES_H, assigned);
	if (desc.changed.length) write(MM_TYPES_H, desc.text);

	// ---- set_vma_from_desc() -> compat_set_vma_from_desc(), in mm/ and in the VMA tests
	// The mirror: dup.h (7.x) or vma_internal.h (6.x); each may hold the
	// struct or the function (both exist in 7.x).
	const mirrors = MIRRORS.filter((m) => readOpt(root, m) !== null);
	if (!mirrors.length) throw new CompatHelpersError('missing', `neither ${MIRRORS.join(' nor ')} found under ${root}`);
	const defines = (rel: string, kind: string, name: string) => scanItems(readOpt(root, rel)!).some((it) => it.kind === kind && it.name === name);
	const mirrorPath = mirrors.find((m) => defines(m, 'function', 'compat_vma_mmap')) ?? mirrors[0]!;
	const structPath = mirrors.find((m) => defines(m, 'struct', 'vm_area_desc')) ?? mirrorPath;
	if (single.setVmaName === OLD_SET_VMA) {
		const old = new RegExp(`\\b${OLD_SET_VMA}\\b`, 'g');
		const renamed: string[] = [];
		for (const rel of [...mmFiles(root), ...vmaTestFiles(root)]) {
			const known = files.has(rel);
			const s = read(rel);
			if (!s.match(old)) {
				if (!known) files.delete(rel);
				continue;
			}
			write(rel, s.replace(old, NEW_SET_VMA));
			renamed.push(rel);
		}
		if (!renamed.some((r) => r.startsWith('mm/') && r !== UTIL_C))
			throw new CompatHelpersError('missing', `compat_vma_mmap() calls ${OLD_SET_VMA}() but no other file under mm/ has it`);
	}

	// ---- the userland mirror
	const mdesc = dropConst(read(structPath), structPath, assigned);
	write(structPath, mdesc.text);
	write(mirrorPath, rewriteMirror(read(mirrorPath), mirrorPath, gen));

	const changes = [...files.entries()]
		.filter(([, f]) => f.before !== f.after)
		.map(([p, f]) => ({ path: p, before: f.before, after: f.after }))
		.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	selfCheck(changes);
	return {
		subject: COMPAT_HELPERS_SUBJECT,
		body: commitBody(single, {
			constDropped: uniq([...desc.changed, ...mdesc.changed]),
			renamed: single.setVmaName === OLD_SET_VMA,
			mirrorPath,
			version: opts.version,
		}),
		changes,
	};
}

/** mm/*.c and mm/*.h, util.c first (its rename is checked separately) */
function mmFiles(root: string): string[] {
	let names: string[] = [];
	try {
		names = fs.readdirSync(path.join(root, 'mm')).filter((n) => /\.[ch]$/.test(n));
	} catch {
		return [UTIL_C];
	}
	return [UTIL_C, ...names.map((n) => `mm/${n}`).filter((p) => p !== UTIL_C).sort()];
}

/** tools/testing/vma/**.{c,h} */
function vmaTestFiles(root: string): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		let ents: fs.Dirent[] = [];
		try {
			ents = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of ents) {
			const r = `${rel}/${e.name}`;
			if (e.isDirectory()) walk(r);
			else if (/\.[ch]$/.test(e.name)) out.push(r);
		}
	};
	walk('tools/testing/vma');
	return out.sort();
}

/** Every changed file still scans, and the three functions are where they should be. */
function selfCheck(changes: CompatHelpersChange[]): void {
	for (const c of changes) {
		if (c.path !== UTIL_C && !MIRRORS.includes(c.path)) continue;
		const names = scanItems(c.after)
			.filter((it) => it.kind === 'function')
			.map((it) => it.name);
		for (const n of ['compat_set_desc_from_vma', '__compat_vma_mmap', 'compat_vma_mmap'])
			if (names.filter((x) => x === n).length !== 1) throw new Error(`compathelpers: internal error: ${c.path} has ${names.filter((x) => x === n).length} ${n}()`);
	}
}
