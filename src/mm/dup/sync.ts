// `mmapify sync-dup` (fix mode): the dup.h text that brings stale items back
// in sync with the kernel.
//
// Each stale item is replaced by its kernel original, verbatim, keeping the
// `static inline` that a userland copy of an out-of-line function needs.  Then:
//  - an item must follow what it uses: when a re-synced item now uses a dup.h
//    item defined further down (compat_set_desc_from_vma → vma_start_pgoff in
//    7.3), the item moves down after it, or the dependency moves up;
//  - what the new text uses and neither dup.h nor the userland headers define
//    (VM_UFFD_RWP for VM_COPY_ON_FORK in 7.3) is copied from the original's
//    kernel file, just before the item, with its #if/#else block;
//  - an item whose new text needs something that cannot be copied that way is
//    left alone and reported.
import { escapeRegExp } from '../../base/text.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDup, type DupReport, type ReportItem } from './check.js';
import { splitItems, DUP_PATH } from './items.js';
import { kernelIndex, type KernelIndex, type KernelItem } from './kindex.js';
import { scanItems, stripComments, tokenize } from './scan.js';

export interface SyncChange {
	name: string;
	/** line of the item in the old dup.h (0 for added items) */
	line: number;
	action: 'synced' | 'added' | 'moved' | 'skipped';
	detail: string;
}

export interface SyncResult {
	dupPath: string;
	before: string;
	after: string;
	changes: SyncChange[];
}

export interface SyncOptions {
	/** re-sync only these items (names as in the report) */
	only?: string[];
	/** never touch these items */
	exclude?: string[];
	/** a report from checkDup() for the same tree (computed if absent) */
	report?: DupReport;
	index?: KernelIndex;
}

interface Seg {
	/** text between the previous item (or the marker) and this item */
	lead: string;
	text: string;
	name: string;
	kind: string;
	cond: string[];
	line: number;
	/** the text in the old dup.h */
	old: string;
	synced?: boolean;
	added?: boolean;
}

const LINKAGE = /^(?:(?:static|inline|__always_inline|extern)\s+)+/;
const KEYWORDS = new Set([
	'if', 'else', 'for', 'while', 'do', 'return', 'switch', 'case', 'default', 'break', 'continue', 'goto', 'sizeof', 'typeof',
	'struct', 'union', 'enum', 'typedef', 'static', 'inline', 'extern', 'const', 'volatile', 'unsigned', 'signed', 'int', 'long',
	'short', 'char', 'void', 'bool', 'true', 'false', 'defined', 'define', 'ifdef', 'ifndef', 'endif', 'elif', 'include', 'undef',
]);

/**
 * Identifiers an item uses, and whether each is called (`name(`).  Not
 * counted: the item's own name, macro parameters, member names after . and
 * ->, struct/union/enum tags (a pointer to an incomplete type needs no
 * definition) and the names tested by #if/#ifdef lines.
 */
function uses(text: string, self: string, kind = '', pasting: Map<string, Set<number>> = new Map()): Map<string, boolean> {
	const members = kind === 'struct' || kind === 'union';
	const code = text.replace(/^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b.*(?:\\\r?\n.*)*$/gm, ' ');
	const toks = tokenize(code);
	const out = new Map<string, boolean>();
	const skip = new Set<number>();
	let params = new Set<string>();
	const m = /^#\s*define\s+\w+\(([^)]*)\)/.exec(text);
	if (m) params = new Set(m[1]!.split(',').map((p) => p.trim()));
	for (let i = 0; i < toks.length; i++) {
		const t = toks[i]!;
		const paste = pasting.get(t);
		if (paste && toks[i + 1] === '(') {
			// M(READ, 0) where M pastes its first parameter (VMA_ ## name ## _BIT): READ is not used
			let depth = 0;
			let arg = 0;
			for (let j = i + 1; j < toks.length; j++) {
				const u = toks[j]!;
				if (u === '(') depth++;
				else if (u === ')' && --depth === 0) break;
				else if (u === ',' && depth === 1) arg++;
				else if (depth === 1 && paste.has(arg) && /^[A-Za-z_]\w*$/.test(u) && (toks[j - 1] === '(' || toks[j - 1] === ',') && (toks[j + 1] === ',' || toks[j + 1] === ')')) skip.add(j);
			}
		}
		if (skip.has(i)) continue;
		if (!/^[A-Za-z_]\w*$/.test(t) || t === self || KEYWORDS.has(t) || params.has(t)) continue;
		const prev = toks[i - 1];
		if (prev === '.' || prev === '->' || prev === 'struct' || prev === 'union' || prev === 'enum') continue;
		// member and parameter names in a struct definition
		if (members && /^[[:),]$/.test(toks[i + 1] ?? '')) continue;
		out.set(t, (out.get(t) ?? false) || toks[i + 1] === '(');
	}
	return out;
}

/**
 * Names the userland test build defines outside dup.h (tools/include,
 * tools/testing/{vma,shared}, tools/arch/x86): `before` dup.h is included
 * (everything but include/custom.h), or anywhere.
 */
function userlandNames(root: string): { before: Set<string>; all: Set<string> } {
	const before = new Set<string>();
	const all = new Set<string>();
	const dirs = ['tools/include', 'tools/testing/shared', 'tools/arch/x86/include', 'tools/testing/vma'];
	const visit = (rel: string) => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			const r = `${rel}/${e.name}`;
			if (e.isDirectory()) visit(r);
			else if (/\.h$/.test(e.name) && r !== DUP_PATH) {
				const early = !r.endsWith('/include/custom.h');
				const text = fs.readFileSync(path.join(root, r), 'utf8');
				for (const it of scanItems(text)) {
					for (const n of definedBy(it)) {
						all.add(n);
						if (early) before.add(n);
					}
				}
			}
		}
	};
	for (const d of dirs) visit(d);
	return { before, all };
}

/** Names an item defines: its name, and the constants of an enum (including DECLARE_VMA_BIT(X, n) → VMA_X_BIT). */
function definedBy(seg: { text: string; name: string; kind: string }): string[] {
	const out = [seg.name];
	if (seg.kind === 'enum') {
		const body = stripComments(seg.text);
		for (const m of body.matchAll(/^\s*([A-Za-z_]\w*)\s*(?:=[^,}]*)?,/gm)) out.push(m[1]!);
		for (const m of body.matchAll(/DECLARE_VMA_BIT(?:_ALIAS)?\((\w+),/g)) out.push(`VMA_${m[1]}_BIT`);
	}
	return out;
}

/**
 * The kernel text to copy for a missing name: its definition in `file`, or,
 * when it is defined in several #if branches there, the whole #if…#endif
 * block (if the block holds nothing else).
 */
function kernelDefinition(index: KernelIndex, root: string, file: string, name: string): { text: string; kind: string } | null {
	const all = index.indexed(name).filter((k) => k.file === file && !['prototype', 'struct', 'union', 'variable'].includes(k.kind));
	if (!all.length) return null;
	const guard = (c: string) => /^!defined\(_*\w*_H(?:_\w*)?_*\)$/.test(c);
	const conds = (k: KernelItem) => k.cond.filter((c) => !guard(c));
	if (all.length === 1 && conds(all[0]!).length === 0) return { text: all[0]!.text, kind: all[0]!.kind };
	const src = fs.readFileSync(path.join(root, file), 'utf8');
	const block = enclosingIf(src, Math.min(...all.map((k) => k.start)), Math.max(...all.map((k) => k.end)));
	if (!block) return null;
	// only directives, comments and the variants themselves
	let rest = src.slice(block.start, block.end);
	for (const k of [...all].sort((a, b) => b.start - a.start)) rest = rest.slice(0, k.start - block.start) + rest.slice(k.end - block.start);
	const leftover = stripComments(rest)
		.split('\n')
		.filter((l) => l.trim() && !/^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b/.test(l));
	if (leftover.length) return null;
	return { text: src.slice(block.start, block.end), kind: all[0]!.kind };
}

/** The innermost #if…#endif block around [start, end) (offsets of the `#if` line start and after `#endif`). */
function enclosingIf(src: string, start: number, end: number): { start: number; end: number } | null {
	const stack: number[] = [];
	let best: { start: number; end: number } | null = null;
	const re = /^[ \t]*#[ \t]*(if|ifdef|ifndef|endif)\b.*$/gm;
	for (let m = re.exec(src); m; m = re.exec(src)) {
		if (m[1] === 'endif') {
			const s = stack.pop();
			const e = m.index + m[0].length;
			if (s !== undefined && s <= start && e >= end && (!best || s > best.start)) best = { start: s, end: e };
		} else stack.push(m.index);
	}
	return best;
}

function attachedComment(lead: string): { rest: string; comment: string } {
	// a comment block that ends right before the item (no blank line in between)
	const m = /(\n|^)((?:[ \t]*\/\*[\s\S]*?\*\/[ \t]*\n|[ \t]*\/\/[^\n]*\n)+)$/.exec(lead);
	if (!m) return { rest: lead, comment: '' };
	return { rest: lead.slice(0, m.index + m[1]!.length), comment: m[2]! };
}

/**
 * Split the text before an item into what closes or follows the previous items
 * (`#endif`, `#else`, `#undef`, loose comments) and what opens this item's
 * context (an unclosed `#if` and what follows it, or the item's own comment).
 */
function splitLead(lead: string): { before: string; after: string } {
	const lines = lead.split('\n');
	let depth = 0;
	let open = -1;
	for (const [j, l] of lines.entries()) {
		if (/^\s*#\s*if/.test(l)) {
			if (depth === 0) open = j;
			depth++;
		} else if (/^\s*#\s*endif/.test(l) && --depth <= 0) {
			depth = 0;
			open = -1;
		}
	}
	if (open < 0) {
		const { rest, comment } = attachedComment(lead);
		return { before: rest, after: comment };
	}
	return { before: lines.slice(0, open).join('\n'), after: lines.slice(open).join('\n') };
}

/** Insert items before item k, at k's #if level (after any #endif that closes the items before). */
function insertAt(segs: Seg[], k: number, add: Seg[]): void {
	const next = segs[k];
	if (next && add.length) {
		const { before, after } = splitLead(next.lead);
		if (before.trim()) add[0]!.lead = before.trimEnd() + add[0]!.lead;
		next.lead = '\n\n' + after.replace(/^\n+/, '');
	}
	segs.splice(k, 0, ...add);
}

const IF_LINE = /^([\s\S]*)(^[ \t]*#[ \t]*if(?:n?def)?\b[^\n]*\n)(\s*)$/m;
const ENDIF_LINE = /^(\s*\n)([ \t]*#[ \t]*endif\b[^\n]*)/;

/** An item can move if it is outside any #if, or alone in its #if…#endif block (which moves with it). */
function movable(segs: Seg[], i: number): boolean {
	const s = segs[i]!;
	if (!s.cond.length) return true;
	const next = segs[i + 1];
	return !!next && IF_LINE.test(s.lead) && ENDIF_LINE.test(next.lead);
}

/** Remove item i (with its attached comment and its #if block) and return it, ready to be inserted elsewhere. */
function takeSeg(segs: Seg[], i: number): Seg {
	const s = segs[i]!;
	let lead = s.lead;
	let text = s.text;
	const next = segs[i + 1];
	if (s.cond.length && next) {
		const m = IF_LINE.exec(lead)!;
		const e = ENDIF_LINE.exec(next.lead)!;
		lead = m[1]!;
		text = m[2]! + m[3]! + text + e[1]! + e[2]!;
		next.lead = next.lead.slice(e[0].length);
	}
	const { rest, comment } = attachedComment(lead);
	segs.splice(i, 1);
	if (segs[i]) segs[i]!.lead = (rest.trim() ? rest.trimEnd() : '') + segs[i]!.lead;
	return { ...s, lead: '\n\n' + comment, text };
}

/** The new dup.h text that re-syncs the stale items of the tree at root. */
export function syncDupPatch(root: string, opts: SyncOptions = {}): SyncResult {
	const index = opts.index ?? kernelIndex(root);
	const report = opts.report ?? checkDup(root, { index });
	const dupPath = report.dupPath;
	const before = fs.readFileSync(path.join(root, dupPath), 'utf8');
	const items = splitItems(before);
	const changes: SyncChange[] = [];
	if (items.length !== report.items.length) throw new Error(`${dupPath} changed since the report was made`);

	const first = items[0];
	const head = before.slice(0, first ? first.start : before.length);
	const segs: Seg[] = items.map((it, i) => ({
		lead: i === 0 ? '' : before.slice(items[i - 1]!.end, it.start),
		text: it.text,
		old: it.text,
		name: it.name,
		kind: it.kind,
		cond: it.cond,
		line: it.line,
	}));
	const tail = items.length ? before.slice(items[items.length - 1]!.end) : '';
	const userland = userlandNames(root);

	const wanted = (r: ReportItem) => r.class === 'drift' && (!opts.only || opts.only.includes(r.name)) && !opts.exclude?.includes(r.name);

	// 1. replace stale items by their kernel originals
	for (const [i, r] of report.items.entries()) {
		if (!wanted(r)) continue;
		const it = items[i]!;
		const seg = segs[i]!;
		const o = r.original;
		if (!o) continue;
		if (o.kind === 'enumerator') {
			const e = index.enumerator(r.name).find((x) => x.enumItem.file === o.file);
			if (!e?.value) {
				changes.push({ name: r.name, line: r.line, action: 'skipped', detail: 'stands in for an enum constant with an implicit value' });
				continue;
			}
			seg.text = `#define ${r.name} ${e.value.join(' ')}`;
		} else if (it.kind !== o.kind) {
			changes.push({ name: r.name, line: r.line, action: 'skipped', detail: `dup.h has a ${it.kind} standing in for the kernel ${o.kind} (defined elsewhere in the test headers): update by hand` });
			continue;
		} else {
			const k = index.items(r.name).find((x) => x.file === o.file && x.line === o.line);
			if (!k) continue;
			let text = k.text;
			if (r.linkage && it.kind === 'function') {
				const dupLinkage = LINKAGE.exec(it.text)?.[0] ?? '';
				text = dupLinkage + text.replace(LINKAGE, '');
			}
			seg.text = text;
		}
		seg.synced = true;
		changes.push({ name: r.name, line: r.line, action: 'synced', detail: `${o.file}:${o.line}` });
	}

	// 2. what the new texts use and nobody defines: copy it from the original's file
	const headNames = scanItems(head).flatMap((h) => definedBy(h));
	// function-like macros of dup.h that paste or stringify a parameter
	const pasting = new Map<string, Set<number>>();
	for (const it of items) {
		if (it.kind !== 'define' || !it.params) continue;
		const idx = new Set<number>();
		it.params.forEach((p, k) => {
			const e = escapeRegExp(p);
			if (new RegExp(`##\\s*${e}\\b|\\b${e}\\s*##|#\\s*${e}\\b`).test(it.body ?? '')) idx.add(k);
		});
		if (idx.size) pasting.set(it.name, idx);
	}
	const definedInDup = () => new Set([...headNames, ...segs.flatMap((s) => definedBy(s))]);
	for (let i = 0; i < segs.length; i++) {
		const seg = segs[i]!;
		if (!seg.synced) continue;
		const r = report.items[report.items.findIndex((x) => x.name === seg.name && x.line === seg.line)]!;
		const file = r.original!.file;
		const added: Seg[] = [];
		const missing: string[] = [];
		const queue = [...uses(seg.text, seg.name, seg.kind, pasting)];
		const seen = new Set<string>();
		while (queue.length) {
			const [n, called] = queue.shift()!;
			if (seen.has(n)) continue;
			seen.add(n);
			if (definedInDup().has(n) || added.some((a) => a.name === n) || userland.all.has(n)) continue;
			const known = index.indexed(n);
			// what can be copied: macros, functions, typedefs, enums (a struct name here is a member name)
			const local = known.filter((k) => k.file === file && !['prototype', 'struct', 'union', 'variable'].includes(k.kind));
			if (!local.length) {
				// a kernel macro, or a kernel function called, that nobody provides; anything else
				// (a local variable, a member name) is left to the compiler
				if (known.some((k) => k.kind === 'define' || (called && (k.kind === 'function' || k.kind === 'prototype')))) missing.push(n);
				continue;
			}
			const def = kernelDefinition(index, root, file, n);
			if (!def || added.length >= 8) {
				missing.push(n);
				continue;
			}
			added.unshift({ lead: '\n\n', text: def.text, old: '', name: n, kind: def.kind, cond: [], line: 0, added: true });
			queue.push(...uses(def.text, n, def.kind, pasting));
		}
		if (missing.length) {
			// undo: keep the stale copy, report why
			seg.text = seg.old;
			seg.synced = false;
			const c = changes.find((x) => x.name === seg.name && x.line === seg.line && x.action === 'synced')!;
			c.action = 'skipped';
			c.detail = `the kernel version (${c.detail}) needs ${missing.join(', ')}, which dup.h and the userland headers lack`;
			continue;
		}
		if (added.length) {
			insertAt(segs, i, added);
			for (const a of added) changes.push({ name: a.name, line: 0, action: 'added', detail: `from ${file}, needed by ${seg.name}` });
			i += added.length;
		}
	}

	// 3. an item must follow what it uses
	for (let guard = 0; guard < 50; guard++) {
		const pos = new Map<string, number>();
		segs.forEach((s, i) => {
			for (const n of definedBy(s)) if (!pos.has(n)) pos.set(n, i);
		});
		let moved = false;
		for (let i = 0; i < segs.length && !moved; i++) {
			const seg = segs[i]!;
			// a macro is expanded where it is used: only compiled items need their names first
			if ((!seg.synced && !seg.added) || seg.kind === 'define') continue;
			const later = [...uses(seg.text, seg.name, seg.kind).keys()].filter((n) => (pos.get(n) ?? -1) > i && !userland.before.has(n));
			if (!later.length) continue;
			const last = Math.max(...later.map((n) => pos.get(n)!));
			const between = segs.slice(i + 1, last + 1);
			const usedBetween = between.some((s) => s.kind !== 'define' && uses(s.text, s.name, s.kind).has(seg.name));
			if (!usedBetween && movable(segs, i)) {
				// move the item (with its comment) down, after its last dependency
				insertAt(segs, last, [takeSeg(segs, i)]);
				changes.push({ name: seg.name, line: seg.line, action: 'moved', detail: `after ${segs[last - 1]!.name}, which it uses` });
				moved = true;
			} else {
				// move the dependencies up, before the item, if they only use what is before it
				const deps = later.map((n) => pos.get(n)!).sort((a, b) => a - b);
				const ok = deps.every((d) => movable(segs, d) && (segs[d]!.kind === 'define' || [...uses(segs[d]!.text, segs[d]!.name, segs[d]!.kind).keys()].every((u) => (pos.get(u) ?? -1) < i)));
				if (!ok) {
					changes.push({ name: seg.name, line: seg.line, action: 'skipped', detail: `uses ${later.join(', ')}, defined later in dup.h, and cannot be reordered: check the order by hand` });
					seg.synced = false;
					continue;
				}
				const taken: Seg[] = [];
				for (const d of [...new Set(deps)].reverse()) taken.unshift(takeSeg(segs, d));
				insertAt(segs, i, taken);
				for (const t of taken) changes.push({ name: t.name, line: t.line, action: 'moved', detail: `before ${seg.name}, which uses it` });
				moved = true;
			}
		}
		if (!moved) break;
	}

	const after = head + segs.map((s) => s.lead + s.text).join('') + tail;
	return { dupPath, before, after, changes };
}
