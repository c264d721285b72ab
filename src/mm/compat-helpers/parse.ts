// Parsing the single-function compat_vma_mmap() of mm/util.c: its
// parameters, the descriptor initialiser's fields and the statements after
// the f_op->mmap_prepare() call.
import { scanItems, tokenize, type ScannedItem } from '../dup/scan.js';
import { statements, type Stmt, type Tok } from './lex.js';
import { CompatHelpersError, F_OP_FORM, HIDE, NEW_SET_VMA, OLD_SET_VMA, UTIL_C, lineOf, readOpt } from './shared.js';

export interface Field {
	/** designator path: ['pgoff'], ['action', 'type'] */
	path: string[];
	/** the initialiser expression, as written */
	expr: string;
	/** comments before the designator, and after the entry on its line */
	comments: string[];
	blankBefore: boolean;
}

export interface Single {
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

export function findFunction(items: ScannedItem[], name: string): ScannedItem | undefined {
	return items.find((it) => it.kind === 'function' && it.name === name);
}

/** Parameter names of a function item whose header is `... name(T1 a, T2 b)` */
export function paramList(it: ScannedItem): Array<{ type: string; name: string }> {
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

export function parseSingle(util: string, where: string): Single {
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
export function parseInitializer(src: string, st: Stmt, where: string): Field[] {
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
export function checkHideMove(root: string, single: Single): void {
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
