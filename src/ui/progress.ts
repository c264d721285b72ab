// Progress of long steps (a tree scan, the builds of --verify) on one status
// line of stderr, redrawn in place. Shown only when stderr is a terminal and
// the output is not --json (NO_PROGRESS=1 turns it off too); otherwise every
// call is a no-op, so callers never check.
//
// The scan is synchronous (buildIndex blocks the event loop), so a timer on
// the main thread could not redraw it. The status line is therefore drawn by
// a small worker thread that reads the step from shared memory and writes to
// fd 2 itself: the elapsed time keeps counting while the main thread is busy,
// and update() is only a few stores, cheap enough for a loop over 90,000
// files. A lock in the shared memory keeps the worker's redraws and the main
// thread's own lines (end(), log()) from interleaving.
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface Progress {
	/** Start a step; with total, update() counts towards it. */
	start(label: string, total?: number): void;
	/** Done count (of total) and what is being worked on. */
	update(done: number, detail?: string): void;
	/** End the current step; msg, when given, stays on the screen. */
	end(msg?: string): void;
	/** A line that stays; the status line is redrawn below it. */
	log(line: string): void;
	readonly enabled: boolean;
}

export const noProgress: Progress = {
	start() {},
	update() {},
	end() {},
	log() {},
	enabled: false,
};

/** The status line: "label 3/10 detail (12s)", cut to width. */
export function statusLine(s: { label: string; done: number; total?: number; detail?: string; seconds: number }, width = 80): string {
	const count = s.total !== undefined ? ` ${s.done}/${s.total}` : '';
	const text = `${s.label}${count}${s.detail ? ` ${s.detail}` : ''} (${s.seconds}s)`;
	const w = Math.max(20, width - 1);
	return text.length > w ? text.slice(0, w - 1) + '…' : text;
}

interface Sink {
	isTTY?: boolean;
	columns?: number;
	write(s: string): unknown;
}

export interface ProgressOptions {
	/** --json: no progress */
	json?: boolean;
	/** where to draw (default process.stderr); a custom sink is drawn from the main thread */
	stream?: Sink;
	/** draw even when the sink is not a TTY (tests) */
	force?: boolean;
	/** redraw interval in ms (default 250) */
	intervalMs?: number;
}

/** Progress on stderr when it is a TTY and json is off; a no-op otherwise. */
export function createProgress(opts: ProgressOptions = {}): Progress {
	const stream = opts.stream ?? process.stderr;
	const enabled = opts.force ?? (stream.isTTY === true && !opts.json && !process.env.NO_PROGRESS);
	if (!enabled) return noProgress;
	if (opts.stream) return inlineProgress(stream, opts.intervalMs ?? 250);
	try {
		return workerProgress(opts.intervalMs ?? 250);
	} catch {
		return inlineProgress(stream, opts.intervalMs ?? 250);
	}
}

/** Drawn by a timer on the main thread: fine for async steps, and for tests. */
function inlineProgress(stream: Sink, interval: number): Progress {
	let label = '';
	let total: number | undefined;
	let done = 0;
	let detail = '';
	let t0 = 0;
	let shown = false;
	let timer: ReturnType<typeof setInterval> | undefined;
	const draw = () => {
		if (!label) return;
		stream.write(`\r\x1b[2K${statusLine({ label, done, total, detail, seconds: Math.floor((Date.now() - t0) / 1000) }, stream.columns ?? 80)}`);
		shown = true;
	};
	const clear = () => {
		if (shown) stream.write('\r\x1b[2K');
		shown = false;
	};
	const stop = () => {
		if (timer) clearInterval(timer);
		timer = undefined;
	};
	return {
		enabled: true,
		start(l, t) {
			stop();
			[label, total, done, detail, t0] = [l, t, 0, '', Date.now()];
			draw();
			timer = setInterval(draw, interval);
			timer.unref?.();
		},
		update(d, det) {
			done = d;
			if (det !== undefined) detail = det;
		},
		end(msg) {
			stop();
			clear();
			label = '';
			if (msg) stream.write(msg + '\n');
		},
		log(l) {
			clear();
			stream.write(l + '\n');
			draw();
		},
	};
}

// Shared state: Int32 [lock, active, done, total (-1: none), generation,
// columns, labelBytes], Float64 start time, then the label text (UTF-8).
const I_LOCK = 0;
const I_ACTIVE = 1;
const I_DONE = 2;
const I_TOTAL = 3;
const I_GEN = 4;
const I_COLS = 5;
const I_LEN = 6;
const TEXT_BYTES = 1024;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ints = new Int32Array(workerData.buf, 0, 8);
const start = new Float64Array(workerData.buf, 32, 1);
const text = new Uint8Array(workerData.buf, 40, ${TEXT_BYTES});
// statusLine(), in plain JavaScript (the worker runs this source as is)
function statusLine(s, width) {
	const count = s.total !== undefined ? ' ' + s.done + '/' + s.total : '';
	const text = s.label + count + (s.detail ? ' ' + s.detail : '') + ' (' + s.seconds + 's)';
	const w = Math.max(20, width - 1);
	return text.length > w ? text.slice(0, w - 1) + '\u2026' : text;
}
setInterval(() => {
	if (Atomics.compareExchange(ints, ${I_LOCK}, 0, 1) !== 0) return;
	try {
		if (!Atomics.load(ints, ${I_ACTIVE})) return;
		const raw = Buffer.from(text.slice(0, Atomics.load(ints, ${I_LEN}))).toString('utf8');
		const [label, detail] = raw.split('\\0');
		const total = Atomics.load(ints, ${I_TOTAL});
		const line = statusLine({ label, detail, done: Atomics.load(ints, ${I_DONE}), total: total < 0 ? undefined : total,
			seconds: Math.floor((Date.now() - start[0]) / 1000) }, Atomics.load(ints, ${I_COLS}) || 80);
		fs.writeSync(2, '\\r\\x1b[2K' + line);
	} catch {
	} finally {
		Atomics.store(ints, ${I_LOCK}, 0);
	}
}, workerData.interval);
`;

/** Drawn by a worker thread: keeps counting while the main thread is blocked. */
function workerProgress(interval: number): Progress {
	const buf = new SharedArrayBuffer(40 + TEXT_BYTES);
	const ints = new Int32Array(buf, 0, 8);
	const start = new Float64Array(buf, 32, 1);
	const text = new Uint8Array(buf, 40, TEXT_BYTES);
	let worker: Worker | undefined;
	let label = '';
	let shown = false;
	const lock = () => {
		while (Atomics.compareExchange(ints, I_LOCK, 0, 1) !== 0) Atomics.wait(ints, I_LOCK, 1, 5);
	};
	const unlock = () => Atomics.store(ints, I_LOCK, 0);
	const setText = (detail: string) => {
		const bytes = Buffer.from(`${label}\0${detail}`, 'utf8').subarray(0, TEXT_BYTES);
		lock();
		text.set(bytes);
		Atomics.store(ints, I_LEN, bytes.length);
		unlock();
	};
	const write = (s: string) => fs.writeSync(2, s);
	return {
		enabled: true,
		start(l, total) {
			if (!worker) {
				worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { buf, interval } });
				worker.unref();
			}
			label = l;
			setText('');
			lock();
			start[0] = Date.now();
			Atomics.store(ints, I_DONE, 0);
			Atomics.store(ints, I_TOTAL, total ?? -1);
			Atomics.store(ints, I_COLS, process.stderr.columns || 80);
			Atomics.store(ints, I_ACTIVE, 1);
			Atomics.add(ints, I_GEN, 1);
			write(`\r\x1b[2K${statusLine({ label, done: 0, total, seconds: 0 }, process.stderr.columns || 80)}`);
			shown = true;
			unlock();
		},
		update(done, detail) {
			Atomics.store(ints, I_DONE, done);
			if (detail !== undefined) setText(detail);
		},
		end(msg) {
			lock();
			Atomics.store(ints, I_ACTIVE, 0);
			if (shown) write('\r\x1b[2K');
			shown = false;
			if (msg) write(msg + '\n');
			unlock();
		},
		log(l) {
			lock();
			write(`\r\x1b[2K${l}\n`);
			unlock();
		},
	};
}
