// The dup.h sync check (src/dup): the item splitter on small sources, and the
// whole check on a fixture tree (test/unit/fixtures/dup/tree) whose dup.h has one
// item of every class.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../../src/c/parser.js';
import {
	checkDup,
	classify,
	clearIndexCache,
	crossCheckWithTree,
	findOriginal,
	formatReport,
	hasStaleDrift,
	parseOverrides,
	scanItems,
	splitItems,
	syncDupPatch,
	type DupReport,
	type ReportItem,
} from '../../src/mm/dup/index.js';
import { repoRoot } from '../support/helpers.js';

const fixtureTree = path.join(repoRoot, 'test/unit/fixtures/dup/tree');

const brief = (src: string) => scanItems(src).map((i) => `${i.kind} ${i.name}${i.cond.length ? ` [${i.cond.join(' && ')}]` : ''}`);

// ------------------------------------------------------------------ splitter

test('split: #define per #if branch, with its condition', () => {
	const src = [
		'#ifdef CONFIG_MMU',
		'#define A 1',
		'#else',
		'#define A 0',
		'#define B VM_NONE',
		'#endif',
		'#if defined(X) || defined(Y)',
		'#define C 1',
		'#elif Z > 3',
		'#define C 2',
		'#else',
		'#define C 3',
		'#endif',
		'#ifndef D',
		'#define D(x, y) \\',
		'\t((x) + (y))',
		'#endif',
		'#undef A',
		'#include <linux/mm.h>',
	].join('\n');
	assert.equal(brief(src), [
		'define A [defined(CONFIG_MMU)]',
		'define A [!defined(CONFIG_MMU)]',
		'define B [!defined(CONFIG_MMU)]',
		'define C [defined(X) || defined(Y)]',
		'define C [!(defined(X) || defined(Y)) && Z > 3]',
		'define C [!(defined(X) || defined(Y)) && !(Z > 3)]',
		'define D [!defined(D)]',
	]);
	const d = scanItems(src).at(-1)!;
	assert.equal(d.params, ['x', 'y']);
	assert.ok(d.text.endsWith('((x) + (y))'), 'a continued #define keeps its continuation lines');
	assert.is(d.line, 15);
	assert.is(d.endLine, 16);
});

test('split: object-like macro with a parenthesised body is not function-like', () => {
	const [a, b] = scanItems('#define X (a)\n#define Y(a) a\n');
	assert.is(a!.params, null);
	assert.is(a!.body!.trim(), '(a)');
	assert.equal(b!.params, ['a']);
});

test('split: enums, anonymous enums, structs, typedefs', () => {
	const src = `
enum {
	DECLARE_VMA_BIT(READ, 0),
#ifdef CONFIG_MMU
	DECLARE_VMA_BIT(UFFD_MISSING, 9),
#else
	DECLARE_VMA_BIT(MAYOVERLAY, 9),
#endif
};
enum {
	/* the first constant */
	READ_IMPLIES_EXEC = 0x0400000,
};
enum mmap_action_type {
	MMAP_NOTHING,
};
struct vm_area_struct {
#define VM_INSIDE 1
	unsigned long vm_start;
} __randomize_layout;
struct vm_unmapped_area_info info;
typedef struct { unsigned long v; } freeptr_t;
typedef int __bitwise vma_flag_t;
typedef int (*fn_t)(int);
typedef void (bio_end_io_t) (struct bio *);
`;
	assert.equal(brief(src), [
		'enum anon-enum(DECLARE_VMA_BIT)',
		'enum anon-enum(READ_IMPLIES_EXEC)',
		'enum mmap_action_type',
		'struct vm_area_struct',
		'variable info',
		'typedef freeptr_t',
		'typedef vma_flag_t',
		'typedef fn_t',
		'typedef bio_end_io_t',
	]);
	const s = scanItems(src)[3]!;
	assert.ok(s.text.includes('#define VM_INSIDE 1'), 'a #define inside a struct belongs to the struct');
});

test('split: functions, prototypes, variables; braces in strings and comments', () => {
	const src = `
static inline void f(void)
{
	const char *s = "}";	/* } */
	char c = '}';
	// }
	if (c) { s++; }
}
static inline void vma_assert_write_locked(struct vm_area_struct *);
bool vma_wants_writenotify(struct vm_area_struct *vma, pgprot_t vm_page_prot);
extern int sysctl_max_map_count;
static const struct vm_operations_struct ops = {
	.open = f,
};
static inline
struct vm_area_struct *vma_find(struct vma_iterator *vmi, unsigned long max)
{
	return mas_find(&vmi->mas, max - 1);
}
__printf(1, 2) void logit(const char *fmt, ...);
void (*hook)(int) = NULL;
static DEFINE_MUTEX(lock);
`;
	assert.equal(brief(src), [
		'function f',
		'prototype vma_assert_write_locked',
		'prototype vma_wants_writenotify',
		'variable sysctl_max_map_count',
		'variable ops',
		'function vma_find',
		'prototype logit',
		'variable hook',
		'prototype DEFINE_MUTEX',
	]);
});

test('split: #if branches with unbalanced braces count the first branch only', () => {
	const src = `
#ifdef CONFIG_A
static int g(int x) {
#else
static int g(long x) {
#endif
	return 0;
}
static int h(void) { return 1; }
`;
	assert.equal(brief(src), ['function g [defined(CONFIG_A)]', 'function h']);
});

test('split: dup.h items start after the DUPLICATED comment', () => {
	const src = fs.readFileSync(path.join(fixtureTree, 'tools/testing/vma/include/dup.h'), 'utf8');
	const items = splitItems(src);
	assert.is(items[0]!.name, 'VMA_LOCK_OFFSET', 'mm_struct (before the marker) is not an item');
	assert.ok(!items.some((i) => i.name === 'mm_struct'));
	assert.ok(!items.some((i) => i.name === 'is_exec_mapping' && i.kind !== 'define'), '#undef is not an item');
	const kinds: Record<string, number> = {};
	for (const i of items) kinds[i.kind] = (kinds[i.kind] ?? 0) + 1;
	assert.equal(kinds, { define: 13, typedef: 1, enum: 3, struct: 2, function: 8, prototype: 1, variable: 1 });
});

test('split: tree-sitter agrees with the scanner except where it cannot know kernel macros', async () => {
	await initParser();
	const src = fs.readFileSync(path.join(fixtureTree, 'tools/testing/vma/include/dup.h'), 'utf8');
	const dis = crossCheckWithTree(src, splitItems(src));
	// tree-sitter reads `typedef int __bitwise vma_flag_t` as a typedef of __bitwise,
	// and `enum { DECLARE_VMA_BIT(READ, 0), ... }` as a prototype
	assert.equal(
		dis.map((d) => d.scanner.name),
		['vma_flag_t', 'anon-enum(DECLARE_VMA_BIT)'],
	);
});

// ------------------------------------------------------------------ classifier on the fixture tree

let report: DupReport;
const item = (name: string, n = 0): ReportItem => {
	const all = report.items.filter((i) => i.name === name);
	assert.ok(all[n], `no item ${name} #${n} in the report`);
	return all[n]!;
};

test('check: the fixture tree', () => {
	clearIndexCache();
	report = checkDup(fixtureTree);
	assert.is(report.kernelVersion, '9.1-fixture');
	assert.is(report.counts.total, 29);
	assert.ok(report.markerLine && report.markerLine > 10);
	// JSON-serialisable
	assert.equal(JSON.parse(JSON.stringify(report)), report);
});

test('check: macros under #if/#elif/#else match their own config variant', () => {
	for (const [name, n, cond] of [
		['VM_UFFD_MISSING', 0, ['defined(CONFIG_MMU)']],
		['VM_UFFD_MISSING', 1, ['!defined(CONFIG_MMU)']],
		['VM_SAO', 0, ['defined(CONFIG_PPC64)']],
		['VM_GROWSUP', 0, ['!defined(CONFIG_PPC64) && defined(CONFIG_PARISC)']],
		['VM_ARCH_CLEAR', 0, ['!defined(CONFIG_PPC64) && !defined(CONFIG_PARISC)']],
	] as const) {
		const r = item(name, n);
		assert.is(r.class, 'in-sync', `${name}#${n}: ${r.detail}`);
		assert.equal(r.cond, cond);
	}
	const mmu = item('VM_UFFD_MISSING', 0);
	const nommu = item('VM_UFFD_MISSING', 1);
	assert.is(mmu.original!.line, 8);
	assert.is(nommu.original!.line, 10);
	assert.is(mmu.candidates, 2);
	// the #else branch drifted: its original is the kernel's #else branch
	const sd = item('VM_SOFTDIRTY', 1);
	assert.is(sd.class, 'drift');
	assert.is(sd.original!.line, 24);
	assert.ok(sd.diff!.includes('-#define VM_SOFTDIRTY 0') && sd.diff!.includes('+#define VM_SOFTDIRTY VM_NONE'), sd.diff);
	assert.is(item('VM_SOFTDIRTY', 0).class, 'in-sync');
});

test('check: an object-like macro does not match a function-like one', () => {
	const r = item('PAGE_ALIGNED');
	assert.is(r.class, 'drift');
});

test('check: enums', () => {
	const bits = item('anon-enum(DECLARE_VMA_BIT)');
	assert.is(bits.class, 'drift');
	assert.ok(bits.diff!.includes('+\tDECLARE_VMA_BIT(UFFD_RWP, 43),'), bits.diff);
	const op = item('vma_operation');
	assert.is(op.class, 'in-sync', 'a comment-only difference is in sync');
	assert.is(op.commentsDiffer, true);
	// anonymous enum found through its constant in a tier-2 file, a deliberate subset
	const pers = item('anon-enum(READ_IMPLIES_EXEC)');
	assert.is(pers.original!.file, 'include/uapi/linux/personality.h');
	assert.is(pers.class, 'custom');
	assert.is(pers.reasonSource, 'builtin');
});

test('check: macro for an enum constant', () => {
	assert.is(item('AS_MM_ALL_LOCKS').class, 'linkage');
	assert.is(item('AS_MM_ALL_LOCKS').original!.kind, 'enumerator');
	const un = item('AS_UNEVICTABLE');
	assert.is(un.class, 'drift');
	assert.match(un.detail, /differs from the enum constant's 3/);
});

test('check: function differing only in whitespace and comments is in sync', () => {
	const r = item('vma_pages');
	assert.is(r.class, 'in-sync');
	assert.is(r.commentsDiffer, true);
	assert.is(item('vm_area_struct').class, 'in-sync', 'struct with __randomize_layout and whitespace changes');
	assert.is(item('vma_flag_t').class, 'in-sync');
	assert.is(item('vma_start_pgoff').class, 'in-sync');
});

test('check: static inline copy of an out-of-line function is linkage', () => {
	const r = item('vm_stat_account');
	assert.is(r.class, 'linkage', r.detail);
	assert.is(r.original!.file, 'mm/mmap.c', 'the definition wins over the mm.h prototype');
	assert.match(r.detail, /static inline copy of an out-of-line/);
});

test('check: prototype and macro stand-ins for kernel static inlines are linkage', () => {
	const p = item('vma_assert_write_locked');
	assert.is(p.class, 'linkage');
	assert.match(p.detail, /prototype stands in for a kernel static inline/);
	const m = item('is_exec_mapping');
	assert.is(m.class, 'linkage');
	assert.match(m.detail, /macro stands in for a kernel static inline/);
});

test('check: real drift, with a short diff', () => {
	const r = item('compat_set_desc_from_vma');
	assert.is(r.class, 'drift');
	assert.is(r.linkage, true);
	assert.is(r.original!.file, 'mm/util.c');
	assert.ok(r.diff!.includes('-\tdesc->pgoff = vma->vm_pgoff;'), r.diff);
	assert.ok(r.diff!.includes('+\tdesc->pgoff = vma_start_pgoff(vma);'), r.diff);
	assert.ok(!/^[-+].*static inline/m.test(r.diff!), 'the expected static inline is not part of the diff');
	assert.is(item('VM_COPY_ON_FORK').class, 'drift');
	assert.is(item('vm_operations_struct').class, 'drift');
	assert.ok(item('vm_operations_struct').diff!.includes('+\tconst struct vm_uffd_ops *uffd_ops;'));
	assert.is(item('vm_flags_init').class, 'drift');
});

test('check: const-qualifier drift is drift, marked constOnly', () => {
	const r = item('vma_is_accessible');
	assert.is(r.class, 'drift');
	assert.is(r.constOnly, true);
	assert.match(r.detail, /kernel gained const/);
	assert.is(report.counts.constOnlyDrift, 1);
});

test('check: customisations and items without original', () => {
	assert.is(item('vm_get_page_prot').class, 'custom');
	assert.is(item('vm_get_page_prot').reasonSource, 'builtin');
	assert.is(item('vma_set_page_prot').class, 'custom');
	assert.is(item('VMA_LOCK_OFFSET').class, 'no-original');
	assert.is(item('sysctl_max_map_count').class, 'no-original');
});

test('check: counts, stale list and exit rule', () => {
	assert.equal(
		{ ...report.counts },
		{ 'in-sync': 11, linkage: 4, drift: 9, custom: 3, 'no-original': 2, total: 29, constOnlyDrift: 1 },
	);
	assert.equal(report.stale, [
		'VM_SOFTDIRTY',
		'VM_COPY_ON_FORK',
		'PAGE_ALIGNED',
		'anon-enum(DECLARE_VMA_BIT)',
		'AS_UNEVICTABLE',
		'vm_operations_struct',
		'vma_is_accessible',
		'compat_set_desc_from_vma',
		'vm_flags_init',
	]);
	assert.ok(hasStaleDrift(report));
});

test('check: without the built-in list, a `testing:` comment still marks a customisation', () => {
	const r = checkDup(fixtureTree, { builtinOverrides: false });
	const get = (n: string) => r.items.find((i) => i.name === n)!;
	assert.is(get('vma_set_page_prot').class, 'custom');
	assert.is(get('vma_set_page_prot').reasonSource, 'dup.h');
	assert.is(get('vm_get_page_prot').class, 'drift');
	assert.is(get('anon-enum(READ_IMPLIES_EXEC)').class, 'drift');
});

test('check: the tree override file', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-dup-'));
	try {
		fs.cpSync(fixtureTree, dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'tools/testing/vma/dup-sync.conf'),
			'# overrides for this tree\ncustom VM_COPY_ON_FORK  no userfaultfd RWP in the tests\ndrift vm_get_page_prot must follow the kernel\ncustom vma_pages  not needed\ncustom gone_item  whatever\n',
		);
		const r = checkDup(dir);
		const get = (n: string) => r.items.find((i) => i.name === n)!;
		assert.is(get('VM_COPY_ON_FORK').class, 'custom');
		assert.is(get('VM_COPY_ON_FORK').reason, 'no userfaultfd RWP in the tests');
		assert.is(get('VM_COPY_ON_FORK').reasonSource, 'tools/testing/vma/dup-sync.conf:2');
		assert.is(get('vm_get_page_prot').class, 'drift', 'a drift entry cancels the built-in customisation');
		assert.equal(r.overrideFiles, ['tools/testing/vma/dup-sync.conf']);
		assert.ok(r.unusedOverrides.some((u) => u.includes('gone_item') && u.includes('no such item')));
		assert.ok(r.unusedOverrides.some((u) => u.startsWith('vma_pages:') && u.includes('in-sync')));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	assert.throws(() => parseOverrides('custom\n', 'x.conf'), /x\.conf:1/);
});

test('findOriginal and classify as separate calls', () => {
	const src = fs.readFileSync(path.join(fixtureTree, 'tools/testing/vma/include/dup.h'), 'utf8');
	const it = splitItems(src).find((i) => i.name === 'compat_set_desc_from_vma')!;
	const o = findOriginal(fixtureTree, it)!;
	assert.is(o.file, 'mm/util.c');
	assert.is(o.kind, 'function');
	const v = classify(it, o);
	assert.is(v.class, 'drift');
	assert.is(classify(it, null).class, 'no-original');
});

test('formatReport: table, colour switch, diffs', () => {
	const plain = formatReport(report, { color: false });
	assert.ok(!plain.includes('\x1b['));
	assert.match(plain, /^drift\s+compat_set_desc_from_vma\s+\d+\s+mm\/util\.c:\d+/m);
	assert.match(plain, /^drift\/const\s+vma_is_accessible/m);
	assert.match(plain, /11 in sync, 4 linkage, 9 stale drift \(1 const-only\), 3 custom, 2 without kernel original/);
	assert.ok(plain.includes('+\tdesc->pgoff = vma_start_pgoff(vma);'));
	assert.ok(!/^in-sync/m.test(plain), 'in-sync rows only with all');
	assert.match(formatReport(report, { color: false, all: true }), /^in-sync\s+vma_pages/m);
	assert.ok(formatReport(report, { color: true }).includes('\x1b[31m'));
	assert.ok(!formatReport(report, { color: false, diffs: false }).includes('+\tdesc->pgoff'));
});

// ------------------------------------------------------------------ syncDupPatch on the fixture tree

test('sync: stale items replaced by the kernel text, dependencies first', () => {
	const r = syncDupPatch(fixtureTree);
	assert.is(r.before, fs.readFileSync(path.join(fixtureTree, 'tools/testing/vma/include/dup.h'), 'utf8'));
	const synced = r.changes.filter((c) => c.action === 'synced').map((c) => c.name);
	assert.equal(synced, [
		'VM_SOFTDIRTY',
		'VM_COPY_ON_FORK',
		'PAGE_ALIGNED',
		'anon-enum(DECLARE_VMA_BIT)',
		'AS_UNEVICTABLE',
		'vm_operations_struct',
		'vma_is_accessible',
		'compat_set_desc_from_vma',
		'vm_flags_init',
	]);
	const a = r.after;
	// the static inline of the userland copy stays, the body is the kernel's
	assert.ok(a.includes('static inline void compat_set_desc_from_vma(struct vm_area_desc *desc,'));
	assert.ok(a.includes('\tdesc->pgoff = vma_start_pgoff(vma);'));
	// an item must follow what it uses
	assert.ok(a.indexOf('pgoff_t vma_start_pgoff(') < a.indexOf('void compat_set_desc_from_vma('), 'vma_start_pgoff moved before its user');
	assert.ok(r.changes.some((c) => c.action === 'moved' && c.name === 'compat_set_desc_from_vma'));
	// VM_UFFD_RWP copied with its #ifdef block, outside VM_SOFTDIRTY's #else, before VM_COPY_ON_FORK
	assert.ok(r.changes.some((c) => c.action === 'added' && c.name === 'VM_UFFD_RWP'));
	const rwp = a.indexOf('#ifdef CONFIG_USERFAULTFD_RWP\n#define VM_UFFD_RWP\tINIT_VM_FLAG(UFFD_RWP)\n#else\n#define VM_UFFD_RWP\tVM_NONE\n#endif');
	assert.ok(rwp > a.indexOf('#define VM_SOFTDIRTY\tVM_NONE\n#endif\n'), 'inserted after the #endif of the previous block');
	assert.ok(rwp < a.indexOf('#define VM_COPY_ON_FORK'));
	assert.ok(a.includes('#define AS_UNEVICTABLE 3'));
	assert.ok(a.includes('#define PAGE_ALIGNED(addr)'));
	// the customisations are left alone
	assert.ok(a.includes('return __pgprot(vm_flags);'));
	// the result is in sync
	const after = checkDup(fixtureTree, { source: a });
	assert.is(after.counts.drift, 0, after.stale.join(', '));
	// 7 synced items and the 2 added VM_UFFD_RWP variants are in sync; compat_set_desc_from_vma
	// (static inline copy) and AS_UNEVICTABLE (enum-constant stand-in) are linkage
	assert.is(after.counts['in-sync'], report.counts['in-sync'] + 7 + 2);
	assert.is(after.counts.linkage, report.counts.linkage + 2);
});

test('sync: only/exclude, and an item that needs what nobody provides is left alone', () => {
	const only = syncDupPatch(fixtureTree, { only: ['vma_is_accessible'] });
	assert.equal(only.changes.map((c) => `${c.action} ${c.name}`), ['synced vma_is_accessible']);
	const diff = only.after.split('\n').filter((l, i) => l !== only.before.split('\n')[i]);
	assert.equal(diff, ['static inline bool vma_is_accessible(const struct vm_area_struct *vma)']);
	const ex = syncDupPatch(fixtureTree, { exclude: ['compat_set_desc_from_vma'] });
	assert.ok(!ex.changes.some((c) => c.name === 'compat_set_desc_from_vma'));
	assert.ok(ex.after.includes('desc->pgoff = vma->vm_pgoff;'));

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-dup-'));
	try {
		fs.cpSync(fixtureTree, dir, { recursive: true });
		// the kernel's vm_flags_init now calls a kernel function that only mm/ defines
		const mm = path.join(dir, 'include/linux/mm.h');
		fs.writeFileSync(mm, fs.readFileSync(mm, 'utf8').replace('\tvma_flags_clear_all(&vma->flags);\n\tvma_flags_overwrite_word', '\tvma_flags_clear_all(&vma->flags);\n\tvma_flags_hook(vma);\n\tvma_flags_overwrite_word'));
		fs.writeFileSync(path.join(dir, 'mm/hook.c'), 'void vma_flags_hook(struct vm_area_struct *vma)\n{\n}\n');
		const r = syncDupPatch(dir);
		const c = r.changes.find((x) => x.name === 'vm_flags_init')!;
		assert.is(c.action, 'skipped');
		assert.match(c.detail, /needs vma_flags_hook/);
		assert.ok(!r.after.includes('vma_flags_hook'));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test.run();
