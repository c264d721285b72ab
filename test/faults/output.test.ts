// faults.md 2, 4, 5 and 16 (the output folder): mmapify deletes only the files
// it wrote; the user's own files, other versions and other commands' series
// stay; replacing a series is locked and keeps the whole old series or the
// whole new one, through failures, signals, SIGKILL and a second run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
	allFiles,
	cleanup,
	cli,
	env,
	exampleRepo,
	git as spawnGit,
	inMountNamespace,
	mmapify,
	mmapifyAsync,
	mmapifyUnprivileged,
	needsRoot,
	oneLine,
	repoRoot,
	seriesOf,
	sleep,
	until,
	visibleFiles,
} from './support.js';

const ALL = 'drivers/demo'; // 4 patches: 0000..0004
const ONE = 'drivers/demo/demo_regs.c'; // 1 patch: 0000, 0001

/**
 * A repository whose out/ holds the series of ALL, written by mmapify, and
 * two files of the user's; with perFile, also a folder of the user's
 * (out/drafts), which makes mmapify replace the series file by file instead
 * of exchanging the folder.
 */
function withEarlierSeries(perFile = false): { dir: string; out: string; old: Record<string, string>; mine: Record<string, string> } {
	const dir = exampleRepo();
	const out = path.join(dir, 'out');
	fs.mkdirSync(out);
	if (perFile) {
		fs.mkdirSync(path.join(out, 'drafts'));
		fs.writeFileSync(path.join(out, 'drafts/idea.txt'), 'an idea\n');
	}
	const mine = { '0001-mine.patch': 'From me\nSubject: [PATCH] my own work\n', 'notes.txt': 'mine\n' };
	for (const [f, t] of Object.entries(mine)) fs.writeFileSync(path.join(out, f), t);
	const r = mmapify(['--json', '-o', 'out', ALL], dir);
	assert.is(r.code, 0, r.err);
	const names = seriesOf(r.out);
	assert.is(names.length, 6); // cover letter, 4 patches, refusals.txt
	const old = Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(out, n), 'utf8')]));
	return { dir, out, old, mine };
}

/** Nothing temporary in out or next to it: only the series, the user's files and mmapify's state folder. */
function noTemporaries(out: string): void {
	for (const e of fs.readdirSync(path.dirname(out))) assert.not.match(e, /tmp|stage|swap|mmapify/, `left next to the output folder: ${e}`);
	for (const f of Object.keys(allFiles(out))) assert.not.match(f, /tmp|stage|swap|journal|\.new$/i, `left in the output folder: ${f}`);
	for (const e of fs.readdirSync(out, { withFileTypes: true })) if (e.isDirectory()) assert.ok(['.mmapify', 'drafts'].includes(e.name), `unexpected folder ${e.name}`);
	if (fs.existsSync(path.join(out, 'drafts'))) assert.equal(allFiles(path.join(out, 'drafts')), { 'idea.txt': 'an idea\n' });
}

test('5: the user\'s own 0001-mine.patch and other files are kept when a series is written and replaced', () => {
	const { dir, out, mine } = withEarlierSeries();
	const r = mmapify(['--json', '-o', 'out', ONE], dir);
	assert.is(r.code, 0, r.err);
	const now = visibleFiles(out);
	for (const [f, t] of Object.entries(mine)) assert.is(now[f], t, `${f} was not kept`);
	// the earlier series is replaced by the new one: nothing of it is left
	assert.equal(Object.keys(now).sort(), [...seriesOf(r.out), ...Object.keys(mine)].sort());
	noTemporaries(out);
});

test('5: writing -v 2 keeps v1 (another version is not this series)', () => {
	const { dir, out, old, mine } = withEarlierSeries();
	const r = mmapify(['--json', '-v', '2', '-o', 'out', ALL], dir);
	assert.is(r.code, 0, r.err);
	const v2 = seriesOf(r.out);
	assert.ok(v2.every((n) => n.startsWith('v2-')));
	const now = visibleFiles(out);
	for (const [f, t] of Object.entries(old)) assert.is(now[f], t, `v1's ${f} was not kept`);
	assert.equal(Object.keys(now).sort(), [...Object.keys(old), ...v2, ...Object.keys(mine)].sort());
	// and a second v2 replaces the first v2 only
	const again = mmapify(['--json', '-v', '2', '-o', 'out', ONE], dir);
	assert.is(again.code, 0, again.err);
	assert.equal(Object.keys(visibleFiles(out)).sort(), [...Object.keys(old), ...seriesOf(again.out), ...Object.keys(mine)].sort());
});

test('5: a file of the earlier series that the user edited is not thrown away', () => {
	const { dir, out, old } = withEarlierSeries();
	const cover = '0000-cover-letter.patch';
	const edited = old[cover]!.replace('This series converts', 'My own blurb.\n\nThis series converts');
	fs.writeFileSync(path.join(out, cover), edited);
	const r = mmapify(['-o', 'out', ONE], dir);
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /0000-cover-letter\.patch/);
	assert.is(fs.readFileSync(path.join(out, cover), 'utf8'), edited);
	for (const [f, t] of Object.entries(old)) if (f !== cover) assert.is(fs.readFileSync(path.join(out, f), 'utf8'), t);
	noTemporaries(out);
});

test('5: a file of the user\'s with the name of a new patch is not overwritten', () => {
	const dir = exampleRepo();
	const out = path.join(dir, 'out');
	fs.mkdirSync(out);
	fs.writeFileSync(path.join(out, '0000-cover-letter.patch'), 'my own cover letter\n');
	const r = mmapify(['-o', 'out', ONE], dir);
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /0000-cover-letter\.patch/);
	assert.is(fs.readFileSync(path.join(out, '0000-cover-letter.patch'), 'utf8'), 'my own cover letter\n');
	assert.equal(Object.keys(visibleFiles(out)), ['0000-cover-letter.patch']);
});

/** A tree that has both hooks to convert and a dup.h to re-sync. */
function dupRepo(): string {
	const fx = path.join(repoRoot, 'test/unit/fixtures/dup/tree');
	const dir = exampleRepo();
	fs.cpSync(path.join(fx, 'tools'), path.join(dir, 'tools'), { recursive: true });
	fs.cpSync(path.join(fx, 'mm'), path.join(dir, 'mm'), { recursive: true });
	spawnGit(dir, 'add', '-A');
	spawnGit(dir, 'commit', '-qm', 'dup.h');
	return dir;
}

test('5: sync-dup has its own default folder and never deletes the conversion series', () => {
	const dir = dupRepo();
	const conv = mmapify(['--json', ALL], dir);
	assert.is(conv.code, 0, conv.err);
	const series = Object.fromEntries(seriesOf(conv.out).map((n) => [n, fs.readFileSync(path.join(dir, 'outgoing', n), 'utf8')]));
	const sd = mmapify(['sync-dup'], dir);
	assert.is(sd.code, 0, sd.err);
	assert.equal(visibleFiles(path.join(dir, 'outgoing')), series);
	const own = sd.out.match(/wrote \d+ files to (\S+?):/)?.[1];
	assert.ok(own && own !== 'outgoing', sd.out);
	assert.ok(Object.keys(visibleFiles(path.join(dir, own))).some((f) => /Sync-dup\.h/.test(f)));
	// told to write into the conversion's folder, it refuses rather than replace a file of that series
	const same = mmapify(['sync-dup', '-o', 'outgoing'], dir);
	assert.is(same.code, 2, same.out + same.err);
	assert.ok(oneLine(same.err), same.err);
	assert.equal(visibleFiles(path.join(dir, 'outgoing')), series);
});

test('4: a folder named like a new patch stops the run before anything changes', () => {
	const { dir, out, old, mine } = withEarlierSeries();
	const dry = mmapify(['--json', '--dry-run', ONE], dir);
	const name = JSON.parse(dry.out).patches[0].path as string;
	fs.mkdirSync(path.join(out, name));
	const r = mmapify(['-o', 'out', ONE], dir);
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	assert.equal(visibleFiles(out), { ...old, ...mine });
	assert.ok(fs.statSync(path.join(out, name)).isDirectory());
});

test('4: a folder named like an old patch is not the series: it is kept, the series replaced', () => {
	const { dir, out, mine } = withEarlierSeries();
	fs.mkdirSync(path.join(out, '0002-x.patch'));
	const r = mmapify(['--json', '-o', 'out', ONE], dir);
	assert.is(r.code, 0, r.err);
	assert.equal(Object.keys(visibleFiles(out)).sort(), [...seriesOf(r.out), ...Object.keys(mine)].sort());
	assert.ok(fs.statSync(path.join(out, '0002-x.patch')).isDirectory());
});

const SLOW = { MMAPIFY_TEST_SLOW_MOVES: '400' };

/** Some files of the earlier series are gone from view while the new run has not put all of its own in: mid-swap. */
function midSwap(out: string, old: Record<string, string>): boolean {
	if (!fs.existsSync(out)) return false;
	const names = fs.readdirSync(out);
	return Object.keys(old).some((n) => !names.includes(n) || fs.readFileSync(path.join(out, n), 'utf8') !== old[n]);
}

test('4: per file: SIGKILL at the worst moment (half the files moved) loses nothing; the next run restores the earlier series', async () => {
	const { dir, out, old, mine } = withEarlierSeries(true);
	const run = mmapifyAsync(['-o', 'out', ONE], dir, SLOW);
	try {
		await until(() => midSwap(out, old), 60_000, 'the swap to start');
		await sleep(100);
	} finally {
		run.child.kill('SIGKILL');
	}
	await run.done;
	// Every file of the earlier series is still in the folder (some put aside), and the user's files are untouched.
	const held = Object.values(allFiles(out));
	for (const [f, t] of Object.entries(old)) assert.ok(held.includes(t), `${f} was lost`);
	for (const [f, t] of Object.entries(mine)) assert.is(fs.readFileSync(path.join(out, f), 'utf8'), t);
	// The next run on the folder (here one with nothing to convert) finishes the interrupted replacement.
	const next = mmapify(['-o', 'out', 'include'], dir);
	assert.is(next.code, 0, next.err);
	assert.match(next.out + next.err, /interrupted/);
	assert.equal(visibleFiles(out), { ...old, ...mine });
	noTemporaries(out);
	// and a normal run after it writes its series
	const r = mmapify(['--json', '-o', 'out', ONE], dir);
	assert.is(r.code, 0, r.err);
	assert.equal(Object.keys(visibleFiles(out)).sort(), [...seriesOf(r.out), ...Object.keys(mine)].sort());
});

for (const sig of ['SIGINT', 'SIGTERM'] as const)
	test(`4: per file: ${sig} during the swap leaves the earlier series and no temporary folder`, async () => {
		const { dir, out, old, mine } = withEarlierSeries(true);
		const run = mmapifyAsync(['-o', 'out', ONE], dir, SLOW);
		try {
			await until(() => midSwap(out, old), 60_000, 'the swap to start');
		} finally {
			run.child.kill(sig);
		}
		const r = await run.done;
		assert.is(r.code, sig === 'SIGINT' ? 130 : 143, `exit ${r.code} ${r.signal}\n${r.err}`);
		assert.equal(visibleFiles(out), { ...old, ...mine });
		noTemporaries(out);
		assert.is(mmapify(['-o', 'out', ONE], dir).code, 0, 'the folder is not left locked');
	});

// ---------------------------------------------------------------------------
// The swap's visible window, step by step. MMAPIFY_TEST_SLOW_MOVES names each
// step of the swap on stderr and waits before doing it, so a test can look at
// the folder, and kill the run, at every instant of the window.

const STEP_MS = '300';

/** A run whose swap steps are announced: steps() lists those announced so far (the last one not yet done). */
function steppedRun(args: string[], dir: string, ms = STEP_MS) {
	const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...env, MMAPIFY_TEST_SLOW_MOVES: ms }, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	child.stdout.on('data', (b) => (out += b));
	child.stderr.on('data', (b) => (err += b));
	const done = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) =>
		child.on('close', (code, signal) => resolve({ code, signal, out, err })),
	);
	const steps = () => [...err.matchAll(/^mmapify: test step: (.*)$/gm)].map((m) => m[1]!);
	/** how the series is put in place: "exchange", or "per-file (REASON)" (the last one announced) */
	const how = () => [...err.matchAll(/^mmapify: test path: (.*)$/gm)].map((m) => m[1]!).at(-1);
	return { child, done, steps, how };
}

const sha = (t: string | Buffer) => createHash('sha256').update(t).digest('hex');

interface Journal {
	old: Record<string, string>;
	new: Record<string, string>;
}

/**
 * What a reader of the folder may see at any instant of a swap (README, "The
 * output folder"): the user's files as they were; the other visible files all
 * of the earlier series or all of the new one, each whole (byte for byte that
 * series' file of its name); every file of the earlier series either in its place or in
 * .mmapify/swap/old, unchanged; every new file either staged whole in
 * .mmapify/swap/new or in its place.
 */
function checkWindow(out: string, old: Record<string, string>, mine: Record<string, string>, j: Journal, when: string): void {
	const seen = visibleFiles(out);
	for (const [f, t] of Object.entries(mine)) assert.is(seen[f], t, `${when}: ${f} (the user's) changed`);
	// never a mix: the series files in view are all the earlier series' or all the new one's
	const series = Object.entries(seen).filter(([f]) => !(f in mine));
	const allOld = series.every(([f, t]) => f in old && t === old[f]);
	const allNew = series.every(([f, t]) => j.new[f] === sha(t));
	assert.ok(allOld || allNew, `${when}: the folder shows ${series.map(([f]) => f).join(', ')}: not all of one series, whole`);
	const swap = path.join(out, '.mmapify/swap');
	for (const [f, t] of Object.entries(old)) {
		const aside = path.join(swap, 'old', f);
		const held = seen[f] === t || (fs.existsSync(aside) && fs.readFileSync(aside, 'utf8') === t);
		assert.ok(held, `${when}: ${f} of the earlier series is neither in place nor in .mmapify/swap/old`);
	}
	for (const [f, h] of Object.entries(j.new)) {
		const staged = path.join(swap, 'new', f);
		assert.ok(j.new[f] === (seen[f] !== undefined ? sha(seen[f]!) : undefined) || (fs.existsSync(staged) && sha(fs.readFileSync(staged)) === h), `${when}: new ${f} is neither staged whole nor in place`);
	}
}

const readJournal = (out: string) => JSON.parse(fs.readFileSync(path.join(out, '.mmapify/swap/journal.json'), 'utf8')) as Journal;

// Replacing the 5 files of ALL by the 2 of ONE: 5 moves aside, 2 placements, the commit, the clean-up.
test('4: per file: at every step of a swap the folder shows only whole files, the earlier series stays recoverable, and SIGKILL there loses nothing', async () => {
	const { dir, out, old, mine } = withEarlierSeries(true);
	// the folder as the earlier run left it, restored before each step's run
	const saved = `${out}.saved`;
	fs.cpSync(out, saved, { recursive: true });
	let total = Infinity;
	for (let k = 0; k < total; k++) {
		fs.rmSync(out, { recursive: true, force: true });
		fs.cpSync(saved, out, { recursive: true });
		const run = steppedRun(['-o', 'out', ONE], dir);
		let step = '';
		let j: Journal;
		try {
			await until(() => run.steps().length > k, 60_000, `step ${k} of the swap`);
			step = run.steps()[k]!;
			assert.match(run.how() ?? '', /^per-file \(it holds a folder \(drafts\)\)$/);
			j = readJournal(out);
			if (total === Infinity) total = Object.keys(j.old).length + Object.keys(j.new).length + 2;
			checkWindow(out, old, mine, j, `before "${step}"`);
		} finally {
			run.child.kill('SIGKILL');
		}
		await run.done;
		checkWindow(out, old, mine, j, `killed before "${step}"`);
		// the next run on the folder (nothing to convert) finishes the interrupted swap
		const next = mmapify(['-o', 'out', 'include'], dir);
		assert.is(next.code, 0, next.err);
		assert.match(next.out + next.err, /interrupted/);
		const now = visibleFiles(out);
		if (step === 'clean up') {
			// killed after the commit: the new series is in place, whole
			assert.equal(Object.keys(now).sort(), [...Object.keys(j.new), ...Object.keys(mine)].sort(), `after "${step}"`);
			for (const [f, h] of Object.entries(j.new)) assert.is(sha(now[f]!), h);
		} else assert.equal(now, { ...old, ...mine }, `killed before "${step}": the earlier series is not back`);
		noTemporaries(out);
	}
	assert.is(total, 6 + 3 + 2); // old: cover, 4 patches, refusals.txt; new: cover, 1 patch, refusals.txt; 2 more steps
});

test('4: per file: a file that appears mid-swap under a new file\'s name is not replaced: the run stops, the earlier series comes back', async () => {
	const { dir, out, old, mine } = withEarlierSeries(true);
	const run = steppedRun(['-o', 'out', ONE], dir);
	let name = '';
	try {
		await until(() => run.steps().some((s) => s.startsWith('place ') && !(s.slice(6) in old)), 60_000, 'a new name to be placed');
		name = run.steps().find((s) => s.startsWith('place ') && !(s.slice(6) in old))!.slice(6);
		fs.writeFileSync(path.join(out, name), 'the user was quicker\n');
	} catch (e) {
		run.child.kill('SIGKILL');
		throw e;
	}
	const r = await run.done;
	assert.is(r.code, 2, r.err);
	assert.match(r.err, /appeared while mmapify was writing/);
	assert.is(fs.readFileSync(path.join(out, name), 'utf8'), 'the user was quicker\n');
	assert.equal(visibleFiles(out), { ...old, ...mine, [name]: 'the user was quicker\n' });
	noTemporaries(out);
});

test('4: per file: a file of the earlier series edited mid-swap, after the check, is not thrown away', async () => {
	const { dir, out, old, mine } = withEarlierSeries(true);
	const run = steppedRun(['-o', 'out', ONE], dir);
	const last = Object.keys(old).sort().at(-1)!;
	try {
		await until(() => run.steps().includes(`aside ${last}`), 60_000, `the move of ${last}`);
		fs.appendFileSync(path.join(out, last), 'my note\n');
	} catch (e) {
		run.child.kill('SIGKILL');
		throw e;
	}
	const r = await run.done;
	assert.is(r.code, 2, r.err);
	assert.ok(oneLine(r.err.replace(/^mmapify: (MMAPIFY_TEST_SLOW_MOVES|test step|test path).*\n/gm, '')), r.err);
	assert.match(r.err, /was changed while mmapify was replacing it/);
	assert.equal(visibleFiles(out), { ...old, ...mine, [last]: old[last] + 'my note\n' });
	noTemporaries(out);
});

test('4: two runs on one folder at once: the second is refused with a clear message, the first\'s series is whole', async () => {
	const { dir, out, mine } = withEarlierSeries();
	// slow enough that the second run, which plans for a few seconds first, meets the first one
	// while it holds the folder: before, during or after the exchange (4 steps of 3 s)
	const first = steppedRun(['--json', '-o', 'out', ONE], dir, '3000');
	await until(() => first.steps().includes('stage'), 60_000, 'the first run to start replacing the series');
	const second = mmapify(['-o', 'out', ALL], dir);
	const r1 = await first.done;
	assert.is(r1.code, 0, r1.err);
	assert.is(second.code, 2, second.out + second.err);
	assert.ok(oneLine(second.err), second.err);
	assert.match(second.err, /another mmapify run/);
	assert.equal(Object.keys(visibleFiles(out)).sort(), [...seriesOf(r1.out), ...Object.keys(mine)].sort());
	noTemporaries(out);
});

// ---------------------------------------------------------------------------
// The exchange: the new folder is built beside the output folder and the two
// are swapped by one renameat2(RENAME_EXCHANGE). Steps: stage, exchange (the
// commit), settle (the old folder emptied into the new one), clean up.

const EXCHANGE_STEPS = ['stage', 'exchange', 'settle', 'clean up'];
const nextOf = (out: string) => path.join(path.dirname(out), `.${path.basename(out)}.mmapify-next`);

/** The exchange's journal, wherever it is now (in the folder being built, or in the output folder after the exchange). */
function exchangeJournal(out: string): Journal | undefined {
	for (const f of [path.join(out, '.mmapify/exchange.json'), path.join(nextOf(out), '.mmapify/exchange.json')])
		if (fs.existsSync(f)) {
			const j = JSON.parse(fs.readFileSync(f, 'utf8')) as Journal;
			if (Object.keys(j.new).length) return j;
		}
	return undefined;
}

/**
 * Exactly the earlier series or exactly the new one, each file whole, beside
 * the user's files as they were: what a reader of the folder sees at every
 * instant of an exchange (README, "The output folder").
 */
function wholeSeries(out: string, old: Record<string, string>, mine: Record<string, string>, j: Journal | undefined, when: string): 'old' | 'new' {
	const seen = visibleFiles(out);
	for (const [f, t] of Object.entries(mine)) assert.is(seen[f], t, `${when}: ${f} (the user's) changed`);
	const series = Object.fromEntries(Object.entries(seen).filter(([f]) => !(f in mine)));
	if (JSON.stringify(Object.entries(series).sort()) === JSON.stringify(Object.entries(old).sort())) return 'old';
	assert.ok(j, `${when}: the folder shows ${Object.keys(series).join(', ')}, which is not the earlier series`);
	assert.equal(Object.keys(series).sort(), Object.keys(j!.new).sort(), `${when}: neither the whole earlier series nor the whole new one`);
	for (const [f, t] of Object.entries(series)) assert.is(sha(t), j!.new[f], `${when}: ${f} is not the new series' file`);
	return 'new';
}

test('4: exchange: at every step the folder holds the whole earlier series or the whole new one, and SIGKILL there loses nothing', async () => {
	const { dir, out, old, mine } = withEarlierSeries();
	const saved = `${out}.saved`;
	fs.cpSync(out, saved, { recursive: true });
	for (let k = 0; k < EXCHANGE_STEPS.length; k++) {
		fs.rmSync(out, { recursive: true, force: true });
		fs.cpSync(saved, out, { recursive: true });
		const run = steppedRun(['-o', 'out', ONE], dir);
		let j: Journal | undefined;
		const step = EXCHANGE_STEPS[k]!;
		try {
			await until(() => run.steps().length > k, 60_000, `step ${k} of the exchange`);
			assert.is(run.how(), 'exchange');
			assert.is(run.steps()[k], step);
			j = exchangeJournal(out);
			assert.is(wholeSeries(out, old, mine, j, `before "${step}"`), k < 2 ? 'old' : 'new');
		} finally {
			run.child.kill('SIGKILL');
		}
		await run.done;
		j ??= exchangeJournal(out);
		assert.is(wholeSeries(out, old, mine, j, `killed before "${step}"`), k < 2 ? 'old' : 'new');
		// the next run on the folder (nothing to convert) finishes the interrupted exchange
		const next = mmapify(['-o', 'out', 'include'], dir);
		assert.is(next.code, 0, next.err);
		// (killed before the first step, nothing had begun: there is nothing to finish)
		if (k === 0) assert.not.match(next.out + next.err, /interrupted/, `killed before "${step}"`);
		else assert.match(next.out + next.err, /interrupted/, `killed before "${step}"`);
		assert.is(wholeSeries(out, old, mine, j, `recovered after "${step}"`), k < 2 ? 'old' : 'new');
		noTemporaries(out);
		// and the folder is usable: a run after it writes its series
		const again = mmapify(['--json', '-o', 'out', ONE], dir);
		assert.is(again.code, 0, again.err);
		assert.equal(Object.keys(visibleFiles(out)).sort(), [...seriesOf(again.out), ...Object.keys(mine)].sort());
	}
});

/** Listings of out taken as fast as possible while run is alive; the distinct series (the user's files left out) seen. */
async function listingsDuring(out: string, mine: Record<string, string>, done: Promise<unknown>): Promise<string[]> {
	let over = false;
	void done.then(() => (over = true));
	const seen = new Set<string>();
	while (!over) {
		seen.add(
			fs
				.readdirSync(out, { withFileTypes: true })
				.filter((e) => !e.isDirectory() && !e.name.startsWith('.') && !(e.name in mine))
				.map((e) => e.name)
				.sort()
				.join(' '),
		);
		await new Promise((r) => setImmediate(r));
	}
	return [...seen];
}

for (const perFile of [false, true])
	test(`4: ${perFile ? 'per file' : 'exchange'}: a reader listing the folder throughout a replacement sees ${perFile ? 'partial series (the window the README describes)' : 'only the whole earlier series or the whole new one'}`, async () => {
		const { dir, out, old, mine } = withEarlierSeries(perFile);
		const run = mmapifyAsync(['--json', '-o', 'out', ONE], dir, { MMAPIFY_TEST_SLOW_MOVES: '150' });
		const listings = await listingsDuring(out, mine, run.done);
		const r = await run.done;
		assert.is(r.code, 0, r.err);
		const whole = [Object.keys(old).sort().join(' '), seriesOf(r.out).sort().join(' ')];
		const partial = listings.filter((l) => !whole.includes(l));
		if (perFile) assert.ok(partial.length > 0, 'the per-file transaction showed no partial series: the reader saw nothing');
		else assert.equal(partial, [], 'a reader saw a partial series');
		assert.ok(listings.includes(whole[0]!) && listings.includes(whole[1]!), `the reader did not see both series: ${listings.join(' | ')}`);
	});

for (const sig of ['SIGINT', 'SIGTERM'] as const)
	test(`4: exchange: ${sig} while the new folder is staged leaves the earlier series and no temporary folder`, async () => {
		const { dir, out, old, mine } = withEarlierSeries();
		const run = steppedRun(['-o', 'out', ONE], dir);
		try {
			await until(() => run.steps().includes('exchange'), 60_000, 'the exchange to be next');
			assert.ok(fs.existsSync(nextOf(out)), 'the new folder is not being built beside the output folder');
		} finally {
			run.child.kill(sig);
		}
		const r = await run.done;
		assert.is(r.code, sig === 'SIGINT' ? 130 : 143, `exit ${r.code} ${r.signal}\n${r.err}`);
		assert.equal(visibleFiles(out), { ...old, ...mine });
		noTemporaries(out);
		assert.is(mmapify(['-o', 'out', ONE], dir).code, 0, 'the folder is not left locked');
	});

test('4: exchange: a file of the user\'s created or replaced during the run is kept, whether before or after the exchange', async () => {
	const { dir, out, mine } = withEarlierSeries();
	const run = steppedRun(['--json', '-o', 'out', ONE], dir);
	try {
		// before the exchange: a new file, and notes.txt replaced by a rename (an editor's save)
		await until(() => run.steps().includes('exchange'), 60_000, 'the exchange to be next');
		fs.writeFileSync(path.join(out, 'before.txt'), 'made before the exchange\n');
		fs.writeFileSync(path.join(out, '.notes.txt.swp'), 'saved\n');
		fs.renameSync(path.join(out, '.notes.txt.swp'), path.join(out, 'notes.txt'));
		// after it: a file written into the old folder (by a program whose working folder it was)
		await until(() => run.steps().includes('settle'), 60_000, 'the old folder to be settled');
		fs.writeFileSync(path.join(nextOf(out), 'after.txt'), 'made in the old folder\n');
	} catch (e) {
		run.child.kill('SIGKILL');
		throw e;
	}
	const r = await run.done;
	assert.is(r.code, 0, r.err);
	assert.is(run.how(), 'exchange');
	const now = visibleFiles(out);
	assert.equal(
		Object.keys(now).sort(),
		[...seriesOf(r.out), ...Object.keys(mine), 'before.txt', 'after.txt'].sort(),
	);
	assert.is(now['notes.txt'], 'saved\n');
	assert.is(now['before.txt'], 'made before the exchange\n');
	assert.is(now['after.txt'], 'made in the old folder\n');
	assert.is(now['0001-mine.patch'], mine['0001-mine.patch']);
	noTemporaries(out);
});

test('4: exchange: a file written into the old folder after the exchange under a new file\'s name is kept there, named, until the user moves it', async () => {
	const { dir, out, mine } = withEarlierSeries();
	const run = steppedRun(['--json', '-o', 'out', ONE], dir);
	let name = '';
	try {
		await until(() => run.steps().includes('settle'), 60_000, 'the old folder to be settled');
		name = Object.keys(exchangeJournal(out)!.new).sort()[0]!;
		fs.writeFileSync(path.join(nextOf(out), name), 'written in the old folder\n');
	} catch (e) {
		run.child.kill('SIGKILL');
		throw e;
	}
	const r = await run.done;
	assert.is(r.code, 2, r.err);
	assert.match(r.err, new RegExp(`the new series is in out, but ${name.replace(/[.]/g, '\\.')}.*kept in \\.out\\.mmapify-next`));
	assert.is(fs.readFileSync(path.join(nextOf(out), name), 'utf8'), 'written in the old folder\n');
	const j = exchangeJournal(out)!;
	for (const [f, h] of Object.entries(j.new)) assert.is(sha(fs.readFileSync(path.join(out, f))), h);
	for (const [f, t] of Object.entries(mine)) assert.is(fs.readFileSync(path.join(out, f), 'utf8'), t);
	// the next run refuses until the file is moved, then finishes
	const blocked = mmapify(['-o', 'out', 'include'], dir);
	assert.is(blocked.code, 2, blocked.err);
	fs.renameSync(path.join(nextOf(out), name), path.join(dir, 'rescued.txt'));
	const next = mmapify(['-o', 'out', 'include'], dir);
	assert.is(next.code, 0, next.err);
	assert.match(next.out + next.err, /interrupted/);
	assert.equal(Object.keys(visibleFiles(out)).sort(), [...Object.keys(j.new), ...Object.keys(mine)].sort());
	noTemporaries(out);
});

test('4: exchange: a file that appears under a new file\'s name, or an old file edited, before the exchange stops the run with the earlier series whole', async () => {
	for (const what of ['appears', 'edited'] as const) {
		const { dir, out, old, mine } = withEarlierSeries();
		const run = steppedRun(['--json', '-o', 'out', ONE], dir);
		const dry = mmapify(['--json', '--dry-run', ONE], dir);
		const name = what === 'appears' ? seriesOf(dry.out).find((n) => !(n in old))! : Object.keys(old).sort().at(-1)!;
		const text = what === 'appears' ? 'the user was quicker\n' : old[name] + 'my note\n';
		try {
			await until(() => run.steps().includes('exchange'), 60_000, 'the exchange to be next');
			fs.writeFileSync(path.join(out, name), text);
		} catch (e) {
			run.child.kill('SIGKILL');
			throw e;
		}
		const r = await run.done;
		assert.is(r.code, 2, r.err);
		assert.match(r.err, what === 'appears' ? /appeared while mmapify was writing/ : /was changed while mmapify was replacing it/);
		assert.equal(visibleFiles(out), { ...old, ...mine, [name]: text });
		noTemporaries(out);
	}
});

test('4: exchange: after the exchange the lock still holds, and the folder keeps its mode', async () => {
	const { dir, out, mine } = withEarlierSeries();
	fs.chmodSync(out, 0o750);
	const lockIno = fs.statSync(path.join(out, '.mmapify/lock')).ino;
	const lockedAtPath = () => spawnSync('flock', ['-n', path.join(out, '.mmapify/lock'), 'true']).status === 1;
	const first = steppedRun(['--json', '-o', 'out', ONE], dir);
	try {
		await until(() => first.steps().includes('exchange'), 60_000, 'the exchange to be next');
		assert.ok(lockedAtPath(), 'not locked before the exchange');
		await until(() => first.steps().includes('settle'), 60_000, 'the exchange to be done');
		// the folder at the path is the new one; its lock file is the one the first run locked
		assert.ok(fs.existsSync(path.join(out, '.mmapify/exchange.json')));
		assert.is(fs.statSync(path.join(out, '.mmapify/lock')).ino, lockIno);
		assert.ok(lockedAtPath(), 'the path .mmapify/lock is not locked after the exchange');
	} catch (e) {
		first.child.kill('SIGKILL');
		throw e;
	}
	const r1 = await first.done;
	assert.is(r1.code, 0, r1.err);
	assert.not.ok(lockedAtPath(), 'still locked after the run');
	assert.equal(Object.keys(visibleFiles(out)).sort(), [...seriesOf(r1.out), ...Object.keys(mine)].sort());
	assert.is(fs.statSync(out).mode & 0o7777, 0o750);
	noTemporaries(out);
});

test('4: the exchange is not used where it cannot be: a folder of the user\'s in the folder, no perl, extended attributes', () => {
	const why = (r: { err: string }) => [...r.err.matchAll(/^mmapify: test path: (.*)$/gm)].map((m) => m[1]!);
	const T = { MMAPIFY_TEST_SLOW_MOVES: '1' };
	// a folder of the user's: it cannot be hard-linked into a new folder
	{
		const { dir, out } = withEarlierSeries(true);
		const r = mmapify(['-o', 'out', ONE], dir, T);
		assert.is(r.code, 0, r.err);
		assert.equal(why(r), ['per-file (it holds a folder (drafts))']);
		noTemporaries(out);
	}
	// no perl on PATH (only what mmapify needs otherwise)
	{
		const { dir, out } = withEarlierSeries();
		const bin = path.join(path.dirname(dir), 'bin');
		fs.mkdirSync(bin);
		for (const tool of ['git', 'sh', 'flock', 'stat', 'cat']) {
			const where = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
			fs.symlinkSync(where, path.join(bin, tool));
		}
		const r = mmapify(['-o', 'out', ONE], dir, { ...T, PATH: bin });
		assert.is(r.code, 0, r.err);
		assert.equal(why(r), ['per-file (renameat2 is not available (no perl))']);
		noTemporaries(out);
	}
	// an extended attribute on the folder (a new folder would not have it)
	{
		const { dir, out } = withEarlierSeries();
		const set = spawnSync('python3', ['-c', 'import os,sys; os.setxattr(sys.argv[1], "user.mmapify-test", b"1")', out]);
		if (set.status !== 0) process.stdout.write('\n  skipped the extended-attribute case (python3 cannot set a user xattr here)\n');
		else {
			const r = mmapify(['-o', 'out', ONE], dir, T);
			assert.is(r.code, 0, r.err);
			assert.equal(why(r), ['per-file (it has extended attributes (an ACL or a label) that a new folder would not have)']);
		}
	}
});

test('16: -o names a file, or a dangling symlink: exit 2 with one line, the file untouched', () => {
	const dir = exampleRepo();
	fs.writeFileSync(path.join(dir, 'afile'), 'keep\n');
	fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'dangling'));
	for (const o of ['afile', 'dangling', 'afile/sub']) {
		const r = mmapify(['-o', o, ONE], dir);
		assert.is(r.code, 2, `-o ${o}: ${r.out}${r.err}`);
		assert.ok(oneLine(r.err), r.err);
		assert.match(r.err, new RegExp(o.replace('/', '\\/')));
	}
	assert.is(fs.readFileSync(path.join(dir, 'afile'), 'utf8'), 'keep\n');
	assert.not.ok(fs.existsSync(path.join(dir, 'missing')));
});

test('16: an output folder (or the tree holding it) the user cannot write: exit 2 with one line', () => {
	const dir = exampleRepo();
	fs.chmodSync(path.join(dir, '..'), 0o755);
	fs.mkdirSync(path.join(dir, 'ro'));
	fs.chmodSync(path.join(dir, 'ro'), 0o555);
	spawnChmod(dir, 'a+rX');
	const r = mmapifyUnprivileged(['-o', 'ro', ONE], dir);
	if (!r) return void process.stdout.write('\n  skipped (needs setpriv to run as an unprivileged user)\n');
	assert.is(r.code, 2, r.out + r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /ro\b.*(permission|EACCES)/i);
	// the default output folder inside a tree the user cannot write
	spawnChmod(dir, 'a-w');
	const t = mmapifyUnprivileged([ONE], dir)!;
	assert.is(t.code, 2, t.out + t.err);
	assert.ok(oneLine(t.err), t.err);
	assert.match(t.err, /outgoing.*(permission|EACCES)/i);
});
function spawnChmod(dir: string, mode: string): void {
	spawnSync('chmod', ['-R', mode, dir]);
}

// Root only: mount namespaces with a tmpfs for the output folder.

const EARLIER = `
  mkdir -p "$OUT"
  $M --json -o "$STAGE" ${ALL} > "$STAGE.json"
  cp -a "$STAGE"/. "$OUT"/
  echo mine > "$OUT/notes.txt"
`;

test('2: an output folder on another filesystem (a tmpfs at -o): the earlier series is replaced, not lost', () => {
	if (!needsRoot('2: cross-filesystem output folder')) return;
	const dir = exampleRepo();
	const res = path.join(dir, '..', 'result');
	const r = inMountNamespace(
		`OUT=$PWD/out STAGE=$PWD/../earlier
		 mkdir -p out && mount -t tmpfs -o size=8m tmpfs out
		 ${EARLIER}
		 MMAPIFY_TEST_SLOW_MOVES=1 $M --json -o out ${ONE} > ../new.json
		 cp -a out/. ${res}/`,
		dir,
	);
	assert.is(r.code, 0, r.out + r.err);
	assert.match(r.err, /^mmapify: test path: per-file \(it is a mount point\)$/m);
	const want = seriesOf(fs.readFileSync(path.join(dir, '../new.json'), 'utf8'));
	assert.equal(Object.keys(visibleFiles(res)).sort(), [...want, 'notes.txt'].sort());
	noTemporaries(res);
});

test('2: a bind mount at -o (the same filesystem, so only the system calls can tell): the exchange is refused, nothing is left beside the folder, the series is replaced file by file', () => {
	if (!needsRoot('2: bind-mounted output folder')) return;
	const dir = exampleRepo();
	const res = path.join(dir, '..', 'result');
	const r = inMountNamespace(
		`OUT=$PWD/out STAGE=$PWD/../earlier
		 mkdir -p out && mount --bind out out
		 ${EARLIER}
		 MMAPIFY_TEST_SLOW_MOVES=1 $M --json -o out ${ONE} > ../new.json
		 ls -A > ../beside
		 cp -a out/. ${res}/`,
		dir,
	);
	assert.is(r.code, 0, r.out + r.err);
	assert.match(r.err, /^mmapify: test path: exchange$/m);
	// link() across the mount fails first (renameat2 would too)
	assert.match(r.err, /^mmapify: test path: per-file \(.*\(EXDEV\)\)$/m);
	const want = seriesOf(fs.readFileSync(path.join(dir, '../new.json'), 'utf8'));
	assert.equal(Object.keys(visibleFiles(res)).sort(), [...want, 'notes.txt'].sort());
	assert.not.match(fs.readFileSync(path.join(dir, '../beside'), 'utf8'), /mmapify/);
	noTemporaries(res);
});

/**
 * A tmpfs of size at -o holding an earlier series, broken by breakIt (a
 * shell line), then a run of mmapify on paths: its exit status and stderr,
 * and the folder before and after the run.
 */
function onBrokenTmpfs(size: string, breakIt: string, paths: string, mend = '') {
	const dir = exampleRepo();
	const res = path.join(dir, '..', 'result');
	const r = inMountNamespace(
		`OUT=$PWD/out STAGE=$PWD/../earlier
		 mkdir -p out && mount -t tmpfs -o size=${size} tmpfs out
		 ${EARLIER}
		 cp -a out/. ../before/
		 ${breakIt}
		 set +e; $M -o out ${paths} > ../run.out 2> ../run.err; echo $? > ../run.rc; set -e
		 ${mend}
		 cp -a out/. ${res}/`,
		dir,
	);
	assert.is(r.code, 0, r.out + r.err);
	const rel = (f: string) => fs.readFileSync(path.join(dir, '..', f), 'utf8');
	return { rc: rel('run.rc').trim(), err: rel('run.err'), before: visibleFiles(path.join(dir, '../before')), after: visibleFiles(res), res };
}

test('16: a full output filesystem (ENOSPC): exit 2 with one line, the earlier series intact, nothing temporary left', () => {
	if (!needsRoot('16: ENOSPC')) return;
	// the rest of the tmpfs filled up; the filler goes before the folder is looked at
	const r = onBrokenTmpfs('256k', 'dd if=/dev/zero of=out/filler bs=4k 2>/dev/null || true', ALL, 'rm out/filler');
	assert.is(r.rc, '2', r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /ENOSPC|no space/i);
	assert.equal(r.after, r.before);
	noTemporaries(r.res);
});

test('16: a read-only output filesystem (EROFS): exit 2 with one line naming it, the earlier series intact', () => {
	if (!needsRoot('16: EROFS')) return;
	const r = onBrokenTmpfs('8m', 'mount -o remount,ro out', ONE);
	assert.is(r.rc, '2', r.err);
	assert.ok(oneLine(r.err), r.err);
	assert.match(r.err, /read-only|EROFS/i);
	assert.equal(r.after, r.before);
});

test.after(cleanup);
test.run();
