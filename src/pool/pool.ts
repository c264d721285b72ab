// A pool of worker threads that the synchronous code of mmapify can use: the
// caller blocks (Atomics.wait) while the workers read, grep or parse files, and
// takes their answers with receiveMessageOnPort(), so buildIndex(),
// mmapCorpus() and friends keep their synchronous signatures.
//
// Each worker has its own tree-sitter parser (wasm instance), created on its
// first parse task. Tasks are handed out one at a time per worker, so a slow
// file does not hold up the others. With one core (or MMAPIFY_WORKERS=0) the
// tasks run inline on the calling thread.
//
// The pool knows no task: a task is serializable data with a `kind`; the
// workers run src/worker.ts, the one table from kind to function, and a caller
// that may run inline passes the same function itself.
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** A pool task: serializable data that src/worker.ts dispatches on by kind. */
export interface Task {
	kind: string;
}
/** What a task answers (serializable; ArrayBuffers in it may be transferred). */
export type TaskResult = unknown;

/** How many workers to use: MMAPIFY_WORKERS, or one per core (none on a single core). */
export function workerCount(): number {
	const env = process.env.MMAPIFY_WORKERS;
	if (env !== undefined && /^\d+$/.test(env)) return Number(env);
	const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
	return cores > 1 ? cores : 0;
}

interface Slot {
	worker: Worker;
	port: MessagePort;
	/** index of the task it runs, or -1 */
	task: number;
}

interface Reply {
	id: number;
	result?: TaskResult;
	error?: string;
	/** a note sent while a task runs (id NOTE): something the caller may start on at once */
	note?: string;
}

/** The id of a note: not an answer, the task goes on. */
export const NOTE = -2;

class Pool {
	readonly slots: Slot[] = [];
	private readonly signal = new Int32Array(new SharedArrayBuffer(4));
	/** a task or a worker failed: the pool is not used again */
	broken = false;

	constructor(n: number) {
		const self = new URL(import.meta.url);
		const ts = self.pathname.endsWith('.ts');
		const entry = new URL(ts ? '../worker.ts' : '../worker.js', self).href;
		// Under the test runner the sources are TypeScript: tsx loads them in the worker too.
		const tsx = ts ? pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href : '';
		// A failure to load the worker's module is answered like a failed task, so a blocked caller hears of it.
		const boot = `const { workerData } = require('node:worker_threads');
(async () => {
	if (${JSON.stringify(tsx)}) (await import(${JSON.stringify(tsx)})).register();
	await import(${JSON.stringify(entry)});
})().catch((e) => {
	workerData.port.postMessage({ id: -1, error: String(e && e.stack || e) });
	Atomics.add(workerData.signal, 0, 1);
	Atomics.notify(workerData.signal, 0);
});`;
		for (let i = 0; i < n; i++) {
			const { port1, port2 } = new MessageChannel();
			const worker = new Worker(boot, { eval: true, workerData: { port: port2, signal: this.signal }, transferList: [port2] });
			worker.unref();
			port1.unref();
			this.slots.push({ worker, port: port1, task: -1 });
		}
	}

	/** a job started in the background (start()), whose answers are not all taken yet */
	private pending: Job | undefined;

	/**
	 * Hand all tasks out now (round robin: the workers go on while the caller
	 * does other things) and return a job whose answers wait() takes later.
	 */
	start(tasks: Task[]): Job {
		this.finishPending();
		const job = new Job(this, tasks.length);
		tasks.forEach((task, i) => this.slots[i % this.slots.length]!.port.postMessage({ id: i, task }));
		this.pending = job;
		return job;
	}

	/** Take every answer of the background job (kept for its wait()), so the ports are free. */
	finishPending(): void {
		const job = this.pending;
		this.pending = undefined;
		job?.collect();
	}

	/** Wait for one round of answers; false when there was none. */
	pump(each: (reply: Reply) => void): boolean {
		const seen = Atomics.load(this.signal, 0);
		let got = false;
		for (const s of this.slots)
			for (let m = receiveMessageOnPort(s.port); m; m = receiveMessageOnPort(s.port)) {
				got = true;
				each(m.message as Reply);
			}
		if (!got) Atomics.wait(this.signal, 0, seen);
		return got;
	}

	fail(reply: Reply): never {
		this.broken = true;
		throw new Error(`worker: ${reply.error}`);
	}

	/** Run every task; onResult sees each answer as it arrives (in completion order). */
	run(tasks: Task[], onResult: (r: TaskResult, i: number) => void): void {
		this.finishPending();
		let next = 0;
		let done = 0;
		const give = (s: Slot) => {
			if (next >= tasks.length) return;
			s.task = next;
			s.port.postMessage({ id: next, task: tasks[next] });
			next++;
		};
		for (const s of this.slots) give(s);
		while (done < tasks.length) {
			const seen = Atomics.load(this.signal, 0);
			let got = false;
			for (const s of this.slots) {
				for (let m = receiveMessageOnPort(s.port); m; m = receiveMessageOnPort(s.port)) {
					const reply = m.message as Reply;
					got = true;
					if (reply.id === NOTE) continue;
					done++;
					s.task = -1;
					if (reply.error !== undefined) {
						if (reply.id >= 0) this.drain();
						this.broken = true;
						throw new Error(`worker: ${reply.error}`);
					}
					give(s);
					onResult(reply.result!, reply.id);
				}
			}
			if (!got && done < tasks.length) Atomics.wait(this.signal, 0, seen);
		}
	}

	/** After a failure: wait for the tasks still running so the next run starts clean. */
	private drain(): void {
		for (const s of this.slots) {
			while (s.task >= 0 && !this.broken) {
				const seen = Atomics.load(this.signal, 0);
				const m = receiveMessageOnPort(s.port);
				if (m && (m.message as Reply).id !== NOTE) s.task = -1;
				else Atomics.wait(this.signal, 0, seen, 1000);
			}
		}
	}

	forget(job: Job): void {
		if (this.pending === job) this.pending = undefined;
	}

	close(): Promise<unknown> {
		return Promise.all(this.slots.map((s) => s.worker.terminate()));
	}
}

/** Tasks handed out by Pool.start(). */
class Job {
	private readonly results: Array<[TaskResult, number]> = [];
	private readonly notes: string[] = [];
	private done = 0;
	constructor(
		private readonly pool: Pool,
		private readonly total: number,
	) {}
	private take = (reply: Reply) => {
		if (reply.error !== undefined) this.pool.fail(reply);
		if (reply.id === NOTE) {
			this.notes.push(reply.note!);
			return;
		}
		this.done++;
		this.results.push([reply.result!, reply.id]);
	};
	/** Take the answers into the job's buffer until all are in. */
	collect(): void {
		while (this.done < this.total) this.pool.pump(this.take);
	}
	/** Every answer and note, as they come; blocks until all answers are in. */
	wait(onResult: (r: TaskResult, i: number) => void, onNote?: (note: string) => void): void {
		let given = 0;
		let noted = 0;
		for (;;) {
			while (noted < this.notes.length) onNote?.(this.notes[noted++]!);
			while (given < this.results.length) {
				const [r, i] = this.results[given++]!;
				onResult(r, i);
			}
			if (this.done >= this.total && noted >= this.notes.length) break;
			if (this.done < this.total) this.pool.pump(this.take);
		}
		this.pool.forget(this);
	}
}

let pool: Pool | undefined;

/**
 * Run tasks across the pool (inline when it has no workers, there is only
 * one task, or the caller says the work is too small to be worth starting
 * workers for), calling onResult for each answer. Blocks until all are done.
 */
export function runTasks<T extends Task, R>(tasks: T[], inline: (t: T) => R, onResult: (r: R, i: number) => void, opts: { inline?: boolean } = {}): void {
	const n = opts.inline ? 0 : Math.min(workerCount(), tasks.length);
	if (n <= 1) {
		tasks.forEach((t, i) => onResult(inline(t), i));
		return;
	}
	if (!pool || pool.broken || pool.slots.length < n) {
		void pool?.close();
		pool = new Pool(n);
	}
	pool.run(tasks, onResult as (r: TaskResult, i: number) => void);
}

/** Work handed to the pool now, whose answers are taken later (the calling thread goes on meanwhile). */
export interface Started<R = TaskResult> {
	/** onNote: what the tasks announce while they run (see NOTE) */
	wait(onResult: (r: R, i: number) => void, onNote?: (note: string) => void): void;
}

/**
 * Start tasks in the background (inline: they run at wait()). Another
 * runTasks() or startTasks() meanwhile first takes this job's answers.
 */
export function startTasks<T extends Task, R>(tasks: T[], inline: (t: T) => R, opts: { inline?: boolean } = {}): Started<R> {
	const n = opts.inline ? 0 : Math.min(workerCount(), tasks.length);
	if (n <= 1) return { wait: (onResult) => tasks.forEach((t, i) => onResult(inline(t), i)) };
	if (!pool || pool.broken || pool.slots.length < n) {
		void pool?.close();
		pool = new Pool(n);
	}
	return pool.start(tasks) as Started<R>;
}

/** Stop the workers (they are unref'd, so a process exits without this too). */
export async function closeWorkers(): Promise<void> {
	const p = pool;
	pool = undefined;
	await p?.close();
}

/** Split files into chunks of about `bytes` each (by a size estimate) for the pool. */
export function chunk<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
