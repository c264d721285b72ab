// P15/P16: the one mapping call at the end of a hook becomes a descriptor action
// that the core performs after the hook returns:
//   return remap_pfn_range(vma, vma->vm_start, pfn, size, vma->vm_page_prot);
//     -> mmap_action_remap[_full](desc, ...); return 0;
//   if (io_remap_pfn_range(...)) return -EAGAIN;   (followed by return 0;)
//     -> mmap_action_ioremap[_full](desc, ...); desc->action.error_override = -EAGAIN;
//   return vm_iomap_memory(vma, phys, len);
//     -> mmap_action_simple_ioremap(desc, phys, len); return 0;
//   ret = remap_pfn_range(...); ... return ret;   (ret a local used nowhere else)
//     -> mmap_action_remap[_full](desc, ...); ... return 0;  (ret's declaration dropped)
// Proof obligations checked here: the call is a top-level statement of the hook,
// nothing but `return 0;` (or a debug print) follows it, no guard() lock is held
// over it, it maps from vma->vm_start with vma->vm_page_prot, and it is the
// only action.
import { walk, type Node } from '../../src/c/parser.js';
import { callArgs, callee, isVma, unparen, vmaField, type HookContext, type Rule } from '../../src/rewrite/rule.js';
import { displayWidth, lineIndent } from '../../src/c/node.js';
import { formatCall } from '../../src/c/style/call.js';

const REMAPS: Record<string, { action: string; full: string }> = {
	remap_pfn_range: { action: 'mmap_action_remap', full: 'mmap_action_remap_full' },
	io_remap_pfn_range: { action: 'mmap_action_ioremap', full: 'mmap_action_ioremap_full' },
};
const PRINT = /^(pr_\w+|printk|dev_(dbg|info|notice|warn|err)|\w*_dbg|\w*_debug)$/;

function isReturnZero(n: Node): boolean {
	return n.type === 'return_statement' && /^return\s*\(?\s*0\s*\)?\s*;$/.test(n.text);
}

/** Error constant returned by `return -EFOO;` (or `{ return -EFOO; }`). */
function constantError(n: Node | null): string | undefined {
	let s = n;
	if (s?.type === 'compound_statement') {
		const kids = s.namedChildren.filter((k) => k && k.type !== 'comment');
		if (kids.length !== 1) return undefined;
		s = kids[0]!;
	}
	const m = s?.type === 'return_statement' ? /^return\s*\(?\s*(-E[A-Z0-9]+)\s*\)?\s*;$/.exec(s.text) : null;
	return m?.[1];
}

/**
 * When the deferred action fails, the core unmaps the new VMA with do_munmap(),
 * which calls vm_ops->close; the old error path never did. Refuse when the hook
 * installs vm_ops whose initialiser in this file has a .close.
 */
function checkCloseOnFailure(call: Node, ctx: HookContext): void {
	const name = callee(call)!;
	for (const m of ctx.body.text.matchAll(new RegExp(`\\b${ctx.vma}\\s*->\\s*vm_ops\\s*=\\s*&?\\s*(\\w+)`, 'g'))) {
		const init = new RegExp(`\\b${m[1]}\\s*=\\s*\\{([^}]*)\\}`).exec(ctx.source)?.[1] ?? '';
		if (/\.close\s*=/.test(init))
			ctx.refuse(call, 'remap-close', `${m[1]} has a .close, which a failed ${name}() did not call but a failed mapping action does (the core unmaps the new VMA)`);
	}
}

function checkPlacement(stmt: Node, call: Node, ctx: HookContext, allowReturnZero: boolean, result?: string): void {
	const name = callee(call)!;
	checkCloseOnFailure(call, ctx);
	if (stmt.parent?.id !== ctx.body.id)
		ctx.refuse(call, 'remap-not-final', `${name}() is not a top-level statement of the hook; only a final, unconditional mapping call becomes an mmap_action`);
	const siblings = ctx.body.namedChildren.filter((n): n is Node => !!n);
	const at = siblings.findIndex((n) => n.id === stmt.id);
	for (const before of siblings.slice(0, at))
		if (/\b(scoped_)?guard\s*\(/.test(before.text)) ctx.refuse(call, 'remap-under-lock', `${name}() runs under a guard() lock that the deferred mmap_action would not hold`);
	for (const after of siblings.slice(at + 1)) {
		if (after.type === 'comment') continue;
		if (allowReturnZero && isReturnZero(after)) continue;
		if (result && returnsName(after) === result) continue;
		// A print after the call now runs before the mapping exists, and the checker
		// refuses that (the order of log events and the mapping is compared); in a
		// chain its refusal would abandon the whole chain, so the new result-local
		// form allows none.
		const c = after.type === 'expression_statement' ? after.namedChildren[0] : null;
		if (!result && c && PRINT.test(callee(c) ?? '')) continue;
		ctx.refuse(after, 'remap-not-final', `statement after ${name}() would run before the mapping exists: ${after.text.split('\n')[0]}`);
	}
}

/**
 * Is size written as the whole VMA (vma->vm_end - vma->vm_start)? A local that
 * holds that value is passed on as it is, so that it stays used.
 */
function isFullSize(size: Node, ctx: HookContext): boolean {
	const u = unparen(size);
	return !!u && u.type === 'binary_expression' && u.childForFieldName('operator')?.text === '-' &&
		vmaField(unparen(u.childForFieldName('left')), ctx) === 'vm_end' && vmaField(unparen(u.childForFieldName('right')), ctx) === 'vm_start';
}

/**
 * A local that holds the whole VMA's size: written once, by its declaration
 * or by a top-level assignment of the hook, with that value.
 */
function isFullSizeLocal(size: Node | null, ctx: HookContext): boolean {
	const u = unparen(size);
	if (u?.type !== 'identifier') return false;
	const writes: Array<{ value: Node | null; topLevel: boolean }> = [];
	for (const n of walk(ctx.body)) {
		if (n.type === 'init_declarator' && n.childForFieldName('declarator')?.text === u.text) writes.push({ value: n.childForFieldName('value'), topLevel: true });
		else if (n.type === 'assignment_expression' && unparen(n.childForFieldName('left'))?.text === u.text)
			writes.push({ value: n.childForFieldName('operator')?.text === '=' ? n.childForFieldName('right') : null, topLevel: n.parent?.type === 'expression_statement' && n.parent.parent?.id === ctx.body.id });
		else if (n.type === 'update_expression' && n.text.replace(/\+\+|--/g, '').trim() === u.text) return false;
		else if (n.type === 'pointer_expression' && n.text.replace(/\s+/g, '') === `&${u.text}`) return false;
	}
	return writes.length === 1 && writes[0]!.topLevel && !!writes[0]!.value && isFullSize(writes[0]!.value, ctx);
}

/** The whole VMA's size, written as an expression or a local that holds it. */
function isWholeVma(n: Node | null, ctx: HookContext): boolean {
	return !!n && (isFullSize(n, ctx) || isFullSizeLocal(n, ctx));
}

/**
 * Issue #11, class 4: how the action's range [vma->vm_start, +size) relates to
 * the VMA: 'whole' (the size is the VMA's, or a check before the call returns
 * unless it is), 'inside' (a check returns when it is larger), or undefined
 * (not proven: the action's WARN_ON_ONCE(start + size > end) would fire).
 * The checks are top-level `if (COND) return -E...;` statements before the
 * call, COND a comparison (or an || of them) of the size with the VMA's.
 */
function rangeInVma(call: Node, size: Node, ctx: HookContext): 'whole' | 'inside' | undefined {
	if (isWholeVma(size, ctx)) return 'whole';
	// PAGE_ALIGN(s) is inside the VMA when s is: the VMA's size is page aligned.
	let s = unparen(size)!;
	const pa = callee(s) === 'PAGE_ALIGN' ? callArgs(s) : undefined;
	if (pa?.length === 1) s = unparen(pa[0]!)!;
	const sText = s.text.replace(/\s+/g, '');
	const stmts = ctx.body.namedChildren.filter((n): n is Node => !!n);
	const at = stmts.findIndex((n) => n.startIndex <= call.startIndex && call.endIndex <= n.endIndex);
	// The size must not change between the check and the call.
	const assigned = (from: number) =>
		s.type === 'identifier' &&
		[...walk(ctx.body)].some((n) => n.startIndex > from && n.startIndex < call.startIndex && n.type === 'assignment_expression' && unparen(n.childForFieldName('left'))?.text === s.text);
	let best: 'whole' | 'inside' | undefined;
	for (const st of stmts.slice(0, Math.max(at, 0))) {
		if (st.type !== 'if_statement' || st.childForFieldName('alternative') || !constantError(st.childForFieldName('consequence'))) continue;
		for (const c of disjuncts(unparen(st.childForFieldName('condition')))) {
			const op = c.childForFieldName('operator')?.text;
			const l = unparen(c.childForFieldName('left'));
			const r = unparen(c.childForFieldName('right'));
			if (!op || !l || !r) continue;
			const isS = (n: Node) => n.text.replace(/\s+/g, '') === sText;
			const pagesOne = (n: Node, k: Node) => sText === 'PAGE_SIZE' && /^vma_pages\(\w+\)$/.test(n.text.replace(/\s+/g, '')) && isVma(callArgs(n)[0] ?? null, ctx) && k.text === '1';
			let got: 'whole' | 'inside' | undefined;
			if (op === '!=' && ((isS(l) && isWholeVma(r, ctx)) || (isS(r) && isWholeVma(l, ctx)) || pagesOne(l, r) || pagesOne(r, l))) got = 'whole';
			else if ((op === '>' && isS(l) && isWholeVma(r, ctx)) || (op === '<' && isS(r) && isWholeVma(l, ctx))) got = 'inside';
			else if ((op === '>' && isWholeVma(l, ctx) && isS(r)) || (op === '>' && pagesOne(l, r))) got = undefined;
			if (got && !assigned(st.endIndex)) best = best === 'whole' ? best : got;
		}
	}
	return best;
}

/** The comparisons of an || chain (a single comparison is a chain of one). */
function disjuncts(n: Node | null): Node[] {
	if (!n || n.type !== 'binary_expression') return [];
	const op = n.childForFieldName('operator')?.text;
	if (op === '||') return [...disjuncts(unparen(n.childForFieldName('left'))), ...disjuncts(unparen(n.childForFieldName('right')))];
	return [n];
}

/** `return NAME;`: NAME. */
function returnsName(n: Node): string | undefined {
	return n.type === 'return_statement' ? /^return\s*\(?\s*([A-Za-z_]\w*)\s*\)?\s*;$/.exec(n.text)?.[1] : undefined;
}

/** `NAME = f(...);` as a statement: NAME and the call f(...), when f is one of names. */
function assignedCall(stmt: Node, names: (f: string) => boolean): { name: string; call: Node } | undefined {
	const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
	if (a?.type !== 'assignment_expression' || a.childForFieldName('operator')?.text !== '=') return undefined;
	const left = unparen(a.childForFieldName('left'));
	const call = unparen(a.childForFieldName('right'));
	if (left?.type !== 'identifier' || !call || !names(callee(call) ?? '')) return undefined;
	return { name: left.text, call };
}

/** `T NAME;` or `T NAME = CONST;` as a statement of the body: its only declarator is NAME. */
function soleDeclaration(stmt: Node, name: string): boolean {
	if (stmt.type !== 'declaration') return false;
	const ds = stmt.childrenForFieldName('declarator');
	if (ds.length !== 1) return false;
	const d = ds[0]!;
	if (d.type === 'identifier') return d.text === name;
	return d.type === 'init_declarator' && d.childForFieldName('declarator')?.text === name && /^-?\w+$/.test(d.childForFieldName('value')?.text ?? '');
}

/**
 * The local that holds the result of the hook's one mapping call, in the form
 * `T ret; ... ret = f(...); ... return ret;`: ret is declared alone in a
 * top-level declaration, assigned only by that top-level call statement and
 * read only by a top-level `return ret;` after it. Anything else that names it
 * would read the result of a call that now runs after the hook: refused.
 */
function resultLocal(stmt: Node, found: { name: string; call: Node }, ctx: HookContext): string {
	const { name, call } = found;
	const fn = callee(call)!;
	if (stmt.parent?.id !== ctx.body.id)
		ctx.refuse(call, 'remap-not-final', `${fn}() is not a top-level statement of the hook; only a final, unconditional mapping call becomes an mmap_action`);
	const tops = ctx.body.namedChildren.filter((n): n is Node => !!n);
	const decls = tops.filter((n) => soleDeclaration(n, name));
	const ret = tops.find((n) => n.startIndex > stmt.endIndex && returnsName(n) === name);
	if (!ctx.locals.has(name) || decls.length !== 1)
		ctx.refuse(call, 'remap-use', `${fn}()'s result goes to ${name}, which is not a local declared alone in the hook's top block`);
	for (const n of walk(ctx.body)) {
		if (n.type !== 'identifier' || n.text !== name) continue;
		const top = tops.find((t) => t.startIndex <= n.startIndex && n.endIndex <= t.endIndex);
		if (top && (top.id === stmt.id || top.id === decls[0]!.id || top.id === ret?.id)) continue;
		ctx.refuse(n, 'remap-use', `${fn}()'s result in ${name} is read by a statement that would run before the mapping exists: ${(top ?? n).text.split('\n')[0]!.trim()}`);
	}
	if (!ret) ctx.refuse(call, 'remap-use', `${fn}()'s result in ${name} is not returned by a final \`return ${name};\``);
	return name;
}

/** Is stmt the declaration or the final return of a mapping call's result local (see resultLocal)? */
function isResultPlumbing(stmt: Node, ctx: HookContext, names: (f: string) => boolean): boolean {
	if (stmt.parent?.id !== ctx.body.id) return false;
	const name = returnsName(stmt) ?? (stmt.type === 'declaration' ? stmt.childrenForFieldName('declarator').map((d) => (d.type === 'init_declarator' ? d.childForFieldName('declarator') : d)?.text)[0] : undefined);
	if (!name) return false;
	const tops = ctx.body.namedChildren.filter((n): n is Node => !!n);
	const assign = tops.find((n) => assignedCall(n, names)?.name === name);
	if (!assign) return false;
	return stmt.type === 'declaration' ? soleDeclaration(stmt, name) : stmt.startIndex > assign.endIndex;
}

/** Might stmt be such plumbing? (It names neither the vma nor the file, so the engine asks.) */
function mayBePlumbing(n: Node): boolean {
	return (n.type === 'return_statement' && !!returnsName(n)) || (n.type === 'declaration' && n.childrenForFieldName('declarator').length === 1);
}

function remapAction(call: Node, ctx: HookContext, errorOverride?: string): string {
	const name = callee(call)!;
	const spec = REMAPS[name]!;
	const args = callArgs(call);
	if (args.length !== 5 || !isVma(args[0]!, ctx)) ctx.refuse(call, 'remap-args', `${name}() call not understood`);
	if (vmaField(unparen(args[1]!), ctx) !== 'vm_start') ctx.refuse(call, 'remap-args', `${name}() does not start at vma->vm_start: ${args[1]!.text}`);
	if (vmaField(unparen(args[4]!), ctx) !== 'vm_page_prot')
		ctx.refuse(call, 'remap-args', `${name}() maps with a pgprot other than vma->vm_page_prot (${args[4]!.text}); the action would also change the VMA's prot`);
	const range = rangeInVma(call, args[3]!, ctx);
	if (!range)
		ctx.refuse(call, 'action-range', `${name}()'s size ${args[3]!.text} is not proven to fit in the VMA; the mapping action would hit WARN_ON_ONCE(start + size > end) and fail with -EFAULT where ${name}() failed with -EINVAL`);
	// remap_pfn_range_prepare() fails a partial COW mapping with -EINVAL in the
	// prepare stage, where error_override does not apply (kernel-api.md §1.2).
	if (errorOverride && range !== 'whole')
		ctx.refuse(call, 'error-override-prepare', `${name}() may map less than the VMA; a private mapping of part of it now fails in the prepare stage with -EINVAL, which error_override cannot turn into ${errorOverride}`);
	const action = isFullSize(args[3]!, ctx) || (range === 'whole' && !isFullSizeLocal(args[3]!, ctx)) ? spec.full : spec.action;
	if (!ctx.api.actions.has(action)) ctx.refuse(call, 'api-missing', `this tree has no ${action}()`);
	ctx.actions.push(`${name}()`);
	const pfn = oneLine(ctx.convert(args[2]!));
	// remap_pfn_range() maps PAGE_ALIGN(size) and checks that against the VMA;
	// the action checks start + size as given, so an unaligned size must be aligned here.
	const size = oneLine(ctx.convert(args[3]!));
	// A local that holds the VMA's size is page aligned as the VMA is.
	const aligned = /^(PAGE_SIZE|PAGE_ALIGN\(.*\)|.*<<\s*PAGE_SHIFT|.*\*\s*PAGE_SIZE|vma_desc_size\(desc\))$/.test(size) || isFullSizeLocal(args[3]!, ctx);
	const callArgs_ = action === spec.full ? ['desc', pfn] : ['desc', 'desc->start', pfn, aligned ? size : `PAGE_ALIGN(${size})`];
	return formatCall(action, callArgs_, statementColumn(call, ctx));
}

/** An argument's text with its own line breaks folded, for re-wrapping. */
function oneLine(text: string): string {
	return text.includes('//') ? text : text.replace(/\s*\n\s*/g, ' ');
}

/** Display column where the replacing statement will start: the statement's indentation. */
function statementColumn(n: Node, ctx: HookContext): number {
	return displayWidth(lineIndent(ctx.source, n.startIndex));
}

export const remap: Rule = {
	id: 'P16',
	phrase: 'requests the remap with an mmap_action_remap*() helper instead of calling remap_pfn_range(), so the core remaps after the hook returns',
	requires: ['actions', 'errorOverride'],
	requestsAction: true,
	reports: {
		error_override:
			'sets desc->action.error_override to the error code the old code returned when the remap failed, so that mmap() returns that code, not the remap\'s own error, when the remap the core makes after the hook fails (errors of the checks made before the remap are returned as they are)',
	},
	rewrite(node, ctx) {
		const indent = () => lineIndent(ctx.source, node.startIndex);
		const isRemap = (f: string) => !!REMAPS[f];
		if (isResultPlumbing(node, ctx, isRemap)) return node.type === 'declaration' ? '' : `return 0;`;
		if (node.type === 'return_statement') {
			const call = unparen(node.namedChildren[0] ?? null);
			if (!call || !REMAPS[callee(call) ?? '']) return undefined;
			checkPlacement(node, call, ctx, false);
			return `${remapAction(call, ctx)};\n${indent()}return 0;`;
		}
		if (node.type === 'if_statement') {
			const call = unparen(node.childForFieldName('condition'));
			if (!call || !REMAPS[callee(call) ?? '']) return undefined;
			if (node.childForFieldName('alternative')) ctx.refuse(node, 'remap-failure-path', `${callee(call)}() failure has an else branch`);
			const err = constantError(node.childForFieldName('consequence'));
			if (!err) ctx.refuse(node, 'remap-failure-path', `${callee(call)}() failure does more than return an error code: ${node.childForFieldName('consequence')!.text.split('\n').slice(0, 2).join(' ').trim()}`);
			checkPlacement(node, call, ctx, true);
			if (!ctx.api.errorOverride) ctx.refuse(node, 'api-missing', `this tree has no mmap_action.error_override to keep ${err}`);
			ctx.used.add('error_override');
			return `${remapAction(call, ctx, err)};\n${indent()}desc->action.error_override = ${err};`;
		}
		const found = assignedCall(node, isRemap);
		if (found) {
			const name = resultLocal(node, found, ctx);
			checkPlacement(node, found.call, ctx, false, name);
			return `${remapAction(found.call, ctx)};`;
		}
		if (node.type === 'call_expression' && REMAPS[callee(node) ?? ''])
			ctx.refuse(node, 'remap-use', `${callee(node)}() is used other than as \`return ${callee(node)}(...)\`, \`if (${callee(node)}(...)) return -E...;\` or \`ret = ${callee(node)}(...); ... return ret;\``);
		return undefined;
	},
	claims: mayBePlumbing,
};

export const iomap: Rule = {
	id: 'P15',
	phrase: 'requests the mapping with mmap_action_simple_ioremap() instead of calling vm_iomap_memory(), so the core maps the range after the hook returns',
	requires: ['actions'],
	requestsAction: true,
	rewrite(node, ctx) {
		const isIomap = (f: string) => f === 'vm_iomap_memory';
		if (isResultPlumbing(node, ctx, isIomap)) return node.type === 'declaration' ? '' : `return 0;`;
		if (node.type === 'return_statement') {
			const call = unparen(node.namedChildren[0] ?? null);
			if (!call || callee(call) !== 'vm_iomap_memory') return undefined;
			const args = callArgs(call);
			if (args.length !== 3 || !isVma(args[0]!, ctx)) ctx.refuse(call, 'remap-args', 'vm_iomap_memory() call not understood');
			checkPlacement(node, call, ctx, false);
			return `${iomapAction(call, node, ctx)};\n${lineIndent(ctx.source, node.startIndex)}return 0;`;
		}
		const found = assignedCall(node, isIomap);
		if (found) {
			const args = callArgs(found.call);
			if (args.length !== 3 || !isVma(args[0]!, ctx)) ctx.refuse(found.call, 'remap-args', 'vm_iomap_memory() call not understood');
			const name = resultLocal(node, found, ctx);
			checkPlacement(node, found.call, ctx, false, name);
			return `${iomapAction(found.call, node, ctx)};`;
		}
		if (callee(node) === 'vm_iomap_memory')
			ctx.refuse(node, 'remap-use', 'vm_iomap_memory() is used other than as `return vm_iomap_memory(...)` or `ret = vm_iomap_memory(...); ... return ret;`; its checks would move after the hook');
		return undefined;
	},
	claims: mayBePlumbing,
};

function iomapAction(call: Node, stmt: Node, ctx: HookContext): string {
	if (!ctx.api.actions.has('mmap_action_simple_ioremap')) ctx.refuse(call, 'api-missing', 'this tree has no mmap_action_simple_ioremap()');
	ctx.actions.push('vm_iomap_memory()');
	const args = callArgs(call);
	return formatCall('mmap_action_simple_ioremap', ['desc', oneLine(ctx.convert(args[1]!)), oneLine(ctx.convert(args[2]!))], statementColumn(stmt, ctx));
}
