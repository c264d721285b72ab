// The refusal catalogue (src/rewrite/refusals.ts) is the only source of codes:
// every code the sources use is in it, every code in it is used, and the
// README's table says the same as the catalogue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REFUSALS } from '../../src/rewrite/refusals.js';
import { repoRoot } from '../support/helpers.js';

function sources(): Array<[string, string]> {
	const out: Array<[string, string]> = [];
	const visit = (rel: string) => {
		for (const e of fs.readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
			const r = `${rel}/${e.name}`;
			if (e.isDirectory()) visit(r);
			else if (e.name.endsWith('.ts') && r !== 'src/rewrite/refusals.ts') out.push([r, fs.readFileSync(path.join(repoRoot, r), 'utf8')]);
		}
	};
	['src', 'transforms'].forEach(visit);
	return out;
}

/** Codes written as literals where a refusal is made: Refusal(...), refuse(..., code, ...), skip(code, ...), `code: '...'`, and the NONE-style tables. */
function usedCodes(): Map<string, string> {
	const used = new Map<string, string>();
	const patterns = [
		/new Refusal\('([a-z0-9-]+)'/g,
		/refuse\((?:src, )?[^,()]+(?:\([^()]*\))?, '([a-z0-9-]+)'/g,
		/\bskip\('([a-z0-9-]+)'/g,
		/abandonChain\(cp, '([a-z0-9-]+)'/g,
		/\babandon\('([a-z0-9-]+)'/g,
		/\bcode: '([a-z0-9-]+)'/g,
		/\/, '([a-z0-9-]+)', '/g,
		/\? '(macro-wiring|nested-hook)' : '([a-z0-9-]+)'/g,
	];
	for (const [file, text] of sources())
		for (const re of patterns) for (const m of text.matchAll(re)) for (const c of m.slice(1)) if (c) used.set(c, file);
	return used;
}

test('every code used in the sources is in the catalogue', () => {
	for (const [code, file] of usedCodes()) assert.ok(code in REFUSALS, `${file} uses the code ${code}, which src/rewrite/refusals.ts does not list`);
});

test('every code of the catalogue is used', () => {
	const used = usedCodes();
	assert.equal(Object.keys(REFUSALS).filter((c) => !used.has(c)), []);
});

test('codes are short kebab-case with a one-line meaning', () => {
	for (const [code, meaning] of Object.entries(REFUSALS)) {
		assert.ok(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(code) && code.length <= 28, code);
		assert.ok(meaning.length > 10 && !meaning.includes('\n'), code);
	}
});

test("the README's table is the catalogue", () => {
	const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('### Refusal codes'));
	const rows = [...section.slice(0, section.indexOf('\n## ')).matchAll(/^\| `([a-z0-9-]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
	assert.equal(rows, Object.entries(REFUSALS));
});

test.run();
