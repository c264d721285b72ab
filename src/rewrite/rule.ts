// The contract between the rewrite engine and the conversion rules in transforms/.
// A rule looks at one node of a hook body and either claims it (returning the
// replacement text), refuses the whole conversion (ctx.refuse(), with a code of
// the catalogue in refusals.ts), or
// passes (returning undefined). Rules never edit anything themselves; a rule
// that returns '' for a statement of the hook's top block drops it with its line.
import type { Node } from '../c/parser.js';
import type { KernelApi } from '../kernel/tree.js';
import type { RefusalCode } from './refusals.js';
import type { Edit } from './edits.js';

export interface HookContext {
	source: string;
	file: string; // tree-relative path of the source
	api: KernelApi;
	/** the hook's function_definition and its body */
	fn: Node;
	body: Node;
	/** parameter names in the old signature */
	vma: string;
	fileParam?: string;
	/** what a use of the file parameter becomes: "desc->file" or the parameter name (kept as a local) */
	fileUse: string;
	/** names declared anywhere in the body */
	locals: Set<string>;
	/** convert a child node recursively (throws Refusal) */
	convert(node: Node): string;
	/** the rule ids that fired */
	used: Set<string>;
	/** mmap_action_* requests emitted so far (one is allowed) */
	actions: string[];
	line(node: Node): number;
	refuse(node: Node, code: RefusalCode, reason: string): never;
}

/** A KernelApi fact a rule reads (its field name). */
export type ApiNeed = keyof KernelApi;

/** What the registry (transforms/index.ts) knows of every rule, body or site. */
export interface RuleInfo {
	/** the id the reports list when the rule fired (P1..P23, naming, ...) */
	id: string;
	/** what the commit message says the conversion did; none: the rule goes unsaid */
	phrase?: string;
	/** other ids the rule records (ctx.used), each with its phrase if it has one */
	reports?: Record<string, string | undefined>;
	/** the KernelApi facts it reads: the example tree's headers must provide them */
	requires?: ApiNeed[];
	/** it requests a mapping action (mmap_action_*), which the core runs after the hook returns */
	requestsAction?: boolean;
}

/** A body rule: a pure function of (node, context); it never reads the disk or the corpus. */
export interface Rule extends RuleInfo {
	/** claim node: return its new text, or undefined to pass */
	rewrite?(node: Node, ctx: HookContext): string | undefined;
	/** look at every body node, vma or not; ctx.refuse() to stop the conversion */
	check?(node: Node, ctx: HookContext): void;
	/** does node contain something this rule rewrites although it does not name the vma? */
	claims?(node: Node): boolean;
}

/** The signature edits (P1, P3) of a converted hook. */
export interface SignatureRule {
	/** the new parameter list: (desc) for an f_op hook; the vma parameter swapped for a nested one */
	params(source: string, fd: Node, vmaParam: Node, nested: boolean, newName: string | undefined): Edit;
	/** `struct file *file = desc->file;` at the top of the body */
	fileLocal(source: string, body: Node, fileParam: string, fileParamNode: Node): Edit;
}

/** What the plan hands the engine: the body rules in the registry's order and the signature rule. */
export interface RuleSet {
	body: Rule[];
	signature: SignatureRule;
}

/** `vma->field` where vma is the hook's vma parameter? Returns the field name. */
export function vmaField(node: Node | null, ctx: HookContext): string | undefined {
	if (!node || node.type !== 'field_expression') return undefined;
	const arg = node.childForFieldName('argument');
	if (arg?.type !== 'identifier' || arg.text !== ctx.vma) return undefined;
	if (node.childForFieldName('operator')?.text !== '->' && !node.text.includes('->')) return undefined;
	return node.childForFieldName('field')?.text;
}

/** Is node the bare vma parameter? */
export function isVma(node: Node | null, ctx: HookContext): boolean {
	return !!node && node.type === 'identifier' && node.text === ctx.vma;
}

/** Name of the called function, when the callee is a plain identifier. */
export function callee(node: Node | null): string | undefined {
	if (!node || node.type !== 'call_expression') return undefined;
	const f = node.childForFieldName('function');
	return f?.type === 'identifier' ? f.text : undefined;
}

export function callArgs(node: Node): Node[] {
	return (node.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => !!n && n.type !== 'comment');
}

/** Skip redundant parentheses. */
export function unparen(node: Node | null): Node | null {
	let n = node;
	while (n && n.type === 'parenthesized_expression' && n.namedChildren.length === 1) n = n.namedChildren[0] ?? null;
	return n;
}

/** Is the node the left side of an assignment, or the operand of ++/-- or unary &? */
export function isWritten(node: Node): boolean {
	const p = node.parent;
	if (!p) return false;
	if (p.type === 'assignment_expression') return p.childForFieldName('left')?.id === node.id;
	if (p.type === 'update_expression') return true;
	return false;
}

export function isAddressTaken(node: Node): boolean {
	const p = node.parent;
	return !!p && p.type === 'pointer_expression' && p.text.startsWith('&');
}
