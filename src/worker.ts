// Entry of a pool worker (src/pool/pool.ts) and the one table from task kind
// to function: a worker answers tasks on its port and bumps the shared signal
// so that a blocked caller wakes up. Callers that run a task inline call the
// same function themselves; the pool knows no task.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { initParser } from './c/parser.js';
import { NOTE } from './pool/pool.js';
import { readTask, grepTask, analyzeHits, type ReadAnalysis, type ReadResult, type ReadTask, type GrepTask } from './corpus/tasks.js';
import { indexTask, type IndexTask } from './find/index-task.js';
import { chainsTask, type ChainsTask } from './find/chains.js';
import { fopsCallersAnalysis } from './find/fops-callers.js';
import { scanFileTask, type ScanTask, type ScanResult } from './scan/file.js';

type Task = ReadTask | GrepTask | IndexTask | ScanTask | ChainsTask;

/** The read-analyses a read task may name. */
const ANALYSES: Record<string, ReadAnalysis> = { [fopsCallersAnalysis.name]: fopsCallersAnalysis };

interface Entry<T> {
	run(t: T, hooks: { announce(file: string): void }): unknown;
	/** does the task parse C (and so wait for the grammar)? */
	parses(t: T): boolean;
	/** ArrayBuffers of the answer that can be moved rather than copied */
	transfer?(r: unknown): ArrayBuffer[];
}

const TASKS: { [K in Task['kind']]: Entry<Extract<Task, { kind: K }>> } = {
	read: {
		run: (t, hooks) => readTask(t, { analysis: t.analysis && ANALYSES[t.analysis.name], announce: hooks.announce }),
		parses: (t) => t.analysis?.mode === 'parse',
		transfer: (r) => buffers((r as ReadResult).hits.map((h) => h.data)),
	},
	grep: { run: grepTask, parses: () => false },
	index: { run: indexTask, parses: () => true },
	scan: { run: scanFileTask, parses: () => true, transfer: (r) => buffers([...(r as ScanResult).corpus, ...(r as ScanResult).macroFiles].map((h) => h.data)) },
	chains: { run: chainsTask, parses: () => true },
};

function buffers(data: Uint8Array[]): ArrayBuffer[] {
	const out: ArrayBuffer[] = [];
	for (const d of data)
		if (d.byteOffset === 0 && d.buffer.byteLength === d.byteLength && d.buffer instanceof ArrayBuffer && !out.includes(d.buffer)) out.push(d.buffer);
	return out;
}

if (workerData?.port) {
	const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

	// The grammar compiles while the first tasks read files.
	const ready = initParser();
	const wake = () => {
		Atomics.add(signal, 0, 1);
		Atomics.notify(signal, 0);
	};

	port.on('message', async ({ id, task }: { id: number; task: Task }) => {
		try {
			let result;
			const entry = TASKS[task.kind] as Entry<Task>;
			if (task.kind === 'read' && task.analysis?.mode === 'parse') {
				// Read first, parse after: only the parsing waits for the grammar.
				const r = readTask({ ...task, analysis: undefined });
				await ready;
				const a = ANALYSES[task.analysis.name];
				if (a) r.analyzed = analyzeHits(task.root, r.hits, a);
				result = r;
			} else {
				if (entry.parses(task)) await ready;
				result = entry.run(task, {
					announce(file) {
						port.postMessage({ id: NOTE, note: file });
						wake();
					},
				});
			}
			port.postMessage({ id, result }, entry.transfer?.(result) ?? []);
		} catch (e) {
			port.postMessage({ id, error: (e as Error)?.stack ?? String(e) });
		}
		wake();
	});
}
