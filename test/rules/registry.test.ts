// The registry (transforms/index.ts): one entry per rule id, every KernelApi
// fact a rule requires is provided by the example tree's headers (so that
// every rule can be exercised on it), and every id a run reports is known to
// the registry (so that the commit message's phrases come from one place).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allRules, bodyRules, rulePhrases, requestsAction } from '../../transforms/index.js';
import { exampleApi } from '../support/rule-harness.js';
import { exampleTree, planTree } from '../support/helpers.js';

test('rule ids are unique', () => {
	const ids = allRules.map((r) => r.id);
	assert.equal(ids.filter((id, i) => ids.indexOf(id) !== i), []);
});

/**
 * Facts examples/linux lacks on purpose: the refuse-p19/p23 fixtures test the
 * refusal without them, and the p18-p19/p23 fixtures bring the header that has them.
 */
const ABSENT_ON_PURPOSE = new Set(['shmemZeroSetupDesc', 'fileIsDax']);

test("every required API fact is provided by the example tree's headers", () => {
	for (const r of allRules)
		for (const need of r.requires ?? []) {
			if (ABSENT_ON_PURPOSE.has(need)) {
				assert.not.ok(exampleApi[need], `${need} is in examples/linux now: drop it from ABSENT_ON_PURPOSE`);
				continue;
			}
			const v = exampleApi[need];
			assert.ok(v instanceof Set ? v.size > 0 : v === true, `${r.id} requires ${need}, which examples/linux does not provide`);
		}
});

test('body rules are the rules the engine runs, each with a rewrite or a check', () => {
	for (const r of bodyRules) assert.ok(r.rewrite || r.check, r.id);
});

test('every rule id the example tree reports is in the registry', async () => {
	const plan = await planTree(exampleTree, ['.']);
	const known = new Set(allRules.flatMap((r) => [r.id, ...Object.keys(r.reports ?? {})]));
	const ids = new Set(plan.hooks.flatMap((h) => h.rules ?? []));
	assert.ok(ids.size > 5);
	for (const id of ids) assert.ok(known.has(id), `${id} is not in transforms/index.ts`);
	assert.is(plan.phrases, rulePhrases);
});

test('the mapping-action rules are the remap rules', () => {
	assert.equal(allRules.filter((r) => requestsAction(r.id)).map((r) => r.id).sort(), ['P15', 'P16']);
});

test.run();
