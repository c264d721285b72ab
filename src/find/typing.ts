// Just enough C typing to follow `hw->ops.mmap` to "field mmap of struct
// snd_hwdep_ops": struct definitions from a file and the headers it includes,
// declarations of locals, parameters and globals, and field access.
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { isSpace, isWord } from '../base/words.js';
import * as path from 'node:path';
import { parseC, stripComments, toRanges, topLevelItems, walk, withTree, type Node } from '../c/parser.js';
import { lineMap } from '../base/text.js';
import { ancestor, declaredName } from '../c/node.js';
import { readSource } from '../kernel/tree.js';

export interface CType {
	/** struct/union tag or typedef name */
	name: string;
	ptr: number;
}

export interface FieldInfo {
	struct: string;
	field: string;
	type: CType;
	/** a function-pointer field: its parameter types as written, e.g. ["struct vmbus_channel *channel", ...] */
	params?: string[];
	file: string;
	line: number;
	/** range of the whole field_declaration */
	start: number;
	end: number;
}

/** Type of a declaration's type node plus declarator pointer depth. */
function typeFrom(typeNode: Node | null, declarator: Node | null): CType | undefined {
	if (!typeNode) return undefined;
	let name: string;
	if (typeNode.type === 'struct_specifier' || typeNode.type === 'union_specifier') name = typeNode.childForFieldName('name')?.text ?? '';
	else if (typeNode.type === 'type_identifier') name = typeNode.text;
	else return undefined;
	if (!name) return undefined;
	let ptr = 0;
	for (let d = declarator; d; d = d.childForFieldName('declarator')) {
		if (d.type === 'pointer_declarator') ptr++;
		if (d.type === 'array_declarator') ptr++;
	}
	return { name, ptr };
}

const structCache = new Map<string, FieldInfo[]>();

/** Every field of every struct/union defined in file (named ones, and typedef'd anonymous ones). */
export function structFields(root: string, file: string): FieldInfo[] {
	const key = `${root}\0${file}`;
	const hit = structCache.get(key);
	if (hit) return hit;
	let out: FieldInfo[] = [];
	const src = readSource(root, file);
	if (src !== undefined && /\b(struct|union)\b[^;{]*\{/.test(src)) out = withTree(src, (rootNode) => fieldsFromTree(src, file, rootNode));
	structCache.set(key, out);
	return out;
}

/**
 * The fields of the structs named tag (and of their anonymous members'
 * made-up types, tag::member) defined in file. Only the top-level items of the
 * file that may define tag are parsed (positions stay the file's), unless the
 * whole file is parsed already or the parts parsed add up to most of it.
 */
const partialCache = new Map<string, FieldInfo[]>();
/** a file's top-level items, for its next lookup */
const itemsCache = new Map<string, Array<[number, number]>>();
/** characters parsed per file by partial lookups */
const partials = new Map<string, number>();
export function structFieldsOf(root: string, file: string, tag: string): FieldInfo[] {
	const fileKey = `${root}\0${file}`;
	const full = structCache.get(fileKey);
	if (full) return full;
	const key = `${fileKey}\0${tag}`;
	const hit = partialCache.get(key);
	if (hit) return hit;
	const src = readSource(root, file);
	let out: FieldInfo[] = [];
	if (src !== undefined) {
		// Items that may define it: `tag {`, or `} ... tag` (a typedef'd body), comments aside.
		const opens = new RegExp(`\\b${tag}\\s*\\{`);
		const closes = new RegExp(`\\}[^;{}]*\\b${tag}\\b`);
		let all = itemsCache.get(fileKey);
		if (!all) itemsCache.set(fileKey, (all = topLevelItems(src)));
		const items = all.filter(([a, b]) => {
			const part = src.slice(a, b);
			if (!part.includes(tag)) return false;
			const code = stripComments(part);
			return opens.test(code) || closes.test(code);
		});
		const size = items.reduce((n, [a, b]) => n + b - a, 0);
		// Once the parts parsed add up to most of the file, one whole parse serves every later lookup.
		const spent = (partials.get(fileKey) ?? 0) + size;
		partials.set(fileKey, spent);
		if (spent > src.length / 2) out = structFields(root, file);
		else if (items.length) {
			const tree = parseC(src, toRanges(src, items));
			try {
				out = fieldsFromTree(src, file, tree.rootNode);
			} finally {
				tree.delete();
			}
		}
	}
	partialCache.set(key, out);
	return out;
}

function fieldsFromTree(src: string, file: string, rootNode: Node): FieldInfo[] {
	const out: FieldInfo[] = [];
	const lineAt = lineMap(src);
	// walk() visits parents before children, so a named member's anonymous
	// type is registered before the walk reaches it.
	const anonymous: Array<[string, Node]> = [];
	const anonymousNames = new Map<number, string>();
	for (const n of walk(rootNode)) {
		while (anonymous.length) {
			const [nm, t] = anonymous.pop()!;
			anonymousNames.set(t.id, nm);
		}
		if ((n.type !== 'struct_specifier' && n.type !== 'union_specifier') || !n.childForFieldName('body')) continue;
		let name = n.childForFieldName('name')?.text ?? anonymousNames.get(n.id);
		if (!name && n.parent?.type === 'type_definition') name = declaredName(n.parent.childForFieldName('declarator'))?.text;
		if (!name) continue;
		// Members of anonymous unions/structs belong to the enclosing struct.
		const members: Node[] = [];
		const flatten = (body: Node) => {
			for (const fd of body.namedChildren) {
				if (!fd || fd.type !== 'field_declaration') continue;
				const t = fd.childForFieldName('type');
				if (!fd.childForFieldName('declarator') && (t?.type === 'union_specifier' || t?.type === 'struct_specifier') && !t.childForFieldName('name') && t.childForFieldName('body'))
					flatten(t.childForFieldName('body')!);
				else members.push(fd);
			}
		};
		flatten(n.childForFieldName('body')!);
		for (const fd of members) {
			for (const d of fd.childrenForFieldName('declarator')) {
				const id = declaredName(d);
				if (!id) continue;
				// A named member of an anonymous struct/union type (`union { ... } c;`)
				// gets a made-up type name under which its own members are recorded.
				const t = fd.childForFieldName('type');
				const anon = (t?.type === 'union_specifier' || t?.type === 'struct_specifier') && !t.childForFieldName('name') && t.childForFieldName('body') ? `${name}::${id.text}` : undefined;
				if (anon) anonymous.push([anon, t!]);
				const info: FieldInfo = {
					struct: name,
					field: id.text,
					type: anon ? { name: anon, ptr: 0 } : typeFrom(t, d) ?? { name: '?', ptr: 0 },
					file,
					line: lineAt(fd.startIndex),
					start: fd.startIndex,
					end: fd.endIndex,
				};
				const fnDecl = findFunctionDeclarator(d);
				if (fnDecl) info.params = (fnDecl.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => !!p && p.type === 'parameter_declaration').map((p) => p.text.replace(/\s+/g, ' '));
				out.push(info);
			}
		}
	}
	return out;
}

function findFunctionDeclarator(d: Node): Node | null {
	for (let x: Node | null = d; x; x = x.childForFieldName('declarator') ?? (x.type === 'parenthesized_declarator' ? x.namedChildren[0] ?? null : null))
		if (x.type === 'function_declarator') return x;
	return null;
}

const existsCache = new Map<string, boolean>();
function exists(root: string, rel: string): boolean {
	const key = `${root}\0${rel}`;
	let e = existsCache.get(key);
	if (e === undefined) existsCache.set(key, (e = fs.existsSync(path.join(root, rel))));
	return e;
}

/** Files a file includes, resolved like the kernel build does for x86 (missing ones dropped). */
export function includesOf(root: string, file: string, src: string): string[] {
	const out: string[] = [];
	for (const [quote, name] of includeLines(src)) {
		const cands = quote ? [path.posix.join(path.posix.dirname(file), name), `include/${name}`] : [`include/${name}`, `arch/x86/include/${name}`, `include/uapi/${name}`, `arch/x86/include/uapi/${name}`];
		const hit = cands.map((c) => path.posix.normalize(c)).find((c) => exists(root, c));
		if (hit) out.push(hit);
	}
	return out;
}

/**
 * The `#include` lines of a source: [quoted, name] for each match of
 * /^\s*#\s*include\s*([<"])([^>"]+)[>"]/gm, found from the word "include"
 * (a regular expression anchored at every line start costs more).
 */
export function includeLines(src: string): Array<[boolean, string]> {
	const out: Array<[boolean, string]> = [];
	for (let i = src.indexOf('include'); i !== -1; i = src.indexOf('include', i + 7)) {
		// `#` before it, blanks between; only blanks back to a line start before the `#`.
		let j = i - 1;
		while (j >= 0 && isSpace(src.charCodeAt(j))) j--;
		if (j < 0 || src.charCodeAt(j) !== 35 /* # */) continue;
		let k = j - 1;
		let lineStart = k < 0;
		for (; k >= 0 && isSpace(src.charCodeAt(k)); k--) if (src.charCodeAt(k) === 10 || src.charCodeAt(k) === 13) lineStart = true;
		if (!lineStart && k >= 0) continue;
		let a = i + 7;
		while (a < src.length && isSpace(src.charCodeAt(a))) a++;
		const open = src.charCodeAt(a);
		if (open !== 60 /* < */ && open !== 34 /* " */) continue;
		let b = a + 1;
		while (b < src.length && src.charCodeAt(b) !== 62 /* > */ && src.charCodeAt(b) !== 34) b++;
		if (b === a + 1 || b >= src.length) continue;
		out.push([open === 34, src.slice(a + 1, b)]);
		i = b - 6; // go on after the match, as a global regular expression does
	}
	return out;
}

/**
 * What a run needs to know of a file to build scopes without keeping its
 * text: the files it includes, and the names that could be struct or union
 * tags or typedef names defined in it (an identifier right before `{`, or
 * between a `}` and the next `;`): a superset of what structFields() finds.
 */
interface FileFacts {
	readable: boolean;
	includes: string[];
	names: Set<string>;
}
const factsCache = new Map<string, FileFacts>();
function factsOf(root: string, file: string): FileFacts {
	const key = `${root}\0${file}`;
	let f = factsCache.get(key);
	if (f) return f;
	// Latin-1 text (identifiers and include lines are ASCII) of a file that must be UTF-8: cheaper than decoding it.
	const bytes = fs.readFileSync(path.join(root, file));
	const src = isUtf8(bytes) ? bytes.toString('latin1') : undefined;
	f = { readable: src !== undefined, includes: [], names: new Set() };
	if (src !== undefined) {
		f.includes = includesOf(root, file, src);
		// An identifier before a `{` (whitespace and comments between), scanned backwards from
		// each `{`; and the words between a `}` and the next `;`.
		// (not isSpace(): the byte 0xA0 of a UTF-8 character stays part of a word-breaking run here)
		const space = (c: number) => c === 32 || (c >= 9 && c <= 13);
		for (let i = src.indexOf('{'); i !== -1; i = src.indexOf('{', i + 1)) {
			let j = i - 1;
			for (;;) {
				while (j >= 0 && space(src.charCodeAt(j))) j--;
				if (j >= 1 && src.charCodeAt(j) === 47 && src.charCodeAt(j - 1) === 42) {
					// the end of a block comment: go to its start
					const open = src.lastIndexOf('/*', j - 2);
					if (open === -1) break;
					j = open - 1;
					continue;
				}
				// a line comment on this line: what is before it
				const bol = src.lastIndexOf('\n', j) + 1;
				let slashes = bol;
				while (slashes < j && !(src.charCodeAt(slashes) === 47 && src.charCodeAt(slashes + 1) === 47)) slashes++; // on this line only
				if (slashes < j) {
					j = slashes - 1;
					continue;
				}
				break;
			}
			const end = j + 1;
			while (j >= 0 && isWord(src.charCodeAt(j))) j--;
			if (end > j + 1) f.names.add(src.slice(j + 1, end));
		}
		for (const m of src.matchAll(/\}([^;{}]*);/g)) for (const w of m[1]!.matchAll(/\w+/g)) f.names.add(w[0]);
	}
	factsCache.set(key, f);
	return f;
}

/** The files a scope covers and what has been looked up in them. */
interface ScopeData {
	files: string[];
	structs: Map<string, FieldInfo[]>;
}
const scopeCache = new Map<string, ScopeData>();

/**
 * The struct fields visible in file: its own and those of headers it includes,
 * two levels deep. Headers are parsed only when a struct they may define is
 * asked for; scopes of the same file share their lookups.
 */
export class StructScope {
	private scopeData: ScopeData | undefined;
	// The files are found on the first question: many scopes are made for files
	// that turn out to need no typing (an initialiser's own type names its struct).
	constructor(readonly root: string, private readonly file: string, private readonly depth = 2) {}
	private get data(): ScopeData {
		if (this.scopeData) return this.scopeData;
		const key = `${this.root}\0${this.file}\0${this.depth}`;
		let data = scopeCache.get(key);
		if (!data) {
			const seen = new Set<string>();
			let frontier = [this.file];
			for (let level = 0; level <= this.depth && frontier.length; level++) {
				const next: string[] = [];
				for (const f of frontier) {
					if (seen.has(f)) continue;
					seen.add(f);
					const facts = factsOf(this.root, f);
					if (!facts.readable) continue;
					if (level < this.depth) next.push(...facts.includes);
				}
				frontier = next;
			}
			data = { files: [...seen], structs: new Map() };
			scopeCache.set(key, data);
		}
		return (this.scopeData = data);
	}
	/** The file and the headers it sees, in scope order. */
	get files(): string[] {
		return this.data.files;
	}
	/** Every field of struct visible here, in scope order (the file's own first, then its headers). */
	private fieldsOf(struct: string): FieldInfo[] {
		let l = this.data.structs.get(struct);
		if (!l) {
			l = [];
			// The made-up name of an anonymous member type (`outer::member`) lives where outer does.
			const tag = struct.split('::')[0]!;
			for (const f of this.data.files) if (factsOf(this.root, f).names.has(tag)) l.push(...structFieldsOf(this.root, f, tag).filter((x) => x.struct === struct));
			this.data.structs.set(struct, l);
		}
		return l;
	}
	field(struct: string, field: string): FieldInfo | undefined {
		return this.fieldsOf(struct).find((f) => f.field === field);
	}
}

/** Declared type of an identifier at node: parameter or local of the enclosing function, or a file-level global. */
function identifierType(id: Node): CType | undefined {
	const name = id.text;
	const scopes: Node[] = [];
	for (let n: Node | null = id.parent; n; n = n.parent) if (n.type === 'compound_statement' || n.type === 'function_definition' || n.type === 'translation_unit') scopes.push(n);
	for (const scope of scopes) {
		const decls: Node[] = [];
		if (scope.type === 'function_definition') {
			const params = walkFirst(scope.childForFieldName('declarator'), 'parameter_list');
			for (const p of params?.namedChildren ?? []) if (p?.type === 'parameter_declaration') decls.push(p);
		} else for (const c of scope.namedChildren) if (c?.type === 'declaration') decls.push(c);
		for (const d of decls) {
			const ds = d.type === 'parameter_declaration' ? [d.childForFieldName('declarator')] : d.childrenForFieldName('declarator');
			for (const dd of ds) {
				const target = dd?.type === 'init_declarator' ? dd.childForFieldName('declarator') : dd;
				if (declaredName(target ?? null)?.text === name) return typeFrom(d.childForFieldName('type'), target ?? null);
			}
		}
	}
	return undefined;
}

function walkFirst(n: Node | null, type: string): Node | null {
	if (!n) return null;
	for (const x of walk(n)) if (x.type === type) return x;
	return null;
}

/** Type of an expression made of identifiers, field accesses, derefs, casts and READ_ONCE(). */
export function typeOf(expr: Node | null, scope: StructScope): CType | undefined {
	if (!expr) return undefined;
	switch (expr.type) {
		case 'identifier':
			return identifierType(expr);
		case 'parenthesized_expression':
			return typeOf(expr.namedChildren[0] ?? null, scope);
		case 'field_expression': {
			const base = typeOf(expr.childForFieldName('argument'), scope);
			const field = expr.childForFieldName('field')?.text;
			if (!base || !field) return undefined;
			return scope.field(base.name, field)?.type;
		}
		case 'pointer_expression': {
			const t = typeOf(expr.childForFieldName('argument'), scope);
			if (!t) return undefined;
			return expr.text.startsWith('&') ? { ...t, ptr: t.ptr + 1 } : { ...t, ptr: t.ptr - 1 };
		}
		case 'subscript_expression': {
			const t = typeOf(expr.childForFieldName('argument'), scope);
			return t && { ...t, ptr: t.ptr - 1 };
		}
		case 'cast_expression': {
			const tn = expr.childForFieldName('type');
			return typeFrom(tn?.childForFieldName('type') ?? null, tn?.childForFieldName('declarator') ?? null);
		}
		case 'call_expression': {
			const fn = expr.childForFieldName('function')?.text;
			if (fn === 'READ_ONCE' || fn === 'rcu_dereference' || fn === 'rcu_access_pointer') return typeOf(expr.childForFieldName('arguments')?.namedChildren[0] ?? null, scope);
			return undefined;
		}
		default:
			return undefined;
	}
}

/**
 * Does the type of expr hang on a name declared nowhere in this tree? In a
 * parse of some items of a file (src/c/partial.ts), that name may be a global
 * declared in an item left out, and a whole parse could type expr.
 */
export function baseUndeclared(expr: Node | null, scope: StructScope): boolean {
	let n = expr;
	while (n) {
		if (n.type === 'identifier') return typeOf(n, scope) === undefined;
		if (n.type === 'field_expression' || n.type === 'subscript_expression' || n.type === 'pointer_expression') n = n.childForFieldName('argument');
		else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
		else if (n.type === 'call_expression' && /^(READ_ONCE|rcu_dereference|rcu_access_pointer)$/.test(n.childForFieldName('function')?.text ?? ''))
			n = n.childForFieldName('arguments')?.namedChildren[0] ?? null;
		else return false; // a cast names its type; anything else types the same in any parse
	}
	return false;
}

/** For `obj->field` or `obj.field`: the struct that holds field, when obj's type is known. */
export function fieldOwner(fieldExpr: Node, scope: StructScope): string | undefined {
	const t = typeOf(fieldExpr.childForFieldName('argument'), scope);
	const field = fieldExpr.childForFieldName('field')?.text;
	if (!t || !field) return undefined;
	return scope.field(t.name, field) ? t.name : undefined;
}

export { ancestor };
