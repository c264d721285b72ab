// The README against the tool: its usage tables name every option that
// `--help` lists (convert, scan, sync-dup), and it links only to files inside
// the repository that exist (and are in the package, see package.json files).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exampleTree, repoRoot } from '../support/helpers.js';

const cli = path.join(repoRoot, 'dist/src/cli.js');
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The long options --help lists (--no-x spelled as x). */
function helpOptions(args: string[]): string[] {
	const r = spawnSync(process.execPath, [cli, ...args, '--help'], { cwd: exampleTree, encoding: 'utf8', env: { ...process.env, COLUMNS: '200' } });
	assert.is(r.status, 0, r.stderr);
	const block = r.stdout.slice(r.stdout.indexOf('\nOptions:\n'));
	const names = [...block.matchAll(/^ {2}(?:-\w, | {4})--([a-z][\w-]*)/gm)].map((m) => m[1]!);
	assert.ok(names.length > 5, `no options found in ${args.join(' ')} --help`);
	return names;
}

/** The first cells of the table whose head cell is `head`. */
function tableOptions(head: string): string {
	const start = readme.indexOf(`| ${head} | meaning |`);
	assert.ok(start >= 0, `README has no "| ${head} |" table`);
	const rows: string[] = [];
	for (const line of readme.slice(start).split('\n').slice(2)) {
		if (!line.startsWith('|')) break;
		rows.push(line.split(/(?<!\\)\|/)[1]!);
	}
	return rows.join('\n');
}

for (const [args, head] of [
	[[], 'option'],
	[['scan'], 'scan option'],
	[['sync-dup'], 'sync-dup option'],
] as Array<[string[], string]>) {
	test(`the README's "${head}" table names every option of mmapify ${args.join(' ')} --help`, () => {
		const cells = tableOptions(head);
		const missing = helpOptions(args).filter((o) => !new RegExp(`\`(?:-\\w, )?--${o}\\b`).test(cells));
		assert.equal(missing, [], `missing from the README's table: ${missing.map((o) => `--${o}`).join(', ')}`);
	});
}

test('the README links only to files of the repository that exist, and the package ships them', () => {
	const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
	const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
	assert.ok(links.length > 0);
	for (const l of links) {
		if (l.startsWith('#')) continue;
		assert.not.match(l, /^[a-z]+:/i, `${l}: a link outside the repository`);
		const file = path.resolve(repoRoot, l.replace(/#.*$/, ''));
		assert.ok(file.startsWith(repoRoot + path.sep), `${l} points outside the repository`);
		assert.ok(fs.existsSync(file), `${l} does not exist`);
		const top = path.relative(repoRoot, file).split(path.sep)[0]!;
		assert.ok(pkg.files.includes(top), `${l}: ${top} is not in package.json "files"`);
	}
	// the anchors inside the README exist as headings
	for (const l of links.filter((x) => x.startsWith('#'))) {
		const slugs = [...readme.matchAll(/^#+ (.*)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'));
		assert.ok(slugs.includes(l.slice(1)), `${l}: no such heading`);
	}
});

test.run();
