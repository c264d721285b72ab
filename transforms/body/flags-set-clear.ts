// P6/P7/P8: vm_flags_set/clear/mod(vma, VM_A | VM_B) -> vma_desc_set/clear_flags(desc, VMA_A_BIT, VMA_B_BIT).
import { displayWidth } from '../../src/c/node.js';
import { flagCall, flagNames } from '../lib/flags.js';
import type { Node } from '../../src/c/parser.js';
import { callArgs, callee, isVma, type HookContext, type Rule } from '../../src/rewrite/rule.js';

/** Display width of the text between the start of node's line and node. */
function columnOf(node: Node, ctx: HookContext): number {
	const bol = ctx.source.lastIndexOf('\n', node.startIndex - 1) + 1;
	return displayWidth(ctx.source.slice(bol, node.startIndex));
}

function flagsArgs(node: Node, ctx: HookContext, n: number): Node[] | undefined {
	const args = callArgs(node);
	if (args.length !== n || !isVma(args[0]!, ctx)) return undefined;
	return args;
}

export const flagsSet: Rule = {
	id: 'P6',
	phrase: 'sets VMA flags with vma_desc_set_flags() and VMA_*_BIT values instead of vm_flags_set()',
	requires: ['vmaBits'],
	rewrite(node, ctx) {
		if (callee(node) !== 'vm_flags_set') return undefined;
		const args = flagsArgs(node, ctx, 2);
		return args && flagCall('vma_desc_set_flags', flagNames(args[1]!, ctx), columnOf(node, ctx));
	},
};

export const flagsClear: Rule = {
	id: 'P7',
	phrase: 'clears VMA flags with vma_desc_clear_flags() instead of vm_flags_clear()',
	requires: ['vmaBits'],
	rewrite(node, ctx) {
		if (callee(node) !== 'vm_flags_clear') return undefined;
		const args = flagsArgs(node, ctx, 2);
		return args && flagCall('vma_desc_clear_flags', flagNames(args[1]!, ctx), columnOf(node, ctx));
	},
};

export const flagsMod: Rule = {
	id: 'P8',
	phrase: 'replaces vm_flags_mod() with vma_desc_set_flags() and vma_desc_clear_flags()',
	requires: ['vmaBits'],
	rewrite(node, ctx) {
		if (callee(node) !== 'vm_flags_mod') return undefined;
		const args = flagsArgs(node, ctx, 3);
		if (!args) return undefined;
		if (node.parent?.type !== 'expression_statement') ctx.refuse(node, 'flags-mod-form', 'vm_flags_mod() used as an expression');
		// It becomes two statements: only where a statement list holds them.
		if (node.parent?.parent?.type !== 'compound_statement')
			ctx.refuse(node, 'flags-mod-form', 'vm_flags_mod() is the body of an if/else/loop without braces; it would become two statements');
		const col = columnOf(node, ctx);
		const bol = ctx.source.lastIndexOf('\n', node.startIndex - 1) + 1;
		const indent = /^[ \t]*/.exec(ctx.source.slice(bol))![0];
		// The statement's own `;` follows the last call.
		return `${flagCall('vma_desc_set_flags', flagNames(args[1]!, ctx), col)};\n${indent}${flagCall('vma_desc_clear_flags', flagNames(args[2]!, ctx), col)}`;
	},
};
