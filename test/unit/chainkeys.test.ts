// The hook fields a file reaches (chainkeys.ts): found by the workers on the
// parse they already have (FileIndex.hookFields), or by chainKeys() itself;
// both must agree, and a worker's partial parse that cannot type an object
// must leave the file to chainKeys() rather than answer wrong.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTree } from '../support/helpers.js';
import { initParser } from '../../src/c/parser.js';
import { scanSource } from '../../src/scan/file.js';
import { chainKeys } from '../../src/find/chain-keys.js';
import type { FileIndex, TreeIndex } from '../../src/find/sites.js';

const HEADER = `#ifndef _DEMO_H
#define _DEMO_H
struct vm_area_struct;
struct demo_dev;
struct demo_ops {
	int (*mmap)(struct demo_dev *dev, struct vm_area_struct *vma);
	int (*mmap_ring)(struct demo_dev *dev, struct vm_area_struct *vma);
	int (*open)(struct demo_dev *dev);
};
struct demo_dev {
	const struct demo_ops *ops;
	struct demo_ops own;
};
#endif
`;

// Enough lines without mmap in them that the scan parses only some items.
const PADDING = Array.from({ length: 40 }, (_, i) => `static int pad${i}(int x)\n{\n\treturn x * ${i};\n}\n`).join('\n');

const LOCAL = `#include "demo.h"

static int impl_mmap(struct demo_dev *dev, struct vm_area_struct *vma)
{
	return 0;
}

static const struct demo_ops ops = {
	.mmap = impl_mmap,
	.open = NULL,
};

${PADDING}
static int outer_mmap(struct demo_dev *dev, struct vm_area_struct *vma)
{
	if (dev->ops->mmap_ring)
		return dev->ops->mmap_ring(dev, vma);
	return dev->own.mmap(dev, vma);
}

static void set(struct demo_dev *dev)
{
	dev->own.mmap_ring = impl_mmap;
}
`;

// The object is a global declared in an item of its own, far from the call.
const GLOBAL = `#include "demo.h"

static struct demo_dev *the_dev;

${PADDING}
static int outer_mmap(struct file *file, struct vm_area_struct *vma)
{
	return the_dev->ops->mmap(the_dev, vma);
}
`;

let root = '';
test.before(async () => {
	await initParser();
	root = makeTree({ 'drivers/demo/demo.h': HEADER, 'drivers/demo/local.c': LOCAL, 'drivers/demo/global.c': GLOBAL });
});
test.after(() => fs.rmSync(root, { recursive: true, force: true }));

const scanned = (file: string, partial: boolean): FileIndex => scanSource(root, file, fs.readFileSync(path.join(root, file), 'utf8'), undefined, partial, true).index;
const keysOf = (fi: FileIndex) => chainKeys({ root, files: new Map([[fi.file, fi]]), unreadable: [] } as TreeIndex, [fi.file]).map((t) => `${t.key.struct}.${t.key.field}`);

test('a worker finds the same hook fields as chainKeys() does on its own', () => {
	const fi = scanned('drivers/demo/local.c', true);
	// initialiser .mmap, calls through ->mmap_ring and .mmap with the vma, the assignment .mmap_ring =
	assert.equal(fi.hookFields, ['demo_ops.mmap', 'demo_ops.mmap_ring']);
	assert.equal(keysOf({ ...fi, hookFields: undefined }), fi.hookFields);
	assert.equal(keysOf(fi), fi.hookFields);
});

test('a worker that cannot type the object leaves the file to chainKeys(), which parses what it needs', () => {
	const partial = scanned('drivers/demo/global.c', true);
	assert.is(partial.hookFields, undefined, 'the_dev is declared in an item the scan did not parse');
	assert.equal(keysOf(partial), ['demo_ops.mmap']);
	// A whole parse can answer at once.
	assert.equal(scanned('drivers/demo/global.c', false).hookFields, ['demo_ops.mmap']);
});

test.run();
