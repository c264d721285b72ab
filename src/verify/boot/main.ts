// The boot check on its own, for tests and for a series already written:
//
//   node dist/src/verify/boot/main.js --tree T --series DIR --report R.json [--base REV]
//        [--scratch DIR] [--jobs N] [--ccache DIR] [--accel tcg|kvm] [--json]
//
// R.json is mmapify's --json report of that series (it names the converted
// hooks); DIR holds its NNNN-*.patch files (the cover letter is skipped).
// Exit 0: every probe equal and no new kernel report; 1: a difference or a
// failure; 2: bad arguments. MMAPIFY_TEST_FAULT=boot-... (test only, see
// test-fault.ts) corrupts the series first and says so on stderr.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { bootVerify } from './boot.js';
import { convertedHooks, seriesFromDir, type ReportHook } from './inputs.js';
import { formatBootReport } from './report.js';
import { injectBootFault, isBootFault } from './test-fault.js';

async function main(): Promise<number> {
	const { values: a } = parseArgs({
		options: {
			tree: { type: 'string' },
			series: { type: 'string' },
			report: { type: 'string' },
			base: { type: 'string' },
			scratch: { type: 'string' },
			jobs: { type: 'string' },
			ccache: { type: 'string' },
			accel: { type: 'string' },
			json: { type: 'boolean', default: false },
		},
	});
	if (!a.tree || !a.series || !a.report) {
		process.stderr.write('usage: main.js --tree T --series DIR --report R.json [--base REV] [--scratch DIR] [--jobs N] [--ccache DIR] [--accel tcg|kvm] [--json]\n');
		return 2;
	}
	const json = JSON.parse(fs.readFileSync(a.report, 'utf8')) as { hooks: ReportHook[] };
	let patches = seriesFromDir(a.series);
	const hooks = convertedHooks(json.hooks, patches);
	const fault = process.env.MMAPIFY_TEST_FAULT;
	if (isBootFault(fault)) {
		const f = injectBootFault(patches, fault!);
		patches = f.patches;
		process.stderr.write(`mmapify: MMAPIFY_TEST_FAULT (test only): ${f.what}\n`);
	}
	const accel = a.accel === 'kvm' ? 'kvm' : 'tcg';
	const scratch = a.scratch ?? path.join(os.tmpdir(), 'mmapify-boot');
	const report = await bootVerify({
		tree: path.resolve(a.tree),
		base: a.base ?? 'HEAD',
		patches,
		hooks,
		scratch,
		jobs: a.jobs ? Number(a.jobs) : 2,
		...(a.ccache ? { ccacheDir: path.resolve(a.ccache) } : {}),
		accel,
		say: a.json ? undefined : (l) => process.stderr.write(`${l}\n`),
	});
	if (a.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	else process.stdout.write(`${formatBootReport(report).join('\n')}\n`);
	return report.ok ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		process.stderr.write(`mmapify boot: ${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(e instanceof Error && /MMAPIFY_TEST_FAULT/.test(e.message) ? 2 : 70);
	},
);
