// src/series/header-values.ts: what --to/--cc, --in-reply-to and --base accept and
// refuse (the CLI's side is in test/faults/headers.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseCommitValue, headerText, mailboxes, messageIdValue } from '../../src/series/header-values.js';
import { UsageError } from '../../src/base/usage.js';

const refused = (fn: () => unknown, option: RegExp) =>
	assert.throws(fn, (e: unknown) => e instanceof UsageError && option.test(e.message) && !e.message.includes('\n'));

test('mailboxes: the forms git format-patch users write', () => {
	assert.equal(mailboxes('--to', 'ada@example.org'), ['ada@example.org']);
	assert.equal(mailboxes('--to', 'Ada Lovelace <ada@example.org>'), ['Ada Lovelace <ada@example.org>']);
	assert.equal(mailboxes('--to', '<ada@example.org>'), ['<ada@example.org>']);
	assert.equal(mailboxes('--cc', '"Doe, Jane" <jane@example.org>'), ['"Doe, Jane" <jane@example.org>']);
	assert.equal(mailboxes('--cc', 'J. R. Doe <jrd@example.org>'), ['J. R. Doe <jrd@example.org>']);
	assert.equal(mailboxes('--cc', 'a@example.org, B <b@example.org>'), ['a@example.org', 'B <b@example.org>']);
	assert.equal(mailboxes('--cc', 'linux-mm@kvack.org'), ['linux-mm@kvack.org']);
	assert.equal(mailboxes('--cc', 'Zoë Ünicode <zoe@example.org>'), ['Zoë Ünicode <zoe@example.org>']);
	assert.equal(mailboxes('--cc', 'root@[127.0.0.1]'), ['root@[127.0.0.1]']);
});

test('mailboxes: what is not one, with the option named on one line', () => {
	for (const v of [
		'',
		'  ',
		'a@example.org\nCc: evil@example.org',
		'a@example.org\rBcc: evil@example.org',
		'a\u0000@example.org',
		'two@example.org three@example.org',
		'Eve <eve@example.org',
		'Eve eve@example.org>',
		'nobody',
		'@example.org',
		'a@',
		'a@example.org,',
		'a@example.org,,b@example.org',
		'a@example.org (Ada)',
		'"unterminated <a@example.org>',
	])
		refused(() => mailboxes('--to', v), /^--to /);
});

test('Message-Ids: with or without <>, written with them; anything else refused', () => {
	assert.is(messageIdValue('--in-reply-to', 'cover.123.git.ada@example.org'), '<cover.123.git.ada@example.org>');
	assert.is(messageIdValue('--in-reply-to', ' <20260101.1-1-ada@kernel.org> '), '<20260101.1-1-ada@kernel.org>');
	assert.is(messageIdValue('--in-reply-to', '<abc@[127.0.0.1]>'), '<abc@[127.0.0.1]>');
	for (const v of ['', 'no-at-sign', 'a b@x', '<abc@x>\nTo: v@evil.example', '<a@x', 'a@x>', '<@x>', '<a@>', '<a..b@x>', '<a@x y>'])
		refused(() => messageIdValue('--in-reply-to', v), /^--in-reply-to /);
});

test('--base: resolved by the repository, or a full id without one', () => {
	const resolve = (rev: string) => (rev === 'v1' ? 'a'.repeat(40) : undefined);
	assert.is(baseCommitValue('v1', resolve), 'a'.repeat(40));
	refused(() => baseCommitValue('v2', resolve), /^--base "v2": names no commit/);
	refused(() => baseCommitValue('v1\nSigned-off-by: m@evil.example', resolve), /^--base .*line break/);
	assert.is(baseCommitValue('b'.repeat(40), undefined), 'b'.repeat(40));
	refused(() => baseCommitValue('HEAD', undefined), /^--base "HEAD": the tree is not a git repository/);
	refused(() => baseCommitValue('', resolve), /^--base needs a commit/);
});

test('headerText: tab is fine, other control characters are not', () => {
	assert.is(headerText('--subject-prefix', 'RFC\tPATCH'), 'RFC\tPATCH');
	refused(() => headerText('--subject-prefix', 'PATCH\nBcc: x@evil.example'), /^--subject-prefix .*line break/);
	refused(() => headerText('--prefix', 'xen:\u001b[31m'), /^--prefix .*control character/);
});

test.run();
