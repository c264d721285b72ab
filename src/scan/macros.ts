// Macro-generated wiring for the scan: #define bodies that wire an mmap hook
// (`.mmap = drm_gem_mmap` in DRM_GEM_FOPS, `.fb_mmap = __prefix##_sbusfb_mmap`),
// the macros that use those (DEFINE_DRM_GEM_FOPS), and their uses, expanded
// far enough to name the hook, the struct and the instance. Text only: macro
// bodies are opaque to tree-sitter, and uses in files that do not mention
// mmap are found by name in the scan's read pass.
import { lineMap } from '../base/text.js';
import { stripComments } from '../c/parser.js';

export interface MacroDef {
	name: string;
	/** parameter names of a function-like macro, null for an object-like one */
	params: string[] | null;
	/** the body, continuation lines joined, comments removed */
	body: string;
	/** the directive as written, from `#` to the end of its last line */
	raw: string;
	file: string;
	line: number;
}

export interface MacroSite {
	/** the hook as wired (after ## pasting) */
	hook: string;
	field: string;
	struct: string;
	/** the macro whose body holds the site (after expansion) */
	via: string[];
}

export interface MacroUse {
	file: string;
	line: number;
	macro: string;
	args: string[];
	/** the variable the use initialises, when known */
	instance?: string;
	sites: MacroSite[];
}

export { stripComments };

/**
 * Every #define of a text. The directive lines are found in the raw text and
 * only they are stripped of comments (a text's own stripping costs more than
 * all its defines).
 */
export function collectDefines(file: string, text: string): MacroDef[] {
	const out: MacroDef[] = [];
	if (!text.includes('define')) return out;
	const re = /^[ \t]*#[ \t]*define[ \t]+(\w+)(\([^)]*\))?((?:[^\n]*\\\n)*[^\n]*)/gm;
	const lineAt = lineMap(text);
	for (const m of text.matchAll(re)) {
		out.push({
			name: m[1]!,
			params: m[2] ? m[2].slice(1, -1).split(',').map((p) => p.trim()).filter(Boolean) : null,
			body: stripComments(m[3]!).replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim(),
			raw: m[0],
			file,
			line: lineAt(m.index!),
		});
	}
	return out;
}

/** `.xmmapx = value` in a macro body; the value may be a parameter, pasted, or parenthesised. */
const BODY_SITE = /(\.|->)\s*(\w*mmap\w*)\s*=(?!=)\s*\(?\s*([A-Za-z_]\w*(?:\s*##\s*\w+)*)/g;

export function bodySites(body: string): Array<{ field: string; value: string; index: number }> {
	const out: Array<{ field: string; value: string; index: number }> = [];
	for (const m of body.matchAll(BODY_SITE)) {
		if (m[2]!.includes('prepare') || m[3] === 'NULL') continue;
		// `.mmap_lock = __RWSEM_INITIALIZER(...)`: a call's value, not a function wired
		if (/^\s*\(/.test(body.slice(m.index! + m[0].length))) continue;
		out.push({ field: m[2]!, value: m[3]!.replace(/\s*##\s*/g, '##'), index: m.index! });
	}
	return out;
}

/**
 * The macros that wire hooks: those whose body has a site, and those that
 * use such a macro, to a fixpoint. defs: every #define to consider.
 */
export function wiringMacros(defs: MacroDef[]): Map<string, MacroDef[]> {
	const byName = new Map<string, MacroDef[]>();
	for (const d of defs) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
	const wiring = new Map<string, MacroDef[]>();
	for (const d of defs) if (bodySites(d.body).length) wiring.set(d.name, byName.get(d.name)!);
	for (let changed = true; changed; ) {
		changed = false;
		if (!wiring.size) break;
		const re = new RegExp(`\\b(${[...wiring.keys()].join('|')})\\b`);
		for (const d of defs) if (!wiring.has(d.name) && re.test(d.body)) {
			wiring.set(d.name, byName.get(d.name)!);
			changed = true;
		}
	}
	return wiring;
}

/** Split `a, (b, c), d` at top-level commas. */
function splitArgs(s: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let cur = '';
	for (const ch of s) {
		if (ch === '(' || ch === '{' || ch === '[') depth++;
		else if (ch === ')' || ch === '}' || ch === ']') depth--;
		if (ch === ',' && depth === 0) {
			out.push(cur.trim());
			cur = '';
		} else cur += ch;
	}
	if (cur.trim() || out.length) out.push(cur.trim());
	return out;
}

/** The parenthesised argument text starting at text[open] === '(' and its end, or undefined. */
function argsAt(text: string, open: number): { args: string[]; end: number } | undefined {
	if (text[open] !== '(') return undefined;
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		if (text[i] === '(') depth++;
		else if (text[i] === ')' && --depth === 0) return { args: splitArgs(text.slice(open + 1, i)), end: i + 1 };
	}
	return undefined;
}

/** Substitute a function-like macro's arguments into its body (## pastes, # stringifies). */
function substitute(def: MacroDef, args: string[]): string {
	const params = def.params ?? [];
	const map = new Map(params.map((p, i) => [p, args[i] ?? '']));
	let body = def.body.replace(/\s*##\s*/g, '\u0001');
	body = body.replace(/#\s*(\w+)/g, (all, p: string) => (map.has(p) ? `"${map.get(p)}"` : all));
	body = body.replace(/\b\w+\b/g, (w) => (map.has(w) ? map.get(w)! : w));
	return body.replace(/\u0001/g, '');
}

/** Expand the wiring macros in text (recursively, each macro not within itself). */
export function expand(text: string, macros: Map<string, MacroDef[]>, active: string[] = []): string {
	if (active.length > 8) return text;
	const re = /\b[A-Za-z_]\w*\b/g;
	let out = '';
	let last = 0;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		const defs = macros.get(m[0]);
		if (!defs || active.includes(m[0])) continue;
		const def = defs[0]!; // #ifdef variants: the first (the others are reported at their definitions)
		let end = m.index + m[0].length;
		let body: string;
		if (def.params) {
			const open = text.slice(end).search(/\S/);
			const a = open === -1 ? undefined : argsAt(text, end + open);
			if (!a) continue;
			body = substitute(def, a.args);
			end = a.end;
		} else body = def.body;
		out += text.slice(last, m.index) + ' ' + expand(body, macros, [...active, m[0]]) + ' ';
		last = end;
		re.lastIndex = end;
	}
	return out + text.slice(last);
}

/** The sites an expanded text wires, with the struct of the initialiser each sits in. */
export function expandedSites(expanded: string, via: string[]): MacroSite[] {
	return bodySites(expanded).map((s) => {
		const before = expanded.slice(0, s.index);
		const struct = [...before.matchAll(/struct\s+(\w+)\s*[\w#]*\s*(?:\[[^\]]*\])?\s*=\s*\{|\(\s*struct\s+(\w+)\s*\)\s*\{/g)].map((x) => x[1] ?? x[2]).pop() ?? '';
		return { hook: s.value, field: s.field, struct, via };
	});
}

/** `struct T name[...] = {` that encloses position i of a stripped text, if any. */
export function enclosingInitialiser(stripped: string, i: number): { struct: string; instance: string } | undefined {
	let depth = 0;
	for (let j = i - 1; j >= 0; j--) {
		const c = stripped[j];
		if (c === '}') depth++;
		else if (c === '{') {
			if (depth === 0) {
				const m = /struct\s+(\w+)\s+(?:__\w+\s+)*(\w+)\s*(?:\[[^\]]*\])?\s*=\s*$/.exec(stripped.slice(Math.max(0, j - 300), j));
				return m ? { struct: m[1]!, instance: m[2]! } : undefined;
			}
			depth--;
		} else if (c === ';' && depth === 0) return undefined;
	}
	return undefined;
}

/** Uses of the wiring macros in a file outside any #define, each expanded to its sites. */
export function macroUses(file: string, stripped: string, macros: Map<string, MacroDef[]>): MacroUse[] {
	if (!macros.size) return [];
	// Blank preprocessor lines (with continuations): uses inside other macros are not sites.
	const code = stripped.replace(/^[ \t]*#(?:[^\n]*\\\n)*[^\n]*/gm, (d) => d.replace(/[^\n]/g, ' '));
	const re = new RegExp(`\\b(${[...macros.keys()].join('|')})\\b`, 'g');
	const out: MacroUse[] = [];
	const lineAt = lineMap(code);
	for (const m of code.matchAll(re)) {
		const name = m[1]!;
		const def = macros.get(name)![0]!;
		let args: string[] = [];
		let end = m.index! + name.length;
		if (def.params) {
			const open = code.slice(end).search(/\S/);
			const a = open === -1 ? undefined : argsAt(code, end + open);
			if (!a) continue; // the name without arguments: not an expansion
			args = a.args;
			end = a.end;
		}
		const expanded = expand(code.slice(m.index!, end), macros);
		let sites = expandedSites(expanded, [name]);
		if (!sites.length) continue;
		const outer = enclosingInitialiser(code, m.index!);
		let instance = /struct\s+\w+\s+(?:__\w+\s+)*(\w+)\s*(?:\[[^\]]*\])?\s*=\s*\{/.exec(expanded)?.[1];
		if (outer) {
			instance ??= outer.instance;
			sites = sites.map((s) => (s.struct ? s : { ...s, struct: outer.struct }));
		}
		out.push({ file, line: lineAt(m.index!), macro: name, args, instance, sites });
	}
	return out;
}

/**
 * Sites of macros defined and used in one .c file, counted once per definition
 * and hook (the census's rule): the hook is in the body, or, when the body
 * wires a parameter, in the arguments the file's other macros pass to it.
 */
export function localDefinitionSites(defs: MacroDef[], macros: Map<string, MacroDef[]>): Array<{ def: MacroDef; line: number; site: MacroSite }> {
	const out: Array<{ def: MacroDef; line: number; site: MacroSite }> = [];
	for (const def of defs) {
		if (!macros.has(def.name)) continue;
		const seen = new Set<string>();
		for (const s of bodySites(def.body)) {
			const struct = expandedSites(def.body, [def.name]).find((x) => x.field === s.field)?.struct ?? '';
			let hooks = [s.value];
			if (def.params?.includes(s.value)) {
				// `.mmap = (_mmap)`: the hooks are what the file's wrappers pass for _mmap.
				hooks = [];
				const i = def.params.indexOf(s.value);
				for (const w of defs) {
					if (w === def) continue;
					for (const m of w.body.matchAll(new RegExp(`\\b${def.name}\\s*\\(`, 'g'))) {
						const a = argsAt(w.body, m.index! + m[0].length - 1);
						const v = a?.args[i];
						if (v && /^[A-Za-z_]\w*$/.test(v) && !w.params?.includes(v)) hooks.push(v);
					}
				}
			}
			for (const h of hooks) {
				if (seen.has(`${s.field}\0${h}`) || h.includes('##')) continue;
				seen.add(`${s.field}\0${h}`);
				// The line of the `.field =` inside the definition.
				const raw = stripComments(def.raw);
				const at = raw.search(new RegExp(`(\\.|->)\\s*${s.field}\\s*=`));
				const line = def.line + (at < 0 ? 0 : raw.slice(0, at).split('\n').length - 1);
				out.push({ def, line, site: { hook: h, field: s.field, struct, via: [def.name] } });
			}
		}
	}
	return out;
}
