// Places that copy a chain's field from one ops table to another (issue #11,
// class 2): a macro invoked with the field's bare name as its last argument
// (`SET_DEVICE_OP(dev_ops, mmap)` in ib_set_device_ops()), or a memcpy() of a
// whole `struct S`. Renaming the field (or adding the new one beside it)
// without copying the new field there leaves the copied table without it: the
// chain is refused. Struct assignment (`*a = *b`) is not typed here; see the
// README's known limitations.
import { mmapCorpus } from '../corpus/corpus.js';
import { lineOf } from '../c/parser.js';
import { escapeRegExp as esc } from '../base/text.js';
import type { ChainKey } from './chains.js';

export interface FieldCopy {
	file: string;
	line: number;
	/** the copying construct as written, e.g. SET_DEVICE_OP(dev_ops, mmap) */
	text: string;
}

/** The copies of key.field in the files of the tree that mention "mmap" (every field of a chain has mmap in its name). */
export function fieldCopies(root: string, key: ChainKey): FieldCopy[] {
	const out: FieldCopy[] = [];
	const field = new RegExp(`\\b${esc(key.field)}\\b`);
	const struct = new RegExp(`\\bstruct\\s+${esc(key.struct)}\\b`);
	const macro = new RegExp(`\\b([A-Z][A-Z0-9_]*)\\s*\\(([^()\\n]*,)?\\s*${esc(key.field)}\\s*\\)`, 'g');
	const memcpy = new RegExp(`\\bmemcpy\\s*\\([^;]*\\bsizeof\\s*\\(?\\s*struct\\s+${esc(key.struct)}\\s*\\)?`, 'g');
	for (const { file, text } of mmapCorpus(root)) {
		if (!field.test(text) || !struct.test(text)) continue;
		for (const m of text.matchAll(macro)) {
			const bol = text.lastIndexOf('\n', m.index!) + 1;
			if (/^\s*#\s*define\b/.test(text.slice(bol, m.index!))) continue;
			out.push({ file, line: lineOf(text, m.index!), text: m[0] });
		}
		for (const m of text.matchAll(memcpy)) out.push({ file, line: lineOf(text, m.index!), text: m[0].split('\n')[0]! });
	}
	return out;
}
