// Test helpers: a throw-away kernel-shaped tree (the example tree's headers plus
// the files a test provides) and a one-call run of index + plan over it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initParser } from '../../src/c/parser.js';
import { buildIndex } from '../../src/find/build-index.js';
import { planConversions, type Plan, type PlanOptions } from '../../src/plan/plan.js';
import { detectApi, listSourceFiles } from '../../src/kernel/tree.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const exampleTree = path.join(repoRoot, 'examples/linux');

const KERNEL_SKELETON = ['Makefile', 'Kconfig', 'include/linux/fs.h', 'include/linux/mm.h', 'include/linux/mm_types.h'];

/** A temporary tree with the example headers and the given files (path -> text). */
export function makeTree(files: Record<string, string>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-test-'));
	for (const f of KERNEL_SKELETON) {
		fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
		fs.copyFileSync(path.join(exampleTree, f), path.join(dir, f));
	}
	for (const [f, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
		fs.writeFileSync(path.join(dir, f), text);
	}
	return dir;
}

export async function planTree(root: string, targets: string[], options: PlanOptions = {}): Promise<Plan> {
	await initParser();
	const files = listSourceFiles(root, targets);
	return planConversions(buildIndex(root, files), files, detectApi(root), {}, options);
}

/** The converted text of each changed file. */
export function afterTexts(plan: Plan): Record<string, string> {
	const out: Record<string, string> = {};
	for (const p of plan.patches) for (const c of p.changes) out[c.path] = c.after;
	return out;
}

/** dir made a git repository holding a copy of tree (default: the example tree), committed as "base". */
export function gitCopy(dir: string, tree = exampleTree): string {
	fs.cpSync(tree, dir, { recursive: true });
	const git = (...a: string[]) => {
		const r = spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...a], { cwd: dir, encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
	};
	git('init', '-q');
	git('add', '-A');
	git('commit', '-qm', 'base');
	return dir;
}
