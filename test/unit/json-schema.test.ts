// The JSON reports against their documented schemas (docs/schema/, explained
// in docs/json.md): the convert report in each mode and with a selection, the
// scan report with and without the plan, the same names and values for the
// same hook in both, a code from the catalogue on every refused hook, and
// every field of the schemas documented.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gitCopy, repoRoot } from '../support/helpers.js';
import { SchemaSet } from '../support/json-schema.js';
import { REFUSALS } from '../../src/rewrite/refusals.js';
import { REPORT_FORMAT } from '../../src/base/report-format.js';

const cli = path.join(repoRoot, 'dist/src/cli.js');
const schemaDir = path.join(repoRoot, 'docs/schema');
const schemas = new SchemaSet(schemaDir);
const env = { ...process.env, GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.org', MMAPIFY_WORKERS: '1' };

const scratch: string[] = [];
function exampleRepo(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-json-'));
	scratch.push(dir);
	return gitCopy(dir);
}
const dir = exampleRepo();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function report(args: string[], expectCode = 0): any {
	const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env, encoding: 'utf8' });
	assert.is(r.status, expectCode, `${args.join(' ')}: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

function valid(value: unknown, schema: string, what: string) {
	const errors = schemas.validate(value, schema);
	assert.equal(errors, [], `${what} against ${schema}:\n${errors.map((e) => `  ${e.at}: ${e.message}`).join('\n')}`);
}

// ------------------------------------------------------------------ the validator itself

const GOOD_HOOK = { function: 'f_mmap', file: 'drivers/x.c', line: 3, wiring: [], status: 'skipped', reason: 'r', code: 'side-effect', at: { file: 'drivers/x.c', line: 4 } };
const minimal = (hooks: unknown[]) => ({ version: REPORT_FORMAT, kind: 'convert', tool: { name: 'mmapify', version: '0' }, mode: 'check', tree: '/t', hooks, patches: [], summary: { converted: 0, skipped: hooks.length, patches: 0 } });

test('the validator finds what the schema forbids', () => {
	assert.equal(schemas.validate(minimal([GOOD_HOOK]), 'convert.schema.json'), []);
	const bad = (hook: object) => schemas.validate(minimal([hook]), 'convert.schema.json').map((e) => `${e.at}: ${e.message}`);
	const { code: _c, ...noCode } = GOOD_HOOK;
	assert.ok(bad(noCode).includes('/hooks/0: required field code is missing'), bad(noCode).join('\n'));
	const { at: _a, ...noAt } = GOOD_HOOK;
	assert.ok(bad(noAt).includes('/hooks/0: required field at is missing'));
	assert.ok(bad({ ...GOOD_HOOK, status: 'refused' }).some((e) => e.startsWith('/hooks/0/status: ')));
	assert.ok(bad({ ...GOOD_HOOK, code: 'Not A Code' }).some((e) => e.startsWith('/hooks/0/code: ')));
	assert.ok(bad({ ...GOOD_HOOK, at: { file: '/abs/x.c', line: 1 } }).some((e) => e.startsWith('/hooks/0/at/file: ')));
	assert.ok(bad({ ...GOOD_HOOK, at: { file: 'x.c', line: 0 } }).some((e) => e.startsWith('/hooks/0/at/line: ')));
	assert.ok(bad({ ...GOOD_HOOK, why: 'x' }).includes('/hooks/0/why: field why is not in the schema'));
	assert.ok(bad({ ...GOOD_HOOK, status: 'converted' }).includes('/hooks/0: required field newName is missing'));
	assert.ok(schemas.validate({ ...minimal([]), version: 2 }, 'convert.schema.json').some((e) => e.at === '/version'));
	assert.ok(schemas.validate({ ...minimal([]), extra: 1 }, 'convert.schema.json').some((e) => e.at === '/extra'));
	// the documented optional fields other parts of mmapify add are allowed
	assert.equal(bad({ ...GOOD_HOOK, equivalence: { status: 'refused', code: 'checker-unknown-call' } }), []);
	assert.ok(bad({ ...GOOD_HOOK, equivalence: { status: 'maybe' } }).some((e) => e.startsWith('/hooks/0/equivalence/status')));
});

test('a keyword outside the subset the validator knows is an error, not ignored', () => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mmapify-schema-'));
	scratch.push(d);
	fs.writeFileSync(path.join(d, 's.json'), JSON.stringify({ type: 'object', propertyNames: { pattern: '^a' } }));
	assert.throws(() => new SchemaSet(d).validate({ b: 1 }, 's.json'), /propertyNames is outside/);
});

// ------------------------------------------------------------------ the reports

test('convert report: --dry-run, --check and a written series (with -s, -v 2) match convert.schema.json', () => {
	const dry = report(['--json', '--dry-run', 'drivers/demo']);
	valid(dry, 'convert.schema.json', '--dry-run');
	assert.is(dry.version, REPORT_FORMAT);
	assert.is(dry.mode, 'dry-run');
	// the example's demo_bus_mmap keeps f_op->mmap behind the compat shim: counted apart, as the text report does
	assert.equal(dry.summary, { converted: 7, skipped: 2, patches: 4, hooksConverted: 6, compatShims: 1, refused: 2 });
	valid(report(['--json', '--check', 'drivers/demo'], 1), 'convert.schema.json', '--check');
	valid(report(['--json', '--check', 'drivers/demo/demo_dma.c'], 0), 'convert.schema.json', '--check, nothing to convert');
	const out = path.join(dir, '..', `${path.basename(dir)}-out`);
	scratch.push(out);
	const wrote = report(['--json', '-s', '-v', '2', '-o', out, '--to', 'Someone <someone@example.org>', 'drivers/demo']);
	valid(wrote, 'convert.schema.json', 'write');
	assert.is(wrote.mode, 'write');
	assert.ok(wrote.cover && wrote.patches.every((p: { path: string }) => p.path.startsWith('v2-') && fs.existsSync(path.join(out, p.path))));
});

test('convert report with notes and skipped files: an edited hook file, a file not in UTF-8', () => {
	const d = exampleRepo();
	fs.appendFileSync(path.join(d, 'drivers/demo/demo_regs.c'), '\n/* edited after the commit */\n');
	fs.writeFileSync(path.join(d, 'drivers/demo/latin1.c'), Buffer.from('/* caf\xe9 */\nstatic int x;\n', 'latin1'));
	const r = spawnSync(process.execPath, [cli, '--json', '--dry-run', 'drivers/demo'], { cwd: d, env, encoding: 'utf8' });
	assert.is(r.status, 0, r.stderr);
	const rep = JSON.parse(r.stdout);
	valid(rep, 'convert.schema.json', 'notes');
	assert.ok(rep.notes?.some((n: { code: string }) => n.code === 'dirty-tree'), JSON.stringify(rep.notes));
});

test('convert report with --only and --exclude: the selection and the not-selected / excluded hooks match', () => {
	const r = report(['--json', '--dry-run', '--only', 'demo_led_mmap', '--exclude', '*ring*', 'drivers/demo']);
	valid(r, 'convert.schema.json', '--only/--exclude');
	assert.ok(r.selection.withChain.length === 1);
	assert.ok(r.hooks.some((h: { code?: string }) => h.code === 'not-selected'));
});

test('scan report, planned and with --no-plan, matches scan.schema.json', () => {
	const s = report(['scan', '--json']);
	valid(s, 'scan.schema.json', 'scan');
	assert.is(s.version, REPORT_FORMAT);
	assert.ok(s.hooks.some((h: { status: string }) => h.status === 'skipped') && s.chains.length > 0);
	const np = report(['scan', '--json', '--no-plan']);
	valid(np, 'scan.schema.json', 'scan --no-plan');
	assert.ok(np.hooks.every((h: { status: string }) => h.status === 'not-planned'));
});

test('the same hook has the same names and values in both reports; every refusal a catalogue code and a place', () => {
	const conv = report(['--json', '--dry-run', 'drivers/demo']);
	const scan = report(['scan', '--json', 'drivers/demo']);
	const shared = ['function', 'file', 'line', 'status', 'reason', 'code', 'at', 'newName', 'chain'];
	const pick = (h: Record<string, unknown>) => Object.fromEntries(shared.filter((k) => k in h).map((k) => [k, h[k]]));
	// A hook without a C definition (a generic helper wired as it is): the scan says file ''
	// and line 0, the convert report points at its first wiring site (docs/json.md).
	const undefinedHere = new Set<string>(scan.hooks.filter((h: { category: string }) => h.category === 'f').map((h: { function: string }) => h.function));
	assert.ok(undefinedHere.has('generic_file_mmap'));
	// A chain's dispatcher: the convert report's line is its dispatching call's (as the scan's
	// chains[].dispatchers give it), the scan's hooks[] line its definition's (docs/json.md).
	const dispatchCall = new Map<string, number>();
	for (const c of scan.chains) for (const d of c.dispatchers) dispatchCall.set(`${d.function}@${d.file}`, d.line);
	assert.ok(dispatchCall.has('demo_bus_mmap@drivers/demo/demo_bus.c'));
	for (const h of conv.hooks) if (dispatchCall.has(`${h.function}@${h.file}`)) assert.is(h.line, dispatchCall.get(`${h.function}@${h.file}`), h.function);
	const byKey = (hs: Array<Record<string, unknown>>) =>
		new Map(
			hs.map((h) => {
				const p = pick(h);
				if (undefinedHere.has(h.function as string)) {
					const w = (h.wiring as Array<{ file: string; line: number }> | undefined)?.[0];
					assert.equal([p.file, p.line], w ? [w.file, w.line] : ['', 0], `${h.function}: file and line of a hook without a definition`);
					delete p.file;
					delete p.line;
				}
				if (dispatchCall.has(`${h.function}@${h.file}`)) delete p.line;
				return [`${h.function}@${undefinedHere.has(h.function as string) ? '' : h.file}`, p];
			}),
		);
	const a = byKey(conv.hooks);
	const b = byKey(scan.hooks);
	assert.equal([...a.keys()].sort(), [...b.keys()].sort());
	for (const [k, h] of a) assert.equal(b.get(k), h, k);
	for (const h of [...conv.hooks, ...scan.hooks])
		if (h.status === 'skipped') {
			assert.ok(h.code in REFUSALS, `${h.function}: code ${h.code} is not in the catalogue`);
			assert.ok(fs.existsSync(path.join(dir, h.at.file)) && h.at.line >= 1, `${h.function}: at ${JSON.stringify(h.at)}`);
		}
});

test('docs/json.md documents every field the schemas name and every refusal code status', () => {
	const doc = fs.readFileSync(path.join(repoRoot, 'docs/json.md'), 'utf8');
	const names = new Set<string>();
	const walk = (s: unknown) => {
		if (Array.isArray(s)) s.forEach(walk);
		else if (s && typeof s === 'object') {
			for (const [k, v] of Object.entries(s)) {
				if (k === 'properties') for (const name of Object.keys(v as object)) names.add(name);
				walk(v);
			}
		}
	};
	for (const f of fs.readdirSync(schemaDir)) walk(JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')));
	const missing = [...names].filter((n) => !doc.includes(`\`${n}\``));
	assert.equal(missing, [], `docs/json.md does not name: ${missing.join(', ')}`);
	for (const v of ['converted', 'skipped', 'not-planned', 'write', 'dry-run', 'check']) assert.ok(doc.includes(`\`${v}\``), v);
});

test.after(() => {
	for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

test.run();
