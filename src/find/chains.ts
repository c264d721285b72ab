// Nested hook chains: an old-style outer hook (f_op->mmap, bin_attribute.mmap,
// ...) calls a driver hook through a struct field that takes a vma, e.g.
// hw->ops.mmap(hw, file, vma). This module finds, for one such field, every
// place the tree dispatches through it, reads or clears it, wires an
// implementor into it (designated initialisers, assignments, registration
// functions that store a parameter into it), and every implementor.
import * as path from 'node:path';
import { lineOf, walk, type Node } from '../c/parser.js';
import { withItemsTree, WHOLE_FILE } from '../c/partial.js';
import { ancestor, declaredName, functionDeclarator, parameters } from '../c/node.js';
import { StructScope, baseUndeclared, fieldOwner, structFields, typeOf, type FieldInfo } from './typing.js';
import { corpusNaming, filesAccessing, filesWithEach, scanMentions } from '../corpus/corpus.js';
import { readSource } from '../kernel/tree.js';
import { chunk, runTasks, workerCount } from '../pool/pool.js';
import { isVmaHookField } from './hook-fields.js';
import { initialiserType } from './initialisers.js';
import { escapeRegExp as esc } from '../base/text.js';

export interface ChainKey {
	struct: string;
	field: string;
}

export const chainName = (k: ChainKey) => `${k.struct}.${k.field}`;

/** A call through the field, or any other use of it (a test, a NULL store). */
export interface FieldUse {
	file: string;
	line: number;
	kind: 'call' | 'read' | 'clear';
	/** the field identifier, and the whole `obj->field` expression */
	fieldStart: number;
	fieldEnd: number;
	exprStart: number;
	exprEnd: number;
	/** clear: the end of the `obj->field = NULL;` statement, when it is one */
	stmtEnd?: number;
	/** the expression already sits alone in parentheses (e.g. an if condition) */
	parenthesized?: boolean;
	/** `obj->field == NULL` / `!= NULL`: the whole comparison */
	cmp?: { start: number; end: number; op: '==' | '!='; parenthesized: boolean };
	/** for calls: the call_expression range and its enclosing function */
	callStart?: number;
	callEnd?: number;
	fn?: string;
}

/** A place that installs an implementor into the field. */
export interface Wiring {
	file: string;
	line: number;
	kind: 'init' | 'assign' | 'register';
	impl: string;
	/** the implementor's name */
	implStart: number;
	implEnd: number;
	/** init: the `.field = impl` text range; assign: the field identifier */
	fieldStart?: number;
	fieldEnd?: number;
	/** register: the registration function */
	via?: string;
}

/** A function that stores one of its parameters into the field. */
export interface Registration {
	fn: string;
	file: string;
	line: number;
	paramIndex: number;
	paramName: string;
}

export interface Chain {
	key: ChainKey;
	decl: FieldInfo;
	uses: FieldUse[];
	wirings: Wiring[];
	registrations: Registration[];
	/** uses we could not classify (e.g. the field inside a macro) */
	problems: string[];
	/** field uses whose object type is unknown (harmless unless the old field stays) */
	uncertain: string[];
	/** implementors wired inside macro bodies: they can only stay on the old field */
	macroWired: Array<{ where: string; macro: string }>;
}


/** Enclosing function's name and its parameters. */
function enclosingFunction(n: Node): { name: string; params: ReturnType<typeof parameters>; node: Node } | undefined {
	const fn = ancestor(n, 'function_definition');
	const fd = fn && functionDeclarator(fn.childForFieldName('declarator'));
	const id = fd && declaredName(fd.childForFieldName('declarator'));
	return fn && fd && id ? { name: id.text, params: parameters(fd), node: fn } : undefined;
}

/** Find the declaration of key.field in the struct, from a file that sees it. */
export function fieldDecl(root: string, key: ChainKey, fromFile: string): FieldInfo | undefined {
	return new StructScope(root, fromFile).field(key.struct, key.field);
}

/**
 * Everything the tree does with the field. Candidate files are those that name
 * the field and either the struct or the header that declares it.
 */
export function discoverChain(root: string, key: ChainKey, decl: FieldInfo): Chain {
	return discoverChains(root, [{ key, decl }])[0]!;
}

/** A chain's key and field declaration: what a file is searched for. */
export interface ChainEntry {
	key: ChainKey;
	decl: FieldInfo;
}

/** A use of the field inside a macro body. */
export interface MacroUse {
	where: string;
	/** the macro's name */
	macro: string;
	/** the macro wires an implementor (`.f = fn`): it can stay on the old field */
	wired: boolean;
	/** `.f = fn` in a macro that does not name the struct: dropped if fn is defined with other parameters */
	fn?: string;
}

/** What one file holds for one chain (scanFile()). */
export interface FileFindings {
	uses: FieldUse[];
	wirings: Wiring[];
	registrations: Registration[];
	problems: string[];
	uncertain: string[];
	macros: MacroUse[];
}

/** Chain searches this large (files) are done in the worker pool. */
const POOL_FILES = 64;
/** Files per pool task. */
const FILES_PER_TASK = 16;

/**
 * Several chains at once: every candidate file is parsed and typed once, for
 * all the chains that may use it (in the worker pool when there are many).
 */
export function discoverChains(root: string, entries: ChainEntry[]): Chain[] {
	const chains: Chain[] = entries.map(({ key, decl }) => ({ key, decl, uses: [], wirings: [], registrations: [], problems: [], uncertain: [], macroWired: [] }));
	// Wiring initialisers name the struct (or include its header); every call or
	// test of the field is a field access `x->f` / `x.f`. A missed dispatcher would
	// leave converted hooks uncalled, so every file with such an access is typed.
	const naming = new Map<Chain, string[]>();
	for (const field of new Set(chains.map((c) => c.key.field))) {
		const same = chains.filter((c) => c.key.field === field);
		const found = filesWithEach(root, field, same.map((c) => [c.key.struct, path.posix.basename(c.decl.file)]));
		same.forEach((c, i) => naming.set(c, found[i]!));
	}
	const perFile = new Map<string, number[]>();
	chains.forEach((chain, i) => {
		const files = new Set([chain.decl.file, ...naming.get(chain)!, ...filesAccessing(root, chain.key.field)]);
		for (const f of files) perFile.set(f, [...(perFile.get(f) ?? []), i]);
	});
	const jobs = [...perFile].map(([file, which]) => ({ file, chains: which }));
	const found = new Map<string, FileFindings[]>();
	if (jobs.length >= POOL_FILES && workerCount() > 0)
		runTasks(chunk(jobs, FILES_PER_TASK).map((js): ChainsTask => ({ kind: 'chains', root, jobs: js, entries })), chainsTask, (r: ChainsResult) => {
			for (const [file, f] of r.found) found.set(file, f);
		});
	else for (const j of jobs) found.set(j.file, scanFile(root, j.file, j.chains.map((i) => entries[i]!)));
	// In the order of the files, as one thread would have found them.
	for (const { file, chains: which } of jobs)
		(found.get(file) ?? []).forEach((f, k) => {
			const chain = chains[which[k]!]!;
			chain.uses.push(...f.uses);
			chain.wirings.push(...f.wirings);
			chain.registrations.push(...f.registrations);
			chain.problems.push(...f.problems);
			chain.uncertain.push(...f.uncertain);
			for (const m of f.macros) {
				// otherSignature() asks the corpus, which only this thread holds.
				if (m.fn !== undefined && otherSignature(root, m.fn, chain.decl)) continue;
				if (m.wired) chain.macroWired.push({ where: m.where, macro: m.macro });
				else chain.problems.push(m.where);
			}
		});
	for (const chain of chains) {
		// Implementors passed to registration functions, anywhere in the tree.
		if (!chain.registrations.length) continue;
		const regs = scanMentions(root, chain.registrations.map((r) => r.fn));
		for (const r of chain.registrations) for (const file of regs.get(r.fn) ?? []) scanRegistrationCalls(root, file, r, chain);
	}
	return chains;
}

/** A chain's search of one file: what the file holds for it, kept apart until the file is done. */
type Acc = ChainEntry & FileFindings;

/** What one file holds for each of some chains (a pool task runs this for its files). */
export function scanFile(root: string, file: string, entries: ChainEntry[]): FileFindings[] {
	const src = readSource(root, file);
	if (src === undefined) return [];
	const scope = new StructScope(root, file);
	const fields = [...new Set(entries.map((e) => e.key.field))];
	// Only the items that name a field: a use whose object is typed by none of
	// them (a global declared elsewhere in the file) needs the whole file.
	return withItemsTree(src, { words: fields }, (rootNode, partial) => {
		const accs: Acc[] = entries.map((e) => ({ ...e, uses: [], wirings: [], registrations: [], problems: [], uncertain: [], macros: [] }));
		const byField = new Map<string, Acc[]>();
		for (const c of accs) byField.set(c.key.field, [...(byField.get(c.key.field) ?? []), c]);
		for (const n of walk(rootNode)) {
			if (n.type === 'initializer_pair') {
				const des = n.childForFieldName('designator') ?? n.namedChildren[0];
				const cs = des?.type === 'field_designator' ? byField.get(des.namedChildren[0]?.text ?? '') : undefined;
				const list = n.parent;
				if (!cs || list?.type !== 'initializer_list') continue;
				const t = initialiserType(list, scope);
				for (const chain of cs) if (t === chain.key.struct) wireInit(src, file, n, n.childForFieldName('value'), chain);
				continue;
			}
			if (n.type !== 'field_expression') continue;
			const cs = byField.get(n.childForFieldName('field')?.text ?? '');
			if (!cs) continue;
			const owner = fieldOwner(n, scope);
			if (partial && owner === undefined && baseUndeclared(n.childForFieldName('argument'), scope)) return WHOLE_FILE;
			for (const chain of cs) fieldUse(src, file, n, owner, scope, chain);
		}
		for (const chain of accs) macroUses(src, file, rootNode, chain);
		return accs.map(({ uses, wirings, registrations, problems, uncertain, macros }) => ({ uses, wirings, registrations, problems, uncertain, macros }));
	});
}

/** The pool task: scanFile() for each job's file. */
export interface ChainsTask {
	kind: 'chains';
	root: string;
	jobs: Array<{ file: string; chains: number[] }>;
	entries: ChainEntry[];
}
export interface ChainsResult {
	kind: 'chains';
	found: Array<[string, FileFindings[]]>;
}
export function chainsTask(t: ChainsTask): ChainsResult {
	return { kind: 'chains', found: t.jobs.map((j): [string, FileFindings[]] => [j.file, scanFile(t.root, j.file, j.chains.map((i) => t.entries[i]!))]) };
}

/** One `x->field` / `x.field` of the chain's field name in a file. */
function fieldUse(src: string, file: string, n: Node, owner: string | undefined, scope: StructScope, chain: Acc): void {
	const key = chain.key;
	const fieldNode = n.childForFieldName('field')!;
	// `#ifdef` inside an initialiser misparses `.mmap = fn` as `CONFIG_X.mmap = fn`.
	const arg = n.childForFieldName('argument');
	const list = ancestor(n, 'initializer_list');
	if (list && arg?.type === 'identifier' && /^CONFIG_/.test(arg.text) && n.parent?.type === 'assignment_expression') {
		if (initialiserType(list, scope) === key.struct) wireInit(src, file, n.parent, n.parent.childForFieldName('right'), chain, fieldNode.startIndex - 1);
		return;
	}
	if (owner !== key.struct) {
		if (owner === undefined && typeOf(arg, scope) === undefined && ancestor(n, 'function_definition')) {
			const called = n.parent?.type === 'call_expression' && n.parent.childForFieldName('function')?.id === n.id;
			const note = `${file}:${lineOf(src, n.startIndex)}: cannot tell the type of ${firstText(arg)} in ${firstText(n)}`;
			if (called) chain.problems.push(note);
			else chain.uncertain.push(note);
		}
		return;
	}
	const use: FieldUse = { file, line: lineOf(src, n.startIndex), kind: 'read', fieldStart: fieldNode.startIndex, fieldEnd: fieldNode.endIndex, exprStart: n.startIndex, exprEnd: n.endIndex };
	const p = n.parent!;
	use.parenthesized = p.type === 'parenthesized_expression';
	const cmp = nullComparison(n);
	if (cmp) use.cmp = cmp;
	if (p.type === 'call_expression' && p.childForFieldName('function')?.id === n.id) {
		use.kind = 'call';
		use.callStart = p.startIndex;
		use.callEnd = p.endIndex;
		use.fn = enclosingFunction(p)?.name;
		chain.uses.push(use);
		return;
	}
	if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === n.id) {
		const rhs = p.childForFieldName('right');
		if (rhs?.text === 'NULL') {
			use.kind = 'clear';
			if (p.parent?.type === 'expression_statement') use.stmtEnd = p.parent.endIndex;
			chain.uses.push(use);
			return;
		}
		const fn = enclosingFunction(p);
		const pi = fn?.params.findIndex((q) => q.name === rhs?.text) ?? -1;
		if (fn && pi >= 0) {
			chain.registrations.push({ fn: fn.name, file, line: lineOf(src, fn.node.startIndex), paramIndex: pi, paramName: rhs!.text });
			chain.uses.push({ ...use, kind: 'clear' }); // the field name is renamed like any use
			return;
		}
		if (rhs?.type === 'identifier') {
			chain.wirings.push({ file, line: use.line, kind: 'assign', impl: rhs.text, implStart: rhs.startIndex, implEnd: rhs.endIndex, fieldStart: fieldNode.startIndex, fieldEnd: fieldNode.endIndex });
			return;
		}
		chain.problems.push(`${file}:${use.line}: the field is set from an expression: ${firstText(p)}`);
		return;
	}
	// Any other use must only test the pointer: a copy (into a variable, an
	// argument, READ_ONCE(), a cast) is called later, out of sight.
	if (!onlyTested(n)) {
		chain.problems.push(`${file}:${use.line}: the ${key.field} pointer is used as a value, not only tested: ${firstText(ancestor(n, 'expression_statement', 'declaration', 'return_statement') ?? p)}`);
		return;
	}
	chain.uses.push(use);
}

/** Uses of the field hidden in macro bodies. */
function macroUses(src: string, file: string, rootNode: Node, chain: Acc): void {
	const key = chain.key;
	// Uses hidden in macro bodies are not followed: say so, unless the macro
	// plainly wires a function of another signature (e.g. a file_operations .mmap).
	for (const mm of src.matchAll(new RegExp(`(\\.|->)\\s*${esc(key.field)}\\b(\\s*=\\s*(\\w+))?`, 'g'))) {
		const node = rootNode.descendantForIndex(mm.index!);
		const macro = node && ancestor(node, 'preproc_def', 'preproc_function_def');
		if (!macro) continue;
		const name = macro.childForFieldName('name')?.text ?? '';
		const where = `${file}:${lineOf(src, mm.index!)}: ${key.field} is used inside macro ${name}`;
		// A macro that wires a hook (`.f = fn` or `.f = prefix ## _fn`) keeps it on
		// the old field, which coexist mode leaves in place; anything else (a call,
		// a test) cannot be followed.
		const wired = mm[1] === '.' && /^\s*=/.test(src.slice(mm.index! + mm[0].length - (mm[2]?.length ?? 0)));
		chain.macros.push({ where, macro: name, wired, ...(mm[3] && !macro.text.includes(key.struct) ? { fn: mm[3] } : {}) });
	}
}

function wireInit(src: string, file: string, pair: Node, value: Node | null, chain: Acc, start = pair.startIndex): void {
	if (!value || value.text === 'NULL') return;
	if (value.type !== 'identifier') {
		chain.problems.push(`${file}:${lineOf(src, pair.startIndex)}: the field is initialised from an expression: ${firstText(pair)}`);
		return;
	}
	chain.wirings.push({ file, line: lineOf(src, pair.startIndex), kind: 'init', impl: value.text, implStart: value.startIndex, implEnd: value.endIndex, fieldStart: start, fieldEnd: value.endIndex });
}

function scanRegistrationCalls(root: string, file: string, r: Registration, chain: Chain): void {
	const src = readSource(root, file);
	if (src === undefined) return;
	withItemsTree(src, { words: [r.fn] }, (rootNode) => {
		for (const n of walk(rootNode)) {
			if (n.type !== 'call_expression' || n.childForFieldName('function')?.text !== r.fn) continue;
			const arg = n.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'comment')[r.paramIndex];
			if (!arg || arg.text === 'NULL') continue;
			if (arg.type !== 'identifier') {
				chain.problems.push(`${file}:${lineOf(src, n.startIndex)}: ${r.fn}() is passed an expression: ${firstText(arg)}`);
				continue;
			}
			chain.wirings.push({ file, line: lineOf(src, n.startIndex), kind: 'register', impl: arg.text, implStart: arg.startIndex, implEnd: arg.endIndex, via: r.fn });
		}
	});
}

function firstText(n: Node | null): string {
	return (n?.text ?? '').split('\n')[0]!.trim();
}

/** Function-pointer fields taking a vma, declared in struct definitions of a file. */
export function vmaHookFields(root: string, file: string): FieldInfo[] {
	return structFields(root, file).filter(isVmaHookField);
}

/** Is fn defined (in the mmap corpus) with parameters other than the field's? */
function otherSignature(root: string, fn: string, decl: FieldInfo): boolean {
	const norm = (ps: string[]) => ps.map((p) => p.replace(/\b\w+\s*$/, '').replace(/\s+/g, '').replace(/^const/, '')).join(',');
	const want = norm(decl.params ?? []);
	const re = new RegExp(`\\b${esc(fn)}\\s*\\(([^)]*)\\)\\s*\\{`);
	for (const { text } of corpusNaming(root, fn)) {
		const m = re.exec(text);
		if (m) return norm(m[1]!.split(',')) !== want;
	}
	return false;
}

/** Is the value of a field expression only tested (if/while condition, !, &&, ||, ?:, == NULL)? */
function onlyTested(n: Node): boolean {
	let x = n;
	while (x.parent?.type === 'parenthesized_expression') x = x.parent;
	const p = x.parent;
	if (!p) return false;
	switch (p.type) {
		case 'if_statement':
		case 'while_statement':
		case 'do_statement':
		case 'for_statement':
		case 'conditional_expression':
			return p.childForFieldName('condition')?.id === x.id;
		case 'unary_expression':
			return p.childForFieldName('operator')?.text === '!';
		case 'binary_expression': {
			const op = p.childForFieldName('operator')?.text ?? '';
			if (op === '&&' || op === '||') return true;
			if (op !== '==' && op !== '!=') return false;
			const other = p.childForFieldName('left')?.id === x.id ? p.childForFieldName('right') : p.childForFieldName('left');
			return other?.text === 'NULL';
		}
		default:
			return false;
	}
}

/** `x->f == NULL` or `NULL != x->f` around n (through parentheses). */
function nullComparison(n: Node): FieldUse['cmp'] {
	let x = n;
	while (x.parent?.type === 'parenthesized_expression') x = x.parent;
	const p = x.parent;
	const op = p?.type === 'binary_expression' ? p.childForFieldName('operator')?.text : undefined;
	if (!p || (op !== '==' && op !== '!=')) return undefined;
	const other = p.childForFieldName('left')?.id === x.id ? p.childForFieldName('right') : p.childForFieldName('left');
	if (other?.text !== 'NULL') return undefined;
	return { start: p.startIndex, end: p.endIndex, op, parenthesized: p.parent?.type === 'parenthesized_expression' };
}
