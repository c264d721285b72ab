// The refused hooks go to a report of their own (refusals.txt) beside the
// series: codes, file:line and reasons, grouped by code; the cover letter
// gives the count and points to it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exampleTree, planTree, repoRoot } from '../support/helpers.js';
import { REFUSAL_REPORT, refusalReport } from '../../src/series/refusal-report.js';
import { buildSeries, refusalReportFile } from '../../src/series/write.js';
import { writeSeriesFiles } from '../../src/outdir/outdir.js';
import { REFUSALS } from '../../src/rewrite/refusals.js';
import type { HookReport } from '../../src/base/types.js';

const ME = { name: 'Ada Lovelace', email: 'ada@example.org' };
const refused = (fn: string, file: string, line: number, code: string, reason: string): HookReport => ({
	function: fn,
	file,
	line,
	wiring: [],
	status: 'skipped',
	code,
	reason,
});

test('report: one line per hook, FILE:LINE: CODE: FUNCTION: REASON, grouped by code, largest group first', () => {
	const text = refusalReport(
		[
			refused('b_mmap', 'drivers/b/b.c', 120, 'side-effect', 'atomic_inc() takes a reference:\n  per-mapping side effect (drivers/b/b.c:125)'),
			refused('a_mmap', 'drivers/a/a.c', 9, 'dma-mmap-no-desc', 'dma_mmap_coherent() has no vm_area_desc equivalent'),
			refused('c_mmap', 'drivers/a/a.c', 30, 'side-effect', 'kref_get() takes a reference'),
			{ ...refused('lib_mmap', '', 0, 'api-missing', 'no generic_foo_mmap_prepare()'), wiring: [{ struct: 'foo_fops', field: 'mmap', file: 'fs/foo/file.c', line: 44 }] },
		],
		{ version: '1.2.3', meanings: REFUSALS },
	);
	const lines = text.split('\n');
	assert.is(lines[0], 'mmapify 1.2.3: 4 hooks were left on f_op->mmap for manual conversion.');
	const blocks = text.trim().split('\n\n');
	assert.is(blocks.length, 4, 'a head and three groups');
	assert.is(blocks[1], `side-effect (2): ${REFUSALS['side-effect']}\ndrivers/a/a.c:30: side-effect: c_mmap: kref_get() takes a reference\ndrivers/b/b.c:120: side-effect: b_mmap: atomic_inc() takes a reference: per-mapping side effect (drivers/b/b.c:125)`);
	assert.match(blocks[2]!, /^api-missing \(1\): /);
	assert.match(text, /^fs\/foo\/file\.c:44: api-missing: lib_mmap: no generic_foo_mmap_prepare\(\)$/m, 'a library hook: its wiring site');
	for (const l of lines.filter((l) => /^\S+:\d+: /.test(l))) assert.match(l, /^[^:\s]+:\d+: [a-z-]+: \w+: \S/);
	assert.is(refusalReport([], { version: '1' }), 'mmapify 1: no hook was left on f_op->mmap for manual conversion.\n');
});

test('refusalReportFile: the report is one more file of the series; the cover letter counts and points to it', async () => {
	const plan = await planTree(exampleTree, ['drivers/demo']);
	const nRefused = plan.hooks.filter((h) => h.status === 'skipped').length;
	assert.ok(nRefused >= 2, 'the example tree has refused hooks');
	const opts = { author: ME, date: new Date(0), subjectPrefix: 'PATCH', version: '1.2.3', refusalCodes: REFUSALS };
	const series = [...buildSeries(plan, opts), refusalReportFile(plan, opts)];
	const report = series.filter((f) => f.report);
	assert.is(report.length, 1);
	assert.is(report[0]!.path, REFUSAL_REPORT);
	assert.not.ok(report[0]!.patch);
	assert.match(report[0]!.text, /^drivers\/demo\/demo_dma\.c:18: dma-mmap-no-desc: demo_dma_mmap: dma_mmap_coherent\(\) has no vm_area_desc equivalent/m);
	assert.match(report[0]!.text, /^drivers\/demo\/demo_dma\.c:26: side-effect: demo_counted_mmap: /m);
	const cover = series[0]!.text;
	assert.match(cover.replace(/\s+/g, ' '), new RegExp(`${nRefused} hooks were left on f_op->mmap and need manual conversion: refusals\\.txt, written beside this series, lists each with its file and line, a stable code and the reason\\.`));
	assert.not.match(cover, /demo_dma_mmap|demo_counted_mmap/, 'the cover letter no longer lists them');
	// Written with the series, and replaced by the next run's.
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-refusals-'));
	try {
		await writeSeriesFiles(path.join(out, 'o'), 'o', 'convert v1', series);
		assert.is(fs.readFileSync(path.join(out, 'o', REFUSAL_REPORT), 'utf8'), report[0]!.text);
		assert.ok(fs.readdirSync(path.join(out, 'o')).filter((f) => f.endsWith('.patch')).length === series.filter((f) => !f.report).length, 'no report among the .patch files that git send-email takes');
	} finally {
		fs.rmSync(out, { recursive: true, force: true });
	}
});

test('the CLI writes refusals.txt and names it in the JSON report; the recipients list leaves it out', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-refusals-cli-'));
	try {
		fs.cpSync(exampleTree, path.join(dir, 't'), { recursive: true });
		const env = { ...process.env, GIT_AUTHOR_NAME: ME.name, GIT_AUTHOR_EMAIL: ME.email, NO_COLOR: '1' };
		const run = (args: string[]) => spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'src/cli.ts'), ...args], { cwd: path.join(dir, 't'), env, encoding: 'utf8' });
		const r = run(['--json', '-o', path.join(dir, 'out'), 'drivers/demo']);
		assert.is(r.status, 0, r.stderr);
		const json = JSON.parse(r.stdout) as { refusals?: { path: string }; patches: unknown[] };
		assert.equal(json.refusals, { path: REFUSAL_REPORT });
		assert.match(fs.readFileSync(path.join(dir, 'out', REFUSAL_REPORT), 'utf8'), /: side-effect: demo_counted_mmap: /);
		const text = run(['-o', path.join(dir, 'out2'), 'drivers/demo']);
		assert.is(text.status, 0, text.stderr);
		assert.not.match(text.stdout, /refusals\.txt\n\s+To:/, 'not a mail');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test.run();
