// faults.md 6, 7, 8, 13 and 15: what the series is made from is what it says
// it is made from. Uncommitted or untracked hook files refuse the run (unless
// --allow-dirty, and then the cover letter says so); a tree that is not the
// top level of its repository does not take that repository's HEAD; paths
// through symlinks out of the tree are refused; explicit paths that give
// nothing are reported; path tests compare whole path components.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, exampleRepo, exampleTree, git, hookFile, mmapify, mmapifyUnprivileged, oneLine, tmpdir } from './support.js';

const HOOK = 'drivers/demo/demo_regs.c';

test('6: a hook file with uncommitted changes refuses the run, naming it; --allow-dirty writes a cover letter that says the base is not a commit', () => {
	const dir = exampleRepo();
	const f = path.join(dir, HOOK);
	fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('\treturn 0;\n}\n', '\t/* my uncommitted edit */\n\treturn 0;\n}\n'));
	const r = mmapify(['-o', 'out', 'drivers/demo'], dir);
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /drivers\/demo\/demo_regs\.c/);
	assert.match(r.err, /--allow-dirty/);
	assert.not.ok(fs.existsSync(path.join(dir, 'out')));
	// a dry run shows the diff and says so
	const dry = mmapify(['--dry-run', 'drivers/demo'], dir);
	assert.is(dry.code, 0, dry.err);
	assert.match(dry.out + dry.err, /demo_regs\.c.*uncommitted/);
	const ok = mmapify(['--allow-dirty', '-o', 'out', 'drivers/demo'], dir);
	assert.is(ok.code, 0, ok.err);
	const cover = fs.readFileSync(path.join(dir, 'out/0000-cover-letter.patch'), 'utf8');
	assert.not.match(cover, /^base-commit:/m);
	assert.match(cover.replace(/\n/g, ' '), /base of this series is not a commit/);
	assert.match(cover.replace(/\n/g, ' '), /drivers\/demo\/demo_regs\.c/);
});

test('6: an untracked hook file refuses the run, naming it', () => {
	const dir = exampleRepo();
	fs.writeFileSync(path.join(dir, 'drivers/demo/demo_new.c'), hookFile('demo_new'));
	for (const p of ['drivers/demo/demo_new.c', 'drivers/demo']) {
		const r = mmapify(['-o', 'out', p], dir);
		assert.is(r.code, 2, `${p}: ${r.out}${r.err}`);
		assert.ok(oneLine(r.err), r.err);
		assert.match(r.err, /drivers\/demo\/demo_new\.c.*untracked|untracked.*drivers\/demo\/demo_new\.c/);
		assert.not.ok(fs.existsSync(path.join(dir, 'out')));
	}
	// a file the series does not touch may be dirty
	fs.rmSync(path.join(dir, 'drivers/demo/demo_new.c'));
	fs.writeFileSync(path.join(dir, 'drivers/demo/notes.txt'), 'untracked, not a hook file\n');
	assert.is(mmapify(['-o', 'out', 'drivers/demo'], dir).code, 0);
	// an edited source file the series does not carry is named in a note (the plan read it as it is)
	fs.appendFileSync(path.join(dir, 'drivers/demo/demo_dma.c'), '/* work in progress */\n');
	const n = mmapify(['-o', 'out2', 'drivers/demo/demo_regs.c'], dir);
	assert.is(n.code, 0, n.err);
	assert.match(n.out, /^note: drivers\/demo\/demo_dma\.c differs from HEAD/m);
});

test('7: a tree inside an unrelated git repository does not take its HEAD as base-commit; --verify refuses', () => {
	const outer = tmpdir();
	fs.writeFileSync(path.join(outer, 'README'), 'not a kernel\n');
	git(outer, 'init', '-q');
	git(outer, 'add', '-A');
	git(outer, 'commit', '-qm', 'outer');
	const dir = path.join(outer, 'sub', 'linux');
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	fs.cpSync(exampleTree, dir, { recursive: true });
	const r = mmapify(['-o', 'out', HOOK], dir);
	assert.is(r.code, 0, r.err);
	assert.match(r.out + r.err, /not the top level|ignored/);
	const cover = fs.readFileSync(path.join(dir, 'out/0000-cover-letter.patch'), 'utf8');
	assert.not.match(cover, /^base-commit:/m);
	const v = mmapify(['--verify', '-o', 'out2', HOOK], dir);
	assert.is(v.code, 2, v.out + v.err);
	assert.ok(oneLine(v.err), v.err);
	assert.match(v.err, /--verify/);
	// the same tree committed inside the outer repository: still not its top level
	git(outer, 'add', '-A');
	git(outer, 'commit', '-qm', 'vendor a tree');
	const c = mmapify(['-o', 'out3', HOOK], dir);
	assert.is(c.code, 0, c.err);
	assert.not.match(fs.readFileSync(path.join(dir, 'out3/0000-cover-letter.patch'), 'utf8'), /^base-commit:/m);
});

test('8: a path through a symlink that leaves the tree is refused; the outside file is not read into a patch', () => {
	const dir = exampleRepo();
	const outside = tmpdir();
	fs.writeFileSync(path.join(outside, 'f.c'), hookFile('outside'));
	fs.symlinkSync(outside, path.join(dir, 'drivers/x'));
	git(dir, 'add', '-A');
	git(dir, 'commit', '-qm', 'a symlink');
	for (const p of ['drivers/x/f.c', 'drivers/x']) {
		const r = mmapify(['-o', 'out', p], dir);
		assert.is(r.code, 2, `${p}: ${r.out}${r.err}`);
		assert.ok(oneLine(r.err), r.err);
		assert.match(r.err, /symbolic link|symlink/);
		assert.match(r.err, /outside the (kernel )?tree/);
		assert.not.ok(fs.existsSync(path.join(dir, 'out')));
	}
	// a folder walk does not follow it
	const w = mmapify(['--json', '--dry-run', 'drivers'], dir);
	assert.is(w.code, 0, w.err);
	assert.not.ok(JSON.parse(w.out).hooks.some((h: { function: string }) => h.function === 'outside_mmap'));
	assert.is(fs.readFileSync(path.join(outside, 'f.c'), 'utf8'), hookFile('outside'));
});

test('13: an explicit path that is a symlink inside the tree is reported, not silently ignored', () => {
	const dir = exampleRepo();
	fs.symlinkSync('demo/demo_regs.c', path.join(dir, 'drivers/link.c'));
	const r = mmapify(['-o', 'out', 'drivers/link.c'], dir);
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /drivers\/link\.c.*symbolic link.*drivers\/demo\/demo_regs\.c/);
	assert.not.match(r.out, /nothing to convert/);
});

test('13: an explicit folder the user cannot read is reported (exit 2, one line), not "nothing to convert"', () => {
	const dir = exampleRepo();
	spawnSync('chmod', ['-R', 'a+rX', path.dirname(dir)]);
	fs.chmodSync(path.join(dir, 'drivers/demo'), 0o000);
	const r = mmapifyUnprivileged(['--dry-run', 'drivers/demo'], dir);
	fs.chmodSync(path.join(dir, 'drivers/demo'), 0o755);
	if (!r) return void process.stdout.write('\n  skipped (needs setpriv to run as an unprivileged user)\n');
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /drivers\/demo.*(permission|EACCES)/i);
});

test('16: an unreadable hook file: given explicitly, exit 2 with one line; met in a folder, reported and the rest converted', () => {
	const dir = exampleRepo();
	spawnSync('chmod', ['-R', 'a+rX', path.dirname(dir)]);
	fs.chmodSync(path.join(dir, HOOK), 0o000);
	const r = mmapifyUnprivileged(['--dry-run', HOOK], dir);
	if (!r) return void process.stdout.write('\n  skipped (needs setpriv to run as an unprivileged user)\n');
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /demo_regs\.c.*(permission|EACCES)/i);
	const f = mmapifyUnprivileged(['--json', '--dry-run', 'drivers/demo'], dir)!;
	assert.is(f.code, 0, f.err);
	const rep = JSON.parse(f.out);
	assert.ok(rep.hooks.some((h: { function: string; status: string }) => h.function === 'demo_window_mmap' && h.status === 'converted'));
	assert.ok(
		rep.skippedFiles?.some((x: { file: string; status: string; reason: string }) => x.file === HOOK && x.status === 'error' && /EACCES|permission/i.test(x.reason)),
		JSON.stringify(rep.skippedFiles),
	);
});

test('16: a file of the tree nobody can read: hooks and chains other files may use are refused, naming it', () => {
	const glob = hookFile('demo_glob').replace('static int demo_glob_mmap', 'int demo_glob_mmap');
	const dir = exampleRepo({ 'drivers/demo/demo_glob.c': glob, 'drivers/other/secret.c': 'int demo_secret;\n' });
	spawnSync('chmod', ['-R', 'a+rX', path.dirname(dir)]);
	fs.chmodSync(path.join(dir, 'drivers/other/secret.c'), 0o000);
	const r = mmapifyUnprivileged(['--json', '--dry-run', 'drivers/demo'], dir);
	if (!r) return void process.stdout.write('\n  skipped (needs setpriv to run as an unprivileged user)\n');
	assert.is(r.code, 0, r.err);
	const rep = JSON.parse(r.out);
	const by = (fn: string) => rep.hooks.find((h: { function: string }) => h.function === fn);
	assert.is(by('demo_glob_mmap').status, 'skipped');
	assert.match(by('demo_glob_mmap').reason, /drivers\/other\/secret\.c/);
	assert.is(by('demo_bus_mmap').status, 'skipped', 'the chain could be used from the unreadable file');
	assert.is(by('demo_regs_mmap').status, 'converted', 'a static hook is not affected');
	assert.ok(rep.skippedFiles.some((f: { file: string; status: string }) => f.file === 'drivers/other/secret.c' && f.status === 'error'));
});

test('15: a folder named ..x inside the tree is inside the tree', () => {
	const dir = exampleRepo({ '..x/demo_dots.c': hookFile('demo_dots') });
	const r = mmapify(['--json', '--dry-run', '..x'], dir);
	assert.is(r.code, 0, r.err);
	assert.ok(JSON.parse(r.out).hooks.some((h: { function: string; status: string }) => h.function === 'demo_dots_mmap' && h.status === 'converted'));
});

test('15: a current folder whose name only starts like the tree\'s is not inside it', () => {
	const base = tmpdir();
	const tree = exampleRepo({}, path.join(base, 'tdots'));
	const cwd = path.join(base, 'tdotsx');
	fs.mkdirSync(cwd);
	// --tree and no paths: the whole tree, as from any folder outside it
	const r = mmapify(['--json', '--dry-run', '--tree', tree], cwd);
	assert.is(r.code, 0, r.err);
	assert.ok(JSON.parse(r.out).summary.converted > 0);
	// a path that also exists under the current folder is still the tree's when the current folder is outside it
	fs.mkdirSync(path.join(cwd, 'drivers/demo'), { recursive: true });
	fs.writeFileSync(path.join(cwd, HOOK), hookFile('not_in_tree'));
	const p = mmapify(['--json', '--dry-run', '--tree', tree, HOOK], cwd);
	assert.is(p.code, 0, p.err);
	assert.ok(JSON.parse(p.out).hooks.some((h: { function: string }) => h.function === 'demo_regs_mmap'));
});

test.after(cleanup);
test.run();
