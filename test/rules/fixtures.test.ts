// Fixture tests for the conversion rules, each beside the rule that owns it:
// every test/rules/<rule>/NAME.c (and the plan's own cases in test/plan/) is
// converted as drivers/fixture/NAME.c in a throw-away tree:
//  - NAME.expected.c: the converted file must equal it byte for byte;
//  - NAME.refused: one line per hook, `function: text` where text must appear
//    in that hook's skip reason (including the line number when given).
// A fixture may bring extra files in NAME.files/ (copied into the tree root).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { afterTexts, makeTree, planTree, repoRoot } from '../support/helpers.js';
import { REFUSALS } from '../../src/rewrite/refusals.js';

// FXDIR=test/rules-pending runs the cases the tool still gets wrong.
const rulesDir = path.join(repoRoot, 'test/rules');
const dirs = process.env.FXDIR
	? [path.join(repoRoot, process.env.FXDIR)]
	: [
			...fs.readdirSync(rulesDir).filter((d) => fs.statSync(path.join(rulesDir, d)).isDirectory()).sort().map((d) => path.join(rulesDir, d)),
			path.join(repoRoot, 'test/plan'),
		];
const cases = dirs.flatMap((dir) =>
	fs.readdirSync(dir).filter((f) => /^[\w-]+\.c$/.test(f) && !f.endsWith('.expected.c')).sort().map((f) => ({ dir, name: f.slice(0, -2) })),
);

function extraFiles(dir: string, name: string): Record<string, string> {
	const base = path.join(dir, `${name}.files`);
	const out: Record<string, string> = {};
	const visit = (rel: string) => {
		const abs = path.join(base, rel);
		if (fs.statSync(abs).isDirectory()) for (const n of fs.readdirSync(abs)) visit(rel ? `${rel}/${n}` : n);
		else out[rel] = fs.readFileSync(abs, 'utf8');
	};
	if (fs.existsSync(base)) visit('');
	return out;
}

for (const { dir, name } of cases) {
	test(`fixture ${path.basename(dir)}/${name}`, async () => {
		const input = fs.readFileSync(path.join(dir, `${name}.c`), 'utf8');
		const rel = `drivers/fixture/${name}.c`;
		const root = makeTree({ [rel]: input, ...extraFiles(dir, name) });
		try {
			const plan = await planTree(root, ['drivers/fixture']);
			const expectedPath = path.join(dir, `${name}.expected.c`);
			const refusedPath = path.join(dir, `${name}.refused`);
			assert.ok(fs.existsSync(expectedPath) || fs.existsSync(refusedPath), `fixture ${name} has no expectation`);
			const after = afterTexts(plan);
			if (fs.existsSync(expectedPath)) {
				assert.fixture(after[rel] ?? input, fs.readFileSync(expectedPath, 'utf8'));
				for (const [f, text] of Object.entries(extraFiles(dir, `${name}.expected`))) assert.fixture(after[f] ?? '(unchanged)', text, f);
			} else assert.is(after[rel], undefined, 'a refused fixture must not change');
			if (fs.existsSync(refusedPath)) {
				for (const line of fs.readFileSync(refusedPath, 'utf8').split('\n').filter(Boolean)) {
					const [fn, ...rest] = line.split(': ');
					const want = rest.join(': ');
					const h = plan.hooks.find((x) => x.function === fn);
					assert.ok(h, `no hook ${fn} in the report`);
					assert.is(h!.status, 'skipped', `${fn} should be skipped`);
					assert.ok(h!.reason?.includes(want), `${fn}: reason "${h!.reason}" does not contain "${want}"`);
				}
			} else {
				for (const h of plan.hooks) assert.is(h.status, 'converted', `${h.function}: ${h.reason}`);
			}
			// Every refusal carries a code of the catalogue.
			for (const h of plan.hooks) if (h.status === 'skipped') assert.ok(h.code && h.code in REFUSALS, `${h.function}: code ${h.code} for "${h.reason}"`);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
}

test.run();
