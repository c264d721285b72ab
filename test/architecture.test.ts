// The house rules of docs/architecture.md, checked on the sources: which
// folder may import which (the table below is the one of the doc), no import
// cycle among src/, transforms/ and bench/, and nothing at the top of src/ but
// the bin entry and the worker entry.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './support/helpers.js';

/** Layer of a file: a folder of src/, transforms, bench, or the file at the top of src/. */
function layer(rel: string): string {
	const parts = rel.split('/');
	if (parts[0] === 'src') return parts.length === 2 ? parts[1]!.replace(/\.ts$/, '') : parts[1]!;
	return parts[0]!;
}

/** folder -> the folders it may import (values), and those it may import types from. */
export const LAYERS: Record<string, { may: string[]; types?: string[] }> = {
	base: { may: [] },
	ui: { may: [] },
	pool: { may: [] },
	c: { may: ['base'] },
	kernel: { may: ['base'] },
	corpus: { may: ['pool', 'kernel', 'c', 'base'] },
	find: { may: ['corpus', 'pool', 'kernel', 'c', 'base'] },
	rewrite: { may: ['c', 'base'], types: ['find', 'kernel'] },
	transforms: { may: ['rewrite', 'c', 'base'], types: ['kernel'] },
	mm: { may: ['c', 'base'] },
	plan: { may: ['transforms', 'rewrite', 'find', 'corpus', 'mm', 'kernel', 'c', 'base'] },
	scan: { may: ['plan', 'find', 'corpus', 'pool', 'transforms', 'kernel', 'c', 'base', 'ui'], types: ['rewrite'] },
	series: { may: ['base'], types: ['plan'] },
	verify: { may: ['ui', 'base'] },
	cli: { may: ['*'] },
	worker: { may: ['*'] },
	bench: { may: ['*'] },
};
/** transforms/ reads kernel/ for types only, and of kernel/ only the API facts. */
const TRANSFORMS_KERNEL = new Set(['src/kernel/api.ts', 'src/kernel/tree.ts']);

interface Import {
	from: string;
	to: string;
	typeOnly: boolean;
}

function sources(): string[] {
	const out: string[] = [];
	const visit = (rel: string) => {
		for (const e of fs.readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
			const r = `${rel}/${e.name}`;
			if (e.isDirectory()) visit(r);
			else if (e.name.endsWith('.ts')) out.push(r);
		}
	};
	['src', 'transforms', 'bench'].forEach(visit);
	return out.sort();
}

function imports(file: string): Import[] {
	const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
	const out: Import[] = [];
	for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'/gm)) {
		const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[2]!)).replace(/\.js$/, '.ts');
		out.push({ from: file, to, typeOnly: !!m[1] });
	}
	for (const m of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g))
		out.push({ from: file, to: path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)).replace(/\.js$/, '.ts'), typeOnly: false });
	return out;
}

/** Every import that breaks the table, as "from -> to (why)". */
export function violations(files: string[], importsOf: (f: string) => Import[]): string[] {
	const bad: string[] = [];
	for (const f of files) {
		const from = layer(f);
		const rule = LAYERS[from];
		if (!rule) {
			bad.push(`${f}: folder ${from} is not in the table`);
			continue;
		}
		for (const imp of importsOf(f)) {
			const to = layer(imp.to);
			if (to === from || rule.may.includes('*') || rule.may.includes(to)) continue;
			if (imp.typeOnly && rule.types?.includes(to)) {
				if (from === 'transforms' && to === 'kernel' && !TRANSFORMS_KERNEL.has(imp.to)) bad.push(`${f} -> ${imp.to} (transforms/ may only read the kernel API's types)`);
				continue;
			}
			bad.push(`${f} -> ${imp.to} (${from} may not import ${imp.typeOnly ? 'types from ' : ''}${to})`);
		}
	}
	return bad;
}

/** The import cycles (each as its files), by Tarjan's strongly connected components. */
export function cycles(files: string[], importsOf: (f: string) => Import[]): string[][] {
	const edges = new Map(files.map((f) => [f, importsOf(f).map((i) => i.to).filter((t) => files.includes(t))]));
	let n = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const on = new Set<string>();
	const out: string[][] = [];
	const visit = (v: string) => {
		index.set(v, n);
		low.set(v, n++);
		stack.push(v);
		on.add(v);
		for (const w of edges.get(v) ?? []) {
			if (!index.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
		}
		if (low.get(v) === index.get(v)) {
			const scc: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				on.delete(w);
				scc.push(w);
			} while (w !== v);
			if (scc.length > 1 || edges.get(v)!.includes(v)) out.push(scc.sort());
		}
	};
	for (const f of files) if (!index.has(f)) visit(f);
	return out;
}

const files = sources();

test('every import follows the folder table', () => {
	assert.equal(violations(files, imports), []);
});

test('no import cycle among src/, transforms/ and bench/', () => {
	assert.equal(cycles(files, imports), []);
});

test('the top of src/ holds only the bin entry and the worker entry', () => {
	const top = fs.readdirSync(path.join(repoRoot, 'src')).filter((n) => !fs.statSync(path.join(repoRoot, 'src', n)).isDirectory());
	assert.equal(top.sort(), ['cli.ts', 'worker.ts']);
	for (const d of fs.readdirSync(path.join(repoRoot, 'src'))) if (fs.statSync(path.join(repoRoot, 'src', d)).isDirectory()) assert.ok(LAYERS[d], `src/${d} is not in the table`);
});

test('the checks fail on a bad import and on a cycle', () => {
	const fake: Record<string, Import[]> = {
		'src/base/a.ts': [{ from: 'src/base/a.ts', to: 'src/plan/p.ts', typeOnly: false }],
		'src/plan/p.ts': [{ from: 'src/plan/p.ts', to: 'src/base/a.ts', typeOnly: false }],
		'src/rewrite/r.ts': [{ from: 'src/rewrite/r.ts', to: 'src/find/f.ts', typeOnly: true }],
		'src/find/f.ts': [],
		'transforms/t.ts': [{ from: 'transforms/t.ts', to: 'src/find/f.ts', typeOnly: true }],
	};
	const fs_ = Object.keys(fake);
	assert.equal(violations(fs_, (f) => fake[f]!), ['src/base/a.ts -> src/plan/p.ts (base may not import plan)', 'transforms/t.ts -> src/find/f.ts (transforms may not import types from find)']);
	assert.equal(cycles(fs_, (f) => fake[f]!), [['src/base/a.ts', 'src/plan/p.ts']]);
});

test.run();
