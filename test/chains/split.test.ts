// A chain whose implementors live in two subsystems goes out as four patches
// (src/plan/stages.ts): the new field and its dispatch, one conversion per
// subsystem, the removal of the old field. Each patch, applied in turn to the
// files the one before left, must build: every C file of the fixture tree is
// compiled after each patch (gcc -fsyntax-only over the example headers and
// test/support/fixture-prelude.h).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTree, planTree, repoRoot } from '../support/helpers.js';
import type { Plan } from '../../src/plan/plan.js';
import { patchMessages } from '../../src/series/write.js';

const fixture = path.join(repoRoot, 'test/chains/split-across-subsystems/tree');
const prelude = path.join(repoRoot, 'test/support/fixture-prelude.h');
const hasGcc = spawnSync('gcc', ['--version']).status === 0;

function filesOf(base: string): Record<string, string> {
	const out: Record<string, string> = {};
	const visit = (rel: string) => {
		const abs = path.join(base, rel);
		if (fs.statSync(abs).isDirectory()) for (const n of fs.readdirSync(abs)) visit(rel ? `${rel}/${n}` : n);
		else out[rel] = fs.readFileSync(abs, 'utf8');
	};
	visit('');
	return out;
}

/** The compile errors of every .c file of the tree (empty: it builds). */
function compileErrors(root: string): string[] {
	const errors: string[] = [];
	for (const f of Object.keys(filesOf(root)).filter((x) => x.endsWith('.c'))) {
		const r = spawnSync('gcc', ['-fsyntax-only', '-std=gnu11', '-Werror=implicit-function-declaration', '-Werror=incompatible-pointer-types', '-include', prelude, '-I', path.join(root, 'include'), path.join(root, f)], { encoding: 'utf8' });
		if (r.status !== 0) errors.push(`${f}: ${r.stderr.split('\n').filter((l) => /error/.test(l)).slice(0, 3).join(' | ')}`);
	}
	return errors;
}

/** Write a patch's files, checking each starts from the text the tree holds (as git am would). */
function applyPatch(root: string, p: Plan['patches'][number]): void {
	for (const c of p.changes) {
		const file = path.join(root, c.path);
		assert.is(fs.readFileSync(file, 'utf8'), c.before, `${c.path}: the patch does not apply to the tree the patches before it left`);
		fs.writeFileSync(file, c.after);
	}
}

async function plan(): Promise<{ root: string; plan: Plan }> {
	const root = makeTree(filesOf(fixture));
	return { root, plan: await planTree(root, ['drivers/xbus']) };
}

test('a chain across two subsystems: add, convert drivers/misc, convert sound/xbus, remove', async () => {
	const { root, plan: p } = await plan();
	try {
		assert.equal(
			p.patches.map((x) => [x.stage?.kind, x.stage?.subsystem ?? '', x.files]),
			[
				['add', '', ['drivers/xbus/xbus_core.c', 'include/linux/xbus.h']],
				['convert', 'drivers/misc', ['drivers/misc/xbus_led.c']],
				['convert', 'sound/xbus', ['sound/xbus/xbus_pcm.c']],
				['remove', '', ['drivers/xbus/xbus_core.c', 'include/linux/xbus.h']],
			],
		);
		// the patch adding the field keeps the old one; the last one removes it
		const header = (i: number) => p.patches[i]!.changes.find((c) => c.path === 'include/linux/xbus.h')!.after;
		assert.match(header(0), /int \(\*mmap\)\(struct xbus_dev \*xdev, struct vm_area_struct \*vma\);\n\tint \(\*mmap_prepare\)/);
		assert.not.match(header(3), /\(\*mmap\)/);
		// the conversions are the only patches naming the implementors; add and remove name the dispatcher
		assert.equal(p.patches.map((x) => x.hooks.map((h) => h.function)), [['xbus_fop_mmap'], ['xbus_led_mmap'], ['xbus_pcm_mmap'], ['xbus_fop_mmap']]);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('every patch of the split series builds on its own', async () => {
	if (!hasGcc) {
		console.log('  (skipped: no gcc)');
		return;
	}
	const { root, plan: p } = await plan();
	try {
		assert.equal(compileErrors(root), [], 'the fixture builds before any patch');
		for (const [i, x] of p.patches.entries()) {
			applyPatch(root, x);
			assert.equal(compileErrors(root), [], `after patch ${i + 1} (${x.stage?.kind} ${x.stage?.subsystem ?? ''})`);
		}
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('the build check sees a state that does not build: the removal before the conversions', async () => {
	if (!hasGcc) return;
	const { root, plan: p } = await plan();
	try {
		const [add, , , remove] = p.patches;
		applyPatch(root, add!);
		applyPatch(root, remove!);
		const errors = compileErrors(root);
		assert.equal(errors.map((e) => e.split(':')[0]), ['drivers/misc/xbus_led.c', 'sound/xbus/xbus_pcm.c'], errors.join('\n'));
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('the steps say what they do: add the field, convert the hooks, remove the old field', async () => {
	const { root, plan: p } = await plan();
	try {
		const msgs = patchMessages(p, { version: '0.1.0' });
		assert.equal(
			msgs.map((m) => m.subject.replace(/^.*?: (?=[A-Z])/, '')),
			['Add .mmap_prepare to struct xbus_ops', 'Convert xbus_led_mmap() to mmap_prepare', 'Convert xbus_pcm_mmap() to mmap_prepare', 'Remove .mmap from struct xbus_ops'],
		);
		const add = msgs[0]!.body.replace(/\s+/g, ' ');
		assert.match(add, /Add \.mmap_prepare, which takes a struct vm_area_desc, beside it, so that its implementors can move to it one subsystem at a time/);
		assert.match(add, /When \.mmap_prepare is set, xbus_fop_mmap\(\) calls it through compat_set_desc_from_vma\(\) and __compat_vma_mmap\(\)/);
		assert.match(add, /\.mmap is removed at the end of this series/);
		const remove = msgs[3]!.body.replace(/\s+/g, ' ');
		assert.match(remove, /Every implementor of struct xbus_ops's \.mmap hook now uses \.mmap_prepare: remove \.mmap/);
		assert.match(remove, /xbus_fop_mmap\(\) only used the VMA to call the hook, so it becomes an mmap_prepare hook itself/);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('a chain in one subsystem folder stays one patch', async () => {
	const root = makeTree(filesOf(path.join(repoRoot, 'test/chains/coexist/tree')));
	try {
		const p = await planTree(root, ['drivers/foo/core']);
		assert.equal(p.patches.map((x) => [x.stage, x.files.length]), [[undefined, 3]]);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test.run();
