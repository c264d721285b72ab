// Comparing a dup.h item with its kernel original.
//
// Texts are compared as C token sequences: whitespace, line continuations and
// comments never count.  An object-like macro whose body starts with `(` stays
// distinct from a function-like macro.
import { diffArrays, structuredPatch } from 'diff';
import { stripComments, tokenize, type ItemKind, type ScannedItem } from './scan.js';
import type { Enumerator, KernelItem } from './kindex.js';
import type { Overrides } from './overrides.js';

export type DupClass = 'in-sync' | 'linkage' | 'drift' | 'custom' | 'no-original';

/** A kernel original: an item of a kernel file, or an enum constant standing behind a dup.h macro. */
export interface Original {
	file: string;
	line: number;
	endLine: number;
	kind: ItemKind | 'enumerator';
	name: string;
	cond: string[];
	text: string;
	params?: string[] | null;
	body?: string;
	/** for an enum constant: the value tokens (null when implicit) */
	value?: string[] | null;
}

export interface Verdict {
	class: DupClass;
	/** one line saying why */
	detail: string;
	/** drift made only of `const` qualifiers (the kernel gained or lost const) */
	constOnly?: boolean;
	/** dup.h adds `static inline` to an out-of-line function, or stands in for the kernel's (macro, prototype) */
	linkage?: boolean;
	/** the item differs from the kernel original only in comments */
	commentsDiffer?: boolean;
	/** for custom: the recorded reason and where it comes from */
	reason?: string;
	reasonSource?: string;
	/** an override or built-in customisation entry that this item no longer needs */
	unusedOverride?: string;
	/** short unified diff, dup.h item → kernel original (comments and whitespace normalised) */
	diff?: string;
	/** number of differing tokens (0 for in-sync) */
	distance: number;
}

const LINKAGE_WORDS = new Set(['static', 'inline', '__always_inline', 'extern', '__inline', '__inline__']);

export function originalOf(k: KernelItem): Original {
	const o: Original = { file: k.file, line: k.line, endLine: k.endLine, kind: k.kind, name: k.name, cond: k.cond, text: k.text };
	if (k.kind === 'define') {
		o.params = k.params ?? null;
		o.body = k.body ?? '';
	}
	return o;
}

export function originalOfEnumerator(e: Enumerator): Original {
	return { ...originalOf(e.enumItem), kind: 'enumerator', name: e.name, value: e.value };
}

/** The token sequence compared for an item. */
export function itemTokens(item: { kind: string; name: string; text: string; params?: string[] | null; body?: string }): string[] {
	if (item.kind === 'define') {
		const head = ['#define', item.name];
		if (item.params) head.push('(', ...item.params.join(',').split(/(,)/).filter(Boolean), ')');
		else head.push('<object-like>');
		return [...head, ...tokenize(item.body ?? '')];
	}
	return tokenize(item.text);
}

const eq = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
const noConst = (a: string[]) => a.filter((t) => t !== 'const');

function tokenDistance(a: string[], b: string[]): number {
	if (eq(a, b)) return 0;
	let d = 0;
	for (const part of diffArrays(a, b)) if (part.added || part.removed) d += part.count ?? part.value.length;
	return d;
}

/** Leading storage-class and inline specifiers of a function, and the rest. */
function splitLinkage(toks: string[]): { linkage: string[]; rest: string[] } {
	let i = 0;
	while (i < toks.length && LINKAGE_WORDS.has(toks[i]!)) i++;
	return { linkage: toks.slice(0, i), rest: toks.slice(i) };
}

const isInline = (linkage: string[]) => linkage.some((t) => /inline/.test(t));

/** Tokens of a function's declarator up to the closing `)` of its parameter list. */
function signature(toks: string[], name: string): { before: string[]; params: string[][] } | null {
	const at = toks.findIndex((t, i) => t === name && toks[i + 1] === '(');
	if (at < 0) return null;
	let depth = 0;
	const params: string[][] = [[]];
	for (let i = at + 1; i < toks.length; i++) {
		const t = toks[i]!;
		if (t === '(') {
			if (depth++ === 0) continue;
		} else if (t === ')') {
			if (--depth === 0) {
				const ps = params.filter((p) => p.length && !(p.length === 1 && p[0] === 'void'));
				return { before: splitLinkage(toks.slice(0, at)).rest, params: ps.map(dropParamName) };
			}
		} else if (t === ',' && depth === 1) {
			params.push([]);
			continue;
		}
		params[params.length - 1]!.push(t);
	}
	return null;
}

const TYPE_WORDS = new Set(['int', 'long', 'short', 'char', 'unsigned', 'signed', 'void', 'bool', '_Bool', 'float', 'double', 'const', 'volatile']);

/** `struct vm_area_struct *vma` → `struct vm_area_struct *`; unnamed parameters stay as they are. */
function dropParamName(p: string[]): string[] {
	if (p.length < 2) return p;
	const last = p[p.length - 1]!;
	const prev = p[p.length - 2]!;
	if (!/^[A-Za-z_]\w*$/.test(last) || TYPE_WORDS.has(last) || prev === 'struct' || prev === 'union' || prev === 'enum') return p;
	return p.slice(0, -1);
}

function paramCount(toks: string[], name: string): number | null {
	const s = signature(toks, name);
	return s ? s.params.length : null;
}

/**
 * The structural verdict: how the item relates to this original, without
 * looking at customisation lists.
 */
export function compareItem(item: ScannedItem, orig: Original): Omit<Verdict, 'diff'> {
	const a = itemTokens(item);
	if (orig.kind === 'enumerator') {
		if (item.kind !== 'define') return { class: 'drift', detail: `kernel has an enum constant, dup.h a ${item.kind}`, distance: a.length };
		const body = tokenize(item.body ?? '');
		if (orig.value && eq(stripParens(body), stripParens(orig.value)))
			return { class: 'linkage', linkage: true, detail: 'macro stands in for a kernel enum constant of the same value', distance: 0 };
		return { class: 'drift', detail: `macro value ${body.join(' ')} differs from the enum constant's ${orig.value ? orig.value.join(' ') : '(implicit value)'}`, distance: body.length };
	}
	const b = itemTokens(orig);
	if (eq(a, b)) {
		const commentsDiffer = squeeze(item.text) !== squeeze(orig.text);
		return { class: 'in-sync', detail: commentsDiffer ? 'comments differ' : 'identical', commentsDiffer, distance: 0 };
	}
	const origFn = orig.kind === 'function' || orig.kind === 'prototype';
	// a macro standing in for a kernel function
	if (item.kind === 'define' && origFn) {
		const n = paramCount(b, orig.name);
		const inline = orig.kind === 'function' && isInline(splitLinkage(b).linkage);
		if (item.params && n === item.params.length)
			return {
				class: 'linkage',
				linkage: true,
				detail: inline ? 'macro stands in for a kernel static inline function' : `macro stands in for a kernel ${orig.kind === 'function' ? 'out-of-line function' : 'function'}`,
				distance: 0,
			};
		return { class: 'drift', detail: `macro has ${item.params ? item.params.length : 'no'} parameters, the kernel function ${n ?? '?'}`, distance: tokenDistance(a, b) };
	}
	// a prototype standing in for a kernel function definition
	if (item.kind === 'prototype' && orig.kind === 'function') {
		const s1 = signature(a, item.name);
		const s2 = signature(b, orig.name);
		if (s1 && s2 && eq(s1.before, s2.before) && s1.params.length === s2.params.length && s1.params.every((p, i) => eq(p, s2.params[i]!)))
			return {
				class: 'linkage',
				linkage: true,
				detail: isInline(splitLinkage(b).linkage) ? 'prototype stands in for a kernel static inline function' : 'prototype of a kernel function',
				distance: 0,
			};
		if (s1 && s2 && eq(noConst(s1.before), noConst(s2.before)) && s1.params.length === s2.params.length && s1.params.every((p, i) => eq(noConst(p), noConst(s2.params[i]!))))
			return { class: 'drift', constOnly: true, linkage: true, detail: constDetail(a, b) + ' (prototype stand-in)', distance: tokenDistance(a, b) };
		return { class: 'drift', linkage: true, detail: 'prototype signature differs from the kernel function', distance: tokenDistance(a, b) };
	}
	// a function copied with `static inline` added
	if (item.kind === 'function' && orig.kind === 'function') {
		const x = splitLinkage(a);
		const y = splitLinkage(b);
		const sameLinkage = eq(x.linkage, y.linkage);
		const outOfLine = !isInline(y.linkage);
		const linkage = !sameLinkage && outOfLine && isInline(x.linkage);
		if (eq(x.rest, y.rest)) {
			if (linkage) return { class: 'linkage', linkage: true, detail: `${x.linkage.join(' ')} copy of an out-of-line kernel function`, distance: 0 };
			return { class: 'drift', detail: `specifiers differ: dup.h "${x.linkage.join(' ')}", kernel "${y.linkage.join(' ')}"`, distance: tokenDistance(x.linkage, y.linkage) };
		}
		if (eq(noConst(x.rest), noConst(y.rest)))
			return { class: 'drift', constOnly: true, linkage: linkage || undefined, detail: constDetail(x.rest, y.rest), distance: tokenDistance(x.rest, y.rest) };
		return {
			class: 'drift',
			linkage: linkage || undefined,
			detail: linkage ? `body differs (besides ${x.linkage.join(' ')} added)` : 'body differs',
			distance: tokenDistance(x.rest, y.rest),
		};
	}
	if (item.kind === 'function' && orig.kind === 'prototype') {
		const s1 = signature(a, item.name);
		const s2 = signature(b, orig.name);
		if (s1 && s2 && eq(s1.before, s2.before) && s1.params.length === s2.params.length && s1.params.every((p, i) => eq(p, s2.params[i]!)))
			return { class: 'linkage', linkage: true, detail: 'matches the kernel prototype; the kernel definition is outside the searched files, body not compared', distance: 1 };
		return { class: 'drift', detail: 'signature differs from the kernel prototype (definition not found)', distance: tokenDistance(a, b) };
	}
	if (eq(noConst(a), noConst(b))) return { class: 'drift', constOnly: true, detail: constDetail(a, b), distance: tokenDistance(a, b) };
	const detail =
		item.kind === orig.kind || (item.kind === 'enum' && orig.kind === 'enum')
			? item.kind === 'define'
				? 'macro differs'
				: `${item.kind} differs`
			: `dup.h has a ${item.kind}, the kernel a ${orig.kind}`;
	return { class: 'drift', detail, distance: tokenDistance(a, b) };
}

function stripParens(t: string[]): string[] {
	let x = t;
	while (x.length >= 2 && x[0] === '(' && x[x.length - 1] === ')') x = x.slice(1, -1);
	return x;
}

function constDetail(dup: string[], kern: string[]): string {
	const c1 = dup.filter((t) => t === 'const').length;
	const c2 = kern.filter((t) => t === 'const').length;
	if (c2 > c1) return 'const qualifiers only: the kernel gained const';
	if (c2 < c1) return 'const qualifiers only: the kernel dropped const';
	return 'const qualifiers only: placed differently';
}

/** Whitespace-free text, comments kept (the §5 "identical" rule). */
function squeeze(s: string): string {
	return s.replace(/\\\r?\n/g, '').replace(/\s+/g, '');
}

/**
 * Lines of an item for display in a diff: comments dropped, blank lines
 * dropped, inner whitespace collapsed, indentation kept as tabs.
 */
export function displayLines(text: string): string {
	const out: string[] = [];
	for (const raw of stripComments(text).split('\n')) {
		const cont = /\\\s*$/.test(raw);
		const line = raw.replace(/\s*\\\s*$/, '').replace(/\s+$/, '');
		if (!line.trim()) continue;
		const lead = /^[ \t]*/.exec(line)![0];
		let width = 0;
		for (const ch of lead) width = ch === '\t' ? (Math.floor(width / 8) + 1) * 8 : width + 1;
		out.push('\t'.repeat(Math.floor(width / 8)) + ' '.repeat(width % 8) + line.slice(lead.length).replace(/\s+/g, ' ') + (cont ? ' \\' : ''));
	}
	return out.join('\n') + '\n';
}

/** A short unified diff (context 1, at most maxLines hunk lines), dup.h item → kernel original. */
export function shortDiff(item: ScannedItem, orig: Original, dupPath: string, opts: { maxLines?: number; dropLinkage?: boolean } = {}): string {
	let left = item.text;
	if (opts.dropLinkage) left = left.replace(/^(\s*)static\s+(?:inline|__always_inline)\s+/, '$1');
	const p = structuredPatch(`${dupPath}:${item.line}`, `${orig.file}:${orig.line}`, displayLines(left), displayLines(orig.text), '', '', { context: 1 });
	const max = opts.maxLines ?? 30;
	const lines = [`--- ${p.oldFileName}`, `+++ ${p.newFileName}`];
	let body = 0;
	let cut = 0;
	for (const h of p.hunks) {
		const hl = [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines.filter((l) => !l.startsWith('\\'))];
		for (const l of hl) {
			if (body < max) lines.push(l);
			else cut++;
			body++;
		}
	}
	if (cut) lines.push(`… ${cut} more diff line${cut === 1 ? '' : 's'}`);
	return lines.join('\n');
}

/** A `testing:` comment inside the item marks a deliberate change (dup.h's own convention). */
export function testingMarker(text: string): string | undefined {
	const m = /\/[*/]\s*testing:\s*([^*\n]*)/i.exec(text);
	return m ? `dup.h comment "testing: ${m[1]!.trim()}"` : undefined;
}

/**
 * Classify a dup.h item against its kernel original (null: none found).
 * Overrides (built-in customisations plus the tree's file) turn drift into
 * custom; an override entry on an item that is in sync is reported as unused.
 */
export function classify(item: ScannedItem, original: Original | null, overrides?: Overrides, opts: { dupPath?: string; diffLines?: number } = {}): Verdict {
	const entry = overrides?.get(item.name);
	if (!original) {
		if (entry?.verdict === 'custom') return { class: 'custom', detail: 'no kernel original (deliberate)', reason: entry.reason, reasonSource: entry.source, distance: 0 };
		return { class: 'no-original', detail: 'no kernel definition under this name', distance: 0 };
	}
	const v: Verdict = compareItem(item, original);
	if (v.class === 'drift' && original.kind !== 'enumerator')
		v.diff = shortDiff(item, original, opts.dupPath ?? 'dup.h', { maxLines: opts.diffLines, dropLinkage: v.linkage && item.kind === 'function' });
	if (entry?.verdict === 'custom') {
		if (v.class === 'drift') return { ...v, class: 'custom', reason: entry.reason, reasonSource: entry.source };
		v.unusedOverride = `${entry.source}: listed as custom but ${v.class}`;
		return v;
	}
	if (v.class === 'drift' && entry?.verdict !== 'drift') {
		const marker = testingMarker(item.text);
		if (marker) return { ...v, class: 'custom', reason: marker, reasonSource: 'dup.h' };
	}
	return v;
}

/** Rank of a verdict when choosing among several originals (lower is better). */
export function verdictRank(v: Omit<Verdict, 'diff'>): number {
	switch (v.class) {
		case 'in-sync':
			return 0;
		case 'linkage':
			return 1;
		default:
			return v.constOnly ? 2 : 3;
	}
}

/** Number of conditions on one side and not the other; include guards ignored. */
export function condMismatch(a: string[], b: string[]): number {
	const guard = (c: string) => /^!defined\(_*\w*_H(?:_\w*)?_*\)$/.test(c);
	const x = a.filter((c) => !guard(c));
	const y = b.filter((c) => !guard(c));
	return x.filter((c) => !y.includes(c)).length + y.filter((c) => !x.includes(c)).length;
}

export type { ItemKind };
