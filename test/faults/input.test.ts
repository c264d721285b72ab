// faults.md 9, 10, 11, 12, 14 and 18: input that was dropped or mishandled.
// A hook the parser could not read, a file too large to parse, a file that is
// not UTF-8: each is refused or skipped with a reason, never converted blindly
// or dropped in silence; a hostile MAINTAINERS regex cannot hang the run; CRLF
// files keep CRLF; scan agrees with the converter.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, exampleRepo, git, hookFile, mmapify } from './support.js';

interface Hook {
	function: string;
	file: string;
	status: string;
	reason?: string;
}
const hooksOf = (json: string): Hook[] => JSON.parse(json).hooks;
const hook = (json: string, fn: string) => hooksOf(json).find((h) => h.function === fn);

const UNBALANCED_IN_FUNCTION = hookFile('demo_err', 'static int demo_broken(int x)\n{\n\tif (x) {\n\treturn 0;\n}\n');
const UNBALANCED_INITIALISER = hookFile('demo_err', 'static int demo_table[] = {\n\t1, 2,\n');

for (const [what, text] of [
	['an unbalanced { in the function before it', UNBALANCED_IN_FUNCTION],
	['an initialiser before it that is never closed', UNBALANCED_INITIALISER],
] as const)
	test(`9: a hook inside a region the parser could not read (${what}) is refused with the region's lines`, () => {
		const dir = exampleRepo({ 'drivers/demo/demo_err.c': text });
		for (const extra of [{}, { MMAPIFY_FULL_PARSE: '1' }]) {
			const r = mmapify(['--json', '--dry-run', 'drivers/demo/demo_err.c'], dir, extra);
			assert.is(r.code, 0, r.err);
			const h = hook(r.out, 'demo_err_mmap');
			assert.ok(h, `demo_err_mmap is not reported: ${r.out}`);
			assert.is(h!.status, 'skipped', JSON.stringify(h));
			assert.match(h!.reason!, /could not (be )?pars/);
			assert.match(h!.reason!, /demo_err\.c:\d+-\d+/);
			assert.is(JSON.parse(r.out).patches.length, 0);
		}
		// scan says the same
		const s = mmapify(['scan', '--json', 'drivers/demo/demo_err.c'], dir);
		assert.is(s.code, 0, s.err);
		for (const h of hooksOf(s.out)) assert.is.not(h.status, 'converted', JSON.stringify(h));
	});

/** A generated .c of about mb megabytes with a hook at its end. */
function hugeFile(mb: number): string {
	const row = '\t' + Array.from({ length: 16 }, (_, i) => `0x${(i * 17).toString(16).padStart(2, '0')},`).join(' ') + '\n';
	const rows = Math.ceil((mb * 1024 * 1024) / row.length);
	return `// SPDX-License-Identifier: GPL-2.0\n/* generated */\nstatic const unsigned char huge_table[] = {\n${row.repeat(rows)}};\n\n${hookFile('huge')}`;
}

test('10, 18: a 50 MB file is skipped with a reason; the rest of the folder is converted; scan agrees', () => {
	const dir = exampleRepo({ 'drivers/demo/huge.c': hugeFile(50) });
	const r = mmapify(['--json', '--dry-run', 'drivers/demo'], dir, {}, 300_000);
	assert.is(r.code, 0, r.err.slice(0, 2000));
	const rep = JSON.parse(r.out);
	assert.is(hook(r.out, 'demo_regs_mmap')?.status, 'converted');
	assert.is.not(hook(r.out, 'huge_mmap')?.status, 'converted');
	const skipped = (rep.skippedFiles ?? []).find((f: { file: string }) => f.file === 'drivers/demo/huge.c');
	assert.ok(skipped, JSON.stringify(rep.skippedFiles));
	assert.match(skipped.reason, /too large/);
	const s = mmapify(['scan', '--json', 'drivers/demo'], dir, {}, 300_000);
	assert.is(s.code, 0, s.err.slice(0, 2000));
	assert.is.not(hook(s.out, 'huge_mmap')?.status, 'converted');
	assert.match(JSON.stringify(JSON.parse(s.out).files), /drivers\/demo\/huge\.c/);
});

test('11: a file that is not UTF-8 is not dropped in silence: its hook is reported with the reason', () => {
	const latin1 = Buffer.from(hookFile('demo_latin', '/* (c) 2026 Jos\u00e9 Mu\u00f1oz */\n'), 'latin1');
	const dir = exampleRepo({ 'drivers/demo/demo_latin.c': latin1 });
	const r = mmapify(['--json', '--dry-run', 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	const h = hook(r.out, 'demo_latin_mmap');
	assert.ok(h, 'demo_latin_mmap is not in the report');
	assert.is(h!.status, 'skipped');
	assert.match(h!.reason!, /UTF-8/);
	assert.is(hook(r.out, 'demo_regs_mmap')?.status, 'converted');
	const text = mmapify(['--dry-run', 'drivers/demo'], dir);
	assert.match(text.out, /demo_latin_mmap[\s\S]*UTF-8/);
});

test('12: a hostile N: regex in MAINTAINERS cannot hang the run; the other sections still match', () => {
	const maintainers = [
		'DEMO DRIVERS',
		'M:\tDemo Maintainer <demo@example.org>',
		'S:\tMaintained',
		'F:\tdrivers/demo/',
		'',
		'HOSTILE',
		'M:\tEve <eve@example.org>',
		'S:\tMaintained',
		'N:\t^(([a-z_/]+)+)+\\.x$',
		'',
		'STARS',
		'M:\tStar <star@example.org>',
		'S:\tMaintained',
		'F:\t****************************x',
		'',
	].join('\n');
	const dir = exampleRepo({ MAINTAINERS: maintainers });
	const t0 = Date.now();
	const r = mmapify(['--json', '-o', 'out', 'drivers/demo/demo_regs.c'], dir, {}, 60_000);
	assert.ok(r.signal === null, `killed after ${Date.now() - t0} ms: the match hangs`);
	assert.is(r.code, 0, r.err);
	const rep = JSON.parse(r.out);
	assert.equal(rep.patches[0].to, ['Demo Maintainer <demo@example.org>']);
});

test('14: a CRLF file keeps CRLF in the lines mmapify writes; the patch applies with git am', () => {
	const dir = exampleRepo();
	const f = path.join(dir, 'drivers/demo/demo_regs.c');
	fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/\n/g, '\r\n'));
	git(dir, 'commit', '-qam', 'crlf');
	const r = mmapify(['--json', '-o', 'out', 'drivers/demo/demo_regs.c'], dir);
	assert.is(r.code, 0, r.err);
	const patch = path.join(dir, 'out', JSON.parse(r.out).patches[0].path);
	const added = fs.readFileSync(patch, 'utf8').split('\n').filter((l) => /^\+[^+]/.test(l) || l === '+');
	assert.ok(added.length > 3);
	for (const l of added) assert.ok(l.endsWith('\r'), `added line without CR: ${JSON.stringify(l)}`);
	const am = git(dir, 'am', '--keep-cr', patch); // as for git format-patch's own patches of CRLF files
	assert.is(am.status, 0, am.stderr);
	const after = fs.readFileSync(f, 'utf8');
	assert.match(after, /demo_regs_mmap_prepare/);
	assert.not.match(after, /[^\r]\n/, 'a line ends in LF alone');
});

test('18: scan agrees with the converter about a tree without mmap_prepare (6.12 shape): nothing is converted', () => {
	const dir = exampleRepo();
	const fsh = path.join(dir, 'include/linux/fs.h');
	fs.writeFileSync(fsh, fs.readFileSync(fsh, 'utf8').replace(/^.*mmap_prepare.*\n/gm, ''));
	const conv = mmapify(['-o', 'out', 'drivers/demo'], dir);
	assert.is(conv.code, 2);
	const s = mmapify(['scan', '--json'], dir);
	assert.is(s.code, 0, s.err);
	const hooks = hooksOf(s.out);
	assert.ok(hooks.length >= 7);
	for (const h of hooks) {
		assert.is(h.status, 'skipped', `${h.function}: ${h.status}`);
		assert.match(h.reason ?? '', /mmap_prepare/);
	}
	assert.is(JSON.parse(s.out).totals.converted, 0);
});

test.after(cleanup);
test.run();
