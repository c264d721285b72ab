// The scan's first phase: one pass over the tree in the worker pool, headers
// first, then the .c files with the names of the macros the headers define to
// wire hooks. Every file is read once; the ones that mention "mmap" become the
// run's corpus; the index candidates are parsed (each once) into their
// FileScan. Meanwhile this thread finds the direct fops callers the plan needs.
import { analyzeEntries, setCorpus } from '../corpus/corpus.js';
import { chunk, runTasks } from '../pool/pool.js';
import { fopsCallersAnalysis, type DirectCaller } from '../find/fops-callers.js';
import { scanFileTask, type CorpusEntry, type FileScan, type ScanTask } from './file.js';
import { collectDefines, wiringMacros, type MacroDef } from './macros.js';
import type { ScanOptions } from './report.js';

/** Files per pool task. */
export const FILES_PER_TASK = 200;

/** What the pass read, parsed and found. */
export interface ReadPass {
	corpus: CorpusEntry[];
	/** .c files that mention a wiring macro's name without mentioning "mmap" */
	macroFiles: CorpusEntry[];
	scans: Map<string, FileScan>;
	unreadable: string[];
	tooLarge: string[];
	read: number;
	bytes: number;
	parsedBytes: number;
	workerMs: { read: number; parse: number; analyze: number };
	/** the headers' macro definitions (the corpus starts with those headers) */
	headerDefs: MacroDef[];
	headersInCorpus: number;
	/** read and parsed on this thread */
	inline: boolean;
}

/** The text of a corpus entry. */
export const entryText = (e: CorpusEntry) => Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength).toString('latin1');

/** Reads and parses `all` (the tree's files) and installs the run's corpus. */
export function readPass(opts: ScanOptions, all: string[]): ReadPass {
	const { root, targets } = opts;
	const progress = opts.progress;
	const corpus: CorpusEntry[] = [];
	const macroFiles: CorpusEntry[] = [];
	const scans = new Map<string, FileScan>();
	const unreadable: string[] = [];
	const tooLarge: string[] = [];
	const unreadableFiles: Array<[string, string]> = [];
	const fopsCallers = new Map<string, DirectCaller[]>();
	let read = 0;
	let bytes = 0;
	let parsedBytes = 0;
	const workerMs = { read: 0, parse: 0, analyze: 0 };
	const headers = all.filter((f) => f.endsWith('.h'));
	const sources = all.filter((f) => !f.endsWith('.h'));
	progress?.start('mmapify scan: reading and parsing', all.length);
	const inline = opts.inline ?? (opts.workers === 0 || all.length < 3000);
	const pass = (files: string[], macroNames: string[]) => {
		// Spread the big folders: consecutive files of a folder are alike in size.
		const tasks: ScanTask[] = chunk(files, opts.filesPerTask ?? FILES_PER_TASK).map((fs) => ({ kind: 'scan', root, files: fs, targets, macroNames, fullParse: opts.fullParse, hookFields: opts.plan !== false }));
		runTasks(tasks, scanFileTask, (sr) => {
			read += sr.files;
			bytes += sr.bytes;
			parsedBytes += sr.parsed;
			workerMs.read += sr.ms.read;
			workerMs.parse += sr.ms.parse;
			workerMs.analyze += sr.ms.analyze;
			corpus.push(...sr.corpus);
			macroFiles.push(...sr.macroFiles);
			unreadable.push(...sr.unreadable);
			tooLarge.push(...sr.tooLarge);
			unreadableFiles.push(...sr.unreadableFiles);
			for (const s of sr.scanned) scans.set(s.index.file, s);
			// This thread would only wait for the workers: it finds the direct fops callers (the plan's) meanwhile.
			if (opts.plan !== false) analyzeEntries(root, sr.corpus, fopsCallersAnalysis, fopsCallers);
			progress?.update(read);
		}, { inline });
	};
	pass(headers, []);
	const headerDefs: MacroDef[] = [];
	for (const e of corpus) headerDefs.push(...collectDefines(e.file, entryText(e)));
	const headersInCorpus = corpus.length;
	const headerMacros = wiringMacros(headerDefs);
	pass(sources, [...headerMacros.keys()]);
	progress?.end();

	setCorpus(root, all, corpus, bytes, opts.plan !== false ? new Map([[fopsCallersAnalysis.name, fopsCallers]]) : undefined, unreadableFiles);
	return { corpus, macroFiles, scans, unreadable, tooLarge, read, bytes, parsedBytes, workerMs, headerDefs, headersInCorpus, inline };
}
