// The index's pool task (dispatched by src/worker.ts, also run inline): index
// files like addFile() does, with the hook fields of their one parse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withTree } from '../c/parser.js';
import { indexTree, mayHoldHooks, type FileIndex } from './sites.js';
import { hookFieldsOnParse } from './chain-keys.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface IndexTask {
	kind: 'index';
	root: string;
	files: string[];
}
export interface IndexResult {
	kind: 'index';
	indexed: FileIndex[];
	unreadable: string[];
}

export function indexTask(t: IndexTask): IndexResult {
	const indexed: FileIndex[] = [];
	const unreadable: string[] = [];
	for (const file of t.files) {
		let src: string;
		try {
			src = utf8.decode(fs.readFileSync(path.join(t.root, file)));
		} catch {
			unreadable.push(file);
			continue;
		}
		indexed.push(
			mayHoldHooks(src)
				? withTree(src, (root) => {
						const fi = indexTree(file, src, root).fi;
						const keys = hookFieldsOnParse(t.root, src, root, fi, false);
						if (keys) fi.hookFields = keys;
						return fi;
					})
				: { file, sites: [], functions: [], parseErrors: 0 },
		);
	}
	return { kind: 'index', indexed, unreadable };
}
