// The series as git send-email gets it: To:/Cc: headers per patch from
// MAINTAINERS (test/unit/fixtures/maintainers/tree), their union on the cover
// letter, --to/--cc, Orphan/Odd Fixes notes, rerolls (-v, --in-reply-to,
// "Changes in vN"), headers laid out as git format-patch writes them, and
// `git send-email --dry-run` reading them back (when git-email is installed).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildSeries, type SeriesFile } from '../../src/series/write.js';
import { loadMaintainers } from '../../src/series/maintainers.js';
import { addressHeader, changelogBlock, loreLink, messageId } from '../../src/series/render.js';
import { rulePhrases } from '../../transforms/index.js';
import type { Plan } from '../../src/plan/plan.js';
import type { HookReport, Person } from '../../src/base/types.js';
import { exampleTree, repoRoot } from '../support/helpers.js';
import { writeSeriesFiles } from '../../src/outdir/outdir.js';

const TREE = path.join(repoRoot, 'test/unit/fixtures/maintainers/tree');
const db = loadMaintainers(TREE)!;
const ME: Person = { name: 'Ada Lovelace', email: 'ada@example.org' };
const DATE = new Date('2026-11-24T08:01:28Z');
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org', LC_ALL: 'C' };
const scratch: string[] = [];
test.after(() => {
	for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = (tag: string) => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), `mmapify-ms-${tag}-`));
	scratch.push(d);
	return d;
};
const git = (cwd: string, args: string[]) => spawnSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });

function hook(fn: string, file: string): HookReport {
	return { function: fn, file, line: 3, wiring: [{ struct: 'file_operations', field: 'mmap', file, line: 9 }], status: 'converted', newName: `${fn}_prepare`, rules: ['P1', 'P2'] };
}
const before = (fn: string) => `static int ${fn}(struct file *f, struct vm_area_struct *vma)\n{\n\treturn 0;\n}\n`;
const after = (fn: string) => `static int ${fn}_prepare(struct vm_area_desc *desc)\n{\n\treturn 0;\n}\n`;

/** Two patches: the FOO SPI driver and the orphaned WAN driver. */
function plan(): Plan {
	const p = (fn: string, file: string) => ({ files: [file], hooks: [hook(fn, file)], changes: [{ path: file, before: before(fn), after: after(fn) }], chains: [] });
	const patches = [p('foo_spi_mmap', 'drivers/foo/foo-spi.c'), p('wan_mmap', 'drivers/net/wan/orphan_drv.c')];
	return { hooks: patches.flatMap((x) => x.hooks), phrases: rulePhrases, patches, chains: [] } as unknown as Plan;
}

const opts = { author: ME, date: DATE, subjectPrefix: 'PATCH', signoff: ME, baseCommit: 'f'.repeat(40), version: '0.1.0' };
const headerBlock = (text: string) => text.slice(0, text.indexOf('\n\n') + 1);
const header = (text: string, name: string) => new RegExp(`^${name}: .*(?:\\n\\s+.*)*`, 'm').exec(headerBlock(text))?.[0];

test('each patch: To: maintainers, Cc: reviewers and lists; the cover letter: the union; --to/--cc on every mail', () => {
	const series = buildSeries(plan(), { ...opts, maintainers: db, to: ['Boss <boss@example.org>'], cc: ['archive@example.org'] });
	const [cover, spi, wan] = series as [SeriesFile, SeriesFile, SeriesFile];
	assert.equal(spi.to, ['Boss <boss@example.org>', 'FOO MAINTAINER <Foo@Example.org>', 'Second Maint <second@example.org>', 'I2c Person <i2c@example.org>']);
	assert.equal(spi.cc, ['archive@example.org', 'Spi Person <spi@example.org>', 'Rev Iewer <reviewer@example.org>', 'foo-devel@lists.example.org', 'linux-kernel@vger.kernel.org']);
	assert.equal(wan.to, ['Boss <boss@example.org>', 'Wan Maint <wan@example.org>']);
	assert.equal(wan.cc, ['archive@example.org', 'netdev@example.org', 'linux-kernel@vger.kernel.org']);
	assert.equal(cover.to, ['Boss <boss@example.org>', 'FOO MAINTAINER <Foo@Example.org>', 'Second Maint <second@example.org>', 'I2c Person <i2c@example.org>', 'Wan Maint <wan@example.org>']);
	assert.equal(cover.cc, ['archive@example.org', 'Spi Person <spi@example.org>', 'Rev Iewer <reviewer@example.org>', 'foo-devel@lists.example.org', 'linux-kernel@vger.kernel.org', 'netdev@example.org']);
	for (const f of series) {
		assert.is(header(f.text, 'To'), addressHeader('To', f.to!).trimEnd(), `${f.path}: To: header`);
		assert.is(header(f.text, 'Cc'), addressHeader('Cc', f.cc!).trimEnd(), `${f.path}: Cc: header`);
		assert.match(headerBlock(f.text), /^Subject: .*\nTo: /m, 'To:/Cc: follow Subject:, as in git format-patch');
	}
	// The orphaned driver is named in its patch's notes and in the cover letter.
	assert.equal(wan.unmaintained, [{ section: 'NETWORK WAN ORPHAN DRIVER', status: 'Orphan', files: ['drivers/net/wan/orphan_drv.c'] }]);
	assert.match(cover.text, /MAINTAINERS has no active maintainer for some of the touched files:\n\n- NETWORK WAN ORPHAN DRIVER \(S: Orphan\): drivers\/net\/wan\/orphan_drv\.c\n/);
	assert.match(cover.text.replace(/\s+/g, ' '), /mmapify checked that each patch reproduces the files it converted\. It did not apply, checkpatch or build the series: it was run without --verify\./);
});

test('a section without an active maintainer that only its K: keyword matched names the files whose lines matched (BPF [MISC])', () => {
	const dir = tmp('kw');
	fs.writeFileSync(
		path.join(dir, 'MAINTAINERS'),
		'BPF [MISC]\nL:\tbpf@example.org\nS:\tOdd Fixes\nK:\t(?:\\b|_)bpf(?:\\b|_)\n\nDEMO DRIVERS\nM:\tDemo Maint <demo@example.org>\nS:\tMaintained\nF:\tdrivers/demo/\n\nTHE REST\nL:\tlinux-kernel@vger.kernel.org\nS:\tBuried alive in reporters\nF:\t*\nF:\t*/\n',
	);
	const kdb = loadMaintainers(dir)!;
	const p = (fn: string, file: string) => ({ files: [file], hooks: [hook(fn, file)], changes: [{ path: file, before: before(fn), after: after(fn) }], chains: [] });
	const patches = [p('demo_bpf_mmap', 'drivers/demo/bpf-map.c'), p('demo_plain_mmap', 'drivers/demo/plain.c')];
	const pl = { hooks: patches.flatMap((x) => x.hooks), phrases: rulePhrases, patches, chains: [] } as unknown as Plan;
	const [cover, bpf, plain] = buildSeries(pl, { ...opts, maintainers: kdb }) as [SeriesFile, SeriesFile, SeriesFile];
	assert.equal(bpf.unmaintained, [{ section: 'BPF [MISC]', status: 'Odd Fixes', files: ['drivers/demo/bpf-map.c'], keyword: true }]);
	assert.ok(bpf.cc!.includes('bpf@example.org'));
	assert.equal(plain.unmaintained, []);
	// the cover letter wraps at 75 columns, continuing an item with two spaces
	assert.match(cover.text.replace(/\n  (?=\S)/g, ' '), /\n- BPF \[MISC\] \(S: Odd Fixes\): drivers\/demo\/bpf-map\.c \(their diff lines match its K: keyword\)\n/);
	assert.not.match(cover.text, /\(S: Odd Fixes\):\s*\n/, 'no section listed without what it is there for');
});

test('--no-maintainers (no db): only --to/--cc; none at all: no headers', () => {
	const series = buildSeries(plan(), { ...opts, to: ['boss@example.org'] });
	for (const f of series) assert.equal([f.to, f.cc], [['boss@example.org'], []]);
	const bare = buildSeries(plan(), opts);
	for (const f of bare) assert.is(header(f.text, 'To') ?? header(f.text, 'Cc'), undefined);
});

test('To:/Cc: headers are byte for byte what git format-patch --to/--cc writes', () => {
	const repo = tmp('fp');
	git(repo, ['init', '-q']);
	fs.writeFileSync(path.join(repo, 'f'), 'a\n');
	git(repo, ['add', 'f']);
	git(repo, ['commit', '-qm', 'x: y']);
	const to = ['FOO MAINTAINER <Foo@Example.org>', '"Enrico Weigelt, metux IT consult" <info@metux.example>'];
	const cc = ['"Ünïcode Reviewer" <uni@example.org>', 'linux-kernel@vger.kernel.org'];
	const out = git(repo, ['format-patch', '--stdout', '-1', ...to.map((t) => `--to=${t}`), ...cc.map((c) => `--cc=${c}`)]).stdout;
	assert.is(addressHeader('To', to) + addressHeader('Cc', cc), `${header(out, 'To')}\n${header(out, 'Cc')}\n`);
});

test('git am applies patches that carry To:/Cc: headers', async () => {
	const repo = tmp('am');
	git(repo, ['init', '-q']);
	for (const f of ['drivers/foo/foo-spi.c', 'drivers/net/wan/orphan_drv.c']) {
		fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
		fs.writeFileSync(path.join(repo, f), before(f.includes('spi') ? 'foo_spi_mmap' : 'wan_mmap'));
	}
	git(repo, ['add', '-A']);
	git(repo, ['commit', '-qm', 'base']);
	const series = buildSeries(plan(), { ...opts, maintainers: db });
	await writeSeriesFiles(path.join(repo, 'out'), 'out', 'convert v1', series);
	const r = git(repo, ['am', ...series.filter((f) => f.patch).map((f) => path.join('out', f.path))]);
	assert.is(r.status, 0, r.stderr);
	assert.is(fs.readFileSync(path.join(repo, 'drivers/foo/foo-spi.c'), 'utf8'), after('foo_spi_mmap'));
});

test('a reroll: vN names and tags, In-Reply-To on the cover letter only, "Changes in vN"', () => {
	const series = buildSeries(plan(), { ...opts, subjectPrefix: 'PATCH v3', inReplyTo: 'cover.123.git.ada@example.org', maintainers: db });
	assert.equal(
		series.map((f) => f.path),
		['v3-0000-cover-letter.patch', 'v3-0001-drivers-foo-Convert-foo_spi_mmap-to-mmap_prepare.patch', 'v3-0002-drivers-net-Convert-wan_mmap-to-mmap_prepare.patch'].map((n, i) =>
			i === 0 ? n : series[i]!.path,
		),
	);
	assert.ok(series.slice(1).every((f) => /^v3-000[12]-/.test(f.path)));
	assert.match(series[0]!.text, /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\nIn-Reply-To: <cover\.123\.git\.ada@example\.org>\nReferences: <cover\.123\.git\.ada@example\.org>\nFrom: /);
	assert.match(series[0]!.text, /^Subject: \[PATCH v3 0\/2\] /m);
	assert.match(series[1]!.text, /^Subject: \[PATCH v3 1\/2\] /m);
	for (const f of series.slice(1)) assert.not.match(headerBlock(f.text), /In-Reply-To|References/, 'git send-email threads the patches under the cover letter');
	assert.match(series[0]!.text, /\nChanges in v3:\n- What changed since v2 is to be filled in here\.\n- Link to v2: https:\/\/lore\.kernel\.org\/r\/cover\.123\.git\.ada@example\.org\n/);
	assert.not.match(series[0]!.text, /EDITME|\*\*\* (SUBJECT|BLURB) HERE/);
	const custom = buildSeries(plan(), { ...opts, subjectPrefix: 'RFC PATCH v2', changelog: '- Dropped the foo patch.\n- Rebased on v7.3.\n' });
	assert.match(custom[0]!.text, /\nChanges in v2:\n- Dropped the foo patch\.\n- Rebased on v7\.3\.\n\n/);
	const v1 = buildSeries(plan(), opts);
	assert.not.match(v1[0]!.text, /Changes in/);
});

test('changelogBlock, messageId, loreLink', () => {
	assert.is(messageId('a@b'), '<a@b>');
	assert.is(messageId(' <a@b> '), '<a@b>');
	assert.is(loreLink('<a@b>'), 'https://lore.kernel.org/r/a@b');
	assert.is(changelogBlock(2, undefined, undefined), 'Changes in v2:\n- What changed since v1 is to be filled in here.');
	// (a no-break space keeps the link on its label's line through wrapping)
	assert.is(changelogBlock(4, '\n- One.\n\n', 'x@y'), 'Changes in v4:\n- One.\n- Link\u00a0to\u00a0v3:\u00a0https://lore.kernel.org/r/x@y');
});

// ---------------------------------------------------------------------------
// git send-email reads what we wrote

const sendEmail = git(os.tmpdir(), ['send-email', '--help']).status === 0 || spawnSync('git', ['send-email', '-h'], { encoding: 'utf8' }).stderr.includes('usage');
const canSend = spawnSync('git', ['send-email', '--dry-run', '--to=x@example.org', '/dev/null'], { encoding: 'utf8', env: GIT_ENV }).stderr.includes('Mail::Address')
	? false
	: sendEmail;

if (!canSend) {
	console.log('maintainers-series: SKIPPED git send-email --dry-run: git send-email is not installed (Debian: git-email, libmailtools-perl)');
	test.skip('git send-email --dry-run accepts the series and mails each message to its To:/Cc:', () => {});
} else {
	test('git send-email --dry-run accepts the series and mails each message to its To:/Cc:', async () => {
		const dir = tmp('se');
		const series = buildSeries(plan(), { ...opts, maintainers: db, subjectPrefix: 'PATCH v2', inReplyTo: 'v1@example.org' });
		await writeSeriesFiles(path.join(dir, 'out'), 'out', 'convert v2', series);
		const r = spawnSync(
			'git',
			['send-email', '--dry-run', '--confirm=never', '--from=Ada Lovelace <ada@example.org>', '--to=someone@example.org', ...series.map((f) => path.join(dir, 'out', f.path))],
			{ cwd: dir, env: { ...GIT_ENV, GIT_AUTHOR_NAME: ME.name, GIT_AUTHOR_EMAIL: ME.email }, encoding: 'utf8', input: '' },
		);
		assert.is(r.status, 0, r.stderr + r.stdout);
		// One "Dry-OK. Log says:" block per message, in file order.
		const blocks = r.stdout.split('Dry-OK. Log says:').slice(1);
		assert.is(blocks.length, series.length);
		for (const [i, f] of series.entries()) {
			const rcpt = new Set([...blocks[i]!.matchAll(/^RCPT TO:<([^>]+)>$/gm)].map((m) => m[1]!.toLowerCase()));
			const want = new Set(['someone@example.org', ...[...f.to!, ...f.cc!].map((a) => (/<([^>]+)>/.exec(a)?.[1] ?? a).toLowerCase())]);
			for (const a of want) assert.ok(rcpt.has(a), `${f.path}: mailed to ${a}`);
			for (const a of rcpt) assert.ok(want.has(a) || a === ME.email, `${f.path}: no unexpected recipient ${a}`);
			assert.match(blocks[i]!, new RegExp(`^Subject: \\[PATCH v2 ${i}/2\\]`, 'm'));
		}
		assert.match(blocks[0]!, /^In-Reply-To: <v1@example\.org>$/m);
		assert.match(blocks[1]!, /^In-Reply-To: <[^>]+>$/m);
		assert.not.match(blocks[1]!, /^In-Reply-To: <v1@example\.org>$/m, 'patches answer the new cover letter');
	});
}

// ---------------------------------------------------------------------------
// The command line

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const cli = path.join(repoRoot, 'src/cli.ts');
function mmapify(args: string[], cwd: string) {
	const r = spawnSync(tsx, [cli, ...args], { cwd, env: { ...GIT_ENV, GIT_AUTHOR_NAME: ME.name, GIT_AUTHOR_EMAIL: ME.email, NO_COLOR: '1' }, encoding: 'utf8' });
	return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A git copy of the example tree with a MAINTAINERS for drivers/demo. */
function exampleRepo(): string {
	const dir = tmp('cli');
	fs.cpSync(exampleTree, dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'MAINTAINERS'),
		'DEMO DRIVERS\nM:\tDemo Maint <demo@example.org>\nR:\tDemo Reviewer <review@example.org>\nL:\tdemo@lists.example.org\nS:\tOdd Fixes\nF:\tdrivers/demo/\n\nTHE REST\nL:\tlinux-kernel@vger.kernel.org\nS:\tBuried alive in reporters\nF:\t*\nF:\t*/\n',
	);
	git(dir, ['init', '-q']);
	git(dir, ['add', '-A']);
	git(dir, ['commit', '-qm', 'base']);
	return dir;
}

test('CLI: --json lists each mail\'s To:/Cc:; -v 2, --in-reply-to, --changelog; the text report shows recipients', () => {
	const dir = exampleRepo();
	fs.writeFileSync(path.join(dir, 'changes.txt'), '- Fixed the subject lines.\n');
	const r = mmapify(['--json', '-o', 'out', '-v', '2', '--in-reply-to', 'v1@example.org', '--changelog', 'changes.txt', '--cc', 'extra@example.org', 'drivers/demo', '--to', 'Demo Maint <demo@example.org>'], dir);
	assert.is(r.code, 0, r.err);
	const j = JSON.parse(r.out);
	assert.ok(j.patches.length >= 1);
	for (const p of j.patches) {
		assert.match(p.path, /^v2-\d{4}-/);
		assert.equal(p.to, ['Demo Maint <demo@example.org>']);
		assert.equal(p.cc, ['extra@example.org', 'Demo Reviewer <review@example.org>', 'demo@lists.example.org', 'linux-kernel@vger.kernel.org']);
		assert.equal(p.unmaintained, [{ section: 'DEMO DRIVERS', status: 'Odd Fixes', files: p.files.filter((f: string) => f.startsWith('drivers/demo/')) }]);
	}
	assert.is(j.cover.path, 'v2-0000-cover-letter.patch');
	assert.equal(j.cover.to, ['Demo Maint <demo@example.org>']);
	assert.match(j.cover.subject, /^\[PATCH v2 0\/\d+\] /);
	const cover = fs.readFileSync(path.join(dir, 'out', j.cover.path), 'utf8');
	assert.match(cover, /\nChanges in v2:\n- Fixed the subject lines\.\n- Link to v1: https:\/\/lore\.kernel\.org\/r\/v1@example\.org\n/);
	assert.match(cover, /^In-Reply-To: <v1@example\.org>$/m);
	assert.match(cover, /- DEMO DRIVERS \(S: Odd Fixes\): drivers\/demo\//);

	const t = mmapify(['-o', 'out2', 'drivers/demo'], dir);
	assert.is(t.code, 0, t.err);
	assert.match(t.out, /^recipients \(MAINTAINERS\):\n {2}0000-cover-letter\.patch\n {6}To: demo@example\.org\n {6}Cc: review@example\.org, demo@lists\.example\.org, linux-kernel@vger\.kernel\.org$/m);
	assert.match(t.out, /^ {2}note: DEMO DRIVERS is "Odd Fixes" in MAINTAINERS: drivers\/demo\//m);

	const none = mmapify(['--json', '--no-maintainers', '--to', 'me@example.org', '-o', 'out3', 'drivers/demo'], dir);
	assert.is(none.code, 0, none.err);
	for (const p of JSON.parse(none.out).patches) assert.equal([p.to, p.cc], [['me@example.org'], []]);
});

test('CLI: bad reroll options exit 2 with one line', () => {
	const dir = exampleRepo();
	for (const [args, msg] of [
		[['--changelog', 'x.txt'], /--changelog is for a re-rolled series: add -v N \(N >= 2\)/],
		[['-v', '2', '--subject-prefix', 'PATCH v2'], /already names a version/],
		[['-v', '0'], /positive integer/],
		[['-v', '2', '--changelog', 'missing.txt'], /--changelog missing\.txt: ENOENT/],
	] as Array<[string[], RegExp]>) {
		const r = mmapify([...args, '-o', 'out', 'drivers/demo'], dir);
		assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
		assert.match(r.err, msg);
		assert.is(r.err.trim().split('\n').length, 1);
	}
});

test.run();
