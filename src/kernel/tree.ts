// The kernel tree on disk: where it is, which mmap API it has, which files to read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSource, fileProblem, MAX_PARSE_BYTES, noteFileProblem, notUtf8Problem, readErrorProblem, tooLargeProblem } from './source-file.js';
import { UsageError } from '../base/usage.js';

export { UsageError };

/** Is p root itself or inside it (whole path components: /t/tdotsx is not inside /t/tdots, /t/..x is inside /t)? */
export function isInside(root: string, p: string): boolean {
	const rel = path.relative(root, p);
	return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** A kernel tree must have these; any one missing means "not a kernel tree". */
const KERNEL_MARKERS = ['Makefile', 'Kconfig', 'include/linux/fs.h', 'include/linux/mm_types.h'];

export function isKernelTree(dir: string): boolean {
	return KERNEL_MARKERS.every((m) => fs.existsSync(path.join(dir, m)));
}

/** The nearest ancestor of start (inclusive) that is a kernel tree. */
export function findTreeRoot(start: string): string | undefined {
	let dir = path.resolve(start);
	for (;;) {
		if (isKernelTree(dir)) return dir;
		const up = path.dirname(dir);
		if (up === dir) return undefined;
		dir = up;
	}
}

/** What the tree's own headers offer; conversions are only planned against what exists. */
export interface KernelApi {
	mmapPrepare: boolean; // f_op->mmap_prepare
	compatHelpers: boolean; // compat_set_desc_from_vma + __compat_vma_mmap
	genericPrepare: boolean; // generic_file_mmap_prepare / generic_file_readonly_mmap_prepare
	shmemZeroSetupDesc: boolean;
	flagsToLegacy: boolean; // vma_flags_to_legacy()
	flagsToPageProt: boolean; // vma_flags_to_page_prot()
	fileIsDax: boolean;
	/** NAME for every VMA_NAME_BIT the tree declares (DECLARE_VMA_BIT / _ALIAS) */
	vmaBits: Set<string>;
	/** mmap_action_* helpers declared in mm.h */
	actions: Set<string>;
	/** struct mmap_action has error_override */
	errorOverride: boolean;
	/** vm_area_desc.file is declared const struct file * (older trees) */
	descFileConst: boolean;
}

function read(root: string, rel: string): string {
	try {
		return fs.readFileSync(path.join(root, rel), 'utf8');
	} catch {
		return '';
	}
}

export function detectApi(root: string): KernelApi {
	const fsh = read(root, 'include/linux/fs.h');
	const mmh = read(root, 'include/linux/mm.h');
	const mmTypes = read(root, 'include/linux/mm_types.h');
	const shmem = read(root, 'include/linux/shmem_fs.h');
	// VM_X becomes VMA_X_BIT only where every definition of VM_X is
	// INIT_VM_FLAG(X): a flag that is VM_NONE in some configurations (VM_GROWSUP,
	// VM_UFFD_MINOR, ...) would become a real bit (or an alias of another) there.
	const declared = new Set<string>();
	for (const m of mmh.matchAll(/DECLARE_VMA_BIT(?:_ALIAS)?\(\s*(\w+)\s*,/g)) declared.add(m[1]!);
	const defs = new Map<string, string[]>();
	for (const m of mmh.matchAll(/^#\s*define\s+VM_(\w+)[ \t]+(.*)$/gm)) defs.set(m[1]!, [...(defs.get(m[1]!) ?? []), m[2]!.trim()]);
	const vmaBits = new Set<string>();
	for (const [x, bodies] of defs) if (declared.has(x) && bodies.every((b) => b.replace(/\s+/g, '') === `INIT_VM_FLAG(${x})`)) vmaBits.add(x);
	const actions = new Set<string>();
	for (const m of mmh.matchAll(/\b(mmap_action_\w+)\s*\(\s*struct vm_area_desc\b/g)) actions.add(m[1]!);
	const desc = structBody(mmTypes, 'vm_area_desc');
	return {
		mmapPrepare: /int\s*\(\s*\*\s*mmap_prepare\s*\)\s*\(\s*struct vm_area_desc\b/.test(fsh),
		compatHelpers: /\bcompat_set_desc_from_vma\s*\(/.test(fsh) && /\b__compat_vma_mmap\s*\(/.test(fsh),
		genericPrepare: /\bgeneric_file_mmap_prepare\s*\(/.test(fsh) && /\bgeneric_file_readonly_mmap_prepare\s*\(/.test(fsh),
		shmemZeroSetupDesc: /\bshmem_zero_setup_desc\s*\(/.test(shmem),
		flagsToLegacy: /\bvma_flags_to_legacy\s*\(/.test(mmTypes),
		flagsToPageProt: /\bvma_flags_to_page_prot\s*\(/.test(mmh),
		fileIsDax: /\bfile_is_dax\s*\(/.test(fsh),
		vmaBits,
		actions,
		errorOverride: /\bint\s+error_override\s*;/.test(structBody(mmTypes, 'mmap_action')),
		descFileConst: /const\s+struct\s+file\s*\*\s*(const\s+)?file\s*;/.test(desc),
	};
}

/** The text between the braces of `struct name { ... }` (nested braces matched). */
export function structBody(src: string, name: string): string {
	const m = new RegExp(`\\bstruct\\s+${name}\\s*\\{`).exec(src);
	if (!m) return '';
	let depth = 0;
	for (let i = m.index + m[0].length - 1; i < src.length; i++) {
		if (src[i] === '{') depth++;
		else if (src[i] === '}' && --depth === 0) return src.slice(m.index + m[0].length, i);
	}
	return '';
}

/** Folders that never hold code mmapify converts. */
export const SKIP_DIRS = new Set(['.git', 'Documentation', 'tools', 'scripts', 'usr', 'LICENSES', '.cache', 'node_modules']);

/**
 * Every .c/.h file under the given tree-relative paths (files or folders), sorted,
 * as tree-relative paths with forward slashes.
 */
export function listSourceFiles(root: string, rels: string[]): string[] {
	const out = new Set<string>();
	// Entry types come from readdir (d_type), as lstat would give them: links are skipped.
	const visitDir = (rel: string) => {
		const abs = path.join(root, rel);
		let ents: fs.Dirent[];
		try {
			ents = fs.readdirSync(abs, { withFileTypes: true });
		} catch (e) {
			// reported (a folder that vanished since its parent was listed is no news)
			if ((e as NodeJS.ErrnoException).code !== 'ENOENT') noteFileProblem(root, readErrorProblem(`${rel}/`, e));
			return;
		}
		ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const e of ents) {
			const r = rel === '' || rel === '.' ? e.name : `${rel}/${e.name}`;
			if (e.isDirectory()) {
				if (!SKIP_DIRS.has(e.name)) visitDir(r);
			} else if (e.isFile() && /\.[ch]$/.test(e.name)) out.add(r.split(path.sep).join('/'));
		}
	};
	for (const r of rels) {
		let st: fs.Stats;
		try {
			st = fs.lstatSync(path.join(root, r));
		} catch {
			continue;
		}
		if (st.isSymbolicLink()) continue;
		if (st.isDirectory()) visitDir(r);
		else if (st.isFile() && /\.[ch]$/.test(r)) out.add(r.split(path.sep).join('/'));
	}
	return [...out].sort();
}

/**
 * The whole tree's listing (listSourceFiles(root, ['.'])) cut into pieces that
 * can be listed separately and about evenly: the top folders, the big ones by
 * their subfolders, and the loose files; each piece lists with
 * listSourceFiles(root, [piece]) (a piece that is a file lists as itself).
 */
export function treePieces(root: string): string[] {
	const pieces: string[] = [];
	const dirents = (rel: string) => {
		try {
			return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		} catch {
			return [];
		}
	};
	for (const e of dirents('.')) {
		if (e.isDirectory() && !SKIP_DIRS.has(e.name)) {
			if (!BIG_DIRS.has(e.name)) {
				pieces.push(e.name);
				continue;
			}
			for (const c of dirents(e.name)) {
				const rel = `${e.name}/${c.name}`;
				if (c.isDirectory() ? !SKIP_DIRS.has(c.name) : c.isFile() && /\.[ch]$/.test(c.name)) pieces.push(rel);
			}
		} else if (e.isFile() && /\.[ch]$/.test(e.name)) pieces.push(e.name);
	}
	return pieces;
}
const BIG_DIRS = new Set(['drivers', 'arch', 'include', 'sound', 'net', 'fs']);

const exists = (p: string) => {
	try {
		fs.lstatSync(p);
		return true;
	} catch {
		return false;
	}
};

/** The real path of p (symbolic links resolved), or undefined when it does not exist. */
export const realpath = (p: string) => {
	try {
		return fs.realpathSync(p);
	} catch {
		return undefined;
	}
};

/** The first symbolic link on the way from root to rel (tree-relative), if any. */
function firstSymlink(root: string, rel: string): string | undefined {
	const parts = rel.split(path.sep);
	for (let i = 1; i <= parts.length; i++) {
		const r = parts.slice(0, i).join(path.sep);
		try {
			if (fs.lstatSync(path.join(root, r)).isSymbolicLink()) return r;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

const posix = (rel: string) => (rel === '' ? '.' : rel.split(path.sep).join('/'));

/**
 * Resolve user-given paths (relative to cwd, or to the tree root) into tree-relative
 * paths. Throws UsageError for a path that is outside the tree (also through a
 * symbolic link), that does not exist, that is or goes through a symbolic link
 * (the files would be patched under a name git does not track), or that the
 * user cannot read: a path given explicitly never ends up contributing nothing
 * in silence.
 */
export function resolveTargets(root: string, cwd: string, paths: string[]): string[] {
	if (paths.length === 0) paths = [path.relative(root, cwd) || '.'];
	const realRoot = realpath(root) ?? root;
	return paths.map((p) => {
		const candidates = [path.resolve(cwd, p), path.resolve(root, p)];
		const hit = candidates.find(exists);
		if (!hit) throw new UsageError(`no such file or folder in the tree: ${p}`);
		const rel = path.relative(root, hit);
		if (!isInside(root, hit)) throw new UsageError(`${p} is outside the kernel tree ${root}`);
		const link = firstSymlink(root, rel);
		if (link) {
			const to = realpath(hit);
			const target = realpath(path.join(root, link));
			const linkTo = fs.readlinkSync(path.join(root, link));
			if (!to || !target) throw new UsageError(`${p}: ${posix(link)} is a symbolic link to ${linkTo}, which does not exist`);
			if (!isInside(realRoot, to)) throw new UsageError(`${p} goes through the symbolic link ${posix(link)} -> ${linkTo}, outside the kernel tree ${root}; mmapify does not read or patch files outside the tree`);
			const real = posix(path.relative(realRoot, to));
			throw new UsageError(`${p}: ${posix(link)} is a symbolic link (to ${posix(path.relative(realRoot, target))}); mmapify converts files under their own path: give ${real}`);
		}
		try {
			const st = fs.statSync(hit);
			fs.accessSync(hit, st.isDirectory() ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK);
		} catch (e) {
			const code = (e as NodeJS.ErrnoException).code ?? '';
			const why = code === 'EACCES' || code === 'EPERM' ? `${code} (permission denied)` : code || (e as Error).message;
			throw new UsageError(`${p}: cannot read it: ${why}`);
		}
		return posix(rel);
	});
}

/**
 * Read a source file as UTF-8; undefined (and the reason recorded for the
 * run's report, see src/kernel/source-file.ts) when it cannot be read, is too large
 * to parse or is not UTF-8: every parse reads through here.
 */
/** A file that is not UTF-8, as Latin-1 (to find the hooks it holds, which are then refused); undefined for any other file. */
export function readLatin1Fallback(root: string, rel: string): string | undefined {
	if (fileProblem(root, rel)?.code !== 'not-utf8') return undefined;
	try {
		return fs.readFileSync(path.join(root, rel), 'latin1');
	} catch {
		return undefined;
	}
}

export function readSource(root: string, rel: string): string | undefined {
	let buf: Buffer;
	try {
		buf = fs.readFileSync(path.join(root, rel));
	} catch (e) {
		noteFileProblem(root, readErrorProblem(rel, e));
		return undefined;
	}
	if (buf.length > MAX_PARSE_BYTES) {
		noteFileProblem(root, tooLargeProblem(rel, buf.length));
		return undefined;
	}
	const d = decodeSource(buf);
	if (d.text === undefined) noteFileProblem(root, notUtf8Problem(rel, d.notUtf8!));
	return d.text;
}

/** The tree a command works on: --tree DIR, or the nearest kernel tree above cwd. */
export function resolveTree(cwd: string, treeArg?: string): string {
	if (treeArg) {
		const root = path.resolve(cwd, treeArg);
		if (!isKernelTree(root)) throw new UsageError(`${treeArg} is not a Linux kernel tree (needs ${KERNEL_MARKERS.join(', ')})`);
		return root;
	}
	const found = findTreeRoot(cwd);
	if (!found) throw new UsageError('not inside a Linux kernel tree; run from the tree or pass --tree DIR');
	return found;
}
