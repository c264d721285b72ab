// MAINTAINERS lookup (src/maintainers.ts) on a small fixture tree:
// test/unit/fixtures/maintainers/tree has a MAINTAINERS and .mailmap written to
// hit get_maintainer.pl's corners (folder patterns without a slash, X:
// exclusions, * not crossing folders, ** and ?, N: regexes, K: keywords with
// (?i), the last matching F: of a section deciding its depth, duplicates by
// name, a subscribers-only list, names that need quoting, mailmap, .yaml
// maintainers, the chief penguin). When a kernel tree with
// scripts/get_maintainer.pl is at hand, every expectation is also checked
// against the real script run on the fixture (--no-tree).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
	addressKey,
	getMaintainers,
	globToRegex,
	loadMaintainers,
	mergeRecipients,
	parseEmail,
	parseMaintainers,
	patchFiles,
	perlRegex,
	recipientsFor,
	unmaintainedSections,
	type MaintainersDb,
} from '../../src/series/maintainers.js';
import { repoRoot } from '../support/helpers.js';

const TREE = path.join(repoRoot, 'test/unit/fixtures/maintainers/tree');
const db = loadMaintainers(TREE)!;
const emails = (input: { files?: string[]; patch?: string }, d: MaintainersDb = db) => getMaintainers(d, input).recipients.map((r) => r.email);
const files = (dir = TREE): string[] => {
	const out: string[] = [];
	const walk = (rel: string) => {
		for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
			const r = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory()) walk(r);
			else if (r !== 'MAINTAINERS' && r !== '.mailmap') out.push(r);
		}
	};
	walk('');
	return out.sort();
};

/** A minimal patch that adds one line to file, with a commit message. */
function patch(file: string, added: string, message = 'Tidy up.', context = 'int x;'): string {
	return (
		`From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: A U Thor <author@example.org>\n` +
		`Subject: [PATCH] misc: ${message}\n\n${message}\n\nSigned-off-by: A U Thor <author@example.org>\n---\n ${file} | 1 +\n 1 file changed, 1 insertion(+)\n\n` +
		`diff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n@@ -1,1 +1,2 @@\n ${context}\n+${added}\n-- \n2.39.5\n`
	);
}

// ---------------------------------------------------------------------------
// Pieces

test('F:/X: globs become get_maintainer.pl regexes; a folder without / gets one', () => {
	assert.is(globToRegex('drivers/foo/foo-*.c'), 'drivers/foo/foo-.*\\.c');
	assert.is(globToRegex('sound/soc/codecs/da72??.[ch]'), 'sound/soc/codecs/da72\\.\\.\\.[ch]'.replace('\\.\\.\\.', '..\\.'));
	assert.is(globToRegex('drivers/**/bar.c'), 'drivers/(?:.*)/bar\\.c');
	assert.is(globToRegex('drivers/foo', (p) => p === 'drivers/foo'), 'drivers/foo/');
	assert.is(globToRegex('drivers/foo.c', () => true), 'drivers/foo\\.c/', 'the script tests the converted text as a folder');
});

test('Perl /x regexes translate: whitespace, comments, (?i), (?i:...)', () => {
	const t = (src: string, s: string) => {
		const { source, flags } = perlRegex(src);
		return new RegExp(source, flags).test(s);
	};
	assert.ok(t('(?i)pidfd', 'PIDFD_open'));
	assert.ok(t('\\b(?i:clang|llvm)\\b', 'use LLVM here'));
	assert.not.ok(t('\\b(?i:clang|llvm)\\b', 'allvm'));
	assert.ok(t('struct\\ psp(_assoc|_dev|hdr)\\b', 'struct psp_dev'), 'escaped space kept');
	assert.ok(t('foo bar', 'foobar'), '/x drops plain whitespace');
	assert.ok(t('[ ]x', ' x'), 'not inside a class');
	assert.ok(t('^[+-].*a(?i)b|c', '+aB'), '(?i) applies to the rest of the pattern');
	assert.ok(t('^[+-].*a(?i)b|c', 'C'), '... including later alternatives, as in Perl');
	assert.not.ok(t('^[+-].*a(?i)b|c', '+Ab'));
	assert.ok(t('abc # a comment', 'abc'));
});

test('parse_email/format_email: quoting as the script prints names', () => {
	assert.equal(parseEmail('Foo Bar <foo@example.org>'), ['Foo Bar', 'foo@example.org']);
	assert.equal(parseEmail('"Maciej W. Rozycki" <macro@example.org>'), ['"Maciej W. Rozycki"', 'macro@example.org']);
	assert.equal(parseEmail('Uwe Kleine-König <u@example.org>'), ['"Uwe Kleine-König"', 'u@example.org'], '\\w is ASCII (/a)');
	assert.equal(parseEmail('list@example.org'), ['', 'list@example.org']);
	assert.is(addressKey('X <A@Example.ORG>'), 'a@example.org');
});

test('patchFiles reads diff --git and ---/+++ lines, not the --- separator', () => {
	assert.equal(patchFiles(patch('drivers/misc/other.c', 'x;')), ['drivers/misc/other.c']);
});

// ---------------------------------------------------------------------------
// The fixture tree

const EXPECTED: Record<string, string[]> = {
	'Documentation/devicetree/bindings/foo/acme,foo.yaml': [
		'Foo Maintainer <foo@example.org>',
		'"Wile E. Coyote" <wile@acme.example>',
		'Road Runner <beep@acme.example>',
		'linux-kernel@vger.kernel.org',
	],
	'arch/arm/mach-sun8i/platsmp.c': ['Arm Maint <arm@example.org>', 'Sun Maint <sun@example.org>', 'linux-arm-kernel@lists.example.org', 'linux-kernel@vger.kernel.org'],
	'arch/x86/kernel/setup.c': ['X86 Person <x86@example.org>', '"Ünïcode Reviewer" <uni@example.org>', 'linux-kernel@vger.kernel.org'],
	'drivers/foo/README': ['I2c Person <i2c@example.org>', 'linux-kernel@vger.kernel.org'],
	'drivers/foo/bar/bar.c': [
		'Bar Person <bar@new.example>',
		'Foo Maintainer <foo@example.org>',
		'Second Maint <second@example.org>',
		'Rev Iewer <reviewer@example.org>',
		'I2c Person <i2c@example.org>',
		'foo-devel@lists.example.org',
		'linux-kernel@vger.kernel.org',
	],
	'drivers/foo/core.c': [
		'Foo Maintainer <foo@example.org>',
		'Second Maint <second@example.org>',
		'Rev Iewer <reviewer@example.org>',
		'I2c Person <i2c@example.org>',
		'foo-devel@lists.example.org',
		'linux-kernel@vger.kernel.org',
	],
	'drivers/foo/foo-i2c.c': [
		'Foo Maintainer <foo@example.org>',
		'Second Maint <second@example.org>',
		'Rev Iewer <reviewer@example.org>',
		'I2c Person <i2c@example.org>',
		'foo-devel@lists.example.org',
		'linux-kernel@vger.kernel.org',
	],
	'drivers/foo/foo-spi.c': [
		'FOO MAINTAINER <Foo@Example.org>',
		'Spi Person <spi@example.org>',
		'Second Maint <second@example.org>',
		'Rev Iewer <reviewer@example.org>',
		'I2c Person <i2c@example.org>',
		'foo-devel@lists.example.org',
		'linux-kernel@vger.kernel.org',
	],
	// MISC DRIVERS (drivers/misc/*) and MISC ODD DRIVER (drivers/misc/odd.c) have the same depth: MAINTAINERS order
	'drivers/misc/odd.c': ['Misc Maint <misc@example.org>', '"Enrico Weigelt, metux IT consult" <info@metux.example>', 'linux-kernel@vger.kernel.org'],
	'drivers/misc/other.c': ['Misc Maint <misc@example.org>', 'linux-kernel@vger.kernel.org'],
	'drivers/net/wan/hdlc.c': ['Wan Maint <wan@example.org>', 'netdev@example.org', 'linux-kernel@vger.kernel.org'],
	'drivers/net/wan/orphan_drv.c': ['Wan Maint <wan@example.org>', 'netdev@example.org', 'linux-kernel@vger.kernel.org'],
	'include/linux/foo.h': ['Foo Maintainer <foo@example.org>', 'Second Maint <second@example.org>', 'Rev Iewer <reviewer@example.org>', 'foo-devel@lists.example.org', 'linux-kernel@vger.kernel.org'],
	'include/linux/foo_bar.h': ['Foo Maintainer <foo@example.org>', 'Second Maint <second@example.org>', 'Rev Iewer <reviewer@example.org>', 'foo-devel@lists.example.org', 'linux-kernel@vger.kernel.org'],
	'mm/mmap.c': ['Andrew Mm <akpm@example.org>', 'linux-mm@example.org', 'linux-kernel@vger.kernel.org'],
	'sound/soc/codecs/da7213.c': ['"Dialog, Support" <support@dialog.example>', 'linux-kernel@vger.kernel.org'],
	'sound/soc/codecs/da72xx.c': ['"Dialog, Support" <support@dialog.example>', 'linux-kernel@vger.kernel.org'],
};

test('every fixture file: the addresses, most specific section first', () => {
	assert.equal(Object.keys(EXPECTED).sort(), files(), 'the table covers the fixture tree');
	for (const [file, want] of Object.entries(EXPECTED)) assert.equal(emails({ files: [file] }), want, file);
});

test('semantics spelled out', () => {
	const sections = (f: string) => getMaintainers(db, { files: [f] }).sections.map((s) => `${s.depth} ${s.section}`);
	// `F: drivers/foo` names a folder: it becomes drivers/foo/ and covers subfolders.
	assert.ok(sections('drivers/foo/bar/bar.c').includes('2 FOO CORE'));
	// X: drivers/foo/README takes FOO CORE away for that file only.
	assert.not.ok(sections('drivers/foo/README').some((s) => s.endsWith('FOO CORE')));
	// `F: drivers/misc/*` matches files in the folder, not deeper (slash count).
	assert.ok(sections('drivers/misc/other.c').includes('3 MISC DRIVERS'));
	assert.not.ok(getMaintainers(db, { files: ['drivers/misc/sub/x.c'] }).sections.some((s) => s.section === 'MISC DRIVERS'));
	// FOO I2C DRIVER matches foo-i2c.c twice; the last F: (drivers/foo/, depth 2) counts.
	assert.ok(sections('drivers/foo/foo-i2c.c').includes('2 FOO I2C DRIVER'));
	// The same person by name (case-insensitive) is listed once, first section wins.
	assert.not.ok(emails({ files: ['drivers/foo/foo-spi.c'] }).includes('Foo Maintainer <foo@example.org>'));
	// Subscribers-only lists are left out, THE REST's chief penguin too.
	const all = files().flatMap((f) => emails({ files: [f] }));
	assert.not.ok(all.some((e) => e.includes('foo-private') || e.includes('torvalds')));
	// .mailmap: Bar Person's old address is mapped.
	assert.ok(emails({ files: ['drivers/foo/bar/bar.c'] }).includes('Bar Person <bar@new.example>'));
});

test('K: keywords: anywhere before the diff, only +/- lines after it; (?i)', () => {
	const key = 'Key Person <key@example.org>';
	assert.ok(emails({ patch: patch('drivers/misc/other.c', '\tWIDGET_FROB(x);') }).includes(key), 'added line, case-insensitive');
	assert.ok(emails({ patch: patch('drivers/misc/other.c', 'int y;', 'Call magic_call() less') }).includes(key), 'commit message');
	assert.not.ok(emails({ patch: patch('drivers/misc/other.c', 'int y;', 'Tidy up.', 'magic_call();') }).includes(key), 'context line');
	assert.not.ok(emails({ files: ['drivers/misc/other.c'] }).includes(key), '-f mode has no keywords');
	const r = getMaintainers(db, { patch: patch('drivers/misc/other.c', 'widget_frob();') });
	// a keyword match names the file whose diff lines matched it; only the commit message: none
	assert.ok(r.sections.some((s) => s.section === 'KEYWORDED THING' && s.keyword && s.file === 'drivers/misc/other.c'));
	const msg = getMaintainers(db, { patch: patch('drivers/misc/other.c', 'int y;', 'Call magic_call() less') });
	assert.ok(msg.sections.some((s) => s.section === 'KEYWORDED THING' && s.keyword && s.file === undefined));
});

test('To: maintainers, Cc: reviewers and lists; the cover letter gets the union', () => {
	const spi = recipientsFor(db, { patch: patch('drivers/foo/foo-spi.c', 'x;') });
	assert.equal(spi.to, ['FOO MAINTAINER <Foo@Example.org>', 'Second Maint <second@example.org>', 'I2c Person <i2c@example.org>']);
	assert.equal(spi.cc, ['Spi Person <spi@example.org>', 'Rev Iewer <reviewer@example.org>', 'foo-devel@lists.example.org', 'linux-kernel@vger.kernel.org']);
	const wan = recipientsFor(db, { patch: patch('drivers/net/wan/orphan_drv.c', 'x;') });
	assert.equal(wan.to, ['Wan Maint <wan@example.org>']);
	const cover = mergeRecipients([{ to: ['Extra <extra@example.org>'], cc: ['foo-devel@lists.example.org'] }, spi, wan]);
	assert.equal(cover.to, ['Extra <extra@example.org>', 'FOO MAINTAINER <Foo@Example.org>', 'Second Maint <second@example.org>', 'I2c Person <i2c@example.org>', 'Wan Maint <wan@example.org>']);
	assert.equal(cover.cc, ['foo-devel@lists.example.org', 'Spi Person <spi@example.org>', 'Rev Iewer <reviewer@example.org>', 'linux-kernel@vger.kernel.org', 'netdev@example.org']);
	// An address that is To: in one patch and Cc: in another is To: on the cover letter, once.
	const m = mergeRecipients([{ to: [], cc: ['A <a@example.org>'] }, { to: ['A <A@example.org>'], cc: [] }]);
	assert.equal(m, { to: ['A <A@example.org>'], cc: [] });
});

test('Orphan / Odd Fixes sections are reported, THE REST is not', () => {
	const r = getMaintainers(db, { files: ['drivers/net/wan/orphan_drv.c', 'drivers/misc/odd.c', 'arch/arm/mach-sun8i/platsmp.c', 'mm/mmap.c'] });
	assert.equal(unmaintainedSections(r.sections), [
		{ section: 'NETWORK WAN ORPHAN DRIVER', status: 'Orphan', files: ['drivers/net/wan/orphan_drv.c'] },
		{ section: 'MISC ODD DRIVER', status: 'Odd fixes', files: ['drivers/misc/odd.c'] },
		{ section: 'ARM PORT', status: 'Odd Fixes', files: ['arch/arm/mach-sun8i/platsmp.c'] },
	]);
});

test('parseMaintainers: text only, no tree (header lines, blank lines, comments)', () => {
	const d = parseMaintainers('Intro text\n\tM: not an entry\n\nA SECTION\nM:\tA <a@example.org>\nF:\tsrc/\n\n# comment\nTHE REST\nL:\tall@example.org\nF:\t*\nF:\t*/\n');
	assert.equal(emails({ files: ['src/x.c'] }, d), ['A <a@example.org>', 'all@example.org']);
	assert.equal(emails({ files: ['other/y.c'] }, d), ['all@example.org']);
});

// ---------------------------------------------------------------------------
// The real script on the fixture

const kernel = [process.env.MMAPIFY_KERNEL_TREE, path.join(process.env.MMAPIFY_CACHE || path.join(repoRoot, '.cache'), 'kernel/7.3/git')].find(
	(t) => t && fs.existsSync(path.join(t, 'scripts/get_maintainer.pl')),
);
const perl = (() => {
	try {
		execFileSync('perl', ['-e', '1']);
		return true;
	} catch {
		return false;
	}
})();

if (!kernel || !perl) {
	console.log(`maintainers: SKIPPED the comparison with get_maintainer.pl: ${perl ? 'no kernel tree with scripts/get_maintainer.pl (set MMAPIFY_KERNEL_TREE)' : 'no perl'}`);
	test.skip('the fixture through the real get_maintainer.pl', () => {});
} else {
	const script = path.join(kernel, 'scripts/get_maintainer.pl');
	const run = (args: string[]) =>
		execFileSync('perl', [script, '--no-tree', '--no-git', '--no-git-fallback', '--no-rolestats', ...args], { cwd: TREE, encoding: 'utf8' })
			.split('\n')
			.filter(Boolean);
	test(`the fixture through the real get_maintainer.pl (${path.relative(repoRoot, script)})`, () => {
		const sort = (xs: string[]) => [...xs].sort();
		for (const f of files()) {
			assert.equal(sort(emails({ files: [f] })), sort(run(['-f', f])), `-f ${f}`);
			const r = recipientsFor(db, { files: [f] });
			assert.equal(sort(r.to), sort(run(['--no-r', '--no-l', '-f', f])), `To: of ${f} = --no-r --no-l`);
		}
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-maint-'));
		try {
			const cases = [
				patch('drivers/misc/other.c', '\tWIDGET_FROB(x);'),
				patch('drivers/misc/other.c', 'int y;', 'Call magic_call() less'),
				patch('drivers/misc/other.c', 'int y;', 'Tidy up.', 'magic_call();'),
				patch('drivers/foo/foo-spi.c', 'int y;'),
				patch('Documentation/devicetree/bindings/foo/acme,foo.yaml', '  - New One <new@acme.example>'),
			];
			for (const [i, p] of cases.entries()) {
				const file = path.join(dir, `${i}.patch`);
				fs.writeFileSync(file, p);
				assert.equal(sort(emails({ patch: p })), sort(run([file])), `patch ${i}`);
			}
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
}

test.run();
