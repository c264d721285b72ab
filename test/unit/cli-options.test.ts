// The options codemod and kernel users reach for first, one test (or a few)
// per option, run as a user runs them: the built command (npm test builds it
// first) on a git copy of the example tree. --check and its exit statuses,
// --format gcc, --only and its chain, --exclude, --no-coexist, -q / -v (and -v N, the
// reroll count), help, --color and the colour variables, on a pipe and under
// a pseudo-terminal (script -qc).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exampleTree, gitCopy, repoRoot } from '../support/helpers.js';
import { colorEnabled, terminalWidth } from '../../src/ui/term.js';
import { rerollOrVerbose } from '../../src/cli/options.js';

const cli = path.join(repoRoot, 'dist/src/cli.js');
// The colour variables are set per test; none of the caller's may leak in.
const baseEnv: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'TERM', 'COLUMNS', 'MMAPIFY_WORKERS'].includes(k)) baseEnv[k] = v;
Object.assign(baseEnv, { GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.org', TERM: 'xterm' });

const scratch: string[] = [];
function tmpdir(): string {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-opt-'));
	scratch.push(d);
	return d;
}

function mmapify(args: string[], cwd: string, env: Record<string, string> = {}) {
	const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...baseEnv, MMAPIFY_WORKERS: '1', ...env }, encoding: 'utf8' });
	return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A git copy of the example tree (made once; tests that write get their own). */
const exampleRepo = () => gitCopy(tmpdir());
let shared: string | undefined;
const repo = () => (shared ??= exampleRepo());

/** Nothing in the tree changed and no output folder appeared. */
function untouched(dir: string) {
	assert.is(spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' }).stdout, '', 'the tree is unchanged and nothing was written');
}

// The hooks of the example tree's drivers/demo that convert (with their definitions).
const CONVERTING = ['demo_led_mmap', 'demo_bus_mmap', 'generic_file_mmap', 'generic_file_readonly_mmap', 'demo_regs_mmap', 'demo_status_mmap', 'demo_window_mmap'];

// ------------------------------------------------------------------ --check

test('--check: exit 1 when hooks would convert, one file:line line each and the verdict; writes nothing', () => {
	const dir = repo();
	const r = mmapify(['--check', 'drivers/demo'], dir);
	assert.is(r.code, 1, r.err);
	const lines = r.out.trim().split('\n');
	const verdict = lines.pop()!;
	assert.match(verdict, /^mmapify --check: 7 hooks would convert \(4 patches\); 2 not convertible$/);
	assert.is(lines.length, CONVERTING.length);
	for (const l of lines) assert.match(l, /^drivers\/demo\/[a-z_]+\.c:\d+: [a-z_]+ -> [a-z_]+$/);
	assert.ok(lines.includes('drivers/demo/demo_regs.c:25: demo_regs_mmap -> demo_regs_mmap_prepare'), r.out);
	assert.not.ok(fs.existsSync(path.join(dir, 'outgoing')));
	untouched(dir);
});

test('--check: exit 0 when nothing would convert (only refusals)', () => {
	const dir = repo();
	const r = mmapify(['--check', 'drivers/demo/demo_dma.c'], dir);
	assert.is(r.code, 0, r.err);
	assert.is(r.out.trim(), 'mmapify --check: no hook would convert; 2 not convertible');
	untouched(dir);
});

test('--check -q prints nothing, the exit status says it; --check -v adds the refusals with their codes', () => {
	const dir = repo();
	const q = mmapify(['--check', '-q', 'drivers/demo'], dir);
	assert.is(q.code, 1);
	assert.is(q.out, '');
	const v = mmapify(['--check', '-v', 'drivers/demo'], dir);
	assert.is(v.code, 1);
	assert.match(v.out, /^drivers\/demo\/demo_dma\.c:22: demo_dma_mmap not converted \[dma-mmap-no-desc\]: /m);
	assert.match(v.out, /^drivers\/demo\/demo_dma\.c:30: demo_counted_mmap not converted \[side-effect\]: /m);
	untouched(dir);
});

test('--check --json: mode check, the hooks that would convert, no patch written; exit 1', () => {
	const dir = repo();
	const r = mmapify(['--check', '--json', 'drivers/demo'], dir);
	assert.is(r.code, 1, r.err);
	const rep = JSON.parse(r.out);
	assert.is(rep.mode, 'check');
	assert.equal(rep.hooks.filter((h: { status: string }) => h.status === 'converted').map((h: { function: string }) => h.function).sort(), [...CONVERTING].sort());
	assert.ok(rep.patches.length > 0 && rep.patches.every((p: { written: boolean }) => p.written === false));
	untouched(dir);
});

test('--check cannot be combined with --verify (exit 2)', () => {
	const r = mmapify(['--check', '--verify', 'drivers/demo'], repo());
	assert.is(r.code, 2);
	assert.match(r.err, /--check .* cannot be combined with --verify/);
});

// ------------------------------------------------------------------ --format gcc

const GCC = /^([^:\s]+):(\d+): mmapify: ([a-z][a-z0-9-]*): (.+)$/;

test('--format gcc: one file:line: mmapify: code: reason line per refused hook, pointing at the construct', () => {
	const dir = repo();
	const r = mmapify(['--format', 'gcc', '--dry-run', 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	const lines = r.out.trim().split('\n');
	assert.is(lines.length, 2, r.out);
	for (const l of lines) assert.match(l, GCC);
	const [, file, line, code, reason] = GCC.exec(lines[0]!)!;
	assert.equal([file, line, code], ['drivers/demo/demo_dma.c', '22', 'dma-mmap-no-desc']);
	// the line is the refused construct's: dma_mmap_coherent() is on it
	assert.match(fs.readFileSync(path.join(dir, file!), 'utf8').split('\n')[Number(line) - 1]!, /dma_mmap_coherent\(/);
	assert.match(reason!, /dma_mmap_coherent\(\)/);
	assert.match(lines[1]!, /^drivers\/demo\/demo_dma\.c:30: mmapify: side-effect: atomic_inc\(\)/);
	untouched(dir);
});

test('--format gcc --check adds the hooks that would convert as would-convert lines', () => {
	const r = mmapify(['--format', 'gcc', '--check', 'drivers/demo'], repo());
	assert.is(r.code, 1);
	const lines = r.out.trim().split('\n');
	assert.is(lines.length, 2 + CONVERTING.length);
	for (const l of lines) assert.match(l, GCC);
	assert.ok(lines.includes('drivers/demo/demo_regs.c:25: mmapify: would-convert: demo_regs_mmap -> demo_regs_mmap_prepare'), r.out);
});

test('scan --format gcc prints the same refusals as the conversion', () => {
	const dir = repo();
	const conv = mmapify(['--format', 'gcc', '--dry-run', 'drivers/demo'], dir);
	const scan = mmapify(['scan', '--format', 'gcc', 'drivers/demo'], dir);
	assert.is(scan.code, 0, scan.err);
	assert.equal(scan.out.trim().split('\n').sort(), conv.out.trim().split('\n').sort());
});

test('--json and --format text contradict each other (exit 2); --format takes only text, json, gcc', () => {
	const dir = repo();
	const both = mmapify(['--json', '--format', 'text', '--check', 'drivers/demo'], dir);
	assert.is(both.code, 2);
	assert.match(both.err, /--json and --format text contradict/);
	const bad = mmapify(['--format', 'xml', '--check', 'drivers/demo'], dir);
	assert.is(bad.code, 2);
	assert.match(bad.err, /Choices: "text", "json", "gcc"/);
});

// ------------------------------------------------------------------ --only / --exclude

test('--only FUNC converts that hook and the dispatcher of its chain, and says so', () => {
	const dir = repo();
	const r = mmapify(['--dry-run', '--only', 'demo_led_mmap', 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	const converted = [...r.out.matchAll(/^converted (\S+) -> /gm)].map((m) => m[1]);
	assert.equal(converted, ['demo_led_mmap']);
	// the dispatcher keeps f_op->mmap behind the compat shim: listed as a shim, not as converted
	assert.match(r.out, /^shim      demo_bus_mmap  drivers\/demo\/demo_bus\.c:\d+$/m);
	assert.match(r.out, /^note: demo_bus_mmap \(drivers\/demo\/demo_bus\.c\) converts with chain demo_bus_ops\.mmap, which --only demo_led_mmap selected$/m);
	assert.match(r.out, /^note: 5 more hooks would convert but are left out by --only\/--exclude \(-v lists them\)$/m);
	// the diff touches only the chain: its two hooks and the struct's header
	const diffed = [...r.out.matchAll(/^\+\+\+ b\/(\S+)/gm)].map((m) => m[1]).sort();
	assert.equal(diffed, ['drivers/demo/demo_bus.c', 'drivers/demo/demo_bus_led.c', 'include/linux/demo_bus.h']);
	untouched(dir);
});

test('--only in the JSON report: the selection with its chain; the rest not-selected, with file and line', () => {
	const r = mmapify(['--json', '--check', '--only', 'demo_regs_mmap', '--only', 'demo_led_mmap', 'drivers/demo'], repo());
	assert.is(r.code, 1, r.err);
	const rep = JSON.parse(r.out);
	assert.equal(rep.selection.only, ['demo_regs_mmap', 'demo_led_mmap']);
	assert.equal(rep.selection.withChain.map((w: { function: string; chain: string; for: string[] }) => [w.function, w.chain, w.for]), [['demo_bus_mmap', 'demo_bus_ops.mmap', ['demo_led_mmap']]]);
	const by = Object.fromEntries(rep.hooks.map((h: { function: string }) => [h.function, h]));
	for (const f of ['demo_regs_mmap', 'demo_led_mmap', 'demo_bus_mmap']) assert.is(by[f].status, 'converted', f);
	assert.is(by.demo_status_mmap.status, 'skipped');
	assert.is(by.demo_status_mmap.code, 'not-selected');
	assert.equal(by.demo_status_mmap.at, { file: 'drivers/demo/demo_ring.c', line: 14 });
	// a refused hook keeps its own reason, not "not selected"
	assert.is(by.demo_dma_mmap.code, 'dma-mmap-no-desc');
});

test('--only a function that is no hook there: exit 2 naming it, nothing written', () => {
	const dir = repo();
	const r = mmapify(['--only', 'no_such_mmap', '-o', 'out', 'drivers/demo'], dir);
	assert.is(r.code, 2);
	assert.match(r.err, /^mmapify: --only no_such_mmap: no such hook under drivers\/demo/);
	untouched(dir);
});

test('--exclude GLOB (repeatable) leaves those files out: not read, not edited', () => {
	const dir = repo();
	const r = mmapify(['--check', '--json', '--exclude', 'drivers/demo/demo_regs.c', '--exclude', '*ring*', 'drivers/demo'], dir);
	assert.is(r.code, 1, r.err);
	const rep = JSON.parse(r.out);
	const files = new Set<string>(rep.hooks.map((h: { file?: string }) => h.file).filter(Boolean));
	for (const f of files) assert.not.match(f, /demo_regs\.c|demo_ring\.c/);
	for (const p of rep.patches) for (const f of p.files) assert.not.match(f, /demo_regs\.c|demo_ring\.c/);
	const conv = rep.hooks.filter((h: { status: string }) => h.status === 'converted').map((h: { function: string }) => h.function).sort();
	assert.equal(conv, ['demo_bus_mmap', 'demo_led_mmap', 'generic_file_mmap', 'generic_file_readonly_mmap']);
	// excluding everything that converts: --check passes
	const none = mmapify(['--check', '-q', '--exclude', 'demo_[bfr]*.c', 'drivers/demo'], dir);
	assert.is(none.code, 0, none.out + none.err);
	untouched(dir);
});

// ------------------------------------------------------------------ --no-coexist

test('--no-coexist refuses a chain that would keep the old field beside the new one (coexist-off); without it the chain coexists', () => {
	const dir = tmpdir();
	gitCopy(dir);
	// test/chains/coexist: one implementor converts, one (dma_mmap_coherent) cannot
	fs.cpSync(path.join(repoRoot, 'test/chains/coexist/tree'), dir, { recursive: true });
	const hook = (out: string) => (JSON.parse(out).hooks as Array<{ function: string; status: string; code?: string }>).find((h) => h.function === 'foo_fop_mmap');
	const on = mmapify(['--check', '--json', 'drivers/foo/core'], dir);
	assert.is(on.code, 1, on.err);
	assert.is(hook(on.out)?.status, 'converted');
	const off = mmapify(['--check', '--json', '--no-coexist', 'drivers/foo/core'], dir);
	assert.is(off.code, 0, off.err);
	assert.is(hook(off.out)?.status, 'skipped');
	assert.is(hook(off.out)?.code, 'coexist-off');
});

// ------------------------------------------------------------------ -q / -v

test('-q: a run that writes prints only where the series went; -v adds rules, wiring and codes', () => {
	const dir = exampleRepo();
	const q = mmapify(['-q', '-o', 'out', 'drivers/demo'], dir);
	assert.is(q.code, 0, q.err);
	assert.is(q.out, 'wrote 6 files to out\n');
	assert.is(q.err, '');
	const v = mmapify(['-v', '--dry-run', 'drivers/demo'], dir);
	assert.is(v.code, 0, v.err);
	assert.match(v.out, /^converted demo_regs_mmap -> demo_regs_mmap_prepare {2}drivers\/demo\/demo_regs\.c:25\n {10}rules: P1, .*\bnaming\n {10}wired: file_operations\.mmap at drivers\/demo\/demo_regs\.c:\d+$/m);
	assert.match(v.out, /^ {10}\[dma-mmap-no-desc\] dma_mmap_coherent\(\)/m);
	const plain = mmapify(['--dry-run', 'drivers/demo'], dir);
	assert.not.match(plain.out, /rules: |\[dma-mmap-no-desc\]/);
	assert.is(mmapify(['-q', '-v', '--check', 'drivers/demo'], dir).code, 2, '-q and -v contradict each other');
});

test('-v N and -vN are the reroll count (git format-patch), -v alone is --verbose', () => {
	assert.equal(rerollOrVerbose(['-v', '2', 'drivers/x']), ['--reroll-count', '2', 'drivers/x']);
	assert.equal(rerollOrVerbose(['-v3']), ['--reroll-count', '3']);
	assert.equal(rerollOrVerbose(['-v=4']), ['--reroll-count', '4']);
	assert.equal(rerollOrVerbose(['-v', 'drivers/x']), ['--verbose', 'drivers/x']);
	assert.equal(rerollOrVerbose(['-v', './2']), ['--verbose', './2']);
	assert.equal(rerollOrVerbose(['--', '-v', '2']), ['--', '-v', '2']);
	const dir = exampleRepo();
	const r = mmapify(['-v', '2', '-q', '-o', 'out', 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err);
	// .mmapify/ is the output folder's manifest (README, The output folder).
	const names = fs.readdirSync(path.join(dir, 'out')).filter((n) => n !== '.mmapify').sort();
	assert.ok(names.length > 1 && names.every((n) => n.startsWith('v2-')), names.join(' '));
	assert.match(fs.readFileSync(path.join(dir, 'out', names[1]!), 'utf8'), /^Subject: \[PATCH v2 1\/4\] /m);
	const v = mmapify(['-v', '--dry-run', 'drivers/demo'], dir);
	assert.match(v.out, / {10}rules: /);
});

// ------------------------------------------------------------------ --verify and -s

// A stand-in for scripts/checkpatch.pl: records its arguments; like the real one, an
// ERROR for a patch without Signed-off-by unless --no-signoff.
const FAKE_CHECKPATCH = `#!/usr/bin/env perl
open(my $log, '>>', $ENV{CHECKPATCH_LOG}) or die "log: $!";
print $log join(' ', @ARGV[0 .. $#ARGV - 1]), "\\n";
open(my $fh, '<', $ARGV[-1]) or die "$ARGV[-1]: $!";
my $sob = grep { /^Signed-off-by:/ } <$fh>;
if (!$sob && !grep { $_ eq '--no-signoff' } @ARGV) {
	print "$ARGV[-1]:1: ERROR: Missing Signed-off-by: line(s)\\ntotal: 1 errors, 0 warnings, 9 lines checked\\n";
	exit 1;
}
exit 0;
`;

function verifyRepo(): { dir: string; log: string } {
	const tree = tmpdir();
	fs.cpSync(exampleTree, tree, { recursive: true });
	fs.mkdirSync(path.join(tree, 'scripts'));
	fs.writeFileSync(path.join(tree, 'scripts/checkpatch.pl'), FAKE_CHECKPATCH, { mode: 0o755 });
	const dir = gitCopy(tmpdir(), tree);
	return { dir, log: path.join(dir, '..', `${path.basename(dir)}-checkpatch.log`) };
}

test('--verify without -s: checkpatch runs with --no-signoff, the patches pass, the report and cover letter say the Signed-off-by is the sender\'s', () => {
	const { dir, log } = verifyRepo();
	scratch.push(log);
	const r = mmapify(['--verify', '-o', 'out', 'drivers/demo'], dir, { CHECKPATCH_LOG: log });
	assert.is(r.code, 0, r.out + r.err);
	const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
	assert.is(calls.length, 4);
	for (const c of calls) assert.ok(c.split(' ').includes('--no-signoff'), c);
	assert.match(r.out, /note: checkpatch ran with --no-signoff: the patches carry no Signed-off-by, which is the sender's to add/);
	assert.match(r.out, /^verify: ok \(4 patches\)$/m);
	const cover = fs.readFileSync(path.join(dir, 'out', '0000-cover-letter.patch'), 'utf8');
	assert.match(cover.replace(/\n/g, ' '), /checkpatch\.pl --strict --no-signoff/);
	for (const f of fs.readdirSync(path.join(dir, 'out')).filter((n) => n.endsWith('.patch'))) assert.not.match(fs.readFileSync(path.join(dir, 'out', f), 'utf8'), /^Signed-off-by:/m);
});

test('--verify -s: checkpatch checks the Signed-off-by (no --no-signoff), which the patches carry', () => {
	const { dir, log } = verifyRepo();
	scratch.push(log);
	const r = mmapify(['--verify', '-s', '--json', '-o', 'out', 'drivers/demo'], dir, { CHECKPATCH_LOG: log });
	assert.is(r.code, 0, r.err);
	for (const c of fs.readFileSync(log, 'utf8').trim().split('\n')) assert.not.ok(c.split(' ').includes('--no-signoff'), c);
	const rep = JSON.parse(r.out);
	assert.is(rep.verify.signoff, 'checked');
	assert.ok(rep.verify.ok);
	assert.not.ok(rep.verify.notes.some((n: string) => n.includes('--no-signoff')));
});

// ------------------------------------------------------------------ help

test('mmapify help, --help, -h and every subcommand\'s --help exit 0; the main help names scan and sync-dup', () => {
	const dir = repo();
	const main = mmapify(['help'], dir);
	assert.is(main.code, 0, main.err);
	assert.match(main.out, /^ {2}\S+ scan \[paths\.\.\] /m);
	assert.match(main.out, /^ {2}\S+ sync-dup /m);
	for (const o of ['--check', '--only', '--exclude', '--coexist', '--format', '--color', '--quiet', '--verbose', '--json', '--jobs']) assert.ok(main.out.includes(o), `main help lacks ${o}`);
	assert.is(mmapify(['--help'], dir).out, main.out);
	assert.is(mmapify(['-h'], dir).out, main.out);
	for (const sub of ['scan', 'sync-dup']) {
		const h = mmapify([sub, '--help'], dir);
		assert.is(h.code, 0, `${sub} --help: ${h.err}`);
		assert.match(h.out, new RegExp(`^mmapify ${sub}`, 'm'));
		assert.is(mmapify(['help', sub], dir).out, h.out, `mmapify help ${sub}`);
	}
	const scan = mmapify(['scan', '--help'], dir);
	for (const o of ['--format', '--color', '--quiet', '--verbose', '--jobs']) assert.ok(scan.out.includes(o), `scan help lacks ${o}`);
	const bad = mmapify(['--no-such-option'], dir);
	assert.is(bad.code, 2);
});

// ------------------------------------------------------------------ colour

const SGR = /\x1b\[(?:[013]|3[0-7])m/;

test('colour decision: --color wins; in auto FORCE_COLOR, then NO_COLOR and TERM=dumb, then the terminal', () => {
	const tty = { isTTY: true, columns: 100 };
	const pipe = { isTTY: false };
	assert.ok(colorEnabled('auto', tty, { TERM: 'xterm' }));
	assert.not.ok(colorEnabled('auto', pipe, { TERM: 'xterm' }));
	assert.not.ok(colorEnabled('auto', tty, { TERM: 'xterm', NO_COLOR: '1' }));
	assert.ok(colorEnabled('auto', tty, { TERM: 'xterm', NO_COLOR: '' }), 'an empty NO_COLOR does not count');
	assert.not.ok(colorEnabled('auto', tty, { TERM: 'dumb' }));
	assert.ok(colorEnabled('auto', pipe, { FORCE_COLOR: '1' }));
	assert.ok(colorEnabled('auto', pipe, { FORCE_COLOR: '' }), 'FORCE_COLOR set to nothing forces, as in node');
	assert.not.ok(colorEnabled('auto', tty, { FORCE_COLOR: '0' }));
	assert.not.ok(colorEnabled('auto', tty, { FORCE_COLOR: 'false' }));
	assert.ok(colorEnabled('always', pipe, { NO_COLOR: '1', TERM: 'dumb' }));
	assert.not.ok(colorEnabled('never', tty, { FORCE_COLOR: '1' }));
	assert.is(terminalWidth(tty, {}), 100);
	assert.is(terminalWidth(pipe, {}), undefined);
	assert.is(terminalWidth(pipe, { COLUMNS: '72' }), 72);
});

test('--color on a pipe: never by default, always with --color always or FORCE_COLOR; never beats FORCE_COLOR', () => {
	const dir = repo();
	const args = ['--dry-run', 'drivers/demo/demo_regs.c'];
	assert.not.match(mmapify(args, dir).out, SGR);
	assert.match(mmapify(['--color', 'always', ...args], dir).out, SGR);
	assert.match(mmapify(['--color', 'always', ...args], dir, { NO_COLOR: '1' }).out, SGR);
	assert.match(mmapify(args, dir, { FORCE_COLOR: '1' }).out, SGR);
	assert.not.match(mmapify(args, dir, { FORCE_COLOR: '0' }).out, SGR);
	assert.not.match(mmapify(['--color', 'never', ...args], dir, { FORCE_COLOR: '1' }).out, SGR);
	// JSON and gcc lines are never coloured
	assert.not.match(mmapify(['--color', 'always', '--json', ...args], dir).out, SGR);
	assert.is(mmapify(['--color', 'sometimes', ...args], dir).code, 2);
});

/** The command under a pseudo-terminal (util-linux script), stdout and stderr merged. */
function underPty(args: string[], cwd: string, env: Record<string, string> = {}) {
	const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
	const cmd = [process.execPath, cli, ...args].map(q).join(' ');
	const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd, env: { ...baseEnv, MMAPIFY_WORKERS: '1', ...env }, encoding: 'utf8' });
	return { code: r.status, out: r.stdout };
}

test('under a pseudo-terminal: colour in auto; none with NO_COLOR, TERM=dumb or --color never', () => {
	if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) assert.unreachable('script (util-linux/bsdutils) is needed for the pseudo-terminal test');
	const dir = repo();
	const args = ['--dry-run', 'drivers/demo/demo_regs.c'];
	const auto = underPty(args, dir);
	assert.is(auto.code, 0, auto.out);
	assert.match(auto.out, /\x1b\[32m\+static int demo_regs_mmap_prepare\(struct vm_area_desc \*desc\)\x1b\[0m/);
	assert.match(auto.out, /\x1b\[32mconverted\x1b\[0m demo_regs_mmap/);
	for (const [what, env, extra] of [
		['NO_COLOR=1', { NO_COLOR: '1' }, []],
		['TERM=dumb', { TERM: 'dumb' }, []],
		['--color never', {}, ['--color', 'never']],
	] as Array<[string, Record<string, string>, string[]]>) {
		const r = underPty([...extra, ...args], dir, env);
		assert.is(r.code, 0, r.out);
		assert.match(r.out, /\+static int demo_regs_mmap_prepare/, what);
		assert.not.match(r.out, SGR, what);
	}
	// FORCE_COLOR=0 turns auto off on a terminal too
	assert.not.match(underPty(args, dir, { FORCE_COLOR: '0' }).out, SGR);
});

test('under a pseudo-terminal the scan tables fit its width', () => {
	const dir = repo();
	for (const cols of [60, 80]) {
		const r = underPty(['scan', '-v', 'drivers/demo'], dir, { COLUMNS: String(cols) });
		assert.is(r.code, 0, r.out);
		// What the terminal shows of each line: after the last carriage return (the progress line redraws itself).
		const lines = r.out.split('\n').map((l) => l.replace(/\r$/, '').split('\r').pop()!.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
		assert.ok(lines.some((l) => l.startsWith('cat  hook')), r.out);
		for (const l of lines) assert.ok(l.length <= cols, `${l.length} > ${cols}: ${l}`);
	}
	// on a pipe nothing is cut
	const pipe = mmapify(['scan', '-v', 'drivers/demo'], dir);
	assert.match(pipe.out, /demo_window_mmap +drivers\/demo\/demo_ring\.c:25 /);
});

test.after(() => {
	for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

test.run();
