// Chains, whole-chain mode: inside an outer hook that is itself converted to
// mmap_prepare, a call through the converted field passes the descriptor on:
//   hw->ops.mmap(hw, file, vma)  ->  hw->ops.mmap_prepare(hw, file, desc)
//   if (hw->ops.mmap)            ->  if (hw->ops.mmap_prepare)
// The chain index gives the exact positions, so the rule matches nothing else.
import type { Node } from '../../src/c/parser.js';
import { isVma, type HookContext, type Rule, type RuleInfo } from '../../src/rewrite/rule.js';

/** Text of node with the given sub-ranges replaced. */
export function splice(source: string, node: Node, parts: Array<{ start: number; end: number; text: string }>): string {
	let out = '';
	let at = node.startIndex;
	for (const p of [...parts].sort((a, b) => a.start - b.start)) {
		out += source.slice(at, p.start) + p.text;
		at = p.end;
	}
	return out + source.slice(at, node.endIndex);
}

/**
 * calls/fieldUses: positions of the dispatch calls and of the other uses of the
 * field in the outer hook. The outer hook may do nothing with the vma after a
 * nested call: the nested hook's mapping action now runs after the outer hook
 * returns, so later changes to flags or prot would be undone or reordered.
 */
/** Calls and uses of the converted field inside an outer hook that converts too. */
export const nestedCallInfo: RuleInfo = { id: 'chain', phrase: 'passes the descriptor on to the nested hook it calls' };
/** The outer hook became mmap_prepare itself: the whole chain converts, no shim. */
export const wholeChainInfo: RuleInfo = { id: 'whole-chain' };

export function nestedCallRule(calls: Set<number>, fieldUses: Set<number>, newField: string): Rule {
	const renameField = (fe: Node, ctx: HookContext) => {
		const f = fe.childForFieldName('field')!;
		const arg = fe.childForFieldName('argument')!;
		return [
			{ start: arg.startIndex, end: arg.endIndex, text: ctx.convert(arg) },
			{ start: f.startIndex, end: f.endIndex, text: newField },
		];
	};
	return {
		...nestedCallInfo,
		claims: (node) => [...calls, ...fieldUses].some((p) => p >= node.startIndex && p < node.endIndex),
		rewrite(node, ctx) {
			if (node.type === 'call_expression' && calls.has(node.startIndex)) {
				const after = new RegExp(`\\b${ctx.vma}\\b`).exec(ctx.source.slice(node.endIndex, ctx.body.endIndex));
				if (after) ctx.refuse(node, 'vma-after-nested-call', `the outer hook uses ${ctx.vma} after the nested call; the nested hook's mapping would now happen after that`);
				const fe = node.childForFieldName('function')!;
				const args = node.childForFieldName('arguments')!.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment');
				const parts = [...renameField(fe, ctx), ...args.map((a) => ({ start: a.startIndex, end: a.endIndex, text: isVma(a, ctx) ? 'desc' : ctx.convert(a) }))];
				return splice(ctx.source, node, parts);
			}
			if (node.type === 'field_expression' && fieldUses.has(node.childForFieldName('field')?.startIndex ?? -1))
				return splice(ctx.source, node, renameField(node, ctx));
			return undefined;
		},
	};
}
