// The counts of a run: a dispatcher given the compat shim is counted apart
// from the converted hooks, the same way in the text report, the cover
// letter and the JSON report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HookReport } from '../../src/base/types.js';
import { countsPhrase, hookCounts } from '../../src/series/counts.js';

const hook = (fn: string, status: 'converted' | 'skipped', rules: string[] = []): HookReport =>
	({ function: fn, file: 'drivers/x/x.c', line: 1, status, rules, wiring: [] }) as unknown as HookReport;

test('a shim is neither a converted hook nor a refusal', () => {
	const c = hookCounts([hook('a', 'converted', ['P1']), hook('b', 'converted', ['compat-shim']), hook('c', 'skipped'), hook('d', 'converted', ['P2', 'naming'])]);
	assert.equal(c, { converted: 2, shims: 1, refused: 1 });
	assert.is(countsPhrase(c), '2 hooks converted, 1 dispatcher given a compat shim, 1 refused');
});

test('singular and plural', () => {
	assert.is(countsPhrase({ converted: 1, shims: 2, refused: 0 }), '1 hook converted, 2 dispatchers given a compat shim, 0 refused');
});

test.run();
