#!/usr/bin/env node
// npm run new-rule NAME: a new body rule in three places and nowhere else:
//   transforms/body/NAME.ts       the rule (a pure function of node and context)
//   transforms/index.ts           its import and one line in bodyRules
//   test/rules/NAME/NAME.test.ts  its cases, run through the rule harness
// NAME is kebab-case (e.g. vma-set-name); the rule's id starts as NAME.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = process.env.MMAPIFY_REPO ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const name = process.argv[2];
const fail = (msg) => {
	process.stderr.write(`new-rule: ${msg}\n`);
	process.exit(2);
};
if (!name || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) fail('usage: npm run new-rule NAME (kebab-case, e.g. vma-set-name)');
const ident = name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const ruleFile = path.join(root, 'transforms/body', `${name}.ts`);
const testFile = path.join(root, 'test/rules', name, `${name}.test.ts`);
const index = path.join(root, 'transforms/index.ts');
for (const f of [ruleFile, testFile]) if (fs.existsSync(f)) fail(`${path.relative(root, f)} exists already`);
let registry = fs.readFileSync(index, 'utf8');
if (new RegExp(`\\b${ident}\\b`).test(registry)) fail(`transforms/index.ts already names ${ident}`);

fs.writeFileSync(
	ruleFile,
	`// ${name}: TODO say what this rule converts, e.g. \`vma->X\` -> \`desc->X\`, and why
// that is equivalent (kernel-api.md section); or what it refuses, with which code.
import { vmaField, type Rule } from '../../src/rewrite/rule.js';

export const ${ident}: Rule = {
	id: '${name}',
	/** what the commit message says the conversion did (a verb phrase; leave it out to say nothing) */
	phrase: undefined,
	/** the KernelApi facts the rule reads (the example tree's headers must provide them) */
	requires: [],
	rewrite(node, ctx) {
		// Claim the nodes this rule converts: return their new text (ctx.convert() for
		// children that may need other rules), or ctx.refuse(node, code, reason) with a
		// code of src/rewrite/refusals.ts. Return undefined to let other rules try.
		if (vmaField(node, ctx) !== '${name.replace(/-/g, '_')}') return undefined;
		return undefined;
	},
};
`,
);

// One import after the last body rule's, one line at the end of bodyRules.
const imports = [...registry.matchAll(/^import .* from '\.\/body\/[^']+';$/gm)];
const last = imports[imports.length - 1];
if (!last) fail('transforms/index.ts has no body rule imports');
const at = last.index + last[0].length;
registry = `${registry.slice(0, at)}\nimport { ${ident} } from './body/${name}.js';${registry.slice(at)}`;
const list = /export const bodyRules: Rule\[\] = \[\n([\s\S]*?)\n\];/.exec(registry);
if (!list) fail('transforms/index.ts has no bodyRules list');
const end = list.index + list[0].length - '\n];'.length;
registry = `${registry.slice(0, end)}\n\t${ident},${registry.slice(end)}`;
fs.writeFileSync(index, registry);

fs.mkdirSync(path.dirname(testFile), { recursive: true });
fs.writeFileSync(
	testFile,
	`// ${name} (transforms/body/${name}.ts): its cases, each a C string through the rule harness.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ${ident} } from '../../../transforms/body/${name}.js';
import { bodyRules } from '../../../transforms/index.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('${name} is registered once, among the body rules', () => {
	assert.is(bodyRules.filter((r) => r === ${ident}).length, 1);
});

test('a body without a vma use converts, and the rule does not fire', async () => {
	const r = await convertC(${ident}, hook('return 0;'));
	assert.is(r.refusal, undefined);
	assert.ok(!r.rules.includes('${name}'));
});

test('alone, the rule claims no other vma use: it refuses as vma-escapes', async () => {
	const r = await convertC(${ident}, hook('return vma->vm_start ? 0 : -EINVAL;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

// TODO the cases of the rule: what it converts (assert the text) and what it refuses (assert the code).

test.run();
`,
);
process.stdout.write(`new-rule: wrote ${path.relative(root, ruleFile)}, ${path.relative(root, testFile)} and a line in transforms/index.ts\n`);
