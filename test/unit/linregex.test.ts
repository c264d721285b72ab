// src/linregex.ts: the same answers as RegExp.test() on the patterns
// MAINTAINERS uses (and on random ones), in linear time on the patterns that
// make a backtracking engine hang, and a refusal for what it does not handle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { linearRegex, Unsupported } from '../../src/base/linregex.js';
import { perlRegex } from '../../src/series/maintainers.js';

const same = (source: string, flags: string, texts: string[]) => {
	const re = new RegExp(source, flags);
	const lin = linearRegex(source, flags);
	for (const t of texts) assert.is(lin.test(t), re.test(t), `/${source}/${flags} on ${JSON.stringify(t)}`);
};

const PATHS = [
	'drivers/gpu/drm/tegra/dc.c',
	'arch/arm/mach-imx/pm-imx6.c',
	'drivers/net/wireless/ath/ath10k/pci.c',
	'include/uapi/linux/nl80211-vnd-intel.h',
	'include/linux/page-flags.h',
	'arch/x86/entry/vdso/vgetrandom.c',
	'lib/vdso/getrandom.c',
	'drivers/soc/bcm/bcm2835-power.c',
	'arch/arm64/boot/dts/broadcom/bcm4912.dtsi',
	'drivers/pinctrl/mvebu/pinctrl-mxc-fake.c',
	'tools/testing/selftests/x.c',
	'',
	'ps3',
	'a/ps3',
	'xps3',
];

test('N:-like patterns on paths, as RegExp', () => {
	for (const p of [
		'[^a-z0-9]ps3',
		'[^a-z]tegra',
		'\\bmxc[^\\d]',
		'^.*/vdso/[^/]*getrandom[^/]+$',
		'bcm[9]?4912',
		'bcm113*',
		'include/uapi/linux/nl80211-.*',
		'include\\/linux\\/page[-_][a-zA-Z]*',
		'sun[x456789]i',
		'mt[2678]',
		'axp[128]',
		'bcm[-_]nsp',
		'^drivers/(net|soc)/',
		'(?:a|b)*c{2,3}',
		'^(?:.*)(?:.*)x',
	])
		same(p, '', PATHS);
});

const LINES = [
	'+\tret = devm_gpio_request(dev, gpio, "x");',
	'-\tgpiod_set_value(desc, 1);',
	'+static int rockchip_probe(struct platform_device *pdev)',
	'+#include <linux/phylink.h>',
	'+\tstruct phylink *pl;',
	' context line with clang and llvm',
	'+\tclone3(args);',
	'+\tPIDFD_THREAD',
	'Subject: [PATCH] Rust: fix',
	'+\tdma_fence_put(f);',
	'+\tsecurity_file_mmap(file);',
	'+\t__counted_by(len)',
	'+\tstruct psp_dev *psp;',
	'\n',
	'abc\n',
];

test('K:-like patterns on patch lines (Perl /x and (?i) translated first), as RegExp', () => {
	for (const k of [
		'(devm_)?gpio_(request|free|direction|get|set)',
		'(?:\\b|_)ROCKCHIP(?:\\b|_)',
		'(?i)clone3',
		'(?i)pidfd',
		'\\b(?i:clang|llvm)\\b',
		'\\b(?i:rust)\\b',
		'\\bdma_(?:buf|fence|resv)\\b',
		'\\bsecurity_[a-z_0-9]\\+\\b',
		'\\b__counted_by(_le|_be|_ptr)?\\b',
		'struct\\ psp(_assoc|_dev|hdr)\\b',
		'phylink\\.h|struct\\s+phylink|\\.phylink|>phylink_',
		'abc\\Z',
		'^abc\\z',
	]) {
		for (const prefix of ['', '^[+-].*']) {
			const { source, flags } = perlRegex(prefix + k);
			same(source, flags, LINES);
		}
	}
});

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

test('random patterns over a small alphabet: the same answers as RegExp', () => {
	const r = rng(14);
	const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
	const atom = (d: number): string => {
		const k = r();
		if (d > 2 || k < 0.45) return pick(['a', 'b', '.', '[ab]', '[^a]', '\\w', '\\d', 'x', '-']);
		if (k < 0.6) return `(${expr(d + 1)})`;
		if (k < 0.7) return `(?:${expr(d + 1)})`;
		return pick(['^', '$', '\\b', '\\B']);
	};
	const piece = (d: number) => {
		const a = atom(d);
		if (/^(\^|\$|\\b|\\B)$/.test(a)) return a;
		return a + pick(['', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?']);
	};
	const expr = (d: number): string => {
		const n = 1 + Math.floor(r() * 3);
		const alts = Array.from({ length: 1 + (r() < 0.3 ? 1 : 0) }, () => Array.from({ length: n }, () => piece(d)).join(''));
		return alts.join('|');
	};
	const texts = Array.from({ length: 40 }, () => Array.from({ length: Math.floor(r() * 8) }, () => pick(['a', 'b', 'x', '1', '-', ' ', '\n'])).join(''));
	for (let i = 0; i < 400; i++) {
		const src = expr(0);
		same(src, r() < 0.2 ? 'i' : '', texts);
	}
});

test('patterns that hang a backtracking engine answer at once', () => {
	const path = 'drivers/demo/demo_regs_and_a_long_tail_of_words/x.c';
	const t0 = Date.now();
	assert.is(linearRegex('^(([a-z_/]+)+)+\\.x$').test(path), false);
	assert.is(linearRegex('^(([a-z_/]+)+)+\\.c$').test(path.replace('/x.c', 'x.c')), true);
	assert.is(linearRegex(`^${'(?:.*)'.repeat(30)}x$`).test('a'.repeat(200)), false);
	assert.is(linearRegex('(a|aa)*b').test('a'.repeat(5000)), false);
	assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
});

test('what it does not handle is refused, not guessed', () => {
	for (const p of ['(a)\\1', '(?<=a)b', '(?!a)b', 'a{2000}', '(a{1000}){1000}', 'a++'])
		assert.throws(() => linearRegex(p), (e: unknown) => e instanceof Unsupported, p);
	assert.throws(() => linearRegex('a', 'm'), (e: unknown) => e instanceof Unsupported);
});

test.run();
