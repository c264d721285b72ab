// `npm run new-rule NAME` in a scratch copy of the repository: it writes the
// rule, its one registry line (and import) and its test folder, nothing else;
// the copy then type-checks and the generated cases pass.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../support/helpers.js';

const COPY = ['src', 'transforms', 'bench', 'tools', 'test/support', 'examples/linux', 'tsconfig.json', 'package.json'];

function files(dir: string, rel = ''): string[] {
	const out: string[] = [];
	for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		const r = rel ? `${rel}/${e.name}` : e.name;
		if (e.name === 'node_modules') continue;
		if (e.isDirectory()) out.push(...files(dir, r));
		else out.push(r);
	}
	return out;
}

test('new-rule writes the rule, one registry line and its test folder; they build and pass', () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-new-rule-'));
	try {
		for (const c of COPY) fs.cpSync(path.join(repoRoot, c), path.join(tmp, c), { recursive: true });
		fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(tmp, 'node_modules'));
		const before = new Map(files(tmp).map((f) => [f, fs.readFileSync(path.join(tmp, f), 'utf8')]));
		const run = spawnSync(process.execPath, ['tools/new-rule.mjs', 'demo-rule'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, MMAPIFY_REPO: tmp } });
		assert.is(run.status, 0, run.stderr);
		const after = files(tmp);
		assert.equal(after.filter((f) => !before.has(f)).sort(), ['test/rules/demo-rule/demo-rule.test.ts', 'transforms/body/demo-rule.ts']);
		const changed = after.filter((f) => before.has(f) && before.get(f) !== fs.readFileSync(path.join(tmp, f), 'utf8'));
		assert.equal(changed, ['transforms/index.ts']);
		const oldLines = before.get('transforms/index.ts')!.split('\n');
		const newLines = fs.readFileSync(path.join(tmp, 'transforms/index.ts'), 'utf8').split('\n');
		assert.equal(newLines.filter((l) => !oldLines.includes(l)), ["import { demoRule } from './body/demo-rule.js';", '\tdemoRule,']);
		// A second run refuses to overwrite.
		assert.is(spawnSync(process.execPath, ['tools/new-rule.mjs', 'demo-rule'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, MMAPIFY_REPO: tmp } }).status, 2);

		const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: tmp, encoding: 'utf8' });
		assert.is(tsc.status, 0, tsc.stdout + tsc.stderr);
		const uvu = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/uvu/bin.js'), '-r', 'tsx/cjs', 'test/rules/demo-rule', '--no-color'], { cwd: tmp, encoding: 'utf8' });
		assert.is(uvu.status, 0, uvu.stdout + uvu.stderr);
		assert.match(uvu.stdout, /Passed:\s+3\b/);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
});

test('new-rule refuses a name that is not kebab-case', () => {
	const run = spawnSync(process.execPath, [path.join(repoRoot, 'tools/new-rule.mjs'), 'Bad_Name'], { encoding: 'utf8', env: { ...process.env, MMAPIFY_REPO: os.tmpdir() } });
	assert.is(run.status, 2);
	assert.match(run.stderr, /kebab-case/);
});

test.run();
