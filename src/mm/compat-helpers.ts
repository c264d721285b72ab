// The mm patch that adds compat_set_desc_from_vma() and __compat_vma_mmap()
// to a tree that only has the single-function compat_vma_mmap().
//
// Upstream's "mm: allow handling of stacked mmap_prepare hooks in more
// drivers" (in Linux 7.2 and 7.3) split compat_vma_mmap() in two, so that an old-style
// mmap() hook can call a nested hook that takes a struct vm_area_desc: fill a
// descriptor from the VMA, run the nested hook on it, apply the descriptor to
// the VMA. mmapify's chain conversions use exactly that shim
// (kernel-api.md §3.5). Trees from the arrival of f_op->mmap_prepare until
// that patch have no such helpers; for them, a series that uses the shim must
// start with the patch computed here.
//
// The patch is computed from the tree's own text, so it adapts where it can:
// the fields the descriptor initialiser of compat_vma_mmap() copies become
// the assignments of compat_set_desc_from_vma(); the statements after the
// f_op->mmap_prepare() call (action prepare, VMA update, action complete, with
// whatever arguments the tree passes) become __compat_vma_mmap(). Anything it
// does not recognise makes it throw a CompatHelpersError that says what and
// where, rather than guess.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanItems, tokenize, type ScannedItem } from './dup/scan.js';
import { DUP_PATH } from './dup/items.js';
import { wrapMessage } from '../base/wrap.js';

export const COMPAT_HELPERS_SUBJECT = 'mm: allow handling of stacked mmap_prepare hooks in more drivers';

export interface CompatHelpersChange {
	/** path relative to the tree root */
	path: string;
	before: string;
	after: string;
}

export interface CompatHelpersPatch {
	subject: string;
	/** the commit message body, wrapped at 75 columns, without trailers */
	body: string;
	/** changed files only, sorted by path */
	changes: CompatHelpersChange[];
}

export interface CompatHelpersOptions {
	/** mmapify's version, named in the disclosure line when given */
	version?: string;
}

/**
 * Why no patch was made:
 * - `present`: the tree already has compat_set_desc_from_vma() / __compat_vma_mmap();
 * - `missing`: a file or function the patch needs is not there (not a tree with f_op->mmap_prepare);
 * - `shape`: the compat code is there but not in a form this generator knows.
 */
export class CompatHelpersError extends Error {
	constructor(
		readonly reason: 'present' | 'missing' | 'shape',
		message: string,
	) {
		super(message);
		this.name = 'CompatHelpersError';
	}
}

const UTIL_C = 'mm/util.c';
const FS_H = 'include/linux/fs.h';
const MM_TYPES_H = 'include/linux/mm_types.h';
/** the userland VMA tests' copy of the kernel declarations: dup.h (7.x) or vma_internal.h (6.x) */
const MIRRORS = [DUP_PATH, 'tools/testing/vma/vma_internal.h'];
const OLD_SET_VMA = 'set_vma_from_desc';
const NEW_SET_VMA = 'compat_set_vma_from_desc';
const HIDE = 'hide_from_rmap_until_complete';
/** the compat layer before upstream folded __compat_vma_mmap(f_op, file, vma) into compat_vma_mmap() */
const F_OP_FORM = 'the form before upstream\'s "mm: various small mmap_prepare cleanups"';

/** True when the tree at root already declares the split helpers (nothing to do). */
export function treeHasCompatHelpers(root: string): boolean {
	const fsh = readOpt(root, FS_H);
	const util = readOpt(root, UTIL_C);
	const declared = (s: string | null) => !!s && /\bcompat_set_desc_from_vma\s*\(/.test(s) && /\b__compat_vma_mmap\s*\(\s*struct\s+vm_area_desc\b/.test(s);
	return declared(fsh) || declared(util);
}

/** The patch that splits the tree's compat_vma_mmap() into the stacked-hook helpers. */
export function compatHelpersPatch(root: string, opts: CompatHelpersOptions = {}): CompatHelpersPatch {
	if (treeHasCompatHelpers(root))
		throw new CompatHelpersError('present', `${root} already has compat_set_desc_from_vma() and __compat_vma_mmap(): nothing to add`);
	const files = new Map<string, { before: string; after: string }>();
	const read = (rel: string): string => {
		const f = files.get(rel);
		if (f) return f.after;
		const s = readOpt(root, rel);
		if (s === null) throw new CompatHelpersError('missing', `${rel} not found under ${root}`);
		files.set(rel, { before: s, after: s });
		return s;
	};
	const write = (rel: string, text: string) => {
		read(rel);
		files.get(rel)!.after = text;
	};

	// ---- mm/util.c: the single function
	const util = read(UTIL_C);
	const single = parseSingle(util, UTIL_C);
	checkHideMove(root, single);
	const gen = generate(single);
	write(UTIL_C, rewriteKernel(util, single, gen));

	// ---- include/linux/fs.h: prototypes next to compat_vma_mmap()'s
	write(FS_H, addPrototypes(read(FS_H)));

	// ---- vm_area_desc: the members compat_set_desc_from_vma() assigns must not be const
	const assigned = new Set(single.fields.map((f) => f.path[0]!));
	const desc = dropConst(read(MM_TYPES_H), MM_TYPES_H, assigned);
	if (desc.changed.length) write(MM_TYPES_H, desc.text);

	// ---- set_vma_from_desc() -> compat_set_vma_from_desc(), in mm/ and in the VMA tests
	// The mirror: dup.h (7.x) or vma_internal.h (6.x); each may hold the
	// struct or the function (both exist in 7.x).
	const mirrors = MIRRORS.filter((m) => readOpt(root, m) !== null);
	if (!mirrors.length) throw new CompatHelpersError('missing', `neither ${MIRRORS.join(' nor ')} found under ${root}`);
	const defines = (rel: string, kind: string, name: string) => scanItems(readOpt(root, rel)!).some((it) => it.kind === kind && it.name === name);
	const mirrorPath = mirrors.find((m) => defines(m, 'function', 'compat_vma_mmap')) ?? mirrors[0]!;
	const structPath = mirrors.find((m) => defines(m, 'struct', 'vm_area_desc')) ?? mirrorPath;
	if (single.setVmaName === OLD_SET_VMA) {
		const old = new RegExp(`\\b${OLD_SET_VMA}\\b`, 'g');
		const renamed: string[] = [];
		for (const rel of [...mmFiles(root), ...vmaTestFiles(root)]) {
			const known = files.has(rel);
			const s = read(rel);
			if (!s.match(old)) {
				if (!known) files.delete(rel);
				continue;
			}
			write(rel, s.replace(old, NEW_SET_VMA));
			renamed.push(rel);
		}
		if (!renamed.some((r) => r.startsWith('mm/') && r !== UTIL_C))
			throw new CompatHelpersError('missing', `compat_vma_mmap() calls ${OLD_SET_VMA}() but no other file under mm/ has it`);
	}

	// ---- the userland mirror
	const mdesc = dropConst(read(structPath), structPath, assigned);
	write(structPath, mdesc.text);
	write(mirrorPath, rewriteMirror(read(mirrorPath), mirrorPath, gen));

	const changes = [...files.entries()]
		.filter(([, f]) => f.before !== f.after)
		.map(([p, f]) => ({ path: p, before: f.before, after: f.after }))
		.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	selfCheck(changes);
	return {
		subject: COMPAT_HELPERS_SUBJECT,
		body: commitBody(single, {
			constDropped: uniq([...desc.changed, ...mdesc.changed]),
			renamed: single.setVmaName === OLD_SET_VMA,
			mirrorPath,
			version: opts.version,
		}),
		changes,
	};
}

// ---------------------------------------------------------------------------
// Reading the tree

function readOpt(root: string, rel: string): string | null {
	try {
		return fs.readFileSync(path.join(root, rel), 'utf8');
	} catch {
		return null;
	}
}

/** mm/*.c and mm/*.h, util.c first (its rename is checked separately) */
function mmFiles(root: string): string[] {
	let names: string[] = [];
	try {
		names = fs.readdirSync(path.join(root, 'mm')).filter((n) => /\.[ch]$/.test(n));
	} catch {
		return [UTIL_C];
	}
	return [UTIL_C, ...names.map((n) => `mm/${n}`).filter((p) => p !== UTIL_C).sort()];
}

/** tools/testing/vma/**.{c,h} */
function vmaTestFiles(root: string): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		let ents: fs.Dirent[] = [];
		try {
			ents = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of ents) {
			const r = `${rel}/${e.name}`;
			if (e.isDirectory()) walk(r);
			else if (/\.[ch]$/.test(e.name)) out.push(r);
		}
	};
	walk('tools/testing/vma');
	return out.sort();
}

const uniq = <T>(xs: T[]) => [...new Set(xs)];
const lineOf = (s: string, off: number) => s.slice(0, off).split('\n').length;

// ---------------------------------------------------------------------------
// A small C lexer, enough for one function body

interface Tok {
	t: string;
	kind: 'id' | 'punct' | 'comment' | 'other';
	start: number;
	end: number;
}

function lex(s: string, from: number, to: number): Tok[] {
	const out: Tok[] = [];
	const re = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|[A-Za-z_]\w*|\.?\d[\w.]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|->|\+\+|--|<<=?|>>=?|[<>=!+\-*/%&|^]=|&&|\|\||\.\.\.|#[^\n]*|\S/g;
	re.lastIndex = from;
	let m: RegExpExecArray | null;
	while ((m = re.exec(s)) && m.index < to) {
		const t = m[0];
		const kind = t.startsWith('/*') || t.startsWith('//') ? 'comment' : /^[A-Za-z_]/.test(t) ? 'id' : /^[\w"'.#]/.test(t) && t !== '.' && t !== '...' ? 'other' : 'punct';
		out.push({ t, kind, start: m.index, end: m.index + t.length });
	}
	return out;
}

const norm = (toks: Tok[]) =>
	toks
		.filter((k) => k.kind !== 'comment')
		.map((k) => k.t)
		.join(' ');

interface Stmt {
	toks: Tok[];
	/** offsets in the file of the first and after the last code token */
	start: number;
	end: number;
	/** comments written before the statement (after the previous one), raw */
	lead: string[];
	/** a blank line separates it from the previous statement */
	blankBefore: boolean;
	/** normalised code: tokens joined by single spaces */
	n: string;
}

/** Split a function body (offsets inside the braces) into statements. */
function statements(src: string, from: number, to: number, where: string): Stmt[] {
	const toks = lex(src, from, to);
	const out: Stmt[] = [];
	let i = 0;
	let prevEnd = from;
	const fail = (k: Tok, why: string): never => {
		throw new CompatHelpersError('shape', `${where}:${lineOf(src, k.start)}: ${why}`);
	};
	while (i < toks.length) {
		const lead: string[] = [];
		while (i < toks.length && toks[i]!.kind === 'comment') lead.push(toks[i++]!.t);
		if (i >= toks.length) break;
		const first = toks[i]!;
		if (first.t.startsWith('#')) fail(first, `a preprocessor line inside compat_vma_mmap() (${first.t.trim()})`);
		const body: Tok[] = [];
		const take = () => body.push(toks[i++]!);
		const untilSemicolon = () => {
			let d = 0;
			while (i < toks.length) {
				const k = toks[i]!;
				if (k.t.startsWith('#')) fail(k, `a preprocessor line inside compat_vma_mmap() (${k.t.trim()})`);
				take();
				if (k.t === '(' || k.t === '{' || k.t === '[') d++;
				else if (k.t === ')' || k.t === '}' || k.t === ']') d--;
				else if (k.t === ';' && d === 0) return;
			}
			fail(first, 'a statement without its closing ";"');
		};
		if (first.t === 'if') {
			// if (...) stmt   |   if (...) { ... }
			take();
			let d = 0;
			do {
				const k = toks[i];
				if (!k) fail(first, 'an unterminated if');
				take();
				if (k!.t === '(') d++;
				else if (k!.t === ')') d--;
			} while (d > 0);
			while (i < toks.length && toks[i]!.kind === 'comment') take();
			if (toks[i]?.t === '{') {
				let b = 0;
				do {
					const k = toks[i];
					if (!k) fail(first, 'an unterminated block');
					take();
					if (k!.t === '{') b++;
					else if (k!.t === '}') b--;
				} while (b > 0);
			} else untilSemicolon();
			if (toks[i]?.t === 'else') fail(toks[i]!, 'an if/else inside compat_vma_mmap()');
		} else untilSemicolon();
		const code = body.filter((k) => k.kind !== 'comment');
		const start = code[0]!.start;
		const end = body[body.length - 1]!.end;
		const between = src.slice(prevEnd, lead.length ? src.indexOf(lead[0]!, prevEnd) : start);
		out.push({ toks: body, start, end, lead, blankBefore: /\n[ \t]*\n/.test(between), n: norm(body) });
		prevEnd = end;
	}
	return out;
}

// ---------------------------------------------------------------------------
// Parsing the single-function compat_vma_mmap()

interface Field {
	/** designator path: ['pgoff'], ['action', 'type'] */
	path: string[];
	/** the initialiser expression, as written */
	expr: string;
	/** comments before the designator, and after the entry on its line */
	comments: string[];
	blankBefore: boolean;
}

interface Single {
	/** the compat_vma_mmap() item, and the item the body came from (itself or a static helper) */
	fn: ScannedItem;
	bodyFn: ScannedItem;
	/** the static __compat_vma_mmap(file, vma) helper that compat_vma_mmap() only called, if any */
	helper: ScannedItem | null;
	exportMacro: string;
	/** parameter and local names: file, vma, desc, action, err */
	F: string;
	V: string;
	D: string;
	A: string | null;
	E: string;
	fields: Field[];
	/** the f_op->mmap_prepare() call and its error check, raw */
	hookCall: string;
	hookCheck: string;
	/** the statements after it, raw, in order */
	prepare: { call: string; check: string | null } | null;
	hide: { text: string; lead: string[]; viaAction: boolean } | null;
	/** the hide statement came after the action prepare call (it moves before it) */
	hideMoved: boolean;
	setVma: string;
	setVmaName: string;
	complete: string;
	/** line of compat_vma_mmap() in mm/util.c */
	line: number;
}

function findFunction(items: ScannedItem[], name: string): ScannedItem | undefined {
	return items.find((it) => it.kind === 'function' && it.name === name);
}

/** Parameter names of a function item whose header is `... name(T1 a, T2 b)` */
function paramList(it: ScannedItem): Array<{ type: string; name: string }> {
	const head = it.text.slice(0, it.text.indexOf('{'));
	const open = head.indexOf('(');
	const close = head.lastIndexOf(')');
	const inner = head.slice(open + 1, close).replace(/\s+/g, ' ').trim();
	if (!inner || inner === 'void') return [];
	return inner.split(',').map((p) => {
		const m = /^(.*?)\b([A-Za-z_]\w*)\s*$/.exec(p.trim());
		return { type: (m?.[1] ?? p).trim(), name: m?.[2] ?? '' };
	});
}

function parseSingle(util: string, where: string): Single {
	const items = scanItems(util);
	const fn = findFunction(items, 'compat_vma_mmap');
	if (!fn)
		throw new CompatHelpersError(
			'missing',
			`${where} has no compat_vma_mmap(): not a tree with the f_op->mmap_prepare compat layer; ` +
				(findFunction(items, 'compat_vma_mmap_prepare') ? 'it has the older compat_vma_mmap_prepare()' : 'nothing to split'),
		);
	const shapeErr = (why: string) => new CompatHelpersError('shape', `${where}:${fn.line}: compat_vma_mmap(): ${why}`);
	const params = paramList(fn);
	if (params.length !== 2 || !/\bstruct file\b/.test(params[0]!.type) || !/\bstruct vm_area_struct\b/.test(params[1]!.type))
		throw shapeErr('expected (struct file *file, struct vm_area_struct *vma) parameters');
	const F = params[0]!.name;
	const V = params[1]!.name;
	const exp = items.find((it) => it.start > fn.end && new RegExp(`^EXPORT_SYMBOL\\w*\\s*\\(\\s*compat_vma_mmap\\s*\\)`).test(it.text));
	const exportMacro = exp ? /^(EXPORT_SYMBOL\w*)/.exec(exp.text)![1]! : 'EXPORT_SYMBOL';

	// The body may live in a static helper that compat_vma_mmap() only calls.
	let bodyFn = fn;
	let helper: ScannedItem | null = null;
	const fnStmts = statements(util, fn.start + fn.text.indexOf('{') + 1, fn.end - 1, where);
	const helperOld = findFunction(items, '__compat_vma_mmap');
	if (fnStmts.length === 1 && /^return __compat_vma_mmap \(/.test(fnStmts[0]!.n)) {
		if (!helperOld) throw shapeErr('it returns __compat_vma_mmap(), which mm/util.c does not define');
		const hp = paramList(helperOld);
		if (hp.some((p) => /file_operations/.test(p.type)))
			throw new CompatHelpersError(
				'shape',
				`${where}:${helperOld.line}: __compat_vma_mmap() takes a struct file_operations * (${F_OP_FORM}); ` +
					'mmapify adds the helpers to the single-function compat_vma_mmap() that this cleanup left',
			);
		if (hp.length !== 2 || fnStmts[0]!.n !== `return __compat_vma_mmap ( ${F} , ${V} ) ;`)
			throw shapeErr(`it returns ${fnStmts[0]!.n.replace(/ /g, '')}, a helper this generator does not know`);
		if (!/^static\b/.test(helperOld.text)) throw shapeErr('__compat_vma_mmap(file, vma) is not static');
		bodyFn = helperOld;
		helper = helperOld;
	} else if (helperOld) {
		throw new CompatHelpersError('shape', `${where}:${helperOld.line}: a __compat_vma_mmap() that compat_vma_mmap() does not simply return`);
	}

	// Parameter names of the function the body is in.
	let bF = F;
	let bV = V;
	if (bodyFn !== fn) {
		const hp = paramList(bodyFn);
		bF = hp[0]!.name;
		bV = hp[1]!.name;
	}
	const stmts = statements(util, bodyFn.start + bodyFn.text.indexOf('{') + 1, bodyFn.end - 1, where);
	const at = (s: Stmt) => `${where}:${lineOf(util, s.start)}`;
	const unexpected = (s: Stmt, why: string) =>
		new CompatHelpersError('shape', `${at(s)}: compat_vma_mmap(): ${why}: ${util.slice(s.start, s.end).replace(/\s+/g, ' ')}`);

	let k = 0;
	// struct vm_area_desc desc = { ... };
	const init = stmts[k];
	const mInit = init && /^struct vm_area_desc ([A-Za-z_]\w*) = \{/.exec(init.n);
	if (!init || !mInit) throw shapeErr('expected it to start with `struct vm_area_desc desc = { ... };`');
	const D = mInit[1]!;
	const fields = parseInitializer(util, init, where);
	k++;
	let A: string | null = null;
	let aInit = false;
	let E: string | null = null;
	for (; k < stmts.length; k++) {
		const s = stmts[k]!;
		let m: RegExpExecArray | null;
		if ((m = /^struct mmap_action \* ([A-Za-z_]\w*) (= & (\w+) \. action )?;$/.exec(s.n))) {
			if (m[2] && m[3] !== D) throw unexpected(s, 'an mmap_action pointer to another descriptor');
			A = m[1]!;
			aInit = !!m[2];
		} else if ((m = /^int ([A-Za-z_]\w*) ;$/.exec(s.n))) E = m[1]!;
		else break;
	}
	if (!E) throw shapeErr('expected an `int err;` declaration after the descriptor');
	const Ere = E;
	const isCheck = (s: Stmt | undefined) => !!s && (s.n === `if ( ${Ere} ) return ${Ere} ;` || s.n === `if ( ${Ere} ) { return ${Ere} ; }`);
	const raw = (s: Stmt) => util.slice(s.start, s.end);

	// err = f_op->mmap_prepare(&desc); if (err) return err;
	const hook = stmts[k];
	if (!hook || !new RegExp(`^${E} = .*\\( .*& ${D} \\) ;$`).test(hook.n) || !/mmap_prepare/.test(hook.n))
		throw hook ? unexpected(hook, 'expected the f_op->mmap_prepare() call here') : shapeErr('no f_op->mmap_prepare() call');
	if (!isCheck(stmts[k + 1])) throw unexpected(stmts[k + 1] ?? hook, `expected \`if (${E}) return ${E};\` after the mmap_prepare call`);
	const hookCall = raw(hook);
	const hookCheck = raw(stmts[k + 1]!);
	k += 2;

	let prepare: Single['prepare'] = null;
	let hide: Single['hide'] = null;
	let hideMoved = false;
	let setVma: string | null = null;
	let setVmaName = '';
	let complete: string | null = null;
	for (; k < stmts.length; k++) {
		const s = stmts[k]!;
		let m: RegExpExecArray | null;
		if (A && !aInit && s.n === `${A} = & ${D} . action ;`) continue;
		if (complete) throw unexpected(s, 'a statement after the final return');
		if (new RegExp(`^(${E} = )?mmap_action_prepare \\(`).test(s.n)) {
			if (prepare || setVma) throw unexpected(s, 'mmap_action_prepare() out of place');
			if (s.n.startsWith(`${E} =`)) {
				if (!isCheck(stmts[k + 1])) throw unexpected(s, `expected \`if (${E}) return ${E};\` after it`);
				prepare = { call: raw(s), check: raw(stmts[k + 1]!) };
				k++;
			} else prepare = { call: raw(s), check: null };
		} else if (s.n === `${A} -> ${HIDE} = false ;` || s.n === `${D} . action . ${HIDE} = false ;`) {
			if (hide) throw unexpected(s, `${HIDE} cleared twice`);
			hide = { text: raw(s), lead: s.lead, viaAction: !s.n.startsWith(`${D} .`) };
			hideMoved = !!prepare;
		} else if ((m = new RegExp(`^(${OLD_SET_VMA}|${NEW_SET_VMA}) \\( ${bV} , & ${D} \\) ;$`).exec(s.n))) {
			if (setVma) throw unexpected(s, 'the VMA updated twice');
			setVma = raw(s);
			setVmaName = m[1]!;
		} else if (/^return mmap_action_complete \(/.test(s.n)) {
			if (!setVma) throw unexpected(s, `mmap_action_complete() before ${OLD_SET_VMA}()`);
			complete = raw(s);
		} else throw unexpected(s, 'a statement this generator does not know');
	}
	if (!setVma) throw shapeErr(`no ${OLD_SET_VMA}(${bV}, &${D}) call`);
	if (!complete) throw shapeErr('it does not end in `return mmap_action_complete(...)`');
	if (hide?.viaAction && !A) throw shapeErr('hide_from_rmap_until_complete cleared through an undeclared pointer');

	// Rename the body's own parameter names to compat_vma_mmap()'s.
	const ren = (s: string) => (bF === F && bV === V ? s : s.replace(new RegExp(`\\b${bF}\\b`, 'g'), F).replace(new RegExp(`\\b${bV}\\b`, 'g'), V));
	for (const f of fields) f.expr = ren(f.expr);
	return {
		fn,
		bodyFn,
		helper,
		exportMacro,
		F,
		V,
		D,
		A,
		E,
		fields,
		hookCall: ren(hookCall),
		hookCheck,
		prepare: prepare && { call: ren(prepare.call), check: prepare.check },
		hide,
		hideMoved,
		setVma: ren(setVma),
		setVmaName,
		complete: ren(complete),
		line: fn.line,
	};
}

/** The designated initialiser of `struct vm_area_desc desc = { ... };`, flattened. */
function parseInitializer(src: string, st: Stmt, where: string): Field[] {
	const toks = st.toks;
	const open = toks.findIndex((k) => k.t === '{');
	const fields: Field[] = [];
	const fail = (k: Tok, why: string): never => {
		throw new CompatHelpersError('shape', `${where}:${lineOf(src, k.start)}: the vm_area_desc initialiser in compat_vma_mmap(): ${why}`);
	};
	// returns the index after the closing brace
	const walk = (i: number, prefix: string[]): number => {
		let pendingComments: string[] = [];
		let lastField: Field | null = null;
		let lastEnd = toks[i - 1]!.end;
		for (;;) {
			const k = toks[i];
			if (!k) fail(toks[open]!, 'unterminated');
			if (k!.kind === 'comment') {
				// a comment on the line of the previous entry belongs to it
				if (lastField && !src.slice(lastEnd, k!.start).includes('\n')) lastField.comments.push(k!.t);
				else pendingComments.push(k!.t);
				lastEnd = k!.end;
				i++;
				continue;
			}
			if (k!.t === '}') return i + 1;
			if (k!.t === ',') {
				lastEnd = k!.end;
				i++;
				continue;
			}
			if (k!.t !== '.') fail(k!, `a positional initialiser (${k!.t}); only designated ones are understood`);
			const blankBefore = /\n[ \t]*\n/.test(src.slice(lastEnd, pendingComments.length ? src.indexOf(pendingComments[0]!, lastEnd) : k!.start));
			const p: string[] = [];
			while (toks[i]?.t === '.') {
				const id = toks[i + 1];
				if (id?.kind !== 'id') fail(k!, 'a designator that is not a member name');
				p.push(id!.t);
				i += 2;
			}
			if (toks[i]?.t === '[') fail(toks[i]!, 'an array designator');
			if (toks[i]?.t !== '=') fail(toks[i] ?? k!, 'a designator without "="');
			i++;
			if (toks[i]?.t === '{') {
				// nested designated initialiser: .action = { .type = ... }
				const before = fields.length;
				lastEnd = toks[i]!.end;
				i = walk(i + 1, [...prefix, ...p]);
				const first = fields[before];
				if (first) {
					first.comments.unshift(...pendingComments);
					first.blankBefore ||= blankBefore;
				}
				pendingComments = [];
				lastField = fields[fields.length - 1] ?? null;
				lastEnd = toks[i - 1]!.end;
				continue;
			}
			// the expression runs to the next "," or "}" at depth 0
			const from = i;
			let d = 0;
			while (i < toks.length) {
				const t = toks[i]!.t;
				if (d === 0 && (t === ',' || t === '}')) break;
				if (t === '(' || t === '[' || t === '{') d++;
				else if (t === ')' || t === ']' || t === '}') d--;
				i++;
			}
			const code = toks.slice(from, i).filter((x) => x.kind !== 'comment');
			if (!code.length) fail(k!, 'an empty initialiser');
			const lastCode = code[code.length - 1]!;
			const inner = toks.slice(from, i).filter((x) => x.kind === 'comment' && x.start > lastCode.end);
			const f: Field = {
				path: [...prefix, ...p],
				expr: src.slice(code[0]!.start, code[code.length - 1]!.end),
				comments: [...pendingComments, ...inner.map((c) => c.t)],
				blankBefore,
			};
			fields.push(f);
			pendingComments = [];
			lastField = f;
			lastEnd = code[code.length - 1]!.end;
		}
	};
	const after = walk(open + 1, []);
	if (toks[after]?.t !== ';') fail(toks[after] ?? toks[open]!, 'unexpected text after the initialiser');
	if (!fields.length) fail(toks[open]!, 'empty');
	return fields;
}

/**
 * compat_vma_mmap() will clear hide_from_rmap_until_complete before
 * __compat_vma_mmap() prepares the action. If the tree cleared it after
 * mmap_action_prepare(), that is only the same when the prepare path never
 * reads or writes the bit: follow mmap_action_prepare() through the functions
 * it calls in mm/util.c, mm/internal.h and mm/memory.c.
 */
function checkHideMove(root: string, single: Single): void {
	if (!single.hideMoved) return;
	const defs = new Map<string, string[]>();
	for (const rel of [UTIL_C, 'mm/internal.h', 'mm/memory.c']) {
		const s = readOpt(root, rel);
		if (!s) continue;
		for (const it of scanItems(s)) if (it.kind === 'function') defs.set(it.name, [...(defs.get(it.name) ?? []), it.text]);
	}
	const seen = new Set<string>();
	const todo = ['mmap_action_prepare'];
	while (todo.length) {
		const name = todo.pop()!;
		if (seen.has(name)) continue;
		seen.add(name);
		for (const text of defs.get(name) ?? []) {
			const body = text.slice(text.indexOf('{'));
			const toks = tokenize(body);
			if (toks.includes(HIDE))
				throw new CompatHelpersError(
					'shape',
					`${name}() uses ${HIDE}, and the tree's compat_vma_mmap() clears it after mmap_action_prepare(): ` +
						'splitting would change the order; not generated',
				);
			toks.forEach((t, i) => {
				if (toks[i + 1] === '(' && defs.has(t)) todo.push(t);
			});
		}
	}
}

// ---------------------------------------------------------------------------
// Generating the three functions

interface Generated {
	setDescHead: string[];
	setDescBody: string;
	compatHead: string[];
	compatBody: string;
	vmaHead: string[];
	vmaBody: string;
	exportMacro: string;
	/** compat_vma_mmap()'s parameters, with the tree's names */
	compatParams: string[];
}

const TAB = 8;
const width = (s: string) => [...s].reduce((w, c) => (c === '\t' ? w + TAB - (w % TAB) : w + 1), 0);

/** Indentation reaching column col with tabs then spaces. */
const indentTo = (col: number) => '\t'.repeat(Math.floor(col / TAB)) + ' '.repeat(col % TAB);

/** `prefix(p1, p2, ...)suffix`, parameters filled greedily within 80 columns, aligned with the "(". */
export function layoutSignature(prefix: string, params: string[], suffix: string, max = 80): string {
	const lines: string[] = [];
	let cur = `${prefix}(`;
	const col = width(cur);
	params.forEach((p, i) => {
		const piece = p + (i === params.length - 1 ? `)${suffix}` : ',');
		const sep = cur.endsWith('(') ? '' : ' ';
		if (!cur.endsWith('(') && width(cur + sep + piece) > max) {
			lines.push(cur);
			cur = indentTo(col) + piece;
		} else cur += sep + piece;
	});
	lines.push(cur);
	return lines.join('\n');
}

const SET_DESC_PARAMS = ['struct vm_area_desc *desc', 'const struct file *file', 'const struct vm_area_struct *vma'];
const VMA_PARAMS = ['struct vm_area_desc *desc', 'struct vm_area_struct *vma'];

function generate(s: Single): Generated {
	// an identifier, not a member name after "." or "->"
	const id = (name: string, tail = '') => new RegExp(`(?<!(?:\\.|->)\\s*)\\b${name}\\b${tail}`, 'g');
	// --- compat_set_desc_from_vma(): zero, then the initialiser's fields one by one
	const lines: string[] = ['\tmemset(desc, 0, sizeof(*desc));'];
	for (const f of s.fields) {
		if (id(s.D).test(f.expr)) throw new CompatHelpersError('shape', `the initialiser of ${s.D}.${f.path.join('.')} refers to ${s.D} itself`);
		let expr = f.expr.trim() === s.F ? '(struct file *)file' : f.expr.replace(id(s.F), 'file');
		if (s.V !== 'vma') expr = expr.replace(id(s.V), 'vma');
		if (f.blankBefore || lines.length === 1) lines.push('');
		for (const c of f.comments) lines.push(`\t${c.startsWith('//') ? c : c.replace(/\n\s*/g, ' ')}`);
		lines.push(`\tdesc->${f.path.join('.')} = ${expr};`);
	}
	const setDescBody = `{\n${lines.join('\n')}\n}\n`;

	// --- __compat_vma_mmap(): what the single function did after the hook
	const tr = (t: string) => {
		let x = t;
		if (s.A) x = x.replace(id(s.A, '\\s*->\\s*'), 'desc->action.').replace(id(s.A), '&desc->action');
		x = x
			.replace(new RegExp(`&\\s*${s.D}\\s*\\.\\s*`, 'g'), '&desc->')
			.replace(new RegExp(`&\\s*${s.D}\\b(?!\\s*(?:\\.|->))`, 'g'), 'desc')
			.replace(id(s.D, '\\s*\\.\\s*'), 'desc->');
		if (s.V !== 'vma') x = x.replace(id(s.V), 'vma');
		return x.replace(new RegExp(`\\b${OLD_SET_VMA}\\b`, 'g'), NEW_SET_VMA);
	};
	const vb: string[] = [];
	if (s.prepare?.check) vb.push(`\tint ${s.E};`, '');
	if (s.prepare) {
		vb.push(`\t${tr(s.prepare.call)}`);
		if (s.prepare.check) vb.push(`\t${s.prepare.check}`);
		vb.push('');
	}
	vb.push(`\t${tr(s.setVma)}`, `\t${tr(s.complete)}`);
	const vmaBody = `{\n${vb.join('\n')}\n}\n`;

	// --- compat_vma_mmap(): fill, call the hook, apply
	const cb: string[] = [`\tstruct vm_area_desc ${s.D};`];
	if (s.hide?.viaAction) cb.push(`\tstruct mmap_action *${s.A};`);
	cb.push(`\tint ${s.E};`, '', `\tcompat_set_desc_from_vma(&${s.D}, ${s.F}, ${s.V});`, `\t${s.hookCall}`, `\t${s.hookCheck}`);
	if (s.hide) {
		if (s.hide.viaAction) cb.push(`\t${s.A} = &${s.D}.action;`);
		cb.push('');
		for (const c of s.hide.lead) cb.push(`\t${c}`);
		cb.push(`\t${s.hide.text}`);
	}
	cb.push('', `\treturn __compat_vma_mmap(&${s.D}, ${s.V});`);
	const compatBody = `{\n${cb.join('\n')}\n}\n`;

	return {
		setDescHead: ['void', 'compat_set_desc_from_vma'],
		setDescBody,
		vmaHead: ['int', '__compat_vma_mmap'],
		vmaBody,
		compatHead: ['int', 'compat_vma_mmap'],
		compatBody,
		exportMacro: s.exportMacro,
		compatParams: [`struct file *${s.F}`, `struct vm_area_struct *${s.V}`],
	};
}

const SET_DESC_DOC = `/**
 * compat_set_desc_from_vma() - Fill a VMA descriptor from an existing VMA.
 * @desc: The descriptor to fill.
 * @file: The file being mmap()'d. It becomes @desc->file and may differ from
 *        @vma->vm_file in stacked callers.
 * @vma: The VMA whose state is copied into @desc.
 *
 * For an mmap() hook that holds a VMA and must call a nested hook taking a
 * struct vm_area_desc: zeroes @desc, then gives it the VMA's state, with no
 * action requested. Run the nested hook on @desc, then apply the result to
 * @vma with __compat_vma_mmap().
 *
 * Like compat_vma_mmap(), this is temporary: it is removed once mmap() hooks
 * have been converted to mmap_prepare().
 */
`;

const VMA_MMAP_DOC = `/**
 * __compat_vma_mmap() - Apply a VMA descriptor to an existing VMA.
 * @desc: A descriptor from compat_set_desc_from_vma() on which an
 *        mmap_prepare-style hook has run.
 * @vma: The VMA the descriptor was filled from.
 *
 * Prepares the action the hook requested, updates @vma from @desc and
 * completes the action: what compat_vma_mmap() does after calling
 * f_op->mmap_prepare(), for callers that invoke the hook themselves.
 *
 * Like compat_vma_mmap(), this is temporary: it is removed once mmap() hooks
 * have been converted to mmap_prepare().
 *
 * Returns: 0 on success or an error.
 */
`;

function kernelFunctions(g: Generated): string {
	return (
		SET_DESC_DOC +
		layoutSignature(`${g.setDescHead[0]} ${g.setDescHead[1]}`, SET_DESC_PARAMS, '') +
		'\n' +
		g.setDescBody +
		`${g.exportMacro}(compat_set_desc_from_vma);\n\n` +
		VMA_MMAP_DOC +
		layoutSignature(`${g.vmaHead[0]} ${g.vmaHead[1]}`, VMA_PARAMS, '') +
		'\n' +
		g.vmaBody +
		`${g.exportMacro}(__compat_vma_mmap);\n\n`
	);
}

/** Offset of the comment block that ends right before offset at (else at itself), from its line start. */
function withLeadingComment(src: string, at: number): number {
	let i = at;
	while (i > 0 && /\s/.test(src[i - 1]!)) i--;
	if (src.slice(i - 2, i) !== '*/') return lineStart(src, at);
	const open = src.lastIndexOf('/*', i - 2);
	return open < 0 ? lineStart(src, at) : lineStart(src, open);
}
const lineStart = (src: string, at: number) => src.lastIndexOf('\n', at - 1) + 1;

/** Offset just after the item and its line's newline (and one blank line after it). */
function afterItem(src: string, end: number): number {
	let i = end;
	const nl = src.indexOf('\n', i);
	i = nl < 0 ? src.length : nl + 1;
	const m = /^[ \t]*\n/.exec(src.slice(i));
	return m ? i + m[0].length : i;
}

function rewriteKernel(util: string, s: Single, g: Generated): string {
	const header = util.slice(s.fn.start, s.fn.start + s.fn.text.indexOf('{'));
	let out = util.slice(0, s.fn.start) + header + g.compatBody.replace(/\n$/, '') + util.slice(s.fn.end);
	// the new functions go right before compat_vma_mmap()'s kernel-doc
	const at = withLeadingComment(out, s.fn.start);
	out = out.slice(0, at) + kernelFunctions(g) + out.slice(at);
	if (s.helper) {
		// drop the static helper (and its comment) that the body came from
		const items = scanItems(out);
		const h = items.find((it) => it.kind === 'function' && it.name === '__compat_vma_mmap' && /^static\b/.test(it.text));
		if (!h) throw new Error('compathelpers: lost the static __compat_vma_mmap()');
		out = out.slice(0, withLeadingComment(out, h.start)) + out.slice(afterItem(out, h.end));
	}
	return out;
}

function addPrototypes(fsh: string): string {
	const m = /^([ \t]*)(?:extern\s+)?int\s+compat_vma_mmap\s*\(\s*struct\s+file\s*\*\s*\w+\s*,\s*struct\s+vm_area_struct\s*\*\s*\w+\s*\)\s*;[ \t]*\n/m.exec(fsh);
	if (!m) throw new CompatHelpersError('missing', `${FS_H} does not declare int compat_vma_mmap(struct file *, struct vm_area_struct *)`);
	if (/\b__compat_vma_mmap\s*\(\s*const\s+struct\s+file_operations\b/.test(fsh))
		throw new CompatHelpersError('shape', `${FS_H} declares __compat_vma_mmap(const struct file_operations *, ...) (${F_OP_FORM})`);
	const protos = layoutSignature('void compat_set_desc_from_vma', SET_DESC_PARAMS, ';') + '\n' + layoutSignature('int __compat_vma_mmap', VMA_PARAMS, ';') + '\n';
	return fsh.slice(0, m.index) + protos + fsh.slice(m.index);
}

/**
 * Drop the const qualifiers that stop compat_set_desc_from_vma() from
 * assigning vm_area_desc's members: the member's own (`*const mm`,
 * `const unsigned long start`) for every member it assigns, and for mm and
 * file the target's too (`const struct mm_struct *`), as upstream did.
 */
function dropConst(src: string, where: string, assigned: Set<string>): { text: string; changed: string[] } {
	const st = scanItems(src).find((it) => it.kind === 'struct' && it.name === 'vm_area_desc');
	if (!st) throw new CompatHelpersError('missing', `${where} does not define struct vm_area_desc`);
	const open = st.start + st.text.indexOf('{') + 1;
	const close = st.start + st.text.lastIndexOf('}');
	const body = src.slice(open, close);
	// the same text with comments blanked out (same offsets), to find the code
	const code = body.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
	const changed: string[] = [];
	const cuts: Array<[number, number]> = [];
	// one member per ";" at the top level of the struct body
	const member = /([^;{}]*?)\b([A-Za-z_]\w*)\s*(?::\s*\d+\s*)?;/g;
	let m: RegExpExecArray | null;
	while ((m = member.exec(code))) {
		const name = m[2]!;
		if (!assigned.has(name)) continue;
		const declStart = m.index;
		const decl = m[1]!;
		const star = decl.lastIndexOf('*');
		// mm and file lose every const; other members only their own
		const from = name === 'mm' || name === 'file' || star < 0 ? 0 : star;
		const re = /\bconst\b\s*/g;
		re.lastIndex = from;
		let c: RegExpExecArray | null;
		let any = false;
		while ((c = re.exec(decl))) {
			cuts.push([declStart + c.index, declStart + c.index + c[0].length]);
			any = true;
		}
		if (any) changed.push(name);
	}
	let out = body;
	for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + out.slice(b);
	return { text: src.slice(0, open) + out + src.slice(close), changed };
}

function rewriteMirror(src: string, where: string, g: Generated): string {
	const items = scanItems(src);
	const fn = findFunction(items, 'compat_vma_mmap');
	if (!fn) throw new CompatHelpersError('missing', `${where} has no compat_vma_mmap() to mirror the split in`);
	if (findFunction(items, 'compat_set_desc_from_vma'))
		throw new CompatHelpersError('present', `${where} already has compat_set_desc_from_vma() while the kernel does not`);
	const helper = items.find((it) => it.kind === 'function' && it.name === '__compat_vma_mmap');
	if (helper && paramList(helper).some((p) => /file_operations/.test(p.type)))
		throw new CompatHelpersError('shape', `${where}:${helper.line}: __compat_vma_mmap() takes a struct file_operations * (${F_OP_FORM})`);
	const text =
		layoutSignature('static inline void compat_set_desc_from_vma', SET_DESC_PARAMS, '') +
		'\n' +
		g.setDescBody +
		'\n' +
		layoutSignature('static inline int __compat_vma_mmap', VMA_PARAMS, '') +
		'\n' +
		g.vmaBody +
		'\n' +
		layoutSignature('static inline int compat_vma_mmap', g.compatParams, '') +
		'\n' +
		g.compatBody;
	// Everything the copies use that the mirror itself defines must come before them.
	const defined = new Map(items.filter((it) => it.kind !== 'prototype').map((it) => [it.name, it]));
	const mine = new Set(['compat_set_desc_from_vma', '__compat_vma_mmap', 'compat_vma_mmap', 'desc', 'vma', 'file', 'err', 'action']);
	const toks = tokenize(text);
	const used = new Set(toks.filter((t, i) => /^[A-Za-z_]/.test(t) && (toks[i + 1] === '(' || toks[i - 1] === 'struct' || /^[A-Z][A-Z0-9_]+$/.test(t))));
	for (const t of used) {
		const d = defined.get(t);
		if (!d || mine.has(t) || d.start < fn.start || d === helper) continue;
		const declared = items.some((it) => it.kind === 'prototype' && it.name === t && it.start < fn.start);
		if (!declared)
			throw new CompatHelpersError('shape', `${where}:${d.line}: ${t} is defined after compat_vma_mmap() (line ${fn.line}), but the new copies use it`);
	}
	let out = src.slice(0, fn.start) + text.replace(/\n$/, '') + src.slice(fn.end);
	if (helper) {
		const h = scanItems(out).find((it) => it.kind === 'function' && it.name === '__compat_vma_mmap' && /\bstruct\s+file\s*\*/.test(it.text.slice(0, it.text.indexOf('{'))));
		if (h) out = out.slice(0, withLeadingComment(out, h.start)) + out.slice(afterItem(out, h.end));
	}
	return out;
}

/** Every changed file still scans, and the three functions are where they should be. */
function selfCheck(changes: CompatHelpersChange[]): void {
	for (const c of changes) {
		if (c.path !== UTIL_C && !MIRRORS.includes(c.path)) continue;
		const names = scanItems(c.after)
			.filter((it) => it.kind === 'function')
			.map((it) => it.name);
		for (const n of ['compat_set_desc_from_vma', '__compat_vma_mmap', 'compat_vma_mmap'])
			if (names.filter((x) => x === n).length !== 1) throw new Error(`compathelpers: internal error: ${c.path} has ${names.filter((x) => x === n).length} ${n}()`);
	}
}

// ---------------------------------------------------------------------------
// The commit message

function joinAnd(xs: string[]): string {
	return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function commitBody(
	s: Single,
	o: { constDropped: string[]; renamed: boolean; mirrorPath: string; version?: string },
): string {
	const copied = s.fields.filter((f) => !(f.path.join('.') === 'action.type' && /^MMAP_NOTHING$/.test(f.expr.trim())));
	const defaultAction = copied.length !== s.fields.length;
	const paras: string[] = [
		'compat_vma_mmap() lets an mmap() hook call the f_op->mmap_prepare() hook ' +
			'of a file it stacks on: it builds a struct vm_area_desc from the VMA, ' +
			'calls the hook on it and applies the result to the VMA. That only ' +
			'covers stacking through f_op. Drivers also nest hooks through their ' +
			'own structures, where an outer mmap() callback calls something like ' +
			'ops->mmap(obj, vma). Converting such an inner hook to take a struct ' +
			'vm_area_desc then means converting every implementor and every caller ' +
			'in one go, unless the outer hook can build a descriptor itself, call ' +
			'the converted inner hook on it and apply the result.',
		'Split compat_vma_mmap() into the two halves such a caller needs:',
		`- compat_set_desc_from_vma(desc, file, vma) fills *desc from the VMA. It zeroes the whole descriptor first, so that no field, the action included, is ever left holding stack contents, and then copies ${joinAnd(copied.map((f) => f.path.join('.')))}${defaultAction ? ', and requests no action (MMAP_NOTHING)' : ''}, as the initialiser in compat_vma_mmap() did.\n` +
			`- __compat_vma_mmap(desc, vma) takes a descriptor a hook has run on, ${s.prepare ? 'prepares the requested action, ' : ''}updates the VMA from the descriptor and completes the action.`,
		'compat_vma_mmap() becomes compat_set_desc_from_vma(), the ' +
			'f_op->mmap_prepare() call and __compat_vma_mmap(), and behaves as ' +
			'before: the initialiser zeroed every field it did not name, as the ' +
			'memset() does now.' +
			(s.hideMoved
				? ' It clears action.hide_from_rmap_until_complete before the action ' +
					'is prepared rather than after; mmap_action_prepare() does not ' +
					'use that bit.'
				: ''),
		'A caller nesting a converted hook then does:',
		'\tstruct vm_area_desc desc;\n\tint err;\n\n\tcompat_set_desc_from_vma(&desc, file, vma);\n\terr = obj->mmap_prepare(obj, &desc);\n\tif (err)\n\t\treturn err;\n\n\treturn __compat_vma_mmap(&desc, vma);',
		`Both functions are exported and declared in <linux/fs.h> next to ` +
			`compat_vma_mmap(). Like it, they are temporary and go once the ` +
			`conversion to mmap_prepare() is complete.`,
	];
	const extra: string[] = [];
	if (o.constDropped.length)
		extra.push(
			`compat_set_desc_from_vma() assigns the descriptor's members one by one, so ${joinAnd(
				o.constDropped.map((n) => `vm_area_desc.${n}`),
			)} can no longer be const.`,
		);
	if (o.renamed) extra.push(`${OLD_SET_VMA}() is renamed ${NEW_SET_VMA}(), as part of the same temporary compat layer.`);
	if (extra.length) paras.push(extra.join(' '));
	paras.push(
		`Mirror the change in the userland VMA tests (${o.mirrorPath}), with static inline copies of the three functions.`,
	);
	paras.push(
		// The disclosure (generated-content.rst) as one plain line, as the series' patches have it.
		`Generated by mmapify${o.version ? ` ${o.version}` : ''}, a codemod for the mmap_prepare conversion.`,
	);
	return wrapMessage(paras.join('\n\n'));
}
