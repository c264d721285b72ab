// The plan: for every old-style f_op->mmap hook under the targets, decide
// convert or refuse (with the construct and line), and collect the edits of the
// hooks that convert, grouped into patches (one per set of files that belong together).
import { lineOf, walk, withTree, type Node } from './parser.js';
import { ancestor, declaredName, functionDeclarator, lineIndent } from './cnode.js';
import { addFile, findDefinitions, type TreeIndex, type VmaFunction } from './index.js';
import { convertHookFunction, applyEdits, firstLine, type Edit } from './rewrite.js';
import { Refusal } from './rule.js';
import { readSource, type KernelApi } from './tree.js';
import { scanMentions } from './mentions.js';
import type { FileChange, HookReport, WiringSite } from './types.js';
import { bodyRules } from '../transforms/index.js';
import { preparedName, GENERIC_HOOKS } from '../transforms/naming.js';
import { rewriteInitialiser } from '../transforms/initialiser.js';
import { kernelDocEdits } from '../transforms/kernel-doc.js';

export interface PlannedPatch {
	files: string[];
	hooks: HookReport[];
	changes: FileChange[];
}

export interface Plan {
	hooks: HookReport[];
	patches: PlannedPatch[];
}

interface Hook {
	name: string;
	sites: WiringSite[];
	defs: VmaFunction[];
	report: HookReport;
	edits: Map<string, Edit[]>;
	rules: Set<string>;
	newName: string;
}

class Skip extends Error {}

/** Every occurrence of a name in one file, classified. */
interface Occurrence {
	file: string;
	line: number;
	kind: 'definition' | 'prototype' | 'null-define' | 'export' | 'comment' | 'string' | 'other';
	node?: { start: number; end: number };
	/** prototype: the parameter list range and whether its parameters are named */
	params?: { start: number; end: number; named: boolean };
	construct?: string;
	/** an 'other' occurrence inside an initialiser (maybe a wiring site) */
	inInitialiser?: boolean;
}

export function planConversions(index: TreeIndex, targetFiles: string[], api: KernelApi): Plan {
	const hooks = new Map<string, Hook>();
	const nestedReports: HookReport[] = [];
	for (const file of targetFiles) {
		for (const site of index.files.get(file)?.sites ?? []) {
			if (site.structType !== 'file_operations' || site.macro) {
				noteOtherSite(index, site, nestedReports);
				continue;
			}
			// Two drivers may each have a static foo_mmap: a static definition in the
			// wiring file makes the hook local to that file.
			const localStatic = index.files.get(site.file)?.functions.some((f) => f.name === site.value && f.isStatic);
			const key = GENERIC_HOOKS[site.value] || localStatic ? `${site.value}@${site.file}` : site.value;
			let h = hooks.get(key);
			if (!h) {
				const report: HookReport = { function: site.value, file: '', line: 0, wiring: [], status: 'skipped' };
				h = { name: site.value, sites: [], defs: [], report, edits: new Map(), rules: new Set(), newName: '' };
				hooks.set(key, h);
			}
			h.sites.push(site);
			h.report.wiring.push({ struct: site.structType, field: site.field, file: site.file, line: site.line });
		}
	}

	// Callers of non-static hooks may be anywhere in the tree: find them all in one pass.
	for (const h of hooks.values()) if (!GENERIC_HOOKS[h.name]) h.defs = findDefinitions(index, h.name, h.sites[0]!.file);
	const global = [...hooks.values()].filter((h) => h.defs.length && !h.defs.every((d) => d.isStatic));
	const mentions = scanMentions(index.root, global.flatMap((h) => [h.name, preparedName(h.name)]));
	for (const h of hooks.values()) {
		try {
			planHook(index, h, api, mentions);
			h.report.status = 'converted';
			h.report.newName = h.newName;
			h.report.rules = [...h.rules].sort(ruleOrder);
		} catch (e) {
			if (!(e instanceof Skip || e instanceof Refusal)) throw e;
			h.report.status = 'skipped';
			h.report.reason = e instanceof Refusal && e.line !== undefined ? `${e.reason} (${h.report.file || h.sites[0]!.file}:${e.line})` : e.message;
			h.edits.clear();
		}
	}
	const converted = [...hooks.values()].filter((h) => h.report.status === 'converted');
	const patches = groupPatches(index.root, converted);
	const reports = [...hooks.values()].map((h) => h.report).concat(nestedReports);
	reports.sort((a, b) => (a.file || a.wiring[0]?.file || '').localeCompare(b.file || b.wiring[0]?.file || '') || a.line - b.line);
	return { hooks: reports, patches };
}

function ruleOrder(a: string, b: string): number {
	const n = (s: string) => (/^P(\d+)/.exec(s) ? Number(/^P(\d+)/.exec(s)![1]) : 100);
	return n(a) - n(b) || a.localeCompare(b);
}

/** Hooks wired into other structs or by macros are reported; chains are a later step. */
function noteOtherSite(index: TreeIndex, site: WiringSite, out: HookReport[]): void {
	const defs = index.files.get(site.file)?.functions.filter((f) => f.name === site.value) ?? [];
	if (site.structType !== 'file_operations' && !defs.length) return; // not known to take a vma
	const why = site.macro
		? `wired inside macro ${site.macro}; macro-generated wiring is not converted`
		: `nested hook of struct ${site.structType || '(unknown)'} .${site.field}; chains through struct fields are not converted yet`;
	out.push({
		function: site.value,
		file: defs[0]?.file ?? '',
		line: defs[0]?.line ?? 0,
		wiring: [{ struct: site.structType, field: site.field, file: site.file, line: site.line }],
		status: 'skipped',
		reason: `${why} (${site.file}:${site.line})`,
	});
}

function addEdit(h: Hook, file: string, e: Edit): void {
	let l = h.edits.get(file);
	if (!l) h.edits.set(file, (l = []));
	if (!l.some((x) => x.start === e.start && x.end === e.end)) l.push(e);
}

function siteEdit(index: TreeIndex, h: Hook, site: WiringSite, newValue: string): void {
	const src = readSource(index.root, site.file)!;
	const text = src.slice(site.start, site.end);
	const bol = src.lastIndexOf('\n', site.start - 1) + 1;
	// can_mmap_file(): a file may set .mmap or .mmap_prepare, never both.
	withTree(src, (root) => {
		const list = ancestor(root.descendantForIndex(site.start + 1), 'initializer_list');
		if (list && /\.mmap_prepare\s*=/.test(list.text)) throw new Skip(`${site.file}:${site.line}: the initialiser already sets .mmap_prepare`);
	});
	addEdit(h, site.file, { start: site.start, end: site.end, text: rewriteInitialiser(src.slice(bol, site.start), text, 'mmap_prepare', newValue) });
	h.rules.add('P2');
}

function planHook(index: TreeIndex, h: Hook, api: KernelApi, mentions: Map<string, string[]>): void {
	const first = h.sites[0]!;
	if (!api.mmapPrepare) throw new Skip('this tree has no f_op->mmap_prepare');
	const generic = GENERIC_HOOKS[h.name];
	if (generic) {
		h.report.file = first.file;
		h.report.line = first.line;
		if (!api.genericPrepare) throw new Skip(`this tree has no ${generic}()`);
		h.newName = generic;
		for (const s of h.sites) siteEdit(index, h, s, generic);
		h.rules.add('P17');
		return;
	}
	if (!h.defs.length) throw new Skip(`no definition of ${h.name}() taking a struct vm_area_struct * was found (wired at ${first.file}:${first.line})`);
	const def = h.defs[0]!;
	h.report.file = def.file;
	h.report.line = def.line;
	if (h.defs.some((d) => d.isStatic) && h.sites.some((s) => !h.defs.some((d) => d.file === s.file)))
		throw new Skip(`static ${h.name}() is wired from another file`);
	h.newName = preparedName(h.name);

	// Every mention of the name must be one we rewrite; anything else means the
	// function has another caller that still passes a vma.
	const static_ = h.defs.every((d) => d.isStatic);
	const files = static_ ? [...new Set([...h.defs.map((d) => d.file), ...h.sites.map((s) => s.file)])] : mentions.get(h.name)!;
	const clash = static_ ? files : mentions.get(h.newName)!;
	for (const f of clash) if (new RegExp(`\\b${h.newName}\\b`).test(readSource(index.root, f) ?? ''))
		throw new Skip(`the new name ${h.newName} is already used in ${f}`);

	const commentEdits: Array<[string, Edit]> = [];
	for (const file of files) {
		const src = readSource(index.root, file);
		if (src === undefined) throw new Skip(`${file} is not valid UTF-8`);
		withTree(src, (root) => {
			for (const occ of occurrences(file, src, root, h.name)) {
				if (occ.kind === 'other' && h.sites.some((st) => st.file === file && st.start <= occ.node!.start && occ.node!.end <= st.end)) continue;
				if (occ.kind === 'other' && occ.inInitialiser) {
					// wired from a file outside the targets: convert that site too
					const site = addFile(index, file)?.sites.find((s) => s.start <= occ.node!.start && occ.node!.end <= s.end);
					if (site && site.structType === 'file_operations' && !site.macro) {
						if (!h.sites.includes(site)) {
							h.sites.push(site);
							h.report.wiring.push({ struct: site.structType, field: site.field, file: site.file, line: site.line });
						}
						continue;
					}
				}
				switch (occ.kind) {
					case 'definition': {
						const fn = ancestor(root.descendantForIndex(occ.node!.start), 'function_definition')!;
						const conv = convertHookFunction(src, file, fn, api, bodyRules);
						for (const e of conv.edits) addEdit(h, file, e);
						conv.rules.forEach((r) => h.rules.add(r));
						addEdit(h, file, { start: occ.node!.start, end: occ.node!.end, text: h.newName });
						h.rules.add('naming');
						for (const e of kernelDocEdits(src, fn, h.name, conv.vmaName, conv.fileName)) {
							addEdit(h, file, e);
							h.rules.add('kernel-doc');
						}
						break;
					}
					case 'prototype':
						addEdit(h, file, { start: occ.node!.start, end: occ.node!.end, text: h.newName });
						addEdit(h, file, { ...occ.params!, text: occ.params!.named ? '(struct vm_area_desc *desc)' : '(struct vm_area_desc *)' });
						break;
					case 'export':
					case 'null-define':
						addEdit(h, file, { start: occ.node!.start, end: occ.node!.end, text: h.newName });
						break;
					case 'comment':
						commentEdits.push([file, { start: occ.node!.start, end: occ.node!.end, text: h.newName }]);
						break;
					case 'string':
						break;
					default:
						throw new Skip(`${h.name}() is also used at ${file}:${occ.line}: ${occ.construct}; that caller still passes a vma`);
				}
			}
		});
	}
	for (const s of h.sites) siteEdit(index, h, s, h.newName);
	// Comments that name the function are updated only in files the patch touches anyway.
	for (const [file, e] of commentEdits) if (h.edits.has(file)) addEdit(h, file, e);
}

function occurrences(file: string, src: string, root: Node, name: string): Occurrence[] {
	const out: Occurrence[] = [];
	const re = new RegExp(`\\b${name}\\b`, 'g');
	for (const m of src.matchAll(re)) {
		const start = m.index!;
		const end = start + name.length;
		const node = root.descendantForIndex(start, end);
		const occ: Occurrence = { file, line: lineOf(src, start), kind: 'other', node: { start, end } };
		out.push(occ);
		if (!node) continue;
		if (ancestor(node, 'comment')) {
			occ.kind = 'comment';
			continue;
		}
		if (ancestor(node, 'string_literal', 'char_literal', 'system_lib_string')) {
			occ.kind = 'string';
			continue;
		}
		const define = ancestor(node, 'preproc_def');
		if (define && define.childForFieldName('name')?.startIndex === start && /^\s*NULL\s*$/.test(define.childForFieldName('value')?.text ?? '')) {
			occ.kind = 'null-define'; // `#define foo_mmap NULL` for configurations without the hook
			continue;
		}
		if (node.type === 'type_identifier' || node.type === 'field_identifier') {
			occ.kind = 'string'; // a struct tag or member of the same name: another namespace
			continue;
		}
		if (ancestor(node, 'preproc_def', 'preproc_function_def', 'preproc_arg')) {
			occ.construct = `inside a macro: ${firstLine(ancestor(node, 'preproc_def', 'preproc_function_def')?.text ?? node.text)}`;
			continue;
		}
		if (node.type !== 'identifier' || node.text !== name) {
			occ.construct = firstLine(node.parent?.text ?? node.text);
			continue;
		}
		const p = node.parent!;
		const fnDef = ancestor(node, 'function_definition');
		const fdecl = p.type === 'function_declarator' ? p : null;
		if (fdecl && fnDef && functionDeclarator(fnDef.childForFieldName('declarator'))?.id === fdecl.id) {
			occ.kind = 'definition';
			continue;
		}
		if (fdecl && ancestor(fdecl, 'declaration') && !fnDef) {
			const params = fdecl.childForFieldName('parameters')!;
			occ.kind = 'prototype';
			const named = params.namedChildren.every((pd) => !pd || pd.type !== 'parameter_declaration' || !!declaredName(pd.childForFieldName('declarator')));
			const types = params.text.replace(/\s+/g, ' ');
			if (!/^\(\s*(const )?struct file \*\s*\w*\s*,\s*struct vm_area_struct \*\s*\w*\s*\)$/.test(types)) {
				occ.kind = 'other';
				occ.construct = `prototype with unexpected parameters ${types}`;
			}
			occ.params = { start: params.startIndex, end: params.endIndex, named };
			continue;
		}
		const call = ancestor(node, 'call_expression');
		if (call && /^EXPORT_SYMBOL\w*$/.test(call.childForFieldName('function')?.text ?? '') && !fnDef) {
			occ.kind = 'export';
			continue;
		}
		if (ancestor(node, 'initializer_list')) occ.inInitialiser = true;
		occ.construct = firstLine((ancestor(node, 'expression_statement', 'declaration', 'initializer_pair', 'return_statement') ?? p).text);
	}
	return out;
}

/** Hooks whose edits touch a common file go into one patch. */
function groupPatches(root: string, hooks: Hook[]): PlannedPatch[] {
	const parent = new Map<string, string>();
	const find = (x: string): string => {
		while (parent.get(x) !== x) x = parent.get(x)!;
		return x;
	};
	for (const h of hooks) for (const f of h.edits.keys()) if (!parent.has(f)) parent.set(f, f);
	for (const h of hooks) {
		const fs_ = [...h.edits.keys()];
		for (const f of fs_.slice(1)) parent.set(find(f), find(fs_[0]!));
	}
	const groups = new Map<string, Hook[]>();
	for (const h of hooks) {
		const g = find([...h.edits.keys()][0]!);
		if (!groups.has(g)) groups.set(g, []);
		groups.get(g)!.push(h);
	}
	const patches: PlannedPatch[] = [];
	for (const hs of groups.values()) {
		const perFile = new Map<string, Edit[]>();
		for (const h of hs) for (const [f, es] of h.edits) perFile.set(f, [...(perFile.get(f) ?? []), ...es]);
		const changes: FileChange[] = [...perFile.keys()].sort().map((f) => {
			const before = readSource(root, f)!;
			return { path: f, before, after: applyEdits(before, perFile.get(f)!) };
		});
		patches.push({ files: changes.map((c) => c.path), hooks: hs.map((h) => h.report), changes });
	}
	patches.sort((a, b) => a.files[0]!.localeCompare(b.files[0]!));
	return patches;
}

export { lineIndent };
