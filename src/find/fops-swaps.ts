// Run-time swaps of a file's file_operations (issue #11, class 6):
// `file->f_op = &x;` or `replace_fops(file, &x)` outside an open function.
// In 7.3 mmap_file()/vfs_mmap() and __mmap_region() read file->f_op more than
// once, so a file whose fops are swapped while it is mapped can have
// ->mmap_prepare tested on one fops and ->mmap (or ->mmap_prepare) called on
// the other. snd_card_disconnect() swaps every file of a card to
// snd_shutdown_f_ops. A swap inside an open function (its name ends in _open,
// or it is wired as .open) happens before the file is installed, when nothing
// can map it yet, and is not a run-time swap.
import { mmapCorpus } from '../corpus/corpus.js';
import { lineOf } from '../c/parser.js';

export interface FopsSwap {
	file: string;
	line: number;
	/** the fops installed, e.g. snd_shutdown_f_ops */
	to: string;
	/** the function that swaps */
	fn: string;
	/** the folder whose file_operations the swap may replace (the swap site's folder, with its subfolders) */
	family: string;
}

const SWAP = /(?:(?:->|\.)\s*f_op\s*=(?!=)\s*&?\s*([A-Za-z_]\w*(?:\s*(?:->|\.)\s*\w+)*)|\breplace_fops\s*\(\s*[^,()]+,\s*&?\s*([A-Za-z_]\w*))/g;

export function fopsSwaps(root: string): FopsSwap[] {
	const out: FopsSwap[] = [];
	for (const { file, text } of mmapCorpus(root)) {
		if (!/f_op\s*=|replace_fops/.test(text)) continue;
		for (const m of text.matchAll(SWAP)) {
			const fn = enclosingFunctionName(text, m.index!);
			if (!fn || /_open$/.test(fn) || new RegExp(`\\.open\\s*=\\s*${fn}\\b`).test(text)) continue;
			out.push({ file, line: lineOf(text, m.index!), to: (m[1] ?? m[2])!.replace(/\s+/g, ''), fn, family: file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '' });
		}
	}
	return out;
}

/** The name of the function whose body holds position at: the last `name(...) {` at the start of a line before it. */
function enclosingFunctionName(text: string, at: number): string | undefined {
	const before = text.slice(0, at);
	const heads = [...before.matchAll(/^[A-Za-z_][^\n;=]*?\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*\n?\{/gm)];
	const h = heads.pop();
	if (!h) return undefined;
	// The body must still be open at position at: no closing brace at the start of a line in between.
	return /\n\}/.test(before.slice(h.index! + h[0].length)) ? undefined : h[1];
}
