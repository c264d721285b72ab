// An `if` whose condition the conversion rewrites is an added line of the
// patch, so it gets the style checkpatch --strict asks of added lines:
//  - no parentheses around a comparison that is an operand of && or ||
//    (`if ((size > PAGE_SIZE) || (desc->pgoff != 0))` -> `if (size > PAGE_SIZE
//    || desc->pgoff != 0)`): comparisons bind tighter than && and ||, and the
//    grouping is read from a parse of the converted condition itself;
//  - no braces around a single one-line statement when there is no else
//    (`if ((vma->vm_flags & M) !=\n    M) {\n\treturn -EINVAL;\n}`, whose braces
//    were there for the two-line condition, loses them with it).
// The rest of the statement is converted as the other rules say.
import { withTree, type Node } from '../../src/c/parser.js';
import { ancestor, lineIndent } from '../../src/c/node.js';
import type { HookContext, Rule } from '../../src/rewrite/rule.js';

export const ifStyle: Rule = {
	id: 'if-style',
	rewrite(node, ctx) {
		if (node.type !== 'if_statement') return undefined;
		const cond = node.childForFieldName('condition');
		const body = node.childForFieldName('consequence');
		if (!cond || !body || !mentions(cond, ctx)) return undefined;
		const single = !node.childForFieldName('alternative') ? onlyStatement(body) : undefined;
		const converted = ctx.convert(cond);
		const tidied = dropComparisonParens(converted);
		if (tidied === converted && !single) return undefined;
		const head = ctx.source.slice(node.startIndex, cond.startIndex) + tidied;
		if (!single) return head + ctx.source.slice(cond.endIndex, body.startIndex) + ctx.convert(body);
		return `${head}\n${lineIndent(ctx.source, single.startIndex)}${ctx.convert(single)}`;
	},
};

function mentions(n: Node, ctx: HookContext): boolean {
	return new RegExp(`\\b(${ctx.vma}${ctx.fileParam ? `|${ctx.fileParam}` : ''})\\b`).test(n.text);
}

const SIMPLE = new Set(['return_statement', 'expression_statement', 'goto_statement', 'break_statement', 'continue_statement']);

/** The one statement of a `{ ... }` body, when it is a simple one-line statement and nothing else is there. */
function onlyStatement(body: Node): Node | undefined {
	if (body.type !== 'compound_statement') return undefined;
	const inner = body.namedChildren.filter((n): n is Node => !!n);
	if (inner.length !== 1 || !SIMPLE.has(inner[0]!.type) || inner[0]!.text.includes('\n')) return undefined;
	// nothing but whitespace besides it (no comment, no preprocessor line)
	const rest = body.text.slice(1, -1).replace(inner[0]!.text, '');
	return rest.trim() === '' ? inner[0] : undefined;
}

const COMPARISON = new Set(['==', '!=', '<', '>', '<=', '>=']);
const LOGICAL = new Set(['&&', '||']);

/**
 * `(a > b) || (c != 0)` -> `a > b || c != 0` in a parenthesised condition
 * `(...)`: the parentheses around a comparison that is a direct operand of &&
 * or || go. The text is parsed as it is; anything the parse does not read
 * cleanly is returned unchanged.
 */
export function dropComparisonParens(condition: string): string {
	const wrapper = 'void f(void)\n{\n\tif ';
	const src = `${wrapper}${condition}\n\t\t;\n}\n`;
	return withTree(src, (root) => {
		if (root.hasError) return condition;
		const drops: Node[] = [];
		const visit = (n: Node) => {
			for (const c of n.namedChildren) if (c) visit(c);
			if (n.type !== 'parenthesized_expression' || n.namedChildren.length !== 1) return;
			const inner = n.namedChildren[0]!;
			const p = n.parent;
			if (inner.type !== 'binary_expression' || !COMPARISON.has(inner.childForFieldName('operator')?.text ?? '')) return;
			if (p?.type !== 'binary_expression' || !LOGICAL.has(p.childForFieldName('operator')?.text ?? '')) return;
			drops.push(n);
		};
		const ifNode = ancestor(root.descendantForIndex(wrapper.length - 3), 'if_statement');
		const c = ifNode?.childForFieldName('condition') ?? null;
		if (!c || c.startIndex !== wrapper.length || c.endIndex !== wrapper.length + condition.length) return condition;
		visit(c);
		let out = condition;
		// from the end, so that earlier offsets stay valid
		for (const n of drops.sort((a, b) => b.startIndex - a.startIndex)) {
			const inner = n.namedChildren[0]!;
			const s = n.startIndex - wrapper.length;
			const e = n.endIndex - wrapper.length;
			out = out.slice(0, s) + src.slice(inner.startIndex, inner.endIndex) + out.slice(e);
		}
		return out;
	});
}
