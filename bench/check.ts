// `npm run bench:check`: what the equivalence checker costs on the real Linux
// 7.3 tree. Plans the whole-tree conversion in this process (as
// `mmapify --dry-run .` does) and prints the plan's time, the checker's share
// of it and its verdicts. A script, not a test.
//
//   npm run bench:check [-- TREE]
import * as os from 'node:os';
import { initParser } from '../src/c/parser.js';
import { buildIndex } from '../src/find/build-index.js';
import { planConversions } from '../src/plan/plan.js';
import { detectApi, listSourceFiles } from '../src/kernel/tree.js';

async function main(): Promise<void> {
	const tree = process.argv[2] ?? process.env.MMAPIFY_KERNEL_TREE ?? '.';
	await initParser();
	const t0 = performance.now();
	const files = listSourceFiles(tree, ['.']);
	const index = buildIndex(tree, files);
	const t1 = performance.now();
	const plan = planConversions(index, files, detectApi(tree));
	const t2 = performance.now();
	const e = plan.equivalence;
	const converted = plan.hooks.filter((h) => h.status === 'converted').length;
	process.stdout.write(
		[
			`tree: ${tree} (${os.availableParallelism?.() ?? os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`,
			`index: ${((t1 - t0) / 1000).toFixed(2)} s, plan: ${((t2 - t1) / 1000).toFixed(2)} s`,
			`equivalence checker: ${e.checks} checks (${e.proven} proven, ${e.refused} refused) in ${(e.ms / 1000).toFixed(2)} s, ${(e.ms / Math.max(e.checks, 1)).toFixed(1)} ms each, ${((100 * e.ms) / (t2 - t0)).toFixed(1)}% of index + plan`,
			`hooks converted: ${converted}`,
		].join('\n') + '\n',
	);
}

main().then(
	() => process.exit(0),
	(err) => {
		process.stderr.write(`bench:check: ${err?.stack ?? err}\n`);
		process.exit(1);
	},
);
