// The package as a user gets it: `npm pack` of the built tree (npm test builds
// it first, hence --ignore-scripts: prepare would only build it again), the
// tarball installed into a scratch prefix (dependencies from npm's cache,
// which `npm ci` filled; --ignore-scripts: tree-sitter-c's native build is not
// used, mmapify loads its .wasm), and the installed `mmapify` run on a git copy
// of the example tree.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gitCopy, repoRoot } from '../support/helpers.js';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-pack-'));
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });

let tarball = '';
let files: string[] = [];

test('npm pack: the tarball holds the built tool, its templates, the licence and the docs the README links to; no sources or tests', () => {
	const r = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], repoRoot);
	assert.is(r.status, 0, r.stderr);
	const info = JSON.parse(r.stdout)[0] as { filename: string; files: Array<{ path: string }> };
	tarball = path.join(scratch, info.filename);
	assert.ok(fs.existsSync(tarball));
	files = info.files.map((f) => f.path);
	for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/src/cli.js', 'dist/src/cli/main.js', 'docs/json.md', 'docs/rules.md', 'docs/schema/convert.schema.json', 'docs/schema/scan.schema.json'])
		assert.ok(files.includes(f), `${f} is not in the package`);
	assert.ok(files.some((f) => f.startsWith('templates/')), 'no templates');
	assert.ok(files.some((f) => f.startsWith('dist/transforms/')), 'no rules');
	for (const f of files) assert.not.match(f, /^(src|test|examples|\.ci)\/|\.ts$/, `${f} should not be packed`);
	assert.match(fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'), /GNU GENERAL PUBLIC LICENSE\s+Version 2, June 1991/);
});

test('the tarball installs into a scratch prefix and the installed mmapify converts the example tree', () => {
	assert.ok(tarball, 'npm pack failed');
	const prefix = path.join(scratch, 'prefix');
	const inst = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], scratch);
	assert.is(inst.status, 0, inst.stderr);
	const bin = path.join(prefix, 'bin', 'mmapify');
	assert.ok(fs.existsSync(bin), 'no bin/mmapify in the prefix');
	// the installed copy, not a link back into this repository
	const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
	assert.not.ok(fs.lstatSync(installed).isSymbolicLink());
	assert.not.ok(fs.realpathSync(bin).startsWith(repoRoot));

	const tree = gitCopy(path.join(scratch, 'linux'));
	const env = { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.org' };
	const run = (...args: string[]) => spawnSync('mmapify', args, { cwd: tree, env, encoding: 'utf8' });

	const v = run('--version');
	assert.is(v.status, 0, v.stderr);
	assert.is(v.stdout.trim(), pkg.version);
	const dry = run('--dry-run', 'drivers/demo');
	assert.is(dry.status, 0, dry.stderr);
	assert.match(dry.stdout, /^\+static int demo_regs_mmap_prepare\(struct vm_area_desc \*desc\)$/m);
	assert.match(dry.stdout, /^6 hooks converted, 1 dispatcher given a compat shim, 2 refused, 4 patches$/m);
	const wrote = run('-q', 'drivers/demo');
	assert.is(wrote.status, 0, wrote.stderr);
	assert.is(wrote.stdout, 'wrote 6 files to outgoing\n');
	// the templates came along: the cover letter is filled in
	const cover = fs.readFileSync(path.join(tree, 'outgoing', '0000-cover-letter.patch'), 'utf8');
	assert.match(cover, /^Subject: \[PATCH 0\/4\] /m);
	assert.not.match(cover, /\*\*\* SUBJECT HERE \*\*\*/);
	const scan = run('scan', '--json');
	assert.is(scan.status, 0, scan.stderr);
	assert.is(JSON.parse(scan.stdout).tool.version, pkg.version);
	assert.is(run('help').status, 0);
});

test.after(() => {
	fs.rmSync(scratch, { recursive: true, force: true });
});

test.run();
