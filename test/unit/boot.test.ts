// --verify --boot's pieces (src/verify/boot/) without booting: the probe
// catalogue, the Kconfig symbols of an object, the initramfs archive and
// /init, the probe program on the host, console parsing, the base/tip
// comparison, the per-hook verdicts and the test-only series faults. The
// real boot of Linux 7.3 is test/e2e/boot-e2e.sh.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCatalogue, parseCatalogue, probesFor, probesDir } from '../../src/verify/boot/catalogue.js';
import { compareBoots } from '../../src/verify/boot/compare.js';
import { newHits, normalizeHit, parseConsole } from '../../src/verify/boot/console.js';
import { newc } from '../../src/verify/boot/cpio.js';
import { initScript, probeArgs } from '../../src/verify/boot/initramfs.js';
import { fragment, notKept, readConfig, symbolsFor } from '../../src/verify/boot/kconfig.js';
import { bootTestingParagraph, formatBootReport, hookVerdicts, type BootReport } from '../../src/verify/boot/report.js';
import { injectTestFault } from '../../src/verify/test-fault.js';
import { kernelConfig } from '../../src/verify/boot/boot.js';
import { defaultBootDir } from '../../src/verify/boot/run.js';
import { notBooted } from '../../src/verify/boot/report.js';
import type { VerifyReport } from '../../src/verify/verify.js';
import { testingSummary } from '../../src/verify/report.js';

const scratch: string[] = [];
test.after(() => {
	for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-boot-test-'));
	scratch.push(d);
	return d;
};
const write = (root: string, files: Record<string, string>) => {
	for (const [f, t] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
		fs.writeFileSync(path.join(root, f), t);
	}
	return root;
};

// ---------------------------------------------------------------- catalogue

test('the catalogue parses and covers the hooks the issue names', () => {
	const cat = loadCatalogue();
	const ids = cat.probes.map((p) => p.id);
	for (const id of ['mem', 'zero', 'hpet', 'udmabuf', 'pcm-data', 'pcm-fork', 'pcm-status', '9p', 'usbmon']) assert.ok(ids.includes(id), id);
	// a probe that would be stuck after an oops in munmap must not hide the fork one
	const data = cat.probes.find((p) => p.id === 'pcm-data')!;
	assert.ok(!data.maps[0]!.includes('fork') && cat.probes.find((p) => p.id === 'pcm-fork')!.maps[0]!.includes('fork'));
	assert.equal(probesFor(cat, { file: 'sound/core/memalloc.c', function: 'snd_dma_continuous_mmap' }).map((p) => p.id), ['pcm-data', 'pcm-fork']);
	assert.equal(probesFor(cat, { file: 'drivers/dma-buf/dma-buf.c', function: 'dma_buf_mmap_internal' }).map((p) => p.id), ['udmabuf', 'cma-heap']);
	assert.equal(probesFor(cat, { file: 'drivers/xen/privcmd.c', function: 'privcmd_mmap' }), []);
	// selinuxfs: the status page's probe opens the file read-write, or do_mmap()
	// would refuse the writable mapping (-EACCES) before the hook's -EPERM and
	// its clearing of VM_MAYWRITE (mprotect) would not be what is tested
	const status = cat.probes.find((p) => p.id === 'selinux-status')!;
	assert.equal(probesFor(cat, { file: 'security/selinux/selinuxfs.c', function: 'sel_mmap_handle_status' }).map((p) => p.id), ['selinux-status']);
	assert.equal(probesFor(cat, { file: 'security/selinux/selinuxfs.c', function: 'sel_mmap_policy' }).map((p) => p.id), ['selinux-policy']);
	assert.is(status.open, '/sys/fs/selinux/status:rw');
	assert.ok(status.maps.some((m) => /^writable:.*shared,prot=rw$/.test(m)) && status.maps.some((m) => m.includes('mprotect=rw')));
	assert.ok(status.config.includes('CONFIG_SECURITY_SELINUX=y') && status.cmdline.includes('selinux=1'));
	// snd-dummy uses CONTINUOUS buffers only with fake_buffer=0
	assert.ok(cat.probes.find((p) => p.id === 'pcm-data')!.cmdline.includes('snd-dummy.fake_buffer=0'));
});

test('the catalogue rejects what the probe program would not understand', () => {
	const base = { config: [], probes: [] as unknown[] };
	const probe = { id: 'x', hooks: [{ file: 'a.c' }], open: '/dev/x', maps: ['m:len=4096,shared'] };
	assert.is(parseCatalogue(JSON.stringify({ ...base, probes: [probe] })).probes[0]!.prepare, 'none');
	const bad = (p: Record<string, unknown>, msg: RegExp) => assert.throws(() => parseCatalogue(JSON.stringify({ ...base, probes: [{ ...probe, ...p }] })), msg);
	bad({ maps: ['m:len=4096,sharde'] }, /bad map key sharde/);
	bad({ maps: ['m:shared', 'm:private'] }, /repeated map name/);
	bad({ prepare: 'magic' }, /unknown prepare magic/);
	bad({ open: 'dev/x' }, /absolute path/);
	bad({ hooks: [] }, /no hooks/);
	bad({ config: ['SND=y'] }, /bad config line SND=y/);
	assert.throws(() => parseCatalogue(JSON.stringify({ ...base, probes: [probe, probe] })), /repeated id/);
});

test('every hook of the catalogue exists in the real 7.3 tree (MMAPIFY_KERNEL_TREE)', () => {
	const tree = process.env.MMAPIFY_KERNEL_TREE;
	if (!tree) return;
	const cat = loadCatalogue();
	for (const p of cat.probes)
		for (const h of p.hooks) {
			const text = fs.readFileSync(path.join(tree, h.file), 'utf8');
			assert.ok(new RegExp(`\\b${h.function}\\s*\\(`).test(text), `${p.id}: ${h.file} ${h.function}`);
		}
	// the base options of the notes, and a derived symbol for a probed touched object
	const cfg = kernelConfig(cat, tree, [{ file: 'drivers/dma-buf/udmabuf.c', function: 'mmap_udmabuf' }]);
	assert.ok(cfg.includes('CONFIG_UDMABUF=y') && cfg.includes('CONFIG_DEVTMPFS=y'));
	assert.equal(symbolsFor(tree, 'sound/core/memalloc.c'), ['SND_PCM', 'SND']);
	assert.equal(symbolsFor(tree, 'drivers/usb/mon/mon_bin.c'), ['USB_MON']);
});

// ---------------------------------------------------------------- kconfig

test('symbolsFor: obj-$(CONFIG_X), composite objects, gated and multiply-gated folders', () => {
	const t = write(tmp(), {
		'Makefile': 'obj-y += drivers/\n',
		'drivers/Makefile': 'obj-$(CONFIG_SOUND) += snd/\nobj-$(CONFIG_USB) += usb/\nobj-$(CONFIG_USB_PHY) += usb/\n',
		'drivers/snd/Makefile': '# comment naming core.o\nsnd-y := init.o \\\n\tmemalloc.o\nobj-$(CONFIG_SND) += snd.o\nobj-$(CONFIG_SND_DUMMY) += dummy.o\nobj-m += modonly.o\n',
		'drivers/usb/Makefile': 'obj-$(CONFIG_USB_MON) += mon/\n',
		'drivers/usb/mon/Makefile': 'usbmon-objs := mon_main.o mon_bin.o\nobj-$(CONFIG_USB_MON) += usbmon.o\n',
	});
	assert.equal(symbolsFor(t, 'drivers/snd/memalloc.c'), ['SND', 'SOUND']);
	assert.equal(symbolsFor(t, 'drivers/snd/dummy.c'), ['SND_DUMMY', 'SOUND']);
	assert.equal(symbolsFor(t, 'drivers/usb/mon/mon_bin.c'), ['USB_MON']);
	assert.is(symbolsFor(t, 'drivers/snd/modonly.c'), undefined);
	assert.is(symbolsFor(t, 'drivers/snd/nowhere.c'), undefined);
});

test('fragment, readConfig and notKept: what olddefconfig dropped is named', () => {
	assert.is(fragment(['CONFIG_A=y', 'CONFIG_B=n', 'CONFIG_A=n']), '# CONFIG_A is not set\n# CONFIG_B is not set\n');
	const cfg = readConfig('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="x"\n');
	assert.equal(notKept(['CONFIG_A=y', 'CONFIG_B=y', 'CONFIG_D=y', 'CONFIG_B=n', 'CONFIG_C="x"'], cfg), ['CONFIG_D=y (is not set)']);
	assert.equal(notKept(['CONFIG_A=n'], cfg), ['CONFIG_A=n (is y)']);
});

// ---------------------------------------------------------------- initramfs

test('newc: cpio lists the entries, /dev/console a character device 5,1', () => {
	const d = tmp();
	const f = path.join(d, 'a.cpio');
	fs.writeFileSync(
		f,
		newc([
			{ kind: 'dir', path: 'dev' },
			{ kind: 'char', path: 'dev/console', major: 5, minor: 1 },
			{ kind: 'file', path: 'init', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
			{ kind: 'symlink', path: 'sh', target: 'bin/busybox' },
		]),
	);
	const r = spawnSync('cpio', ['-itv', '--quiet', '-F', f], { encoding: 'utf8' });
	if (r.error) return; // cpio not installed (.ci/run installs it)
	const lines = r.stdout.trim().split('\n');
	assert.is(lines.length, 4);
	assert.match(lines[1]!, /^crw------- .* 5,\s+1 .* dev\/console$/);
	assert.match(lines[2]!, /^-rwxr-xr-x .* 10 .* init$/);
	assert.match(lines[3]!, /^lrwxrwxrwx .* sh -> bin\/busybox$/);
	// the same bytes every time
	assert.ok(newc([{ kind: 'dir', path: 'x' }]).equals(newc([{ kind: 'dir', path: 'x' }])));
});

test('/init runs each probe in a child of its own, never through a pipe, and powers off', () => {
	const cat = loadCatalogue();
	const s = initScript(cat.probes);
	for (const p of cat.probes) assert.ok(s.includes(`run_probe '${p.id}' '--open' '${p.open}'`), p.id);
	assert.not.match(s, /\/probe[^\n]*\|/);
	assert.match(s, /\/probe "\$@" &/);
	assert.match(s, /oops_count/);
	assert.match(s, /poweroff -f\n$/);
	assert.ok(s.indexOf('mount -t 9p') < s.indexOf('run_probe \'mem\''));
	assert.equal(probeArgs(cat.probes.find((p) => p.id === 'zero')!).slice(0, 5), ['zero', '--open', '/dev/zero:rw', '--prepare', 'none']);
});

// ---------------------------------------------------------------- the probe program

test('probe.c builds static with the host gcc and reports mmap, touch, fork, mprotect, munmap', () => {
	const d = tmp();
	const bin = path.join(d, 'probe');
	const cc = spawnSync('gcc', ['-static', '-O2', '-Wall', '-Werror', '-o', bin, path.join(probesDir(), 'probe.c')], { encoding: 'utf8' });
	if (cc.error) return;
	assert.is(cc.status, 0, cc.stderr);
	const file = path.join(d, 'data');
	fs.writeFileSync(file, Buffer.from([42, ...new Array(99).fill(1)]));
	const out = execFileSync(bin, ['t', '--open', `${file}:rw`, '--map', 'a:len=4096,shared,prot=rw,touch=rw,value,fork,mprotect=r', '--map', 'b:len=8192,off=4096,shared,prot=r,touch=r', '--map', 'c:len=4096,off=size,private,prot=r', '--map', 'd:len=4096,off=1,shared,prot=r'], { encoding: 'utf8' });
	assert.equal(out.trim().split('\n'), [
		'@@P t open ok @@',
		'@@P t a.mmap ok @@',
		'@@P t a.touch ok=42 @@',
		'@@P t a.fork child=exit0 @@',
		'@@P t a.mprotect ok @@',
		'@@P t a.munmap ok @@',
		'@@P t b.mmap ok @@',
		'@@P t b.touch sig=SIGBUS @@', // past the end of the file
		'@@P t b.munmap ok @@',
		'@@P t c.mmap ok @@',
		'@@P t c.munmap ok @@',
		'@@P t d.mmap err=EINVAL @@', // not page-aligned
		'@@P t done ok @@',
	]);
	const z = spawnSync(bin, ['z', '--open', '/nonexistent/x'], { encoding: 'utf8' });
	assert.is(z.status, 1);
	assert.is(z.stdout, '@@P z open err=ENOENT @@\n');
});

// ---------------------------------------------------------------- console and comparison

const CLEAN = [
	'Linux version 7.3.4',
	'@@B start @@',
	'@@U 9p rc=0 @@',
	'@@S pcm-data @@',
	'@@P pcm-data open ok @@',
	'@@P pcm-data prepare ok @@',
	'@@P pcm-data data.mmap ok @@',
	'@@P pcm-data data.touch ok @@',
	'@@P pcm-data data.fork child=exit0 @@',
	'@@P pcm-data data.munmap ok @@',
	'@@P pcm-data data-private.mmap err=EINVAL @@',
	'@@P pcm-data done ok @@',
	'@@E pcm-data exit=0 oops=0 warn=0 @@',
	'@@S udmabuf @@',
	'@@P udmabuf open ok @@',
	'@@P udmabuf prepare ok @@',
	'@@P udmabuf private.mmap err=EINVAL @@',
	'@@P udmabuf done ok @@',
	'@@E udmabuf exit=0 oops=0 warn=0 @@',
	'@@S hpet @@',
	'@@P hpet open err=ENOENT @@',
	'@@E hpet exit=1 oops=0 warn=0 @@',
	'@@B done @@',
].join('\n');

const OOPS = CLEAN.replace(
	'@@P pcm-data data.fork child=exit0 @@\n@@P pcm-data data.munmap ok @@\n@@P pcm-data data-private.mmap err=EINVAL @@\n@@P pcm-data done ok @@\n@@E pcm-data exit=0 oops=0 warn=0 @@',
	[
		'BUG: kernel NULL pointer dereference, address: 000000000000012c',
		'#PF: supervisor write access in kernel mode',
		'Oops: Oops: 0002 [#1] NOPTI',
		'CPU: 0 UID: 0 PID: 61 Comm: probe Not tainted 7.3.4 #1',
		'RIP: 0010:snd_pcm_mmap_data_open+0x5/0x10',
		'Call Trace:',
		' <TASK>',
		' dup_mmap+0x3a1/0x5e0',
		' copy_process+0xb2c/0x1480',
		' </TASK>',
		'@@E pcm-data stuck oops=1 warn=0 @@',
	].join('\n'),
);

const cat = parseCatalogue(
	JSON.stringify({
		config: [],
		probes: [
			{ id: 'pcm-data', hooks: [{ file: 'sound/core/memalloc.c', function: 'snd_dma_buffer_mmap' }], open: '/dev/snd/pcmC0D0p', setup: ['mount x'], maps: ['data:shared', 'data-private:private'] },
			{ id: 'udmabuf', hooks: [{ file: 'drivers/dma-buf/udmabuf.c', function: 'mmap_udmabuf' }], open: '/dev/udmabuf', maps: ['private:private'] },
			{ id: 'hpet', hooks: [{ file: 'drivers/char/hpet.c', function: 'hpet_mmap' }], open: '/dev/hpet', maps: ['m:shared'] },
		],
		unreachable: [{ file: 'kernel/relay.c', why: 'debugfs proxies have no .mmap' }],
	}),
);
const HOOKS = [
	{ file: 'sound/core/memalloc.c', function: 'snd_dma_buffer_mmap' },
	{ file: 'drivers/dma-buf/udmabuf.c', function: 'mmap_udmabuf' },
	{ file: 'drivers/char/hpet.c', function: 'hpet_mmap' },
	{ file: 'kernel/relay.c', function: 'relay_file_mmap' },
	{ file: 'drivers/xen/privcmd.c', function: 'privcmd_mmap' },
];

test('parseConsole: markers, results, the end of each probe and reports attributed to it', () => {
	const r = parseConsole(OOPS);
	assert.ok(r.reachedInit && r.done);
	assert.equal(r.setup.get('9p'), ['rc=0']);
	const p = r.probes.get('pcm-data')!;
	assert.is(p.end, 'stuck');
	assert.is(p.oops, 1);
	assert.equal(p.steps.map((s) => s.step), ['open', 'prepare', 'data.mmap', 'data.touch']);
	assert.equal(p.hits, ['BUG: kernel NULL pointer dereference, address: 000000000000012c', 'Oops: Oops: 0002 [#1] NOPTI', 'Call Trace:']);
	assert.ok(p.reports.some((l) => l.startsWith('RIP: 0010:snd_pcm_mmap_data_open')));
	assert.equal(r.bootHits, []);
	// a marker run into a kernel line still counts; a kernel line without a report is not kept
	const m = parseConsole('@@B start @@\nrandom: crng init done@@S x @@\n@@P x open ok @@\n');
	assert.equal(m.probes.get('x')!.steps, [{ step: 'open', result: 'ok' }]);
	assert.equal(m.bootReports, []);
});

test('newHits: the same report at another address is not new; a second one is', () => {
	assert.is(normalizeHit('[    1.234] BUG: at 0xffff88800012c000 pid 61'), normalizeHit('BUG: at 0xffff888000aa0000 pid 61'));
	assert.equal(newHits(['WARNING: CPU: 0 PID: 1 at mm/x.c:10 f+0x1/0x2'], ['WARNING: CPU: 0 PID: 7 at mm/x.c:10 f+0x1/0x2']), []);
	assert.equal(newHits(['WARNING: a'], ['WARNING: a', 'WARNING: a']), ['WARNING: a']);
});

test('compareBoots: equal boots are equal; an oops at the tip is a difference, quoted', () => {
	const same = compareBoots(cat.probes, parseConsole(CLEAN), parseConsole(CLEAN));
	assert.equal(same.probes.map((p) => p.status), ['equal', 'equal', 'equal']);
	assert.equal(same.probes.map((p) => p.reached), [true, true, false]);
	assert.is(same.probes[2]!.why, 'open failed with ENOENT on both kernels');

	const c = compareBoots(cat.probes, parseConsole(CLEAN), parseConsole(OOPS));
	const v = c.probes[0]!;
	assert.is(v.status, 'different');
	assert.match(v.differences[0]!, /^data\.fork: child=exit0 at base, no result at the tip \(it got stuck in the kernel after data\.touch=ok\)$/);
	assert.match(v.differences.at(-1)!, /^the tip's console: BUG: kernel NULL pointer dereference/);
	assert.equal(v.quote!.slice(0, 2), ['BUG: kernel NULL pointer dereference, address: 000000000000012c', 'RIP: 0010:snd_pcm_mmap_data_open+0x5/0x10']);
	assert.ok(v.quote!.includes('dup_mmap+0x3a1/0x5e0'));
	assert.is(c.probes[1]!.status, 'equal');
	assert.is(c.tipIncomplete, undefined);
});

test('compareBoots: -EINVAL turned into 0 is named by probe and step; a lost setup line and an unfinished tip too', () => {
	const tip = CLEAN.replace('@@P udmabuf private.mmap err=EINVAL @@', '@@P udmabuf private.mmap ok @@\n@@P udmabuf private.munmap ok @@');
	const c = compareBoots(cat.probes, parseConsole(CLEAN), parseConsole(tip));
	assert.equal(c.probes[1]!.differences, ['private.mmap: err=EINVAL at base, ok at the tip']);
	const lost = compareBoots(cat.probes, parseConsole(CLEAN), parseConsole(CLEAN.replace('@@U 9p rc=0 @@', '@@U pcm-data rc=255 @@').replace('@@B done @@', '')));
	assert.match(lost.probes[0]!.differences[0]!, /^setup line 1 \(mount x\): not run at base, rc=255 at the tip$/);
	assert.is(lost.tipIncomplete, 'the tip kernel did not finish the probes');
	const oopsOutside = compareBoots(cat.probes, parseConsole(CLEAN), parseConsole(CLEAN.replace('@@B done @@', 'WARNING: CPU: 0 PID: 1 at lib/x.c:1 x+0x1/0x2\n@@B done @@')));
	assert.equal(oopsOutside.bootHits, ['WARNING: CPU: 0 PID: 1 at lib/x.c:1 x+0x1/0x2']);
});

test('hookVerdicts and the report: booted-and-equal, booted-and-different, not exercised (with why)', () => {
	const c = compareBoots(cat.probes, parseConsole(CLEAN), parseConsole(OOPS));
	const hooks = hookVerdicts(HOOKS, cat, c, new Map());
	assert.equal(hooks.map((h) => h.status), ['booted-different', 'booted-equal', 'not-exercised', 'not-exercised', 'not-exercised']);
	assert.match(hooks[0]!.detail!, /^probe pcm-data: data\.fork: child=exit0 at base, no result/);
	assert.is(hooks[2]!.detail, 'probe hpet: open failed with ENOENT on both kernels');
	assert.is(hooks[3]!.detail, 'debugfs proxies have no .mmap');
	assert.is(hooks[4]!.detail, 'no probe in the catalogue reaches it');
	const skipped = hookVerdicts(HOOKS.slice(2, 3), cat, c, new Map([['hpet', 'not in the boot kernel: CONFIG_HPET=y (is not set)']]));
	assert.is(skipped[0]!.detail, 'probe hpet: not in the boot kernel: CONFIG_HPET=y (is not set)');

	const report: BootReport = {
		ok: false, base: 'abc', notKept: [], builds: { base: { seconds: 23, ccache: true, ok: true, errors: [] }, tip: { seconds: 7, ccache: true, ok: true, errors: [] } },
		boots: { base: { seconds: 2, accel: 'tcg', reachedInit: true, done: true, timedOut: false, console: 'b' }, tip: { seconds: 4, accel: 'tcg', reachedInit: true, done: true, timedOut: false, console: 't' } },
		probes: c.probes, hooks, bootHits: [], problems: [], notes: [], seconds: 40, scratch: '/s',
	};
	const text = formatBootReport(report).join('\n');
	assert.match(text, /FAIL  probe pcm-data: DIFFERENT: data\.fork/);
	assert.match(text, /\| RIP: 0010:snd_pcm_mmap_data_open/);
	assert.match(text, /booted-and-equal +drivers\/dma-buf\/udmabuf\.c mmap_udmabuf \(probe udmabuf\)/);
	assert.match(text, /not exercised at run time +drivers\/xen\/privcmd\.c privcmd_mmap: no probe/);
	const para = bootTestingParagraph(report);
	assert.match(para, /behaving as on the base kernel: mmap_udmabuf\(\)\./);
	assert.match(para, /behaving differently: snd_dma_buffer_mmap\(\) \(probe pcm-data: /);
	assert.match(para, /Not exercised at run time: hpet_mmap\(\), relay_file_mmap\(\) and privcmd_mmap\(\)\.$/);
});

// ---------------------------------------------------------------- test-only faults

// A file of our own with the constructs of sound/core/memalloc.c the
// drop-private fault rewrites (the ops member, the dispatch, the CONTINUOUS
// hook and its initialiser), and a patch of another file.
const MEMALLOC = [
	'struct snd_malloc_ops {',
	'\tint (*mmap)(struct snd_dma_buffer *dmab, struct vm_area_struct *area);',
	'};',
	'',
	'int snd_dma_buffer_mmap(struct snd_dma_buffer *dmab,',
	'\t\t\tstruct vm_area_struct *area)',
	'{',
	'\tconst struct snd_malloc_ops *ops = snd_dma_get_ops(dmab);',
	'',
	'\tif (ops && ops->mmap)',
	'\t\treturn ops->mmap(dmab, area);',
	'\telse',
	'\t\treturn -ENOENT;',
	'}',
	'',
	...Array.from({ length: 8 }, (_, i) => `int pad${i};`),
	'static int snd_dma_continuous_mmap(struct snd_dma_buffer *dmab,',
	'\t\t\t\t   struct vm_area_struct *area)',
	'{',
	'\treturn remap_pfn_range(area, area->vm_start,',
	'\t\t\t       dmab->addr >> PAGE_SHIFT,',
	'\t\t\t       area->vm_end - area->vm_start,',
	'\t\t\t       area->vm_page_prot);',
	'}',
	'',
	'static const struct snd_malloc_ops snd_dma_continuous_ops = {',
	'\t.mmap = snd_dma_continuous_mmap,',
	'};',
	'',
].join('\n');
const PCM = ['int a;', 'int c;', 'int d;', ...Array.from({ length: 6 }, (_, i) => `int x${i};`), 'int e;', 'int g;', ''].join('\n');

const mail = (diffs: string) => `From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH 1/1] x\n\n---\n${diffs}-- \n2.0\n`;
const PCM_DIFF = `diff --git a/sound/core/pcm.c b/sound/core/pcm.c
--- a/sound/core/pcm.c
+++ b/sound/core/pcm.c
@@ -1,3 +1,4 @@
 int a;
+int b;
 int c;
 int d;
@@ -10,2 +11,4 @@ int f(void)
 int e;
+	return -EINVAL;
+	return -EINVAL;
 int g;
`;
const OWN_MEMALLOC_DIFF = `diff --git a/sound/core/memalloc.c b/sound/core/memalloc.c
--- a/sound/core/memalloc.c
+++ b/sound/core/memalloc.c
@@ -1,3 +1,4 @@
 struct snd_malloc_ops {
 	int (*mmap)(struct snd_dma_buffer *dmab, struct vm_area_struct *area);
+	int (*keep_private)(void);
 };
`;
const series = (...texts: string[]) => [
	{ path: '0000-cover-letter.patch', text: 'cover', patch: false, files: [] as string[] },
	...texts.map((text, i) => ({ path: `000${i + 1}-p.patch`, text, patch: true, files: [...text.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1]!) })),
];
const tree = () => write(tmp(), { 'sound/core/memalloc.c': MEMALLOC, 'sound/core/pcm.c': PCM });
const gitApply = (d: string, text: string) => {
	execFileSync('git', ['init', '-q'], { cwd: d });
	fs.writeFileSync(path.join(d, 'p.patch'), text);
	execFileSync('git', ['apply', '--check', 'p.patch'], { cwd: d });
	execFileSync('git', ['apply', 'p.patch'], { cwd: d });
	return (f: string) => fs.readFileSync(path.join(d, f), 'utf8');
};

test('boot-drop-private writes the wrong memalloc shim itself: added to the last patch when the series leaves memalloc.c alone', () => {
	const d = tree();
	const read = (f: string) => fs.readFileSync(path.join(d, f), 'utf8');
	const r = injectTestFault(series(mail(PCM_DIFF), mail(PCM_DIFF.replace(/pcm\.c/g, 'pcm_lib.c'))), 'boot-drop-private:sound/core/memalloc.c', { read });
	assert.equal(r.hooks, [{ file: 'sound/core/memalloc.c', function: 'snd_dma_continuous_mmap' }]);
	assert.match(r.what, /0002-p\.patch: added a diff of sound\/core\/memalloc\.c .*does not keep vm_private_data/);
	assert.is(r.files[1]!.text, mail(PCM_DIFF));
	const last = r.files[2]!;
	assert.equal(last.files, ['sound/core/pcm_lib.c', 'sound/core/memalloc.c']);
	assert.match(last.text, /\n int g;\ndiff --git a\/sound\/core\/memalloc\.c b\/sound\/core\/memalloc\.c\n--- a\/sound\/core\/memalloc\.c\n\+\+\+ b\/sound\/core\/memalloc\.c\n@@ -1,/);
	assert.match(last.text, /\n-- \n2\.0\n$/);
	// it applies to the file the series started from, and says what oopses
	const only = `---\n${last.text.slice(last.text.indexOf('diff --git a/sound/core/memalloc.c'))}`;
	const after = gitApply(d, only)('sound/core/memalloc.c');
	assert.match(after, /\tint \(\*mmap_prepare\)\(struct snd_dma_buffer \*dmab, struct vm_area_desc \*desc\);\n/);
	assert.match(after, /\tif \(ops && ops->mmap_prepare\) \{\n\t\tstruct vm_area_desc desc = \{\};\n\t\tint err;\n\n\t\tcompat_set_desc_from_vma\(&desc, area->vm_file, area\);\n\t\terr = ops->mmap_prepare\(dmab, &desc\);\n\t\tif \(err\)\n\t\t\treturn err;\n\t\treturn __compat_vma_mmap\(&desc, area\);\n\t\}\n\tif \(ops && ops->mmap\)\n/);
	assert.match(after, /static int snd_dma_continuous_mmap_prepare\(struct snd_dma_buffer \*dmab,\n\t\t\t\t\t   struct vm_area_desc \*desc\)\n\{\n\tmmap_action_remap_full\(desc, dmab->addr >> PAGE_SHIFT\);\n\treturn 0;\n\}\n/);
	assert.match(after, /\t\.mmap_prepare = snd_dma_continuous_mmap_prepare,\n/);
	assert.not.match(after, /private_data|remap_pfn_range/);
});

test("boot-drop-private replaces the series' own diff of memalloc.c, whatever it did; a file it does not know is an error", () => {
	const d = tree();
	const read = (f: string) => fs.readFileSync(path.join(d, f), 'utf8');
	const r = injectTestFault(series(mail(OWN_MEMALLOC_DIFF + PCM_DIFF), mail(PCM_DIFF.replace(/pcm\.c/g, 'pcm_lib.c'))), 'boot-drop-private:sound/core/memalloc.c', { read });
	const t = r.files[1]!.text;
	assert.match(r.what, /0001-p\.patch: replaced its diff of sound\/core\/memalloc\.c/);
	assert.not.match(t, /keep_private/);
	assert.match(t, /\+\t\treturn __compat_vma_mmap\(&desc, area\);\n[^]*\ndiff --git a\/sound\/core\/pcm\.c b\/sound\/core\/pcm\.c\n/);
	assert.is(r.files[2]!.text, mail(PCM_DIFF.replace(/pcm\.c/g, 'pcm_lib.c')));
	const get = gitApply(d, t);
	assert.match(get('sound/core/memalloc.c'), /snd_dma_continuous_mmap_prepare/);
	assert.match(get('sound/core/pcm.c'), /^int a;\nint b;\n/);
	assert.throws(() => injectTestFault(series(mail(PCM_DIFF)), 'boot-drop-private:sound/core/memalloc.c', { read: () => MEMALLOC.replace('\t.mmap = snd_dma_continuous_mmap,', '') }), /is not the one this fault knows/);
	assert.throws(() => injectTestFault(series(mail(PCM_DIFF)), 'boot-drop-private:sound/core/memalloc.c'), /needs the tree/);
	assert.throws(() => injectTestFault(series(mail(PCM_DIFF)), 'boot-drop-private:drivers/x.c', { read }), /knows only sound\/core\/memalloc\.c/);
});

test('boot-einval-to-0 changes the first return -EINVAL of the hunks only (a context line becomes a change); unknown specs and paths are errors', () => {
	const r = injectTestFault(series(mail(PCM_DIFF)), 'boot-einval-to-0:sound/core/pcm.c');
	assert.equal(r.hooks, []);
	assert.match(r.what, /0001-p\.patch \(sound\/core\/pcm\.c\): changed "return -EINVAL; -> return 0;"/);
	assert.match(r.files[1]!.text, /@@ -10,2 \+11,4 @@ int f\(void\)\n int e;\n\+\treturn 0;\n\+\treturn -EINVAL;/);
	const ctx = PCM_DIFF.replace('+\treturn -EINVAL;\n+\treturn -EINVAL;\n int g;', '+\tint h;\n \treturn -EINVAL;\n int g;').replace('@@ -10,2 +11,4 @@', '@@ -10,3 +11,4 @@');
	const c = injectTestFault(series(mail(ctx)), 'boot-einval-to-0:sound/core/pcm.c');
	assert.match(c.files[1]!.text, /\+\tint h;\n-\treturn -EINVAL;\n\+\treturn 0;\n int g;/);
	assert.match(c.files[1]!.text, /@@ -10,3 \+11,4 @@/);
	assert.throws(() => injectTestFault(series(mail(PCM_DIFF)), 'boot-einval-to-0:drivers/x.c'), /no patch of the series touches drivers\/x\.c/);
	assert.throws(() => injectTestFault(series(mail(PCM_DIFF.replace(/-EINVAL/g, '-ENODEV'))), 'boot-einval-to-0:sound/core/pcm.c'), /no "return -EINVAL;"/);
	assert.throws(() => injectTestFault(series(mail(PCM_DIFF)), 'boot-what:x'), /expected boot-einval-to-0:PATH or boot-drop-private/);
});

test('boot-eperm-to-0 (any boot-eERRNO-to-0) changes the first return of that errno only; another errno is left alone', () => {
	const diff = PCM_DIFF.replace('+\treturn -EINVAL;\n+\treturn -EINVAL;', '+\treturn -EINVAL;\n+\treturn -EPERM;');
	const r = injectTestFault(series(mail(diff)), 'boot-eperm-to-0:sound/core/pcm.c');
	assert.match(r.what, /changed "return -EPERM; -> return 0;"/);
	assert.match(r.files[1]!.text, /\n\+\treturn -EINVAL;\n\+\treturn 0;\n int g;/);
	assert.throws(() => injectTestFault(series(mail(PCM_DIFF)), 'boot-eperm-to-0:sound/core/pcm.c'), /no "return -EPERM;"/);
});

// ---------------------------------------------------------------- --verify --boot

test('a boot check that was not run: every hook not exercised, with why; the cover letter says so instead of "No runtime testing"', () => {
	const r = notBooted([{ file: 'a.c', function: 'a_mmap' }], 'not booted: 1 of 2 patches did not apply in --verify', '/s');
	assert.not.ok(r.ok);
	assert.equal(r.hooks, [{ file: 'a.c', function: 'a_mmap', status: 'not-exercised', probes: [], detail: 'not booted: 1 of 2 patches did not apply in --verify' }]);
	assert.match(formatBootReport(r).join('\n'), /not exercised at run time +a\.c a_mmap: not booted: 1 of 2 patches/);
	const v: VerifyReport = {
		ok: false, base: '0123456789abcdef', scratch: '/v', kept: false, patches: [
			{ name: '0001-a.patch', apply: { ok: true }, checkpatch: { ran: true, errors: [], warnings: [], checks: [] }, compile: [], notKbuild: [], ok: true },
			{ name: '0002-b.patch', apply: { ok: false, output: 'does not apply' }, checkpatch: { ran: false, errors: [], warnings: [], checks: [] }, compile: [], notKbuild: [], ok: false },
		] as unknown as VerifyReport['patches'], tip: [], vma: { status: 'not-needed', detail: '' }, notes: [], seconds: 1, jobs: 2,
	};
	const without = testingSummary(v);
	const para = testingSummary(v, r);
	assert.match(without, /No runtime testing was done\.$/);
	assert.is(para.replace(/ The base and converted kernels[^]*$/, ''), without.replace(/ No runtime testing was done\.$/, ''));
	assert.match(para, /were to be booted under QEMU, but not booted: 1 of 2 patches did not apply in --verify\. Not exercised at run time: a_mmap\(\)\.$/);
});

test('defaultBootDir: under XDG_CACHE_HOME, else ~/.cache', () => {
	assert.is(defaultBootDir({ XDG_CACHE_HOME: '/c' }), '/c/mmapify/boot');
	assert.is(defaultBootDir({}), path.join(os.homedir(), '.cache', 'mmapify', 'boot'));
});

test.run();
