// Entry of a pool worker (src/workers.ts): answers tasks on its port and bumps
// the shared signal so that a blocked caller wakes up.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { initParser } from './parser.js';
import { needsParser, runTask, transferables, type Task } from './worker-tasks.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

let ready: Promise<unknown> | undefined;

port.on('message', async ({ id, task }: { id: number; task: Task }) => {
	try {
		if (needsParser(task)) await (ready ??= initParser());
		const result = runTask(task);
		port.postMessage({ id, result }, transferables(result));
	} catch (e) {
		port.postMessage({ id, error: (e as Error)?.stack ?? String(e) });
	}
	Atomics.add(signal, 0, 1);
	Atomics.notify(signal, 0);
});
