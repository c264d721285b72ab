// compatHelpersPatch() on small trees (test/unit/fixtures/compathelpers/):
//   single/  the single-function compat_vma_mmap() of the trees between
//            "mm: various small mmap_prepare cleanups" and the split, with
//            const vm_area_desc.mm/.file and a dup.h mirror;
//   helper/  the body in a static __compat_vma_mmap(file, vma) that
//            compat_vma_mmap() returns, other local names, a nested action
//            initialiser, void mmap_action_prepare(), EXPORT_SYMBOL_GPL, a
//            second user of set_vma_from_desc() and a 6.x vma_internal.h mirror.
// The expected files are in <name>.expected/; MMAPIFY_UPDATE_FIXTURES=1
// rewrites them from the generator (review the diff before committing).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
	COMPAT_HELPERS_SUBJECT,
	CompatHelpersError,
	compatHelpersPatch,
	layoutSignature,
	treeHasCompatHelpers,
	type CompatHelpersPatch,
} from '../../src/mm/compat-helpers/index.js';
import { scanItems, tokenize } from '../../src/mm/dup/scan.js';
import { repoRoot } from '../support/helpers.js';

const FIX = path.join(repoRoot, 'test/unit/fixtures/compathelpers');
const update = process.env.MMAPIFY_UPDATE_FIXTURES === '1';

function listFiles(dir: string, rel = ''): string[] {
	const out: string[] = [];
	for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		const r = rel ? `${rel}/${e.name}` : e.name;
		if (e.isDirectory()) out.push(...listFiles(dir, r));
		else out.push(r);
	}
	return out.sort();
}

/** A scratch copy of a fixture tree, optionally edited (path -> text transform). */
function copyTree(name: string, edits: Record<string, (s: string) => string> = {}): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mmapify-compat-${name}-`));
	fs.cpSync(path.join(FIX, name), dir, { recursive: true });
	for (const [rel, f] of Object.entries(edits)) {
		const p = path.join(dir, rel);
		const before = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
		const after = f(before);
		if (after === before) throw new Error(`test edit of ${rel} changed nothing`);
		fs.writeFileSync(p, after);
	}
	return dir;
}

/** Replace exactly one occurrence (the test's own edits fail loudly too). */
const sub = (old: string, neu: string) => (s: string) => {
	if (s.split(old).length !== 2) throw new Error(`test edit: expected one ${JSON.stringify(old)}`);
	return s.replace(old, neu);
};

function apply(root: string, p: CompatHelpersPatch): void {
	for (const c of p.changes) fs.writeFileSync(path.join(root, c.path), c.after);
}

function fnTokens(src: string, name: string): string[] {
	const it = scanItems(src).find((i) => i.kind === 'function' && i.name === name);
	if (!it) throw new Error(`no ${name}()`);
	return tokenize(it.text);
}

function throwsCompat(fn: () => unknown, reason: CompatHelpersError['reason'], msg: RegExp): void {
	try {
		fn();
	} catch (e) {
		assert.instance(e, CompatHelpersError, String(e));
		assert.is((e as CompatHelpersError).reason, reason, (e as Error).message);
		assert.match((e as Error).message, msg);
		return;
	}
	assert.unreachable(`expected a CompatHelpersError (${reason})`);
}

for (const name of ['single', 'helper']) {
	test(`${name}: the patch equals the expected files`, () => {
		const root = path.join(FIX, name);
		const before = listFiles(root).map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
		const p = compatHelpersPatch(root);
		// computing the patch writes nothing
		assert.equal(
			listFiles(root).map((f) => fs.readFileSync(path.join(root, f), 'utf8')),
			before,
		);
		const expDir = path.join(FIX, `${name}.expected`);
		if (update) {
			fs.rmSync(expDir, { recursive: true, force: true });
			for (const c of p.changes) {
				fs.mkdirSync(path.dirname(path.join(expDir, c.path)), { recursive: true });
				fs.writeFileSync(path.join(expDir, c.path), c.after);
			}
		}
		assert.equal(
			p.changes.map((c) => c.path),
			listFiles(expDir),
			'the changed files',
		);
		for (const c of p.changes) {
			assert.is(c.before, fs.readFileSync(path.join(root, c.path), 'utf8'), `${c.path}: before is the tree's text`);
			assert.fixture(c.after, fs.readFileSync(path.join(expDir, c.path), 'utf8'), c.path);
		}
	});
}

test('single: the changed files are the ones upstream touched', () => {
	const p = compatHelpersPatch(path.join(FIX, 'single'));
	assert.equal(
		p.changes.map((c) => c.path),
		['include/linux/fs.h', 'include/linux/mm_types.h', 'mm/util.c', 'mm/vma.h', 'tools/testing/vma/include/dup.h'],
	);
});

test('single: compat_set_desc_from_vma() zeroes the descriptor, then assigns exactly the initialiser\'s fields', () => {
	const p = compatHelpersPatch(path.join(FIX, 'single'));
	const util = p.changes.find((c) => c.path === 'mm/util.c')!.after;
	const body = fnTokens(util, 'compat_set_desc_from_vma').join(' ');
	assert.match(body, /^void compat_set_desc_from_vma \( struct vm_area_desc \* desc , const struct file \* file , const struct vm_area_struct \* vma \) \{ memset \( desc , 0 , sizeof \( \* desc \) \) ;/);
	const assigned = [...body.matchAll(/desc -> ([\w.]+(?: \. \w+)*) = ([^;]*) ;/g)].map((m) => `${m[1]} = ${m[2]}`);
	assert.equal(assigned, [
		'mm = vma -> vm_mm',
		'file = ( struct file * ) file',
		'start = vma -> vm_start',
		'end = vma -> vm_end',
		'pgoff = vma -> vm_pgoff',
		'vm_file = vma -> vm_file',
		'vma_flags = vma -> flags',
		'page_prot = vma -> vm_page_prot',
		'action . type = MMAP_NOTHING',
	]);
	// and the EXPORT_SYMBOLs of the kernel side, none in the mirror
	assert.match(util, /^EXPORT_SYMBOL\(compat_set_desc_from_vma\);$/m);
	assert.match(util, /^EXPORT_SYMBOL\(__compat_vma_mmap\);$/m);
	const dup = p.changes.find((c) => c.path.endsWith('dup.h'))!.after;
	assert.not.match(dup, /EXPORT_SYMBOL/);
	// the mirror's functions are the kernel's, static inline
	for (const fn of ['compat_set_desc_from_vma', '__compat_vma_mmap', 'compat_vma_mmap'])
		assert.equal(fnTokens(dup, fn), ['static', 'inline', ...fnTokens(util, fn)], fn);
});

test('helper: the kernel and the mirror agree, and the static helper is gone', () => {
	const p = compatHelpersPatch(path.join(FIX, 'helper'));
	const util = p.changes.find((c) => c.path === 'mm/util.c')!.after;
	const mirror = p.changes.find((c) => c.path === 'tools/testing/vma/vma_internal.h')!.after;
	for (const src of [util, mirror]) {
		const fns = scanItems(src).filter((i) => i.kind === 'function').map((i) => i.name);
		assert.equal(fns.filter((n) => n === '__compat_vma_mmap').length, 1);
		assert.not.match(src, /__compat_vma_mmap\(struct file/);
	}
	for (const fn of ['compat_set_desc_from_vma', '__compat_vma_mmap'])
		assert.equal(fnTokens(mirror, fn), ['static', 'inline', ...fnTokens(util, fn)], fn);
	assert.match(util, /^EXPORT_SYMBOL_GPL\(compat_set_desc_from_vma\);$/m);
	// the tree's own names are kept where the tree's code stays
	assert.match(util, /compat_set_desc_from_vma\(&d, filp, area\);\n\tret = filp->f_op->mmap_prepare\(&d\);/);
});

test('the commit message: subject, wrapped at 75, says what and why, discloses mmapify', () => {
	for (const name of ['single', 'helper']) {
		const p = compatHelpersPatch(path.join(FIX, name), { version: '9.8.7' });
		assert.is(p.subject, COMPAT_HELPERS_SUBJECT);
		assert.is(p.subject, 'mm: allow handling of stacked mmap_prepare hooks in more drivers');
		for (const line of p.body.split('\n')) {
			assert.ok(line.replace(/\t/g, '        ').length <= 75, `too long: ${line}`);
			assert.not.match(line, /\s$/, `trailing space: ${JSON.stringify(line)}`);
		}
		const flat = p.body.replace(/\s+/g, ' ');
		assert.match(flat, /compat_set_desc_from_vma\(desc, file, vma\)/);
		assert.match(flat, /__compat_vma_mmap\(desc, vma\)/);
		assert.match(flat, /zeroes the whole descriptor first, so that no field, the action included, is ever left holding stack contents/);
		assert.match(flat, /only covers stacking through f_op/);
		assert.match(flat, /nest/);
		assert.ok(p.body.endsWith('\n\nGenerated by mmapify 9.8.7, a codemod for the mmap_prepare conversion.'), 'the disclosure: one plain line');
		assert.not.match(p.body, /Signed-off-by/);
	}
	const single = compatHelpersPatch(path.join(FIX, 'single')).body.replace(/\s+/g, ' ');
	assert.match(single, /Generated by mmapify, /);
	assert.match(single, /vm_area_desc\.mm and vm_area_desc\.file can no longer be const/);
	assert.match(single, /set_vma_from_desc\(\) is renamed compat_set_vma_from_desc\(\)/);
	assert.match(single, /clears action\.hide_from_rmap_until_complete before the action is prepared rather than after/);
	assert.match(single, /\(tools\/testing\/vma\/include\/dup\.h\)/);
	const helper = compatHelpersPatch(path.join(FIX, 'helper')).body.replace(/\s+/g, ' ');
	assert.not.match(helper, /hide_from_rmap_until_complete/, 'the helper tree already cleared it first');
	assert.match(helper, /\(tools\/testing\/vma\/vma_internal\.h\)/);
});

test('a tree that has the helpers: treeHasCompatHelpers, and a "present" error', () => {
	const root = copyTree('single');
	try {
		assert.is(treeHasCompatHelpers(root), false);
		apply(root, compatHelpersPatch(root));
		assert.is(treeHasCompatHelpers(root), true);
		throwsCompat(() => compatHelpersPatch(root), 'present', /already has compat_set_desc_from_vma\(\) and __compat_vma_mmap\(\)/);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

// Trees the generator must refuse, each with a reason that says what and where.
const refusals: Array<[string, Record<string, (s: string) => string>, CompatHelpersError['reason'], RegExp]> = [
	[
		'no compat_vma_mmap()',
		{ 'mm/util.c': (s) => s.replace(/\/\*\*\n \* compat_vma_mmap[\s\S]*?EXPORT_SYMBOL\(compat_vma_mmap\);\n/, '') },
		'missing',
		/mm\/util\.c has no compat_vma_mmap\(\)/,
	],
	[
		'the older form, __compat_vma_mmap(f_op, file, vma)',
		{
			'mm/util.c': (s) =>
				s.replace(
					'int compat_vma_mmap(struct file *file, struct vm_area_struct *vma)\n{',
					'int __compat_vma_mmap(const struct file_operations *f_op,\n\t\tstruct file *file, struct vm_area_struct *vma)\n{',
				).replace(
					'EXPORT_SYMBOL(compat_vma_mmap);',
					'EXPORT_SYMBOL(__compat_vma_mmap);\n\nint compat_vma_mmap(struct file *file, struct vm_area_struct *vma)\n{\n\treturn __compat_vma_mmap(file->f_op, file, vma);\n}\nEXPORT_SYMBOL(compat_vma_mmap);',
				),
		},
		'shape',
		/mm\/util\.c:\d+: __compat_vma_mmap\(\) takes a struct file_operations \* \(the form before upstream's "mm: various small mmap_prepare cleanups"\)/,
	],
	[
		'a statement it does not know',
		{ 'mm/util.c': sub('\tset_vma_from_desc(vma, &desc);\n', '\tset_vma_from_desc(vma, &desc);\n\tvma_set_anonymous(vma);\n') },
		'shape',
		/mm\/util\.c:65: compat_vma_mmap\(\): a statement this generator does not know: vma_set_anonymous\(vma\);/,
	],
	[
		'a preprocessor line in the body',
		{ 'mm/util.c': sub('\tset_vma_from_desc(vma, &desc);\n', '#ifdef CONFIG_MMU\n\tset_vma_from_desc(vma, &desc);\n#endif\n') },
		'shape',
		/mm\/util\.c:64: a preprocessor line inside compat_vma_mmap\(\) \(#ifdef CONFIG_MMU\)/,
	],
	[
		'a positional initialiser',
		{ 'mm/util.c': sub('\t\t.mm = vma->vm_mm,\n', '\t\tvma->vm_mm,\n') },
		'shape',
		/positional initialiser/,
	],
	[
		'no f_op->mmap_prepare() call',
		{ 'mm/util.c': sub('err = vfs_mmap_prepare(file, &desc);', 'err = 0;') },
		'shape',
		/expected the f_op->mmap_prepare\(\) call here/,
	],
	[
		'no VMA update',
		{ 'mm/util.c': sub('\tset_vma_from_desc(vma, &desc);\n', '') },
		'shape',
		/mmap_action_complete\(\) before set_vma_from_desc\(\)/,
	],
	[
		'mmap_action_prepare() reads the bit the split moves',
		{ 'mm/util.c': sub('\tswitch (desc->action.type) {', '\tif (desc->action.hide_from_rmap_until_complete)\n\t\treturn -EINVAL;\n\tswitch (desc->action.type) {') },
		'shape',
		/mmap_action_prepare\(\) uses hide_from_rmap_until_complete/,
	],
	[
		'no struct vm_area_desc in mm_types.h',
		{ 'include/linux/mm_types.h': (s) => s.replace(/struct vm_area_desc \{[\s\S]*?\n\};\n/, '') },
		'missing',
		/include\/linux\/mm_types\.h does not define struct vm_area_desc/,
	],
	[
		'no compat_vma_mmap() prototype in fs.h',
		{ 'include/linux/fs.h': sub('int compat_vma_mmap(struct file *file, struct vm_area_struct *vma);\n', '') },
		'missing',
		/include\/linux\/fs\.h does not declare int compat_vma_mmap/,
	],
	[
		'a mirror whose copy would use something defined below it',
		{
			'mm/util.c': sub('.pgoff = vma->vm_pgoff,', '.pgoff = vma_start_pgoff(vma),'),
			'tools/testing/vma/include/dup.h': (s) =>
				s + '\nstatic inline pgoff_t vma_start_pgoff(const struct vm_area_struct *vma)\n{\n\treturn vma->vm_pgoff;\n}\n',
		},
		'shape',
		/dup\.h:\d+: vma_start_pgoff is defined after compat_vma_mmap\(\) \(line \d+\), but the new copies use it/,
	],
	[
		'a mirror without compat_vma_mmap()',
		{ 'tools/testing/vma/include/dup.h': (s) => s.replace(/static inline int compat_vma_mmap[\s\S]*?\n}\n/, '') },
		'missing',
		/dup\.h has no compat_vma_mmap\(\) to mirror the split in/,
	],
];
for (const [what, edits, reason, msg] of refusals) {
	test(`refused: ${what}`, () => {
		const root = copyTree('single', edits);
		try {
			throwsCompat(() => compatHelpersPatch(root), reason, msg);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
}

test('refused: no userland mirror at all', () => {
	const root = copyTree('single');
	try {
		fs.rmSync(path.join(root, 'tools'), { recursive: true });
		throwsCompat(() => compatHelpersPatch(root), 'missing', /neither tools\/testing\/vma\/include\/dup\.h nor tools\/testing\/vma\/vma_internal\.h found/);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('adapts: extra arguments, a trailing comment and a member-named local survive', () => {
	const root = copyTree('single', {
		'mm/util.c': (s) =>
			sub('return mmap_action_complete(vma, action);', 'return mmap_action_complete(vma, action, /*is_compat=*/true);')(
				sub('\t\t.page_prot = vma->vm_page_prot,\n', '\t\t.page_prot = vma->vm_page_prot,\n\t\t.vm_ops = vma->vm_ops, /* as the VMA had it */\n')(s),
			),
	});
	try {
		const util = compatHelpersPatch(root).changes.find((c) => c.path === 'mm/util.c')!.after;
		assert.match(util, /\tcompat_set_vma_from_desc\(vma, desc\);\n\treturn mmap_action_complete\(vma, &desc->action, \/\*is_compat=\*\/true\);\n/);
		assert.match(util, /\t\/\* as the VMA had it \*\/\n\tdesc->vm_ops = vma->vm_ops;\n/);
		// desc.action / action->x became desc->action... and never &desc->&desc->
		assert.not.match(util, /&desc->&|desc->action\.action/);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('adapts: no hide_from_rmap_until_complete and no action pointer', () => {
	const root = copyTree('single', {
		'mm/util.c': (s) =>
			sub('\t/* being invoked from .mmmap means we don\'t have to enforce this. */\n\taction->hide_from_rmap_until_complete = false;\n\n', '')(
				sub('\tstruct mmap_action *action = &desc.action;\n', '')(sub('return mmap_action_complete(vma, action);', 'return mmap_action_complete(vma, &desc.action);')(s)),
			),
	});
	try {
		const p = compatHelpersPatch(root);
		const util = p.changes.find((c) => c.path === 'mm/util.c')!.after;
		assert.equal(
			fnTokens(util, 'compat_vma_mmap').join(' '),
			'int compat_vma_mmap ( struct file * file , struct vm_area_struct * vma ) { struct vm_area_desc desc ; int err ; ' +
				'compat_set_desc_from_vma ( & desc , file , vma ) ; err = vfs_mmap_prepare ( file , & desc ) ; if ( err ) return err ; ' +
				'return __compat_vma_mmap ( & desc , vma ) ; }',
		);
		assert.match(util, /\treturn mmap_action_complete\(vma, &desc->action\);\n/);
		assert.not.match(p.body, /hide_from_rmap/);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('adapts: an action pointer assigned after the hook, as 7.3 writes it', () => {
	const root = copyTree('single', {
		'mm/util.c': (s) =>
			sub('\tstruct mmap_action *action = &desc.action;\n', '\tstruct mmap_action *action;\n')(
				sub('\tif (err)\n\t\treturn err;\n\n\terr = mmap_action_prepare', '\tif (err)\n\t\treturn err;\n\taction = &desc.action;\n\n\terr = mmap_action_prepare')(s),
			),
	});
	try {
		const util = compatHelpersPatch(root).changes.find((c) => c.path === 'mm/util.c')!.after;
		const expected = compatHelpersPatch(path.join(FIX, 'single')).changes.find((c) => c.path === 'mm/util.c')!.after;
		for (const fn of ['compat_set_desc_from_vma', '__compat_vma_mmap', 'compat_vma_mmap']) assert.equal(fnTokens(util, fn), fnTokens(expected, fn), fn);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test('layoutSignature: fills to 80 columns, aligned with the parenthesis', () => {
	assert.is(layoutSignature('int f', ['int a', 'int b'], ';'), 'int f(int a, int b);');
	assert.is(
		layoutSignature('static inline void compat_set_desc_from_vma', ['struct vm_area_desc *desc', 'const struct file *file', 'const struct vm_area_struct *vma'], ''),
		'static inline void compat_set_desc_from_vma(struct vm_area_desc *desc,\n\t\t\t\t\t    const struct file *file,\n\t\t\t\t\t    const struct vm_area_struct *vma)',
	);
	assert.is(layoutSignature('int __compat_vma_mmap', ['struct vm_area_desc *desc', 'struct vm_area_struct *vma'], ';'), 'int __compat_vma_mmap(struct vm_area_desc *desc, struct vm_area_struct *vma);');
});

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
if (!python) {
	console.log('compathelpers: SKIPPED the unhelper.py check: no python3');
	test.skip('unhelper.py refuses a tree that is not 7.3 and changes nothing', () => {});
} else {
	test('unhelper.py refuses a tree that is not 7.3 and changes nothing', () => {
		const root = copyTree('single');
		try {
			const before = listFiles(root).map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
			const r = spawnSync(python, [path.join(repoRoot, 'test/kernel/unhelper.py'), root], { encoding: 'utf8' });
			assert.is(r.status, 1);
			assert.match(r.stderr, /unhelper: mm\/util\.c: expected exactly one occurrence of the 7\.3 text starting\n {4}void compat_set_desc_from_vma/);
			assert.match(r.stderr, /nothing was changed/);
			assert.equal(
				listFiles(root).map((f) => fs.readFileSync(path.join(root, f), 'utf8')),
				before,
			);
			const bad = spawnSync(python, [path.join(repoRoot, 'test/kernel/unhelper.py'), '--frobnicate', root], { encoding: 'utf8' });
			assert.is(bad.status, 1);
			assert.match(bad.stderr, /usage: unhelper\.py \[--upstream-const \| --no-const\] TREE/);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
}

test.run();
