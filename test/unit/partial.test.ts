// withItemsTree() (src/partial.ts): the plan's questions are answered from a
// parse of only the items that hold them, with the conditionals around them,
// and from a whole parse whenever the parts may read differently; and the
// corpus word index (src/mentions.ts) that picks the files to ask.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser, withTree, type Node } from '../../src/c/parser.js';
import { withItemsTree, WHOLE_FILE } from '../../src/c/partial.js';
import { filesAccessing, filesWithEach, resetCorpus, scanMentions, setCorpus, MMAP } from '../../src/corpus/corpus.js';

const ancestorTypes = (n: Node | null) => {
	const out: string[] = [];
	for (let x = n; x; x = x.parent) out.push(x.type);
	return out;
};
const fnAt = (root: Node, at: number) => {
	let n: Node | null = root.descendantForIndex(at);
	while (n && n.type !== 'function_definition') n = n.parent;
	return n;
};

const SRC = `// SPDX-License-Identifier: GPL-2.0
#include <linux/fs.h>

static struct demo_dev *global_dev;

static int helper(int x)
{
	return x + 1;
}

#ifdef CONFIG_DEMO
static int demo_a(struct file *file, struct vm_area_struct *vma)
{
	return 0;
}

static int other(void)
{
	return helper(2);
}
#else
static int demo_b(struct file *file, struct vm_area_struct *vma)
{
	return global_dev->ops.mmap(global_dev, vma);
}
#endif

static const struct file_operations demo_fops = {
	.owner = THIS_MODULE,
#ifdef CONFIG_DEMO
	.mmap = demo_a,
#else
	.mmap = demo_b,
#endif
};
`;

test.before(async () => {
	await initParser();
});

// MMAPIFY_FULL_PARSE=1 turns partial parsing off for the whole process: the
// tests of the partial parse itself are skipped then (the others still run).
const partialOnly = process.env.MMAPIFY_FULL_PARSE === '1' ? test.skip : test;

partialOnly('only the items with the words are parsed, inside the conditionals around them', () => {
	const at = SRC.indexOf('demo_b(');
	const { partial, text, types, helperSeen } = withItemsTree(SRC, { words: ['demo_b'] }, (root, partial) => {
		const fn = fnAt(root, at);
		return { partial, text: fn?.text, types: ancestorTypes(fn), helperSeen: fnAt(root, SRC.indexOf('helper(int')) !== null };
	});
	assert.ok(partial, 'answered from the parts');
	const whole = withTree(SRC, (root) => ({ text: fnAt(root, at)?.text, types: ancestorTypes(fnAt(root, at)) }));
	assert.is(text, whole.text);
	// demo_b sits in the #else branch of the #ifdef as in the whole file: the
	// #ifdef and #endif lines were parsed with it although other items hold them.
	assert.equal(types, whole.types);
	assert.ok(types.includes('preproc_else'), types.join(' < '));
	assert.not.ok(helperSeen, 'helper() is in no chosen item');
});

partialOnly('places choose items too; the initialiser keeps its #ifdef (an error of its own, not of the cut)', () => {
	const at = SRC.indexOf('.mmap = demo_b') + 1;
	const r = withItemsTree(SRC, { at: [at] }, (root, partial) => {
		let n: Node | null = root.descendantForIndex(at);
		while (n && n.type !== 'initializer_list') n = n.parent;
		return { partial, list: n?.text };
	});
	assert.ok(r.partial);
	assert.ok(r.list?.includes('.mmap = demo_b'));
});

test('an item cut inside a function is never used: the whole file is parsed', () => {
	// The `}` in column 0 closes the if block but ends the item there.
	const src = `static int cut(struct vm_area_struct *vma)
{
	if (vma) {
		vma->vm_flags |= 1;
}
	return remap(vma);
}

static int next(void)
{
	return 0;
}
`;
	const calls: boolean[] = [];
	const text = withItemsTree(src, { words: ['cut'] }, (root, partial) => {
		calls.push(partial);
		return fnAt(root, src.indexOf('cut('))?.text;
	});
	assert.equal(calls, [false], 'the parts had a missing }, so only the whole parse answered');
	assert.ok(text?.includes('return remap(vma);'), 'the function has all its lines');
});

partialOnly('a callback that needs the whole file gets it (a global declared in another item)', () => {
	const calls: boolean[] = [];
	const typed = withItemsTree(SRC, { words: ['demo_b'] }, (root, partial) => {
		calls.push(partial);
		const decl = root.descendantForIndex(SRC.indexOf('global_dev;'));
		if (partial && decl.type !== 'identifier') return WHOLE_FILE;
		return decl.type;
	});
	assert.equal(calls, [true, false]);
	assert.is(typed, 'identifier');
});

test('nothing matching: the whole file', () => {
	const calls: boolean[] = [];
	withItemsTree(SRC, { words: ['no_such_name'] }, (_root, partial) => void calls.push(partial));
	assert.equal(calls, [false]);
});

test('corpus word index: field accesses, word files, filesWithEach and scanMentions agree with the plain searches', () => {
	resetCorpus();
	const files: Record<string, string> = {
		'a.c': 'x->mmap_ring(ch, vma);',
		'b.c': 'if (y . mmap_ring)\n\treturn;',
		'c.c': 'static struct ops o = {\n\t.mmap_ring = f,\n};\n#include <linux/hyperv.h>',
		'd.c': 'foo_mmap_ring(); z->mmap_ring_buffer = NULL; struct vmbus_channel *c;',
		'e.c': 'a[i].mmap_ring = NULL; call(b)\n\t.mmap_ring(1); // vmbus_channel',
		'f.c': 'nothing here',
	};
	const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
	setCorpus('/made-up', Object.keys(files), Object.entries(files).map(([file, text]) => ({ file, flags: text.includes('mmap') ? MMAP : 0, data: enc(text) })));
	assert.equal(filesAccessing('/made-up', 'mmap_ring'), ['a.c', 'b.c', 'e.c']);
	assert.equal(filesAccessing('/made-up', 'mmap_ring_buffer'), ['d.c']);
	assert.equal(filesWithEach('/made-up', 'mmap_ring', [['vmbus_channel', 'hyperv.h']]), [['c.c', 'e.c']]);
	// Names inside other names: each is still found where it is a word of its own.
	assert.equal(filesWithEach('/made-up', 'mmap_ring', [['vmbus'], ['channel'], ['hyperv.h'], ['linux'], ['ops', 'nothing'], ['vmbus_channel']]), [[], [], ['c.c'], ['c.c'], ['c.c'], ['e.c']]);
	assert.equal(filesWithEach('/made-up', 'mmap_ring_buffer', [['struct'], ['vmbus_channel', 'c']]), [['d.c'], ['d.c']]);
	const m = scanMentions('/made-up', ['mmap_ring', 'foo_mmap_ring']);
	assert.equal(m.get('mmap_ring'), ['a.c', 'b.c', 'c.c', 'e.c']);
	assert.equal(m.get('foo_mmap_ring'), ['d.c']);
	resetCorpus();
});

test.run();
