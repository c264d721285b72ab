// The vocabulary of the compat-helpers patch: the files and functions it
// edits, the result types and the error that says why no patch was made.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DUP_PATH } from '../dup/items.js';

export const COMPAT_HELPERS_SUBJECT = 'mm: allow handling of stacked mmap_prepare hooks in more drivers';

export interface CompatHelpersChange {
	/** path relative to the tree root */
	path: string;
	before: string;
	after: string;
}

export interface CompatHelpersPatch {
	subject: string;
	/** the commit message body, wrapped at 75 columns, without trailers */
	body: string;
	/** changed files only, sorted by path */
	changes: CompatHelpersChange[];
}

export interface CompatHelpersOptions {
	/** mmapify's version, named in the disclosure line when given */
	version?: string;
}

/**
 * Why no patch was made:
 * - `present`: the tree already has compat_set_desc_from_vma() / __compat_vma_mmap();
 * - `missing`: a file or function the patch needs is not there (not a tree with f_op->mmap_prepare);
 * - `shape`: the compat code is there but not in a form this generator knows.
 */
export class CompatHelpersError extends Error {
	constructor(
		readonly reason: 'present' | 'missing' | 'shape',
		message: string,
	) {
		super(message);
		this.name = 'CompatHelpersError';
	}
}

export const UTIL_C = 'mm/util.c';
export const FS_H = 'include/linux/fs.h';
export const MM_TYPES_H = 'include/linux/mm_types.h';
/** the userland VMA tests' copy of the kernel declarations: dup.h (7.x) or vma_internal.h (6.x) */
export const MIRRORS = [DUP_PATH, 'tools/testing/vma/vma_internal.h'];
export const OLD_SET_VMA = 'set_vma_from_desc';
export const NEW_SET_VMA = 'compat_set_vma_from_desc';
export const HIDE = 'hide_from_rmap_until_complete';
/** the compat layer before upstream folded __compat_vma_mmap(f_op, file, vma) into compat_vma_mmap() */
export const F_OP_FORM = 'the form before upstream\'s "mm: various small mmap_prepare cleanups"';


export function readOpt(root: string, rel: string): string | null {
	try {
		return fs.readFileSync(path.join(root, rel), 'utf8');
	} catch {
		return null;
	}
}


export const uniq = <T>(xs: T[]) => [...new Set(xs)];
export const lineOf = (s: string, off: number) => s.slice(0, off).split('\n').length;
