// faults.md 17 (the parts that are not mail headers, see headers.test.ts):
// TERM=dumb, empty --tree and -o, --changelog that is not a regular file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, env, exampleRepo, mmapify, oneLine } from './support.js';

/** The CLI on a pseudo-terminal (script(1)), with the given TERM; its output. */
function onTerminal(args: string[], cwd: string, term: string): string | undefined {
	if (spawnSync('script', ['--version']).status !== 0) return undefined;
	const cmd = [process.execPath, cli, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
	const e = { ...env, TERM: term } as Record<string, string>;
	delete e.NO_COLOR;
	const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd, env: e, encoding: 'utf8', timeout: 120_000 });
	return r.stdout;
}

test('17: TERM=dumb gets no colour on a terminal (and a colour terminal does)', () => {
	const dir = exampleRepo();
	const dumb = onTerminal(['--dry-run', 'drivers/demo/demo_regs.c'], dir, 'dumb');
	if (dumb === undefined) return void process.stdout.write('\n  skipped (needs script(1) for a pseudo-terminal)\n');
	assert.match(dumb, /converted/);
	assert.not.match(dumb, /\x1b\[/);
	assert.match(onTerminal(['--dry-run', 'drivers/demo/demo_regs.c'], dir, 'xterm-256color')!, /\x1b\[3\dm/);
});

test('17: --tree with no value is an error, not the current tree', () => {
	const dir = exampleRepo();
	for (const args of [['--tree'], ['--tree', ''], ['--tree=']]) {
		const r = mmapify(['--dry-run', 'drivers/demo', ...args], dir);
		assert.is(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
		assert.ok(oneLine(r.err), r.err);
		assert.match(r.err, /--tree/);
	}
});

test('17: -o "" is an error, not the current folder', () => {
	const dir = exampleRepo();
	const before = fs.readdirSync(dir).sort();
	for (const args of [['-o', ''], ['--output-dir=']]) {
		const r = mmapify([...args, 'drivers/demo/demo_regs.c'], dir);
		assert.is(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
		assert.ok(oneLine(r.err), r.err);
		assert.match(r.err, /--output-dir|-o\b/);
	}
	assert.equal(fs.readdirSync(dir).sort(), before);
});

test('17: --changelog on a FIFO does not block, even with -n; it is refused as not a regular file', () => {
	const dir = exampleRepo();
	const fifo = path.join(dir, '..', 'changes.fifo');
	if (spawnSync('mkfifo', [fifo]).status !== 0) return void process.stdout.write('\n  skipped (no mkfifo)\n');
	for (const dry of [['-n'], []]) {
		const r = mmapify([...dry, '-v', '2', '--changelog', fifo, '-o', 'out', 'drivers/demo/demo_regs.c'], dir, {}, 20_000);
		assert.ok(r.signal === null, 'blocked on the FIFO');
		assert.is(r.code, 2, r.out + r.err);
		assert.ok(oneLine(r.err), r.err);
		assert.match(r.err, /--changelog.*not a regular file/);
	}
});

test.after(cleanup);
test.run();
