// --verify on the real tree for what the e2e's mmapify runs never touch:
// mm/ and tools/testing/vma. A series of two patches, a comment in
// mm/vma.c and one in tools/testing/vma/main.c, must apply, pass
// checkpatch, compile mm/vma.o (differentially, as any object), and build
// and pass tools/testing/vma at its tip.
//
// Run by test/e2e/kernel-e2e.sh (step 11) with MMAPIFY_VERIFY_TREE (a git
// kernel tree at its base, configured) and MMAPIFY_VERIFY_DIR (the scratch
// folder of its --verify run, so nothing is configured twice). Skipped, with
// a message, without MMAPIFY_VERIFY_TREE: a first --verify of a tree takes
// minutes, too long for the unit tests.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderSeries } from '../../src/series/render.js';
import { verifySeries } from '../../src/verify/verify.js';
import { formatVerifyReport, testingSummary } from '../../src/verify/report.js';
import type { FileChange, Person } from '../../src/base/types.js';

const tree = process.env.MMAPIFY_VERIFY_TREE;
const ME: Person = { name: 'mmapify e2e', email: 'mmapify-e2e@mmapify.invalid' };

if (!tree || !fs.existsSync(path.join(tree, '.git')) || !fs.existsSync(path.join(tree, 'tools/testing/vma/Makefile'))) {
	console.log(`verify-kernel: SKIPPED: set MMAPIFY_VERIFY_TREE to a configured kernel git tree (test/e2e/kernel-e2e.sh does)${tree ? `; ${tree} is not one` : ''}`);
	test.skip('--verify runs tools/testing/vma for a series touching mm/', () => {});
} else {
	test('--verify runs tools/testing/vma for a series touching mm/', async () => {
		const base = execFileSync('git', ['-C', tree, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
		const edit = (file: string, comment: string): FileChange => {
			const before = fs.readFileSync(path.join(tree, file), 'utf8');
			const at = before.indexOf('\n\n') + 1;
			assert.ok(at > 0, `${file} has a blank line to put a comment after`);
			return { path: file, before, after: `${before.slice(0, at)}\n/* ${comment} */\n${before.slice(at)}` };
		};
		const specs = [
			{ subject: 'mm/vma: Note that mmapify --verify builds this file', body: 'A comment, to have a series that touches mm/.', changes: [edit('mm/vma.c', 'mmapify --verify test')], hooks: [] },
			{ subject: 'tools/testing/vma: Note that mmapify runs these tests', body: 'A comment in the test harness.', changes: [edit('tools/testing/vma/main.c', 'mmapify --verify test')], hooks: [] },
		];
		const rendered = renderSeries(specs, { author: ME, date: new Date(), version: 'test', signoff: ME, cover: { summary: 'Test.', refused: [] } }).slice(1);
		const r = await verifySeries({
			tree,
			base,
			patches: rendered.map((f, i) => ({ name: f.fileName, text: f.text, files: specs[i]!.changes.map((c) => c.path) })),
			dir: process.env.MMAPIFY_VERIFY_DIR || undefined,
			jobs: Number(process.env.MMAPIFY_JOBS) || undefined,
		});
		console.log(formatVerifyReport(r));
		assert.ok(r.ok, 'verified');
		assert.ok(r.patches.every((p) => p.apply.ok && p.checkpatch.ran && p.checkpatch.errors.length === 0));
		assert.equal(r.patches[0]!.compile.map((o) => `${o.file} ${o.status}`), ['mm/vma.c ok']);
		assert.equal(r.patches[1]!.notKbuild, ['tools/testing/vma/main.c']);
		assert.is(r.vma.status, 'ok');
		assert.match(r.vma.detail!, /^\d+ tests run, \d+ passed, 0 failed\.$/);
		assert.match(testingSummary(r), /tools\/testing\/vma builds and passes \(\d+ tests run/);
	});
}

test.run();
