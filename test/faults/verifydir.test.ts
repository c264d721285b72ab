// faults.md 3: --verify-dir DIR works only in a folder it made (a marker says
// so) or an empty one; a folder of the user's is refused and left as it was.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allFiles, cleanup, exampleRepo, mmapify, oneLine } from './support.js';

const HOOK = 'drivers/demo/demo_regs.c';

test('3: --verify-dir on a folder of the user\'s: exit 2 with one line, nothing in it deleted or truncated', () => {
	const dir = exampleRepo();
	const vd = path.join(dir, '..', 'mine');
	const files = { 'patches/keep.patch': 'my patch\n', 'src/README': 'my checkout\n', 'build/x.o': 'object\n', 'verify.log': 'my log\n' };
	for (const [f, t] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(vd, f)), { recursive: true });
		fs.writeFileSync(path.join(vd, f), t);
	}
	const r = mmapify(['--verify-dir', vd, '-o', 'out', HOOK], dir);
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /--verify-dir/);
	assert.equal(allFiles(vd), files);
	assert.not.ok(fs.existsSync(path.join(dir, 'out')));
});

test('3: a --verify-dir mmapify made (or an empty one) is used and reused', () => {
	const dir = exampleRepo();
	const fresh = path.join(dir, '..', 'fresh');
	const empty = path.join(dir, '..', 'empty');
	fs.mkdirSync(empty);
	for (const vd of [fresh, fresh, empty, empty]) {
		const r = mmapify(['--verify-dir', vd, '-o', 'out', HOOK], dir);
		// the example tree has no checkpatch.pl: verification fails (1), but it ran
		assert.ok(r.code === 0 || r.code === 1, `${vd}: exit ${r.code}\n${r.err}`);
		assert.match(r.out, /^verify: base /m);
		assert.ok(fs.existsSync(path.join(vd, 'src/.git')), 'the scratch clone is kept');
	}
});

test.after(cleanup);
test.run();
