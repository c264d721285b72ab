// --verify (src/verify.ts) on a small fake kernel: a git repository whose
// Makefile stands in for kbuild (O=, *config, prepare, single objects built
// by the host cc), whose scripts/checkpatch.pl stands in for checkpatch
// (--terse output: an ERROR without Signed-off-by, a WARNING for long added
// lines), with an arch-only file that does not build "here", and a
// tools/testing/vma that includes mm/vma.c. The real kernel is verified in
// test/e2e/kernel-e2e.sh.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderSeries } from '../../src/series/render.js';
import { exampleTree, repoRoot } from '../support/helpers.js';
import { verifySeries, type VerifyPatch, type VerifyReport } from '../../src/verify/verify.js';
import { parseCheckpatch, patchLocation } from '../../src/verify/checkpatch.js';
import { resolveConfig } from '../../src/verify/config.js';
import { formatVerifyReport, testingSummary } from '../../src/verify/report.js';
import { injectTestFault } from '../../src/verify/test-fault.js';
import type { FileChange, Person } from '../../src/base/types.js';

const ME: Person = { name: 'Ada Lovelace', email: 'ada@example.org' };
const scratch: string[] = [];
test.after(() => {
	for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = (tag: string) => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), `mmapify-verify-test-${tag}-`));
	scratch.push(d);
	return d;
};
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

const FAKE_MAKEFILE = `# A stand-in for kbuild: O=, ARCH=, *config targets, prepare, single objects.
O ?= .
.PHONY: prepare olddefconfig
olddefconfig:
	@test -f $(O)/.config
%config:
	@mkdir -p $(O) && echo 'CONFIG_FAKE=y # $@' > $(O)/.config
prepare:
	@test -f $(O)/.config && mkdir -p $(O)/include/generated && touch $(O)/include/generated/autoconf.h
# kbuild's .DELETE_ON_ERROR: an object that fails to build is gone, not stale.
%.o: %.c
	@mkdir -p $(dir $(O)/$@) && rm -f $(O)/$@ && $(CC) -Wall -Werror -c $< -o $(O)/$@
`;

const FAKE_CHECKPATCH = `#!/usr/bin/env perl
# A stand-in for scripts/checkpatch.pl --terse.
my ($errors, $warnings, $checks, $n, $sob) = (0, 0, 0, 0, 0);
my $file = $ARGV[-1];
my $chk_signoff = !grep { $_ eq '--no-signoff' } @ARGV;
my $strict = grep { $_ eq '--strict' } @ARGV;
open(my $fh, '<', $file) or die "$file: $!";
while (<$fh>) {
	$n++;
	chomp;
	$sob = 1 if /^Signed-off-by:/;
	# UNKNOWN_COMMIT_ID as the real one checks it: the cited id looked up in the tree's history
	if (!grep({ $_ =~ /UNKNOWN_COMMIT_ID/ } @ARGV) && /\\bcommit ([0-9a-f]{12,40})\\b/i && system("git cat-file -e $1^{commit} 2>/dev/null") != 0) { print "$file:$n: WARNING: Unknown commit id '$1', maybe rebased or not pulled?\\n"; $warnings++; }
	if (/^\\+[^+]/ && length($_) > 101) { print "$file:$n: WARNING: line length of " . (length($_) - 1) . " exceeds 100 columns\\n"; $warnings++; }
	# a CHECK-level item, reported only with --strict
	if ($strict && /^\\+.*\\bif \\(\\((\\w+ > \\d+)\\)\\)/) { print "$file:$n: CHECK: Unnecessary parentheses around '$1'\\n"; $checks++; }
}
if ($chk_signoff && !$sob) { print "$file:1: ERROR: Missing Signed-off-by: line(s)\\n"; $errors++; }
# Like the real one with --terse: silent and exit 0 when clean.
exit 0 if !$errors && !$warnings && !$checks;
print "total: $errors errors, $warnings warnings, $checks checks, $n lines checked\\n";
exit 1;
`;

const VMA_MAKEFILE = (broken: boolean) => `vma: main.c ../../../mm/vma.c
	${broken ? '@echo "needs liburcu" >&2; false' : '$(CC) -o vma main.c'}
`;

const BASE: Record<string, string> = {
	'drivers/demo/a.c': 'int demo_a(int x)\n{\n\treturn x + 1;\n}\n',
	'drivers/demo/b.c': 'int demo_b(int x)\n{\n\treturn x * 2;\n}\n',
	'arch/other/only.c': '#error "only built on the other arch"\nint other(void)\n{\n\treturn 0;\n}\n',
	'mm/vma.c': 'int vma_thing(void)\n{\n\treturn 0;\n}\n',
	'tools/testing/vma/main.c': '#include <stdio.h>\n#include "../../../mm/vma.c"\nint main(void)\n{\n\tprintf("2 tests run, %d passed, %d failed.\\n", 2 - !!vma_thing(), !!vma_thing());\n\treturn vma_thing();\n}\n',
};

/** A fake kernel git repository at its base commit, with a .config (unless noConfig). */
function fakeKernel(opts: { noConfig?: boolean; vmaBroken?: boolean; extra?: Record<string, string> } = {}): { tree: string; base: string } {
	const tree = tmp('tree');
	const files: Record<string, string> = {
		...BASE,
		...opts.extra,
		Makefile: FAKE_MAKEFILE,
		'scripts/checkpatch.pl': FAKE_CHECKPATCH,
		'tools/testing/vma/Makefile': VMA_MAKEFILE(!!opts.vmaBroken),
		'.gitignore': '.config\n*.o\n/tools/testing/vma/vma\n',
	};
	for (const [f, t] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(tree, f)), { recursive: true });
		fs.writeFileSync(path.join(tree, f), t);
	}
	git(tree, 'init', '-q', '-b', 'main');
	git(tree, 'add', '-A');
	git(tree, 'commit', '-q', '-m', 'base');
	if (!opts.noConfig) fs.writeFileSync(path.join(tree, '.config'), '# Linux/fake 1.0 Kernel Configuration\nCONFIG_FAKE=y\n');
	return { tree, base: git(tree, 'rev-parse', 'HEAD') };
}

/** Patches through mmapify's own series writer; each entry: subject and the files it rewrites. */
function series(specs: Array<{ subject: string; edits: Record<string, string>; body?: string }>, signoff = true, base: Record<string, string> = BASE): VerifyPatch[] {
	let current: Record<string, string> = { ...base };
	const patches = specs.map((s) => {
		const changes: FileChange[] = Object.entries(s.edits).map(([p, after]) => ({ path: p, before: current[p]!, after }));
		current = { ...current, ...s.edits };
		return { subject: s.subject, body: s.body ?? `${s.subject}.`, changes, hooks: [] };
	});
	const rendered = renderSeries(patches, {
		author: ME,
		date: new Date('2026-11-24T08:01:28Z'),
		version: '0.1.0',
		signoff: signoff ? ME : undefined,
		cover: { summary: 'Fake.', refused: [] },
	});
	return rendered.slice(1).map((r, i) => ({ name: r.fileName, text: r.text, files: patches[i]!.changes.map((c) => c.path) }));
}

const GOOD = [
	{ subject: 'demo: Make a add two', edits: { 'drivers/demo/a.c': BASE['drivers/demo/a.c']!.replace('x + 1', 'x + 2'), 'arch/other/only.c': BASE['arch/other/only.c']!.replace('return 0', 'return 1') } },
	{ subject: 'mm: Keep vma_thing at zero', edits: { 'mm/vma.c': BASE['mm/vma.c']!.replace('return 0;', 'return 0; /* still */') } },
	{ subject: 'demo: Document b', edits: { 'drivers/demo/b.c': `/* ${'b doubles its argument; '.repeat(5)}*/\n${BASE['drivers/demo/b.c']}` } },
];

/** Every file under dir with size and mtime: any write to the user's tree (or its .git) changes it. */
function snapshot(dir: string): string {
	const out: string[] = [];
	const walk = (rel: string) => {
		for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
			const r = path.join(rel, e.name);
			if (e.isDirectory()) walk(r);
			else {
				const st = fs.statSync(path.join(dir, r));
				out.push(`${r} ${st.size} ${st.mtimeMs}`);
			}
		}
	};
	walk('');
	return out.sort().join('\n');
}

const byName = (r: VerifyReport, i: number) => r.patches[i]!;

// ---------------------------------------------------------------------------

test('a good series: applies, checkpatch warnings listed, objects built differentially, vma run; the tree untouched', async () => {
	const { tree, base } = fakeKernel();
	const before = snapshot(tree);
	const patches = series(GOOD);
	const r = await verifySeries({ tree, base, patches, jobs: 2, signoff: true });
	assert.is(snapshot(tree), before, "the user's tree and its .git are untouched");
	assert.not.ok(fs.existsSync(r.scratch), 'the temporary scratch folder is removed');
	assert.ok(r.ok, formatVerifyReport(r));
	assert.equal(r.config, { description: "the tree's .config", arch: 'fake', phrase: "the tree's fake .config" });
	const p1 = byName(r, 0);
	assert.ok(p1.apply.ok && p1.checkpatch.ran && p1.checkpatch.errors.length === 0);
	assert.equal(
		p1.compile.map((o) => `${o.file} ${o.status}`),
		['drivers/demo/a.c ok', 'arch/other/only.c not-built'],
	);
	assert.equal(byName(r, 2).checkpatch.warnings.map((w) => w.where), ['drivers/demo/b.c:1'], 'warning located in the patched file');
	assert.equal(r.tip.map((o) => `${o.file} ${o.status}`).sort(), ['drivers/demo/a.c ok', 'drivers/demo/b.c ok', 'mm/vma.c ok']);
	assert.equal(r.vma, { status: 'ok', detail: '2 tests run, 2 passed, 0 failed.' });

	const text = formatVerifyReport(r);
	assert.match(text, /^ {2}ok {4}0001-demo-Make-a-add-two\.patch: applies; checkpatch 0 errors, 0 warnings, 0 checks; compile ok \(1 object\), 1 not built by this configuration$/m);
	assert.match(text, /checkpatch WARNING: line length of \d+ exceeds 100 columns \(drivers\/demo\/b\.c:1\)/);
	assert.match(text, /not built by this configuration \(fails at base too\): arch\/other\/only\.c/);
	assert.match(text, /ok {4}tools\/testing\/vma: 2 tests run, 2 passed, 0 failed\./);
	assert.match(text, /^verify: ok \(3 patches\)$/m);

	const summary = testingSummary(r);
	assert.match(summary, /the 3 patches apply with git am; scripts\/checkpatch\.pl --strict reports 0 errors, 1 warning and 0 checks; after each patch, the touched \.c files that the tree's fake \.config builds compile \(3 files\) and still build at the end of the series\./);
	assert.match(summary, /Not compiled, because that configuration does not build them: arch\/other\/only\.c\./);
	assert.match(summary, /tools\/testing\/vma builds and passes/);
});

test('an injected compile fault fails its patch with the compiler error, and the tip', async () => {
	const { tree, base } = fakeKernel();
	const good = series(GOOD);
	const files = good.map((p) => ({ path: p.name, text: p.text, patch: true, files: p.files }));
	const { files: bad, what } = injectTestFault(files, 'compile:drivers/demo/a.c');
	assert.match(what, /0001-demo-Make-a-add-two\.patch \(drivers\/demo\/a\.c\): added an undeclared identifier to "return x \+ 2; mmapify_injected_fault;"/);
	const r = await verifySeries({ tree, base, patches: bad.map((f) => ({ name: f.path, text: f.text, files: f.files })), jobs: 2 });
	assert.not.ok(r.ok);
	const p1 = byName(r, 0);
	assert.ok(p1.apply.ok, 'the corrupted patch still applies');
	assert.is(p1.compile[0]!.status, 'failed');
	assert.match(p1.compile[0]!.errors!.join('\n'), /drivers\/demo\/a\.c:\d+:\d+: error: .*mmapify_injected_fault/);
	assert.not.match(p1.compile[0]!.errors!.join('\n'), new RegExp(r.scratch), 'scratch paths are stripped');
	assert.ok(byName(r, 1).ok && byName(r, 2).ok, 'the other patches pass');
	const text = formatVerifyReport(r);
	assert.match(text, /^ {2}FAIL {2}0001-demo-Make-a-add-two\.patch: applies; checkpatch 0 errors, 0 warnings, 0 checks; compile FAILED for 1 of 1, 1 not built by this configuration: drivers\/demo\/a\.c: drivers\/demo\/a\.c:\d+:\d+: error: .*mmapify_injected_fault/m);
	assert.match(text, /FAIL {2}series tip: 1 of 3 objects do not build: drivers\/demo\/a\.c/);
	assert.match(text, /^verify: FAILED \(1 of 3 patches, series tip\)$/m);
	assert.match(testingSummary(r), /were compiled and 1 of 3 fail \(drivers\/demo\/a\.c\), but not all of them build at the end of the series/);
});

// A header a later patch's file includes: the steps of a chain split by subsystem (src/plan/stages.ts).
const WITH_HEADER: Record<string, string> = {
	...BASE,
	'include/demo/ops.h': '#define DEMO_FACTOR 3\n',
	'drivers/demo/c.c': '#include "../../include/demo/ops.h"\nint demo_c(int x)\n{\n\treturn x * DEMO_FACTOR;\n}\n',
};

test('a patch changing a header is proven with the series\' other objects: one that breaks a later patch\'s file fails', async () => {
	const { tree, base } = fakeKernel({ extra: WITH_HEADER });
	const renamed = WITH_HEADER['include/demo/ops.h']!.replace('DEMO_FACTOR', 'DEMO_MULTIPLIER');
	const patches = series(
		[
			{ subject: 'demo: Rename the factor', edits: { 'include/demo/ops.h': renamed } },
			{ subject: 'demo: Use the new name', edits: { 'drivers/demo/c.c': WITH_HEADER['drivers/demo/c.c']!.replace('DEMO_FACTOR', 'DEMO_MULTIPLIER') } },
		],
		true,
		WITH_HEADER,
	);
	const r = await verifySeries({ tree, base, patches, jobs: 2, signoff: true });
	assert.not.ok(r.ok, formatVerifyReport(r));
	const [p1, p2] = [byName(r, 0), byName(r, 1)];
	assert.ok(p1.apply.ok && p1.checkpatch.errors.length === 0);
	assert.equal(p1.compile, [], 'the header patch has no .c file of its own');
	assert.equal(p1.dependents?.map((o) => `${o.file} ${o.status}`), ['drivers/demo/c.c failed']);
	assert.match(p1.dependents![0]!.errors!.join('\n'), /DEMO_FACTOR/);
	assert.not.ok(p1.ok, 'the header patch leaves a file of the series unbuildable');
	assert.ok(p2.ok, formatVerifyReport(r));
	assert.is(p2.dependents, undefined, 'a patch of .c files only builds its own');
	assert.equal(r.tip.map((o) => `${o.file} ${o.status}`), ['drivers/demo/c.c ok']);
	assert.match(formatVerifyReport(r), /^ {2}FAIL {2}0001-demo-Rename-the-factor\.patch: .*: after it, drivers\/demo\/c\.c \(another patch's\) does not compile: /m);

	// the same header change together with its user's: every patch builds
	const together = series([{ subject: 'demo: Rename the factor', edits: { 'include/demo/ops.h': renamed, 'drivers/demo/c.c': WITH_HEADER['drivers/demo/c.c']!.replace('DEMO_FACTOR', 'DEMO_MULTIPLIER') } }], true, WITH_HEADER);
	const ok = await verifySeries({ tree, base, patches: together, jobs: 2, signoff: true });
	assert.ok(ok.ok, formatVerifyReport(ok));
});

test('an injected apply fault: git am refuses that patch, the others are still tried', async () => {
	const { tree, base } = fakeKernel();
	const files = series(GOOD).map((p) => ({ path: p.name, text: p.text, patch: true, files: p.files }));
	const { files: bad } = injectTestFault(files, 'apply:3');
	const r = await verifySeries({ tree, base, patches: bad.map((f) => ({ name: f.path, text: f.text, files: f.files })), jobs: 2 });
	assert.not.ok(r.ok);
	const p3 = byName(r, 2);
	assert.not.ok(p3.apply.ok);
	assert.match(p3.apply.output!, /^error: patch failed: drivers\/demo\/b\.c:1$/m);
	assert.equal(p3.compile.map((o) => o.status), ['not-tried']);
	assert.ok(byName(r, 0).ok && byName(r, 1).ok);
	assert.match(formatVerifyReport(r), /FAIL {2}0003-demo-Document-b\.patch: does NOT apply; .*: git am: error: patch failed: drivers\/demo\/b\.c:1/);
	assert.match(testingSummary(r), /only 2 of 3 patches apply with git am/);
});

test('a checkpatch ERROR fails the patch (with -s, the missing Signed-off-by is one)', async () => {
	const { tree, base } = fakeKernel();
	const r = await verifySeries({ tree, base, patches: series(GOOD.slice(0, 1), false), jobs: 2, signoff: true });
	assert.not.ok(r.ok);
	assert.is(r.signoff, 'checked');
	assert.equal(byName(r, 0).checkpatch.errors, [{ level: 'ERROR', message: 'Missing Signed-off-by: line(s)', where: 'patch line 1' }]);
	assert.match(formatVerifyReport(r), /FAIL {2}0001-.*checkpatch 1 error, 0 warnings, 0 checks; .*: Missing Signed-off-by: line\(s\)/);
	assert.not.match(formatVerifyReport(r), /--no-signoff/);
});

test('checkpatch runs with --strict: its checks are listed, and do not fail the patch', async () => {
	const { tree, base } = fakeKernel();
	const edit = { 'drivers/demo/a.c': 'int demo_a(int x)\n{\n\tif ((x > 1))\n\t\treturn 0;\n\treturn x + 1;\n}\n' };
	const r = await verifySeries({ tree, base, patches: series([{ subject: 'demo: Clamp a', edits: edit }]), jobs: 2, signoff: true });
	assert.ok(r.ok, formatVerifyReport(r));
	assert.equal(byName(r, 0).checkpatch.checks, [{ level: 'CHECK', message: "Unnecessary parentheses around 'x > 1'", where: 'drivers/demo/a.c:3' }]);
	const text = formatVerifyReport(r);
	assert.match(text, /ok {4}0001-demo-Clamp-a\.patch: applies; checkpatch 0 errors, 0 warnings, 1 check; /);
	assert.match(text, /checkpatch CHECK: Unnecessary parentheses around 'x > 1' \(drivers\/demo\/a\.c:3\)/);
	assert.match(testingSummary(r), /scripts\/checkpatch\.pl --strict reports 0 errors, 0 warnings and 1 check;/);
});

test('without -s, checkpatch runs with --no-signoff and the report says the Signed-off-by is the sender\'s', async () => {
	const { tree, base } = fakeKernel();
	const r = await verifySeries({ tree, base, patches: series(GOOD.slice(0, 1), false), jobs: 2 });
	assert.ok(r.ok, formatVerifyReport(r));
	assert.is(r.signoff, 'senders');
	assert.equal(byName(r, 0).checkpatch.errors, []);
	assert.match(formatVerifyReport(r), /note: checkpatch ran with --no-signoff: .*Signed-off-by, which is the sender's to add/);
	assert.match(testingSummary(r), /scripts\/checkpatch\.pl --strict --no-signoff reports 0 errors/);
});

test('a cited commit the base has in its history is checked; one it lacks (no history) is neither counted nor listed, and the report says so', async () => {
	const { tree, base } = fakeKernel();
	const edit = { 'drivers/demo/a.c': BASE['drivers/demo/a.c']!.replace('x + 1', 'x + 3') };
	const known = `Since commit ${base.slice(0, 12)} ("base") a adds one.`;
	const r = await verifySeries({ tree, base, patches: series([{ subject: 'demo: Make a add three', edits: edit, body: known }]), jobs: 2 });
	assert.ok(r.ok, formatVerifyReport(r));
	assert.equal(byName(r, 0).checkpatch.warnings, []);
	assert.not.match(formatVerifyReport(r), /UNKNOWN_COMMIT_ID/);
	// a commit of upstream's that this tree's history does not have
	const absent = 'Since commit c84bf6dd2b83 ("mm: introduce new .mmap_prepare() file callback") hooks may prepare.';
	const r2 = await verifySeries({ tree, base, patches: series([{ subject: 'demo: Make a add three', edits: edit, body: absent }]), jobs: 2 });
	assert.ok(r2.ok, formatVerifyReport(r2));
	assert.equal(byName(r2, 0).checkpatch.warnings, [], 'no "Unknown commit id" warning');
	assert.match(formatVerifyReport(r2), /note: the base's history lacks the cited commit c84bf6dd2b83 .*--ignore UNKNOWN_COMMIT_ID/);
	assert.match(testingSummary(r2), /0 warnings/);
	// the stand-in does warn without the --ignore (the check above is not vacuous)
	const file = path.join(tmp('cp'), 'x.patch');
	fs.writeFileSync(file, series([{ subject: 'demo: x', edits: edit, body: absent }])[0]!.text);
	const raw = spawnSync('perl', [path.join(tree, 'scripts/checkpatch.pl'), '--terse', '--no-signoff', file], { cwd: tree, encoding: 'utf8' });
	assert.match(raw.stdout, /WARNING: Unknown commit id 'c84bf6dd2b83'/);
});

test('a mm/ change that breaks tools/testing/vma fails', async () => {
	const { tree, base } = fakeKernel();
	const r = await verifySeries({ tree, base, patches: series([{ subject: 'mm: Break it', edits: { 'mm/vma.c': BASE['mm/vma.c']!.replace('return 0', 'return 1') } }]), jobs: 2 });
	assert.not.ok(r.ok);
	assert.is(r.vma.status, 'failed');
	assert.match(r.vma.detail!, /\.\/vma exited 1: 2 tests run, 1 passed, 1 failed\./);
	assert.match(formatVerifyReport(r), /FAIL {2}tools\/testing\/vma: \.\/vma exited 1/);
});

test('tools/testing/vma that does not build at base either is "not buildable here", not a failure', async () => {
	const { tree, base } = fakeKernel({ vmaBroken: true });
	const r = await verifySeries({ tree, base, patches: series(GOOD.slice(1, 2)), jobs: 2 });
	assert.ok(r.ok, formatVerifyReport(r));
	assert.is(r.vma.status, 'not-buildable');
	assert.match(r.vma.detail!, /does not build at base either: .*needs liburcu/);
});

test('no configuration: nothing is compiled, which is said, not failed', async () => {
	const { tree, base } = fakeKernel({ noConfig: true });
	const r = await verifySeries({ tree, base, patches: series(GOOD.slice(0, 1)), jobs: 2 });
	assert.ok(r.ok, formatVerifyReport(r));
	assert.is(r.config, undefined);
	assert.match(r.configProblem!, /no configuration: the tree has no \.config \(pass --verify-config allmodconfig/);
	assert.equal(byName(r, 0).compile.map((o) => o.status), ['not-tried', 'not-tried']);
	assert.match(testingSummary(r), /Nothing was compiled: no configuration/);
});

test('--verify-config TARGET prepares a scratch configuration; --verify-dir is kept and reused', async () => {
	const { tree, base } = fakeKernel({ noConfig: true });
	const dir = path.join(tmp('dir'), 'scratch');
	const r1 = await verifySeries({ tree, base, patches: series(GOOD.slice(0, 1)), config: 'defconfig', dir, jobs: 2 });
	assert.ok(r1.ok, formatVerifyReport(r1));
	assert.ok(r1.kept && fs.existsSync(path.join(dir, 'src/.git')) && fs.existsSync(path.join(dir, 'build/.mmapify-config')));
	assert.match(fs.readFileSync(path.join(dir, 'build/.config'), 'utf8'), /defconfig/);
	assert.is(r1.config!.phrase, `${/^[aeiou]/.test(r1.config!.arch) ? 'an' : 'a'} ${r1.config!.arch} defconfig`);
	fs.writeFileSync(path.join(dir, 'build/.config'), '# kept\n');
	const r2 = await verifySeries({ tree, base, patches: series(GOOD), config: 'defconfig', dir, jobs: 2 });
	assert.ok(r2.ok, formatVerifyReport(r2));
	assert.is(fs.readFileSync(path.join(dir, 'build/.config'), 'utf8'), '# kept\n', 'the configured build folder was reused');
	assert.is(r2.patches.length, 3, 'the scratch checkout was reset to base before applying');
});

test('a touched file that differs from the base commit is noted', async () => {
	const { tree, base } = fakeKernel();
	fs.appendFileSync(path.join(tree, 'drivers/demo/a.c'), '/* local */\n');
	const r = await verifySeries({ tree, base, patches: series(GOOD.slice(0, 1)), jobs: 2 });
	assert.match(r.notes.join('\n'), /drivers\/demo\/a\.c in the tree differs from [0-9a-f]{12}: the series is made from the files on disk/);
});

// ---------------------------------------------------------------------------
// Pieces

test('parseCheckpatch: terse lines located through the patch; no summary = did not run', () => {
	const p = series(GOOD.slice(2))[0]!;
	const n = p.text.split('\n').findIndex((l) => l.startsWith('+/*')) + 1;
	const r = parseCheckpatch(`${p.name}:${n}: WARNING: long\n${p.name}:4: ERROR: bad subject\ntotal: 1 errors, 1 warnings, 9 lines checked\n`, p.text);
	assert.equal(r.warnings, [{ level: 'WARNING', message: 'long', where: 'drivers/demo/b.c:1' }]);
	assert.equal(r.errors, [{ level: 'ERROR', message: 'bad subject', where: 'patch line 4' }]);
	assert.ok(r.ran && !r.detail);
	assert.ok(parseCheckpatch('Can\'t locate Foo.pm in @INC\n').detail);
	assert.equal(parseCheckpatch('', p.text, 0), { ran: true, errors: [], warnings: [], checks: [] }, 'a clean patch: no output, exit 0');
	assert.match(parseCheckpatch('', p.text, 2).detail!, /no output \(exit 2\)/);
	assert.is(patchLocation(p.text, p.text.split('\n').findIndex((l) => l.startsWith(' int demo_b')) + 1), 'drivers/demo/b.c:2');
});

test('resolveConfig: a file, a make target, the tree\'s .config, a build folder, or nothing', () => {
	const { tree } = fakeKernel();
	assert.equal(resolveConfig(tree), { kind: 'file', path: path.join(tree, '.config'), description: "the tree's .config" });
	assert.equal(resolveConfig(tree, 'allmodconfig'), { kind: 'target', target: 'allmodconfig', description: 'allmodconfig' });
	assert.equal(resolveConfig(tree, path.join(tree, '.config'))?.kind, 'file');
	assert.throws(() => resolveConfig(tree, 'no-such-thing'), /neither a file nor a make target/);
	const build = tmp('o');
	fs.writeFileSync(path.join(build, '.config'), '# Linux/x86_64 7.3.4 Kernel Configuration\n');
	assert.equal(resolveConfig(tree, undefined, build)?.description, `the .config of ${build}`);
	assert.is(resolveConfig(fakeKernel({ noConfig: true }).tree), undefined);
});

test('injectTestFault: by number or path; a clear error when nothing matches', () => {
	const files = series(GOOD).map((p) => ({ path: p.name, text: p.text, patch: true, files: p.files }));
	const { files: out } = injectTestFault(files, 'compile:2');
	assert.match(out[1]!.text, /^\+\treturn 0; mmapify_injected_fault; \/\* still \*\/$/m);
	assert.is(out[0]!.text, files[0]!.text);
	assert.throws(() => injectTestFault(files, 'compile:drivers/nope.c'), /no such patch/);
	assert.throws(() => injectTestFault(files, 'explode:1'), /expected compile:N\|PATH or apply:N\|PATH/);
});

// ---------------------------------------------------------------------------
// The command line: mmapify --verify on a git copy of the example tree with
// the fake kbuild and checkpatch (the demo driver does not build with the
// host cc and no kernel headers: "not built by this configuration").

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const cli = path.join(repoRoot, 'src/cli.ts');
function mmapify(args: string[], cwd: string, extra: Record<string, string> = {}) {
	const r = spawnSync(tsx, [cli, ...args], { cwd, env: { ...GIT_ENV, GIT_AUTHOR_NAME: ME.name, GIT_AUTHOR_EMAIL: ME.email, NO_COLOR: '1', ...extra }, encoding: 'utf8' });
	return { code: r.status, out: r.stdout, err: r.stderr };
}
function exampleKernel(withGit = true): string {
	const dir = tmp('cli');
	fs.cpSync(exampleTree, dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'Makefile'), FAKE_MAKEFILE);
	fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'scripts/checkpatch.pl'), FAKE_CHECKPATCH);
	fs.writeFileSync(path.join(dir, '.gitignore'), '.config\n/out*/\n');
	if (withGit) {
		git(dir, 'init', '-q');
		git(dir, 'add', '-A');
		git(dir, 'commit', '-qm', 'base');
	}
	fs.writeFileSync(path.join(dir, '.config'), '# Linux/fake 1.0 Kernel Configuration\n');
	return dir;
}

test('CLI --verify: proves, then writes; the cover letter says what was tested', () => {
	const dir = exampleKernel();
	const before = snapshot(path.join(dir, '.git'));
	const r = mmapify(['-s', '--verify', '-j', '2', '-o', 'out', 'drivers/demo'], dir);
	assert.is(r.code, 0, r.err + r.out);
	assert.is(snapshot(path.join(dir, '.git')), before, "the tree's .git is untouched");
	assert.match(r.out, /^verify: base [0-9a-f]{12}, the tree's \.config, ARCH=fake, -j2, \d+s$/m);
	assert.match(r.out, /^ {2}ok {4}0001-.*: applies; checkpatch 0 errors, 0 warnings, 0 checks; /m);
	assert.match(r.out, /^verify: ok \(\d+ patch(es)?\)$/m);
	const cover = fs.readFileSync(path.join(dir, 'out/0000-cover-letter.patch'), 'utf8').replace(/\s+/g, ' ');
	assert.match(cover, /Tested with mmapify --verify on base-commit [0-9a-f]{12}: (the \d+ patches apply|the patch applies) with git am; scripts\/checkpatch\.pl --strict reports 0 errors, 0 warnings and 0 checks\. Not compiled, because that configuration does not build them: drivers\/demo\//);
	assert.match(cover, /No runtime testing was done\./);
});

test('CLI --verify with a corrupted patch (MMAPIFY_TEST_FAULT): exit 1, a FAIL line, the series still written', () => {
	const dir = exampleKernel();
	const r = mmapify(['-s', '--verify', '--json', '-o', 'out', 'drivers/demo'], dir, { MMAPIFY_TEST_FAULT: 'apply:1' });
	assert.is(r.code, 1, r.err);
	assert.match(r.err, /^mmapify: MMAPIFY_TEST_FAULT \(test only\): corrupted 0001-/m);
	const j = JSON.parse(r.out);
	assert.is(j.verify.ok, false);
	assert.is(j.verify.patches[0].apply.ok, false);
	assert.match(j.verify.patches[0].apply.output, /patch failed|patch does not apply/);
	const cover = fs.readFileSync(path.join(dir, 'out', j.cover.path), 'utf8').replace(/\s+/g, ' ');
	assert.match(cover, /only \d+ of \d+ patches apply with git am|Tested with mmapify --verify on base-commit [0-9a-f]{12}: only 0 of 1 patches apply/);
	const t = mmapify(['-s', '--verify', '-o', 'out', 'drivers/demo'], dir, { MMAPIFY_TEST_FAULT: 'apply:1' });
	assert.is(t.code, 1);
	assert.match(t.out, /^ {2}FAIL {2}0001-.*: does NOT apply; .*: git am: error: /m);
	assert.match(t.out, /^verify: FAILED \(1 of \d+ patch(es)?\)$/m);
});

test('CLI --boot implies --verify; a series that does not apply is not booted: every hook "not exercised", in the report, the JSON and the cover letter', () => {
	const dir = exampleKernel();
	const bootDir = path.join(tmp('boot'), 'b');
	const r = mmapify(['-s', '--boot-dir', bootDir, '--json', '-o', 'out', 'drivers/demo'], dir, { MMAPIFY_TEST_FAULT: 'apply:1' });
	assert.is(r.code, 1, r.err);
	const j = JSON.parse(r.out);
	assert.is(j.verify.patches[0].apply.ok, false, '--boot-dir implies --boot, which implies --verify');
	const converted = j.hooks.filter((h: { status: string }) => h.status === 'converted');
	assert.ok(converted.length > 0);
	assert.is(j.boot.ok, false);
	assert.equal(
		j.boot.hooks.map((h: { file: string; function: string; status: string }) => `${h.file} ${h.function} ${h.status}`),
		converted.map((h: { file: string; function: string }) => `${h.file} ${h.function} not-exercised`),
	);
	assert.match(j.boot.hooks[0].detail, /^not booted: 1 of \d+ patches did not apply in --verify$/);
	assert.not.ok(fs.existsSync(bootDir), 'nothing was checked out or built');
	const cover = fs.readFileSync(path.join(dir, 'out', j.cover.path), 'utf8').replace(/\s+/g, ' ');
	assert.not.match(cover, /No runtime testing was done/);
	assert.match(cover, new RegExp(`were to be booted under QEMU, but not booted: 1 of \\d+ patches did not apply in --verify\\. Not exercised at run time: ${converted[0].function}\\(\\)`));
	const t = mmapify(['-s', '--boot', '--boot-dir', bootDir, '-o', 'out', 'drivers/demo'], dir, { MMAPIFY_TEST_FAULT: 'apply:1' });
	assert.is(t.code, 1);
	assert.match(t.out, /^verify: FAILED/m);
	assert.match(t.out, new RegExp(`^ {2}not exercised at run time +${converted[0].file.replace(/\./g, '\\.')} ${converted[0].function}: not booted: `, 'm'));
	assert.match(t.out, /^boot: FAILED \(0s; scratch .*\/b\)$/m);
	const u = mmapify(['-s', '--boot', '--dry-run', '-o', 'out', 'drivers/demo'], dir);
	assert.is(u.code, 2);
	assert.match(u.err, /cannot be combined with --dry-run/);
});

test('CLI --verify: usage errors exit 2 with one line', () => {
	const dir = exampleKernel();
	const noGit = exampleKernel(false);
	for (const [args, cwd, msg] of [
		[['--verify', '--dry-run'], dir, /cannot be combined with --dry-run/],
		[['--verify-config', 'nonsense'], dir, /neither a file nor a make target/],
		[['--build-dir', 'nowhere'], dir, /--build-dir nowhere: no \.config there/],
		[['--verify'], noGit, /--verify needs .* to be a git repository/],
	] as Array<[string[], string, RegExp]>) {
		const r = mmapify(['-s', ...args, '-o', 'out', 'drivers/demo'], cwd);
		assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
		assert.match(r.err, msg);
		assert.is(r.err.trim().split('\n').length, 1, r.err);
	}
});

test.run();
