// Fixture mini-trees for nested chains. Each test/chains/CASE has:
//   tree/      files laid over the example tree's headers
//   targets    the paths given to mmapify (one per line)
//   expected/  every file the conversion must change, as it must read after it
//              (files not listed here must stay unchanged)
//   report     lines `function: converted` or `function: skipped: <text in the reason>`;
//              `function: skipped [code]: <text>` also checks the refusal's code
//   options    (optional) plan options, one a line: `no-coexist`
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { afterTexts, makeTree, planTree, repoRoot } from '../support/helpers.js';
import { REFUSALS } from '../../src/rewrite/refusals.js';

// FXDIR=test/chains-pending runs the cases the tool still gets wrong.
const dir = path.join(repoRoot, process.env.FXDIR ?? 'test/chains');

function readTree(base: string): Record<string, string> {
	const out: Record<string, string> = {};
	const visit = (rel: string) => {
		const abs = path.join(base, rel);
		if (fs.statSync(abs).isDirectory()) for (const n of fs.readdirSync(abs)) visit(rel ? `${rel}/${n}` : n);
		else out[rel] = fs.readFileSync(abs, 'utf8');
	};
	if (fs.existsSync(base)) visit('');
	return out;
}

for (const name of fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory()).sort()) {
	test(`chain ${name}`, async () => {
		const c = path.join(dir, name);
		const root = makeTree(readTree(path.join(c, 'tree')));
		try {
			const targets = fs.readFileSync(path.join(c, 'targets'), 'utf8').split('\n').filter(Boolean);
			const optionsFile = path.join(c, 'options');
			const options = fs.existsSync(optionsFile) ? fs.readFileSync(optionsFile, 'utf8').split('\n').filter(Boolean) : [];
			for (const o of options) assert.ok(['no-coexist'].includes(o), `unknown option ${o} in ${optionsFile}`);
			const plan = await planTree(root, targets, { coexist: !options.includes('no-coexist') });
			const after = afterTexts(plan);
			const expected = readTree(path.join(c, 'expected'));
			for (const [f, text] of Object.entries(expected)) assert.fixture(after[f] ?? '(unchanged)', text, f);
			for (const f of Object.keys(after)) assert.ok(f in expected, `unexpected change to ${f}`);
			for (const line of fs.readFileSync(path.join(c, 'report'), 'utf8').split('\n').filter(Boolean)) {
				const [fn, statusCode, ...rest] = line.split(': ');
				const want = rest.join(': ');
				const [, status, code] = /^(\w+)(?: \[([\w-]+)\])?$/.exec(statusCode!) ?? [];
				assert.ok(status, `report line "${line}": no status`);
				const h = plan.hooks.find((x) => x.function === fn);
				assert.ok(h, `no hook ${fn} in the report`);
				assert.is(h!.status, status, `${fn}: ${h!.reason ?? ''}`);
				if (want) assert.ok(h!.reason?.includes(want), `${fn}: reason "${h!.reason}" does not contain "${want}"`);
				if (code) assert.is(h!.code, code, `${fn}: code of "${h!.reason}"`);
			}
			// One status per hook: a dispatcher that is also an outer chain's implementor is reported once.
			const seen = new Set<string>();
			for (const h of plan.hooks.filter((x) => x.file)) {
				const k = `${h.function}@${h.file}`;
				assert.ok(!seen.has(k), `${k} is reported more than once`);
				seen.add(k);
			}
			// Every refusal carries a code of the catalogue, and so does every refused chain.
			for (const h of plan.hooks) if (h.status === 'skipped') assert.ok(h.code && h.code in REFUSALS, `${h.function}: code ${h.code} for "${h.reason}"`);
			for (const c of plan.chains) if (c.status === 'skipped') assert.ok(c.code && c.code in REFUSALS, `chain: code ${c.code} for "${c.reason}"`);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
}

test.run();
