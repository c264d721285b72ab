// mmapify scan on small made-up trees: each wiring kind (designated
// initialiser, assignment, macro use, macro definition, registration
// function), the hooks' categories, the chain with its dispatcher, ERROR
// regions, paths, the worker pool, and the CLI's table and JSON.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTree, repoRoot } from '../support/helpers.js';
import { initParser } from '../../src/c/parser.js';
import { scanTree } from '../../src/scan/scan.js';
import type { ScanReport } from '../../src/scan/report.js';
import { resetCorpus } from '../../src/corpus/corpus.js';
import { formatScan } from '../../src/cli/scan.js';

const HEADER = `/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_DEMO_H
#define _LINUX_DEMO_H
#include <linux/fs.h>
#include <linux/mm.h>

struct demo_dev;

struct demo_ops {
	int (*mmap)(struct demo_dev *dev, struct vm_area_struct *vma);
};

struct demo_dev {
	struct demo_ops ops;
	void *priv;
};

/* a fragment for a file_operations initialiser */
#define DEMO_FOPS_MMAP \\
	.mmap = demo_gem_mmap

/* a whole definition, through the fragment */
#define DEFINE_DEMO_FOPS(name) \\
	static const struct file_operations name = { \\
		.owner = THIS_MODULE, \\
		DEMO_FOPS_MMAP, \\
	}

int demo_gem_mmap(struct file *file, struct vm_area_struct *vma);
int demo_register(struct demo_dev *dev, int (*fn)(struct demo_dev *dev, struct vm_area_struct *vma));

#endif
`;

const FILES: Record<string, string> = {
	'include/linux/demo.h': HEADER,
	// the dispatcher of demo_ops.mmap, wired by the macros; and the registration function
	'drivers/demo/core.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>

int demo_gem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct demo_dev *dev = file->private_data;

	return dev->ops.mmap(dev, vma);
}

int demo_register(struct demo_dev *dev, int (*fn)(struct demo_dev *dev, struct vm_area_struct *vma))
{
	dev->ops.mmap = fn;
	return 0;
}
`,
	// designated initialiser, a trivial hook (a)
	'drivers/demo/init.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>

static const struct vm_operations_struct demo_vm_ops = {
};

static int demo_init_mmap(struct file *file, struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
	vma->vm_ops = &demo_vm_ops;
	return 0;
}

static const struct file_operations demo_init_fops = {
	.owner = THIS_MODULE,
	.mmap = demo_init_mmap,
};
`,
	// assignment into a nested field, one remap (b)
	'drivers/demo/assign.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>

static int demo_assign_mmap(struct demo_dev *dev, struct vm_area_struct *vma)
{
	return remap_pfn_range(vma, vma->vm_start, 0x1000, vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

void demo_assign_setup(struct demo_dev *dev)
{
	dev->ops.mmap = demo_assign_mmap;
}
`,
	// uses of the header's macros
	'drivers/demo/macro.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>

DEFINE_DEMO_FOPS(demo_macro_fops);

static const struct file_operations demo_frag_fops = {
	.owner = THIS_MODULE,
	DEMO_FOPS_MMAP,
};
`,
	// a macro of this file whose hook is an argument of its wrappers
	'drivers/demo/local.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>

static int demo_local_a_mmap(struct file *file, struct vm_area_struct *vma)
{
	return -ENODEV;
}

static int demo_local_b_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_private_data = file->private_data;
	return 0;
}

#define __demo_attr(_name, _mmap)					\\
static const struct file_operations demo_##_name##_fops = {		\\
	.mmap = (_mmap),						\\
}

#define demo_attr_a(_n) __demo_attr(a##_n, demo_local_a_mmap)
#define demo_attr_b(_n) __demo_attr(b##_n, demo_local_b_mmap)

demo_attr_a(0);
demo_attr_b(0);
demo_attr_b(1);
`,
	// a registration function's caller: page-table work in a loop (d)
	'drivers/demo/register.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>

static int demo_reg_mmap(struct demo_dev *dev, struct vm_area_struct *vma)
{
	int i;

	for (i = 0; i < 4; i++)
		vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE, dev->priv);
	return 0;
}

int demo_reg_probe(struct demo_dev *dev)
{
	return demo_register(dev, demo_reg_mmap);
}
`,
	// a field named like a hook that takes no vma: not a site
	'drivers/demo/other.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>

struct demo_map {
	void *memmap;
	void *(*mmap)(struct demo_map *m);	/* a kernel address, like host1x_bo_ops.mmap */
};

static char demo_buf[64];

static void *demo_vaddr(struct demo_map *m)
{
	return demo_buf;
}

void demo_other(struct demo_map *m)
{
	m->memmap = demo_buf;
	m->mmap = demo_vaddr;
}
`,
};

let tree: string;
const reports = new Map<string, ScanReport>();

async function scan(key: string, opts: { targets?: string[]; plan?: boolean; inline?: boolean; root?: string; filesPerTask?: number } = {}): Promise<ScanReport> {
	const hit = reports.get(key);
	if (hit) return hit;
	await initParser();
	resetCorpus();
	tree ??= makeTree(FILES);
	const r = scanTree({ root: opts.root ?? tree, targets: opts.targets ?? ['.'], version: 'test', plan: opts.plan, inline: opts.inline ?? true, filesPerTask: opts.filesPerTask });
	reports.set(key, r);
	return r;
}

const site = (r: ScanReport, hook: string) => r.sites.filter((s) => s.hook === hook && s.counted);
const hook = (r: ScanReport, name: string) => r.hooks.find((h) => h.function === name);

test('scan: a designated initialiser', async () => {
	const r = await scan('all');
	const [s] = site(r, 'demo_init_mmap');
	assert.ok(s, 'site found');
	assert.equal([s!.kind, s!.struct, s!.field, s!.file, s!.line], ['init', 'file_operations', 'mmap', 'drivers/demo/init.c', 16]);
	const h = hook(r, 'demo_init_mmap')!;
	assert.equal([h.category, h.fop, h.file, h.line, h.strict], ['a', true, 'drivers/demo/init.c', 7, true]);
	assert.ok(h.status === 'converted' || (h.status === 'skipped' && h.reason), `${h.status}: ${h.reason}`);
});

test('scan: an assignment into a nested field (the struct from the types)', async () => {
	const r = await scan('all');
	const [s] = site(r, 'demo_assign_mmap');
	assert.equal([s!.kind, s!.struct, s!.field], ['assign', 'demo_ops', 'mmap']);
	const h = hook(r, 'demo_assign_mmap')!;
	assert.is(h.category, 'b');
	assert.is(h.fop, false);
	assert.match(h.evidence.join('\n'), /one remap: remap_pfn_range\(\)/);
});

test('scan: macro uses, expanded through the fragment macro, with their instances', async () => {
	const r = await scan('all');
	const uses = site(r, 'demo_gem_mmap');
	assert.equal(
		uses.map((s) => [s.kind, s.file, s.line, s.struct, s.via, s.instance]),
		[
			['macro-use', 'drivers/demo/macro.c', 4, 'file_operations', 'DEFINE_DEMO_FOPS', 'demo_macro_fops'],
			['macro-use', 'drivers/demo/macro.c', 8, 'file_operations', 'DEMO_FOPS_MMAP', 'demo_frag_fops'],
		],
	);
	// the definitions in the header are not sites themselves
	assert.ok(!r.sites.some((s) => s.file === 'include/linux/demo.h'));
	const h = hook(r, 'demo_gem_mmap')!;
	assert.is(h.category, 'c');
	assert.match(h.evidence.join('\n'), /nested hook ->mmap\(\)/);
	assert.is(h.status, 'skipped');
	assert.ok(h.reason, 'a macro-wired hook is refused with a reason');
});

test("scan: a .c file's own macro counts once per definition and hook, the hook taken from its wrappers", async () => {
	const r = await scan('all');
	const defs = r.sites.filter((s) => s.kind === 'macro-def');
	assert.equal(
		defs.map((s) => [s.hook, s.line, s.via, s.struct]).sort(),
		[
			['demo_local_a_mmap', 17, '__demo_attr', 'file_operations'],
			['demo_local_b_mmap', 17, '__demo_attr', 'file_operations'],
		],
	);
	assert.is(hook(r, 'demo_local_a_mmap')!.category, 'a');
	assert.is(hook(r, 'demo_local_b_mmap')!.category, 'a');
});

test('scan: a registration function: its call is the site, not the store of its parameter', async () => {
	const r = await scan('all');
	const [s] = site(r, 'demo_reg_mmap');
	assert.equal([s!.kind, s!.via, s!.struct, s!.field, s!.file, s!.line], ['register', 'demo_register', 'demo_ops', 'mmap', 'drivers/demo/register.c', 15]);
	assert.ok(!r.sites.some((x) => x.hook === 'fn'), 'dev->ops.mmap = fn is not a site');
	assert.is(hook(r, 'demo_reg_mmap')!.category, 'd');
	assert.match(hook(r, 'demo_reg_mmap')!.evidence.join('\n'), /page-table work: vm_insert_page\(\)/);
});

test('scan: the chain, with its dispatcher, implementors and registration function', async () => {
	const r = await scan('all');
	const c = r.chains.find((x) => x.chain === 'demo_ops.mmap');
	assert.ok(c, JSON.stringify(r.chains));
	assert.equal(c!.dispatchers.map((d) => [d.function, d.file]), [['demo_gem_mmap', 'drivers/demo/core.c']]);
	assert.equal(c!.implementors, ['demo_assign_mmap', 'demo_reg_mmap']);
	assert.equal(c!.registrations, ['demo_register']);
	assert.ok(c!.status === 'converted' || c!.reason, 'a verdict');
});

test('scan: totals and fields that take no vma', async () => {
	const r = await scan('all');
	assert.equal(r.totals.byKind, { init: 1, assign: 1, 'macro-use': 2, 'macro-def': 2, register: 1 });
	assert.is(r.totals.sites, 7);
	assert.is(r.totals.hooks, 6);
	assert.is(r.totals.fopHooks, 4);
	assert.equal(
		Object.fromEntries(Object.entries(r.totals.byCategory).map(([k, v]) => [k, v.hooks])),
		{ a: 3, b: 1, c: 1, d: 1, e: 0, f: 0 },
	);
	const memmap = r.sites.find((s) => s.field === 'memmap');
	assert.ok(memmap && !memmap.counted, 'm->memmap = demo_buf is listed, not counted');
	assert.match(memmap!.note ?? '', /not a hook field/);
	const vaddr = r.sites.find((s) => s.hook === 'demo_vaddr');
	assert.ok(vaddr && !vaddr.counted, 'm->mmap = demo_vaddr is listed, not counted');
	assert.match(vaddr!.note ?? '', /struct demo_map \.mmap does not take a vma/);
	assert.is(r.files.unclean, 0);
});

test('scan --no-plan: the same inventory; the chain from the dispatcher, no verdicts', async () => {
	const a = await scan('all');
	const r = await scan('no-plan', { plan: false });
	assert.is(r.planned, false);
	// the registration site comes from the plan's chain discovery
	assert.equal(r.sites.filter((s) => s.kind !== 'register'), a.sites.filter((s) => s.kind !== 'register'));
	assert.equal(r.hooks.filter((h) => h.function !== 'demo_reg_mmap').map((h) => [h.id, h.category]), a.hooks.filter((h) => h.function !== 'demo_reg_mmap').map((h) => [h.id, h.category]));
	assert.ok(r.hooks.every((h) => h.status === 'not-planned'));
	const c = r.chains.find((x) => x.chain === 'demo_ops.mmap');
	assert.equal(c?.dispatchers.map((d) => d.function), ['demo_gem_mmap']);
	assert.equal(c?.implementors, ['demo_assign_mmap']);
});

test('scan: paths limit the inventory', async () => {
	const r = await scan('init.c', { targets: ['drivers/demo/init.c'] });
	assert.equal(r.sites.filter((s) => s.counted).map((s) => s.hook), ['demo_init_mmap']);
	assert.equal(r.hooks.map((h) => h.function), ['demo_init_mmap']);
});

test('scan: the worker pool gives the same report as one thread', async () => {
	const a = await scan('all');
	const prev = process.env.MMAPIFY_WORKERS;
	process.env.MMAPIFY_WORKERS = '2';
	let r: ScanReport;
	try {
		r = await scan('pool', { inline: false, filesPerTask: 2 });
	} finally {
		if (prev === undefined) delete process.env.MMAPIFY_WORKERS;
		else process.env.MMAPIFY_WORKERS = prev;
	}
	assert.is(r.workers, 2);
	assert.equal(r.sites, a.sites);
	assert.equal(r.hooks, a.hooks);
	assert.equal(r.chains, a.chains);
});

test('scan: files tree-sitter cannot parse are counted; a hook in an ERROR region is reported, not dropped', async () => {
	await initParser();
	resetCorpus();
	const root = makeTree({
		'drivers/broken/broken.c': `// SPDX-License-Identifier: GPL-2.0
#include <linux/fs.h>
#include <linux/mm.h>

static int demo_broken_mmap(struct file *file, struct vm_area_struct *vma)
{
	return -ENODEV;
}

static const struct file_operations demo_broken_fops = {
	.owner = THIS_MODULE,
	.read = ((((,
	.mmap = demo_broken_mmap,
};
`,
	});
	const r = scanTree({ root, targets: ['.'], version: 'test', inline: true });
	assert.ok(r.files.unclean >= 1, 'the file is counted as unclean');
	assert.ok(r.files.uncleanFiles.some((f) => f.file === 'drivers/broken/broken.c'));
	const s = r.sites.find((x) => x.hook === 'demo_broken_mmap');
	const d = r.dropped.find((x) => x.value === 'demo_broken_mmap');
	assert.ok((s && s.inError) || (d && d.cause === 'error'), `reported: site ${JSON.stringify(s)}, dropped ${JSON.stringify(d)}`);
});

test('scan: the terminal table and the JSON of the CLI', async () => {
	const r = await scan('all');
	const text = formatScan(r);
	for (const h of ['By struct type', 'By category', 'By folder', 'Nested chains', 'file_operations.mmap', 'demo_ops.mmap']) assert.ok(text.includes(h), `${h} in:\n${text}`);
	const cli = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'src/cli.ts'), 'scan', '--json', '--tree', tree], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
	assert.is(cli.status, 0, cli.stderr);
	const json = JSON.parse(cli.stdout) as ScanReport;
	assert.is(json.totals.sites, 7);
	assert.is(json.totals.hooks, 6);
});

test.run();
