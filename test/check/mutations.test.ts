// Mutation tests: variants of mmapify's rules with the bugs issue #12 lists,
// run through the real plan. Each mutant makes a wrong conversion that the
// rules accept; the plan's equivalence checker must refuse it (the hook is
// skipped with "equivalence not proven" and the difference). The same input
// with the real rules converts and is proven, so the refusal is the mutant's.
// The score is in docs/equivalence.md.
import * as fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyRules } from '../../transforms/index.js';
import { callArgs, callee, unparen, type Rule } from '../../src/rewrite/rule.js';
import type { Node } from '../../src/c/parser.js';
import { checkChain } from '../../src/plan/equivalence.js';
import { applyEdits, EditSet } from '../../src/rewrite/edits.js';
import { makeTree, planTree } from '../support/helpers.js';
import { ready } from './helpers.js';

/** Run fn with the body rule `id` replaced by mutate(rule). */
async function withMutant<T>(id: string, mutate: (r: Rule) => Rule, fn: () => Promise<T>): Promise<T> {
	const i = bodyRules.findIndex((r) => r.id === id);
	assert.ok(i >= 0, `no rule ${id}`);
	const real = bodyRules[i]!;
	bodyRules[i] = mutate(real);
	try {
		return await fn();
	} finally {
		bodyRules[i] = real;
	}
}

/** A rule whose rewrite output is passed through f. */
const mapOutput = (f: (out: string, node: Node) => string) => (r: Rule): Rule => ({
	...r,
	rewrite: (node, ctx) => {
		const out = r.rewrite?.(node, ctx);
		return out === undefined ? out : f(out, node);
	},
});

const HEAD = '// SPDX-License-Identifier: GPL-2.0\n#include <linux/fs.h>\n#include <linux/mm.h>\n\nstruct mu_dev {\n\tunsigned long pfn;\n\tunsigned long size;\n\tstruct kref ref;\n};\n\n';
const hook = (body: string) => `${HEAD}static int mu_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\tstruct mu_dev *dev = file->private_data;\n\n${body}\n}\n\nstatic const struct file_operations mu_fops = {\n\t.mmap = mu_mmap,\n};\n`;

async function plan(text: string) {
	const root = makeTree({ 'drivers/mu/mu.c': text });
	try {
		const p = await planTree(root, ['drivers/mu']);
		const after = p.patches.flatMap((x) => x.changes).find((c) => c.path === 'drivers/mu/mu.c')?.after;
		return Object.assign(p.hooks.find((h) => h.function === 'mu_mmap')!, { after });
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
}

interface Mutation {
	name: string;
	/** not in issue #12's list: more mutants, for the score */
	extra?: boolean;
	/** an equivalent mutant: the checker must prove it, not refuse it */
	equivalent?: boolean;
	rule: string;
	mutate: (r: Rule) => Rule;
	input: string;
	/** the real rules refuse this input (the mutant is what converts it) */
	realRefuses?: boolean;
	/** what the checker's message must say */
	caught: string;
}

const FULL = 'vma->vm_end - vma->vm_start';

const MUTATIONS: Mutation[] = [
	{
		name: 'page_prot set after the action',
		rule: 'P16',
		// accepts a remap whose prot is not vma->vm_page_prot and sets desc->page_prot after the request
		mutate: (r) => ({
			...r,
			rewrite(node, ctx) {
				const call = node.type === 'return_statement' ? unparen(node.namedChildren[0] ?? null) : null;
				if (call && callee(call) === 'remap_pfn_range') {
					const a = callArgs(call);
					if (!/^vma->vm_page_prot$/.test(a[4]!.text)) return `mmap_action_remap_full(desc, ${ctx.convert(a[2]!)});\n\tdesc->page_prot = ${ctx.convert(a[4]!)};\n\treturn 0;`;
				}
				return r.rewrite!(node, ctx);
			},
		}),
		input: hook(`\treturn remap_pfn_range(vma, vma->vm_start, dev->pfn, ${FULL}, pgprot_noncached(vma->vm_page_prot));`),
		realRefuses: true,
		caught: 'page_prot at map time: old pgprot_noncached(prot0), new prot0',
	},
	{
		name: 'a wrong flag bit',
		rule: 'P6',
		mutate: mapOutput((out) => out.replace('VMA_DONTEXPAND_BIT', 'VMA_DONTDUMP_BIT')),
		input: hook('\tvm_flags_set(vma, VM_IO | VM_DONTEXPAND);\n\treturn 0;'),
		caught: 'vm_flags after the mmap: old flags0 +VM_DONTEXPAND +VM_IO, new flags0 +VM_DONTDUMP +VM_IO',
	},
	{
		name: 'a dropped error check (the remap failure code)',
		rule: 'P16',
		mutate: mapOutput((out) => out.replace(/\n\s*desc->action\.error_override = -EAGAIN;/, '')),
		input: hook(`\tif (io_remap_pfn_range(vma, vma->vm_start, dev->pfn, ${FULL}, vma->vm_page_prot))\n\t\treturn -EAGAIN;\n\treturn 0;`),
		caught: 'result: old -EAGAIN, new map#0',
	},
	{
		name: 'a range larger than the VMA',
		rule: 'P16',
		mutate: mapOutput((out) => out.replace(/mmap_action_remap_full\(desc, ([^;]*)\);/, 'mmap_action_remap(desc, desc->start, $1, vma_desc_size(desc) + PAGE_SIZE);')),
		input: hook(`\treturn remap_pfn_range(vma, vma->vm_start, dev->pfn, ${FULL}, vma->vm_page_prot);`),
		caught: 'result: old map#0, new -EFAULT',
	},
	{
		name: 'a side effect left in prepare',
		rule: 'P20',
		// the side-effect rule no longer sees stores through a pointer (calls it never
		// judged by name: the checker's effect analysis does)
		mutate: (r) => ({ ...r, check: (node, ctx) => (node.type === 'assignment_expression' ? undefined : r.check!(node, ctx)) }),
		input: hook('\tdev->mapped = 1;\n\treturn 0;'),
		realRefuses: true,
		caught: 'store 1 to &file0->private_data->mapped [line 15] now runs in mmap_prepare',
	},
	{
		name: 'a flag test turned into its negation',
		rule: 'P9',
		mutate: mapOutput((out) => (out.startsWith('vma_desc_test(') ? `!${out}` : out)),
		input: hook('\tif (!(vma->vm_flags & VM_SHARED))\n\t\treturn -EINVAL;\n\treturn 0;'),
		caught: 'result: old -EINVAL, new 0',
	},
	{
		name: 'vm_flags_clear() turned into a set',
		extra: true,
		rule: 'P7',
		mutate: mapOutput((out) => out.replace('vma_desc_clear_flags', 'vma_desc_set_flags')),
		input: hook('\tvm_flags_clear(vma, VM_MAYWRITE);\n\treturn 0;'),
		caught: 'vm_flags after the mmap: old flags0 -VM_MAYWRITE, new flags0 +VM_MAYWRITE',
	},
	{
		name: 'vm_private_data written to vm_ops',
		extra: true,
		rule: 'P5',
		mutate: mapOutput((out) => out.replace('desc->private_data', 'desc->vm_ops')),
		input: hook('\tvma->vm_private_data = dev;\n\treturn 0;'),
		caught: 'vm_ops after the mmap: old &vma_dummy_vm_ops, new file0->private_data',
	},
	{
		name: 'PAGE_ALIGN() dropped from a partial remap',
		extra: true,
		rule: 'P16',
		mutate: mapOutput((out) => out.replace(/PAGE_ALIGN\(([^()]*)\)/, '$1')),
		input: hook('\tif (vma->vm_end - vma->vm_start < dev->size)\n\t\treturn -EINVAL;\n\treturn remap_pfn_range(vma, vma->vm_start, dev->pfn, dev->size, vma->vm_page_prot);'),
		caught: 'result: old',
	},
	{
		name: 'vma_get_page_prot() read as the prot the VMA started with',
		extra: true,
		rule: 'P24',
		// blind to the flags the hook set before the call
		mutate: mapOutput((out) => out.replace('vma_flags_to_page_prot(desc->vma_flags)', 'desc->page_prot')),
		input: hook('\tvm_flags_set(vma, VM_IO | VM_PFNMAP);\n\tvma->vm_page_prot = pgprot_writecombine(vma_get_page_prot(vma));\n\treturn 0;'),
		caught: 'vm_page_prot after the mmap: old pgprot_writecombine(vm_get_page_prot(flags0{+IO,+PFNMAP})), new pgprot_writecombine(prot0)',
	},
	{
		name: 'vma_start_pgoff() read as the anonymous page offset',
		extra: true,
		rule: 'P12',
		// vma_start_pgoff()'s comment: for an anonymous VMA, vm_start >> PAGE_SHIFT
		mutate: (r) => ({ ...r, rewrite: (node, ctx) => (callee(node) === 'vma_start_pgoff' ? '(desc->start >> PAGE_SHIFT)' : r.rewrite!(node, ctx)) }),
		input: hook('\tif (vma_start_pgoff(vma) != 0)\n\t\treturn -EINVAL;\n\treturn 0;'),
		caught: 'result: old',
	},
	{
		name: 'the result local of a remap returned as it was',
		extra: true,
		rule: 'P16',
		// the rule converts `ret = remap_pfn_range(...)` but leaves `int ret;` and `return ret;`
		mutate: (r) => ({ ...r, rewrite: (node, ctx) => (node.type === 'declaration' || /^return ret;$/.test(node.text) ? undefined : r.rewrite!(node, ctx)) }),
		input: hook(`\tint ret;\n\n\tret = remap_pfn_range(vma, vma->vm_start, dev->pfn, ${FULL}, vma->vm_page_prot);\n\treturn ret;`),
		caught: 'the new code reads ret before it has a value',
	},
	{
		name: 'the file parameter read as desc->vm_file (an equivalent mutant on the mmap path)',
		extra: true,
		equivalent: true,
		rule: 'P3',
		mutate: mapOutput((out) => out.replace('desc->file', 'desc->vm_file')),
		input: `${HEAD}static int mu_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\tvma->vm_private_data = file->private_data;\n\treturn 0;\n}\n\nstatic const struct file_operations mu_fops = {\n\t.mmap = mu_mmap,\n};\n`,
		caught: '',
	},
];

test.before(async () => {
	await ready;
});

for (const m of MUTATIONS)
	test(`mutation: ${m.name}`, async () => {
		const real = await plan(m.input);
		if (m.realRefuses) assert.is(real.status, 'skipped', `the real rules refuse: ${real.reason}`);
		else {
			assert.is(real.status, 'converted', real.reason);
			assert.is(real.equivalence?.status, 'proven');
		}
		const mutant = await withMutant(m.rule, m.mutate, () => plan(m.input));
		if (m.equivalent) {
			// the mutant changed the text and the checker proved it anyway
			assert.is(mutant.status, 'converted', mutant.reason);
			assert.is(mutant.equivalence?.status, 'proven');
			assert.ok(mutant.after && real.after && mutant.after !== real.after, 'the mutant wrote other text');
			return;
		}
		assert.is(mutant.status, 'skipped', 'the mutant conversion must be refused');
		assert.is(mutant.equivalence?.status, 'refused', `refused by the checker, not by a rule: ${mutant.reason}`);
		assert.ok(['not-equivalent', 'side-effect'].includes(mutant.equivalence!.code!), mutant.reason);
		assert.ok(mutant.reason!.includes(m.caught), `"${mutant.reason}" does not say "${m.caught}"`);
	});

// The shim is written by src/chainplan.ts with transforms/compat-shim.ts; its
// mutation edits what the chain plan produced and runs the plan's chain check.
const CHAIN = {
	'include/linux/mq_dev.h': '#ifndef _MQ_DEV_H\n#define _MQ_DEV_H\n#include <linux/fs.h>\n#include <linux/mm.h>\nstruct mq_dev;\nstruct mq_ops {\n\tint (*mmap)(struct mq_dev *mq, struct vm_area_struct *vma);\n};\nstruct mq_dev {\n\tconst struct mq_ops *ops;\n\tunsigned long pfn;\n\tstruct device *dev;\n};\n#endif\n',
	'drivers/mq/mq_core.c': '#include <linux/mq_dev.h>\n\nstatic int mq_fop_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\tstruct mq_dev *mq = file->private_data;\n\n\tif (!mq->ops->mmap)\n\t\treturn dma_mmap_coherent(mq->dev, vma, NULL, 0, PAGE_SIZE);\n\treturn mq->ops->mmap(mq, vma);\n}\n\nstatic const struct file_operations mq_fops = {\n\t.mmap = mq_fop_mmap,\n};\n',
	'drivers/mq/mq_drv.c': '#include <linux/mq_dev.h>\n\nstatic int mq_drv_mmap(struct mq_dev *mq, struct vm_area_struct *vma)\n{\n\tif (vma->vm_pgoff)\n\t\treturn -EINVAL;\n\treturn remap_pfn_range(vma, vma->vm_start, mq->pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot);\n}\n\nstatic const struct mq_ops mq_drv_ops = {\n\t.mmap = mq_drv_mmap,\n};\n',
};

test('mutation: a shim without its error check', async () => {
	const root = makeTree(CHAIN);
	try {
		const p = await planTree(root, ['drivers/mq']);
		const cp = p.chains.find((c) => c.status === 'converted');
		assert.ok(cp, 'the real rules convert the chain with a shim');
		assert.ok(p.hooks.every((h) => h.status !== 'converted' || h.equivalence?.status === 'proven'));
		// the mutant: the shim's `if (err) return err;` dropped from the edits
		const mutated = new EditSet();
		for (const [f, es] of cp!.edits.byFile) for (const e of es) mutated.add(f, { ...e, text: e.text.replace(/\n\t*if \(err\)\n\t*return err;/, '') });
		const after = applyEdits(fs.readFileSync(`${root}/drivers/mq/mq_core.c`, 'utf8'), mutated.byFile.get('drivers/mq/mq_core.c')!);
		assert.not.ok(after.includes('if (err)'), 'the mutant shim has no error check');
		const res = checkChain(root, { ...cp!, edits: mutated }, () => ({ fresh: true, because: 'wired as file_operations.mmap' }));
		assert.ok(res.failure, 'refused');
		assert.ok(res.failure!.result.message.includes('pgoff0 != 0') && res.failure!.result.message.includes('result: old -EINVAL, new 0'), res.failure!.result.message);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('mutation: error_override on a shim path (what the real remap rule writes behind a shim)', async () => {
	const tree = { ...CHAIN, 'drivers/mq/mq_drv.c': CHAIN['drivers/mq/mq_drv.c'].replace('\treturn remap_pfn_range(vma, vma->vm_start, mq->pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot);', '\tif (remap_pfn_range(vma, vma->vm_start, mq->pfn, vma->vm_end - vma->vm_start, vma->vm_page_prot))\n\t\treturn -EAGAIN;\n\treturn 0;') };
	const root = makeTree(tree);
	try {
		const p = await planTree(root, ['drivers/mq']);
		const drv = p.hooks.find((h) => h.function === 'mq_drv_mmap')!;
		assert.is(drv.status, 'skipped');
		// Since issue #11 (class 3) the rules themselves refuse this before the
		// checker sees it; the checker's own verdict on the same conversion
		// (old -EAGAIN, new the raw error) is tested in chain.test.ts ("shim:
		// error_override in an implementor behind a shim is dead").
		assert.is(drv.code, 'error-override-compat', drv.reason);
		assert.ok(p.chains.every((c) => c.status === 'skipped'));
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

// Seeding (issue #11, class 1): vm_private_data set above the shim reaches the
// nested hook only through `desc.private_data = vma->vm_private_data;`. The
// checker runs the dispatcher on a VMA whose vm_private_data is unknown (the
// entry facts vouch for nothing else), so a shim without the seed line writes
// NULL where the old code kept the caller's value.
const SEEDED = {
	...CHAIN,
	'drivers/mq/mq_core.c': CHAIN['drivers/mq/mq_core.c'].replace('\tif (!mq->ops->mmap)\n\t\treturn dma_mmap_coherent(mq->dev, vma, NULL, 0, PAGE_SIZE);\n\treturn mq->ops->mmap(mq, vma);', '\tvma->vm_private_data = mq;\n\tif (!mq->ops->mmap)\n\t\treturn dma_mmap_coherent(mq->dev, vma, NULL, 0, PAGE_SIZE);\n\treturn mq->ops->mmap(mq, vma);'),
};

test('mutation: a shim that does not seed vm_private_data', async () => {
	const root = makeTree(SEEDED);
	try {
		const p = await planTree(root, ['drivers/mq']);
		const cp = p.chains.find((c) => c.status === 'converted');
		assert.ok(cp, 'the real rules convert the chain with a seeded shim');
		const real = applyEdits(fs.readFileSync(`${root}/drivers/mq/mq_core.c`, 'utf8'), cp!.edits.byFile.get('drivers/mq/mq_core.c')!);
		assert.ok(real.includes('\tdesc.private_data = vma->vm_private_data;\n'), real);
		const unknown = () => ({ because: 'nothing is known of vm_private_data at entry' });
		assert.not.ok(checkChain(root, cp!, unknown).failure, 'the seeded shim is proven');
		// the mutant: the seed line dropped from the edits
		const mutated = new EditSet();
		for (const [f, es] of cp!.edits.byFile) for (const e of es) mutated.add(f, { ...e, text: e.text.replace(/\n\t*desc\.private_data = vma->vm_private_data;/, '') });
		const after = applyEdits(fs.readFileSync(`${root}/drivers/mq/mq_core.c`, 'utf8'), mutated.byFile.get('drivers/mq/mq_core.c')!);
		assert.not.ok(after.includes('desc.private_data'), 'the mutant shim does not seed');
		const res = checkChain(root, { ...cp!, edits: mutated }, unknown);
		assert.ok(res.failure, 'refused');
		assert.is(res.failure!.result.code, 'not-equivalent', res.failure!.result.message);
		assert.ok(res.failure!.result.message.includes('private_data'), res.failure!.result.message);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test.run();
