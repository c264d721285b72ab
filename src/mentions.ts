// Which tree files mention a set of names, found in one pass over the tree.
// Used for non-static hooks, whose callers and prototypes may be anywhere.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listSourceFiles } from './tree.js';

export function scanMentions(root: string, names: string[]): Map<string, string[]> {
	const out = new Map<string, string[]>(names.map((n) => [n, []]));
	if (!names.length) return out;
	const escaped = [...new Set(names)].sort((a, b) => b.length - a.length);
	const re = new RegExp(`\\b(${escaped.join('|')})\\b`, 'g');
	// A cheap byte test first: every name contains one of these needles.
	const needles = [...new Set(names.map((n) => (n.includes('mmap') ? 'mmap' : n)))].map((n) => Buffer.from(n));
	for (const f of listSourceFiles(root, ['.'])) {
		const buf = fs.readFileSync(path.join(root, f));
		if (!needles.some((n) => buf.indexOf(n) !== -1)) continue;
		const seen = new Set<string>();
		for (const m of buf.toString('latin1').matchAll(re)) seen.add(m[1]!);
		for (const n of seen) out.get(n)!.push(f);
	}
	return out;
}
