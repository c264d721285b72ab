import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gitWrap, NBSP, wrapMessage } from '../../src/base/wrap.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean);

// Deterministic prose with words of many lengths, one of them over 75.
function prose(seed: number, n: number): string {
	const out: string[] = [];
	for (let i = 0; i < n; i++) {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		const len = i === 17 ? 90 : 1 + (seed % 14);
		out.push('abcdefghijklmnopqrstuvwxyz'.repeat(4).slice(seed % 7, (seed % 7) + len));
	}
	return out.join(' ');
}

test('no line over 75 unless it is a single longer word; words kept whole and in order', () => {
	for (let seed = 1; seed <= 20; seed++) {
		const text = prose(seed, 120);
		const wrapped = wrapMessage(text);
		for (const line of wrapped.split('\n')) {
			if (line.length > 75) assert.is(words(line).length, 1, `long line with several words: ${line}`);
		}
		assert.equal(words(wrapped), words(text), 'same words, same order');
		// Greedy: the next line's first word would not have fitted.
		const lines = wrapped.split('\n');
		for (let i = 0; i + 1 < lines.length; i++) {
			const next = words(lines[i + 1]!)[0]!;
			assert.ok(lines[i]!.length + 1 + next.length > 75, `line ${i} could have taken "${next}"`);
		}
	}
});

test('paragraphs, trailers, code and URLs', () => {
	const text = [
		'This is a paragraph that is rather long and should be wrapped at seventy five columns exactly.',
		'',
		'\tcode_line_that_is_long(and, must, not, be, touched, by, the, wrapper, no, matter, what, it, says);',
		'    also_indented_code();',
		'',
		'Link: https://lore.kernel.org/r/a-very-long-message-id-that-goes-on-and-on-and-on@example.org',
		'Signed-off-by: A Very Long Name Indeed With Many Words <a.very.long.email.address@example.org>',
	].join('\n');
	const out = wrapMessage(text).split('\n');
	assert.equal(out, [
		'This is a paragraph that is rather long and should be wrapped at seventy',
		'five columns exactly.',
		'',
		'\tcode_line_that_is_long(and, must, not, be, touched, by, the, wrapper, no, matter, what, it, says);',
		'    also_indented_code();',
		'',
		'Link: https://lore.kernel.org/r/a-very-long-message-id-that-goes-on-and-on-and-on@example.org',
		'Signed-off-by: A Very Long Name Indeed With Many Words <a.very.long.email.address@example.org>',
	]);
	// "Note:" is prose, not a trailer.
	const note = wrapMessage(`Note: ${'word '.repeat(30)}`);
	assert.ok(note.split('\n').every((l) => l.length <= 75));
});

test('list items get a hanging indent and absorb their continuation lines', () => {
	const text = [
		'- hpet_other_mmap (drivers/char/hpet.c:400): remap_vmalloc_range() at drivers/char/hpet.c:410 has no',
		'  vm_area_desc equivalent',
		'- short item',
		'1. numbered item with enough words to need a second line when wrapped at seventy five',
	].join('\n');
	assert.equal(wrapMessage(text).split('\n'), [
		'- hpet_other_mmap (drivers/char/hpet.c:400): remap_vmalloc_range() at',
		'  drivers/char/hpet.c:410 has no vm_area_desc equivalent',
		'- short item',
		'1. numbered item with enough words to need a second line when wrapped at',
		'   seventy five',
	]);
});

test('commit citations stay on one line when they fit; NBSP glues words', () => {
	const text =
		'The new hook came with commit c84bf6dd2b83 ("mm: introduce new .mmap_prepare() file callback") in 6.17.';
	const out = wrapMessage(text).split('\n');
	assert.ok(out.some((l) => l.includes('commit c84bf6dd2b83 ("mm: introduce new .mmap_prepare() file callback")')));
	const glued = wrapMessage(`${'x '.repeat(35)}keep${NBSP}these${NBSP}together`);
	assert.ok(glued.includes('keep these together'));
	assert.not.ok(glued.includes(NBSP));
});

test('wrapping is idempotent', () => {
	const text = `${prose(3, 80)}\n\n- ${prose(4, 30)}\n\nSigned-off-by: A <a@b>`;
	const once = wrapMessage(text);
	assert.is(wrapMessage(once), once);
});

test('gitWrap folds like git: Subject header and shortlog', () => {
	const subj = 'drivers: foo: Convert something really long to mmap_prepare with a long summary line here';
	// Both expectations are git 2.39's own output for this subject.
	assert.is(
		'Subject: [PATCH 1/1] ' + gitWrap(subj, -21, 1, 78),
		'Subject: [PATCH 1/1] drivers: foo: Convert something really long to\n mmap_prepare with a long summary line here',
	);
	assert.is(gitWrap(subj, 2, 4, 72), '  drivers: foo: Convert something really long to mmap_prepare with a\n    long summary line here');
	assert.is(gitWrap('short', -21, 1, 78), 'short');
	assert.is(gitWrap('', 2, 4, 72), '');
	// A word longer than the width is not broken.
	const long = 'x'.repeat(100);
	assert.is(gitWrap(`a ${long} b`, 0, 0, 20), `a\n${long}\nb`);
});

test.run();
