// Converting one hook function everywhere it is named: its definition(s) (body
// rules), prototypes, EXPORT_SYMBOL, `#define name NULL` stand-ins and comments.
// Any other mention (a caller that still passes a vma, a macro) refuses it; the
// wiring spans the caller declares are left to the caller to rewrite.
import { lineOf, type Node } from '../c/parser.js';
import { withItemsTree } from '../c/partial.js';
import { ancestor, declaredName, functionDeclarator } from '../c/node.js';
import type { TreeIndex, VmaFunction } from '../find/sites.js';
import { convertHookFunction, firstLine } from '../rewrite/engine.js';
import type { Rule } from '../rewrite/rule.js';
import { Refusal } from '../rewrite/refusals.js';
import { readSource, type KernelApi } from '../kernel/tree.js';
import { EditSet } from '../rewrite/edits.js';
import { realign } from '../c/style/align.js';
import { wrapParams } from '../c/style/call.js';
import { displayWidth } from '../c/node.js';
import { ruleSet } from '../../transforms/index.js';
import { kernelDocEdits } from '../../transforms/site/kernel-doc.js';

export interface Span {
	file: string;
	start: number;
	end: number;
}

export interface FunctionJob {
	name: string;
	newName: string;
	defs: VmaFunction[];
	/** a nested hook keeps its other parameters; an f_op hook becomes (desc) */
	nested: boolean;
	/** rules tried before the standard body rules (e.g. nested dispatch calls) */
	extraRules?: Rule[];
	/** files to look in (the definition and wiring files for static functions, all mentions otherwise) */
	files: string[];
	/** mentions the caller rewrites itself */
	isWiring(span: Span): boolean;
	/** a mention inside an initialiser not known as wiring: may the caller take it on? */
	adoptInitialiser?(span: Span): boolean;
}

interface Occurrence {
	line: number;
	kind: 'definition' | 'prototype' | 'null-define' | 'export' | 'comment' | 'ignore' | 'other';
	start: number;
	end: number;
	params?: Node;
	construct?: string;
	inInitialiser?: boolean;
}

export function convertFunction(index: TreeIndex, job: FunctionJob, api: KernelApi): EditSet {
	const out = new EditSet();
	const comments: Array<[string, number, number, string?]> = [];
	for (const file of job.files) {
		const src = readSource(index.root, file);
		if (src === undefined) throw new Refusal('not-utf8', `${file} is not valid UTF-8`);
		withItemsTree(src, { words: [job.name] }, (root) => {
			for (const occ of occurrences(src, root, job.name)) {
				const span = { file, start: occ.start, end: occ.end };
				if (occ.kind === 'other' && (job.isWiring(span) || (occ.inInitialiser && job.adoptInitialiser?.(span)))) continue;
				switch (occ.kind) {
					case 'definition': {
						const fn = ancestor(root.descendantForIndex(occ.start), 'function_definition')!;
						const conv = convertHookFunction(src, file, fn, api, { ...ruleSet, body: [...(job.extraRules ?? []), ...ruleSet.body] }, { nested: job.nested, newName: job.newName });
						for (const e of conv.edits) out.add(file, e);
						conv.rules.forEach((r) => out.rules.add(r));
						out.add(file, { start: occ.start, end: occ.end, text: job.newName }, 'naming');
						for (const e of kernelDocEdits(src, fn, job.name, conv.vmaName, conv.fileName)) out.add(file, e, 'kernel-doc');
						break;
					}
					case 'prototype':
					{
						const params = prototypeParams(src, occ.params!, job.nested, job.newName.length - job.name.length, job.newName);
						if (!params) throw new Refusal('prototype', `${job.name}() has a prototype with unexpected parameters at ${file}:${occ.line}: ${occ.params!.text.replace(/\s+/g, ' ')}`);
						out.add(file, { start: occ.start, end: occ.end, text: job.newName });
						for (const e of params) out.add(file, e);
						// Upstream dropped `extern` from the prototypes it rewrote (kernel-api.md §2.5).
						const decl = ancestor(occ.params!, 'declaration');
						const ext = decl?.namedChildren.find((k) => k?.type === 'storage_class_specifier' && k.text === 'extern');
						if (ext) out.add(file, { start: ext.startIndex, end: src.slice(ext.endIndex).search(/\S/) + ext.endIndex, text: '' });
						break;
					}
					case 'export':
					case 'null-define':
						out.add(file, { start: occ.start, end: occ.end, text: job.newName });
						break;
					case 'comment': {
						comments.push([file, occ.start, occ.end]);
						// `foo_mmap - file_operations::mmap` names the hook it implements too.
						const c = ancestor(root.descendantForIndex(occ.start), 'comment')!;
						for (const m of c.text.matchAll(/\bfile_operations::mmap\b(?!_)/g))
							comments.push([file, c.startIndex + m.index! + 'file_operations::'.length, c.startIndex + m.index! + m[0].length, 'mmap_prepare']);
						break;
					}
					case 'ignore':
						break;
					default:
						throw new Refusal('other-caller', `${job.name}() is also used at ${file}:${occ.line}: ${occ.construct}; that caller still passes a vma`);
				}
			}
		});
	}
	if (!job.defs.every((d) => out.byFile.has(d.file))) throw new Refusal('definition-not-found', `the definition of ${job.name}() was not found where indexed`);
	// Comments that name the function are updated only in files the patch touches anyway.
	for (const [file, start, end, text] of comments) if (out.byFile.has(file)) out.add(file, { start, end, text: text ?? job.newName });
	return out;
}

/** Prototype parameters: (file, vma) -> (desc) for f_op hooks; only the vma one for nested hooks. */
function prototypeParams(src: string, params: Node, nested: boolean, delta: number, newName: string) {
	const decls = params.namedChildren.filter((p): p is Node => !!p && p.type === 'parameter_declaration');
	const isVma = (p: Node) => /^(const\s+)?struct\s+vm_area_struct\s*\*/.test(p.text);
	const named = (p: Node) => !!declaredName(p.childForFieldName('declarator'));
	if (!nested) {
		if (decls.length !== 2 || !/^(const\s+)?struct\s+file\s*\*/.test(decls[0]!.text) || !isVma(decls[1]!)) return undefined;
		return [{ start: params.startIndex, end: params.endIndex, text: decls.every(named) ? '(struct vm_area_desc *desc)' : '(struct vm_area_desc *)' }];
	}
	const v = decls.filter(isVma);
	if (v.length !== 1) return undefined;
	const text = src.slice(params.startIndex, v[0]!.startIndex) + (named(v[0]!) ? 'struct vm_area_desc *desc' : 'struct vm_area_desc *') + src.slice(v[0]!.endIndex, params.endIndex);
	let out = realign(src, params.startIndex, text, delta);
	// The renamed prototype may pass 100 columns: wrap it (the name ends where the list starts).
	const name = params.parent?.childForFieldName('declarator');
	if (name) out = wrapParams(out, newName, displayWidth(src.slice(src.lastIndexOf('\n', name.startIndex - 1) + 1, name.startIndex)), ';');
	return [{ start: params.startIndex, end: params.endIndex, text: out }];
}

function occurrences(src: string, root: Node, name: string): Occurrence[] {
	const out: Occurrence[] = [];
	for (const m of src.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
		const start = m.index!;
		const end = start + name.length;
		const node = root.descendantForIndex(start, end);
		const occ: Occurrence = { line: lineOf(src, start), kind: 'other', start, end };
		out.push(occ);
		if (!node) continue;
		if (ancestor(node, 'comment')) {
			occ.kind = 'comment';
			continue;
		}
		if (ancestor(node, 'string_literal', 'char_literal', 'system_lib_string')) {
			occ.kind = 'ignore';
			continue;
		}
		const define = ancestor(node, 'preproc_def');
		if (define && define.childForFieldName('name')?.startIndex === start && /^\s*NULL\s*$/.test(define.childForFieldName('value')?.text ?? '')) {
			occ.kind = 'null-define'; // `#define foo_mmap NULL` for configurations without the hook
			continue;
		}
		if (node.type === 'type_identifier' || node.type === 'field_identifier') {
			occ.kind = 'ignore'; // a struct tag or member of the same name: another namespace
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
			occ.kind = 'prototype';
			occ.params = fdecl.childForFieldName('parameters')!;
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
