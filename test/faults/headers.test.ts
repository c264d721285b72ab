// faults.md 1 and the header parts of 17: every value that becomes a mail
// header is checked; a bad one exits 2 with one line naming the option, and
// nothing is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, exampleRepo, git, mmapify, oneLine } from './support.js';

const HOOK = 'drivers/demo/demo_regs.c';

/** A bad value: exit 2, one line naming the option, no output folder. */
function refused(args: string[], option: RegExp): void {
	const dir = exampleRepo();
	const r = mmapify([...args, '-o', 'out', HOOK], dir);
	assert.is(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.out}${r.err}`);
	assert.ok(oneLine(r.err), `not one line: ${r.err}`);
	assert.match(r.err, option);
	assert.not.ok(fs.existsSync(path.join(dir, 'out')), 'something was written');
}

test('1: a newline in --to injects no header', () => refused(['--to', 'a@example.org\nCc: victim@evil.example'], /--to/));
test('1: a newline in --cc injects no header', () => refused(['--cc', 'a@example.org\nBcc: victim@evil.example'], /--cc/));
test('1: a carriage return in --cc injects no header', () => refused(['--cc', 'a@example.org\rBcc: victim@evil.example'], /--cc/));
test('1: a newline in --in-reply-to injects no header', () => refused(['--in-reply-to', '<abc@x>\nTo: v2@evil.example'], /--in-reply-to/));
test('1: a newline in --subject-prefix injects no header', () => refused(['--subject-prefix', 'PATCH\nBcc: victim@evil.example'], /--subject-prefix/));
test('1: a newline in --base adds no trailer', () => refused(['--base', 'HEAD\nSigned-off-by: Mallory <m@evil.example>'], /--base/));
test('1: --to that is not a mailbox (RFC 5322)', () => refused(['--to', 'two@example.org three@example.org'], /--to/));
test('1: --cc with an unbalanced angle bracket', () => refused(['--cc', 'Eve <eve@example.org'], /--cc/));
test('17: --to "" writes no empty To:', () => refused(['--to', ''], /--to/));
test('17: --in-reply-to with spaces is not a Message-Id', () => refused(['--in-reply-to', 'not a message id@x'], /--in-reply-to/));
test('17: --base that names no commit', () => refused(['--base', 'no-such-revision'], /--base/));

test('1, 17: good values are written as git format-patch writes them; --base is resolved to a commit', () => {
	const dir = exampleRepo();
	const head = git(dir, 'rev-parse', 'HEAD').stdout.trim();
	git(dir, 'tag', 'v0');
	const r = mmapify(['--to', 'Ada Lovelace <ada@example.org>', '--cc', '"Doe, Jane" <jane@example.org>', '--cc', 'list@vger.example.org', '--in-reply-to', 'cover.1.git.ada@example.org', '--base', 'v0', '-o', 'out', HOOK], dir);
	assert.is(r.code, 0, r.err);
	const cover = fs.readFileSync(path.join(dir, 'out/0000-cover-letter.patch'), 'utf8');
	const headers = cover.slice(0, cover.indexOf('\n\n'));
	assert.match(headers, /^In-Reply-To: <cover\.1\.git\.ada@example\.org>$/m);
	assert.match(headers, /^To: Ada Lovelace <ada@example\.org>$/m);
	assert.match(headers, /^Cc: "Doe, Jane" <jane@example\.org>,\n    list@vger\.example\.org$/m);
	assert.match(cover, new RegExp(`^base-commit: ${head}$`, 'm'));
});

test.after(cleanup);
test.run();
