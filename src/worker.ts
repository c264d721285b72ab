// Entry of a pool worker (src/workers.ts): answers tasks on its port and bumps
// the shared signal so that a blocked caller wakes up.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { initParser } from './c/parser.js';
import { NOTE } from './pool/pool.js';
import { findFopsCallersIn, needsParser, runTask, transferables, type ReadResult, type Task } from './corpus/tasks.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

// The grammar compiles while the first tasks read files.
const ready = initParser();

port.on('message', async ({ id, task }: { id: number; task: Task }) => {
	try {
		let result;
		if (task.kind === 'read' && task.fopsCallers === true) {
			// Read first, parse after: only the parsing waits for the grammar.
			result = runTask({ ...task, fopsCallers: false }) as ReadResult;
			await ready;
			result.fopsCallers = findFopsCallersIn(task.root, result.hits);
		} else {
			if (needsParser(task)) await ready;
			result = runTask(task, {
				announce(file) {
					port.postMessage({ id: NOTE, note: file });
					Atomics.add(signal, 0, 1);
					Atomics.notify(signal, 0);
				},
			});
		}
		port.postMessage({ id, result }, transferables(result));
	} catch (e) {
		port.postMessage({ id, error: (e as Error)?.stack ?? String(e) });
	}
	Atomics.add(signal, 0, 1);
	Atomics.notify(signal, 0);
});
