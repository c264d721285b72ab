// The progress line of long steps (src/progress.ts): only on a terminal and
// not with --json; redrawn in place; lines that stay are written above it;
// the worker-thread variant keeps counting while the main thread is blocked.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgress, noProgress, statusLine } from '../../src/ui/progress.js';
import { repoRoot } from '../support/helpers.js';

test('statusLine: label, count, detail, seconds; cut to the width', () => {
	assert.is(statusLine({ label: 'scanning', done: 3, total: 10, detail: 'fs/x.c', seconds: 12 }), 'scanning 3/10 fs/x.c (12s)');
	assert.is(statusLine({ label: 'make prepare', done: 0, seconds: 0 }), 'make prepare (0s)');
	const long = statusLine({ label: 'x'.repeat(200), done: 0, seconds: 1 }, 40);
	assert.is(long.length, 39);
	assert.ok(long.endsWith('…'));
});

test('off unless the stream is a TTY, and never with --json', () => {
	const sink = { isTTY: false, write: () => true };
	assert.is(createProgress({ stream: sink }), noProgress);
	assert.is(createProgress({ stream: { ...sink, isTTY: true }, json: true }), noProgress);
	assert.ok(createProgress({ stream: { ...sink, isTTY: true } }).enabled);
});

test('drawn in place; end() clears it and may leave a line; log() writes above it', async () => {
	let out = '';
	const sink = { isTTY: true, columns: 80, write: (s: string) => ((out += s), true) };
	const p = createProgress({ stream: sink, intervalMs: 20 });
	p.start('verify: building', 2);
	p.update(1, 'drivers/xen/privcmd.c');
	await new Promise((r) => setTimeout(r, 60));
	p.log('note: something');
	p.end('done in 1s');
	assert.match(out, /^\r\x1b\[2Kverify: building 0\/2 \(0s\)/);
	assert.match(out, /\r\x1b\[2Kverify: building 1\/2 drivers\/xen\/privcmd\.c \(0s\)/, 'redrawn by the timer with the update');
	assert.match(out, /\r\x1b\[2Knote: something\n/);
	assert.ok(out.endsWith('\r\x1b[2Kdone in 1s\n'));
	const n = out.length;
	await new Promise((r) => setTimeout(r, 60));
	assert.is(out.length, n, 'nothing is drawn after end()');
});

test('the worker thread keeps the line alive while the main thread is blocked', () => {
	// A child process whose stderr is a pipe: force the worker variant, block
	// the main thread for 700 ms in a synchronous loop, and read what fd 2 got.
	const script = `
		const { createProgress } = require(${JSON.stringify(path.join(repoRoot, 'src/ui/progress.ts'))});
		const p = createProgress({ force: true, intervalMs: 100 });
		p.start('scanning', 5);
		const t0 = Date.now();
		let i = 0;
		while (Date.now() - t0 < 700) { if (Date.now() - t0 > 350 && i === 0) p.update(++i, 'fs/a.c'); }
		p.end('scanned');
	`;
	const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
	assert.is(r.status, 0, r.stderr);
	const frames = r.stderr.split('\r\x1b[2K').filter(Boolean);
	assert.ok(frames.filter((f) => f.startsWith('scanning')).length >= 3, `redrawn while blocked: ${JSON.stringify(frames)}`);
	assert.ok(frames.some((f) => f.startsWith('scanning 1/5 fs/a.c')), 'an update from the blocked thread is shown');
	assert.is(frames[frames.length - 1], 'scanned\n');
});

test.run();
