// The notes' codes (src/cli/notes.ts): every code is used by a command, every
// code used is listed, and the README's table says the same as the catalogue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NOTES } from '../../src/cli/notes.js';
import { repoRoot } from '../support/helpers.js';

const used = () => {
	const codes = new Set<string>();
	for (const f of fs.readdirSync(path.join(repoRoot, 'src/cli')))
		for (const m of fs.readFileSync(path.join(repoRoot, 'src/cli', f), 'utf8').matchAll(/\bnote\('([a-z-]+)'/g)) codes.add(m[1]!);
	return codes;
};

test('every note code is used, and every one used is listed', () => {
	assert.equal([...used()].sort(), Object.keys(NOTES).sort());
});

test("the README's table of notes is the catalogue", () => {
	const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('### Notes'));
	const rows = [...section.slice(0, section.indexOf('\n### ', 5)).matchAll(/^\| `([a-z0-9-]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
	assert.equal(rows, Object.entries(NOTES));
});

test.run();
