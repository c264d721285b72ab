// P20 (refusal side): mmap_prepare runs before the VMA exists and may be followed
// by a merge instead of a new mapping, so it must not take references, allocate,
// register, or write state that outlives the call (Documentation/filesystems/
// mmap_prepare.rst). Upstream moved such work into vm_ops->mapped by hand; until
// mmapify can do that exactly, a hook that does any of it is refused.
//
// This rule sees the hook's own body only and refuses what it shows plainly:
// a store through a pointer or into a global, a store helper aimed at such
// state, an explicit ->open() call. Calls are judged by what they do, not by
// their names: every call the equivalence checker does not know to be pure,
// read-only or harmless (src/check/purity.ts), in the hook or in the static
// callees it runs in place, refuses the hook there, with the call named
// (src/plan/equivalence.ts words it with transforms/lib/effects.ts).
import type { Node } from '../../src/c/parser.js';
import { callee, unparen, type HookContext, type Rule } from '../../src/rewrite/rule.js';

/** The variable a written lvalue belongs to, and whether it is reached through a pointer. */
function lvalueBase(n: Node | null): { root: Node | null; viaPointer: boolean } {
	let x = unparen(n);
	let viaPointer = false;
	while (x && (x.type === 'field_expression' || x.type === 'subscript_expression' || x.type === 'pointer_expression')) {
		if (x.type !== 'field_expression' || (x.type === 'field_expression' && x.childForFieldName('operator')?.text !== '.')) viaPointer = true;
		x = unparen(x.childForFieldName('argument') ?? x.namedChildren[0] ?? null);
	}
	return { root: x, viaPointer };
}

/** Macros and helpers that store into their first argument. */
const STORE_CALL = /^(memset|memcpy|memmove|memzero_explicit|strscpy\w*|strcpy|strncpy|strlcpy|sprintf|snprintf|scnprintf|WRITE_ONCE|smp_store_release|smp_store_mb|atomic(64|_long)?_set(_release)?|(__)?(set|clear|change)_bit|test_and_(set|clear|change)_bit|bitmap_(set|clear|fill|zero)|xchg|cmpxchg|try_cmpxchg)$/;

export const sideEffects: Rule = {
	id: 'P20',
	phrase: 'moves per-mapping side effects into a new vm_ops->mapped callback, which runs only once the VMA is really mapped',
	check(node, ctx: HookContext) {
		if (node.type === 'call_expression') {
			const fn = node.childForFieldName('function');
			if (fn?.type === 'field_expression' && fn.childForFieldName('field')?.text === 'open')
				ctx.refuse(node, 'side-effect', `explicit ->open() call: per-mapping side effect (needs vm_ops->mapped): ${node.text.split('\n')[0]}`);
			const name = callee(node);
			if (name && STORE_CALL.test(name)) {
				// set_bit(nr, addr) and friends store through their second argument.
				const args = node.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'comment') ?? [];
				const target = args[/_bit$/.test(name) ? 1 : 0] ?? null;
				const { root, viaPointer } = lvalueBase(unparen(target)?.type === 'pointer_expression' && target!.text.startsWith('&') ? unparen(target)!.childForFieldName('argument') : target);
				const local = root?.type === 'identifier' && ctx.locals.has(root.text) && !viaPointer;
				if (!local) ctx.refuse(node, 'side-effect', `${name}() stores into ${target?.text}, state that outlives mmap_prepare: per-mapping side effect`);
				return;
			}
			return;
		}
		let target: Node | null = null;
		if (node.type === 'assignment_expression') target = node.childForFieldName('left');
		else if (node.type === 'update_expression') target = node.childForFieldName('argument') ?? node.namedChildren[0] ?? null;
		if (!target) return;
		const { root, viaPointer } = lvalueBase(target);
		if (root?.type === 'identifier' && root.text === ctx.vma) return; // the vma rules decide
		const local = root?.type === 'identifier' && (ctx.locals.has(root.text) || root.text === ctx.fileParam);
		if (!local) ctx.refuse(node, 'side-effect', `writes ${target.text}, which is not a local variable: per-mapping side effect`);
		if (viaPointer) ctx.refuse(node, 'side-effect', `writes ${target.text}, state that outlives mmap_prepare: per-mapping side effect`);
	},
};
