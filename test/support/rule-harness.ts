// The rule harness: run one rule, some rules, or the whole rulebook through
// the engine on a C string, without a tree, an index or a plan. A rule's
// cases live beside it in test/rules/<rule>/.
//
//   const r = await convertC(vmOps, 'static int foo_mmap(struct file *f, struct vm_area_struct *vma) { ... }');
//   r.text     the converted source (undefined when refused)
//   r.refusal  { code, reason, line } when refused
//   r.rules    the rule ids that fired
import * as path from 'node:path';
import { initParser, withTree, walk, type Node } from '../../src/c/parser.js';
import { convertHookFunction } from '../../src/rewrite/engine.js';
import { applyEdits } from '../../src/rewrite/edits.js';
import { Refusal, type RefusalCode } from '../../src/rewrite/refusals.js';
import type { Rule } from '../../src/rewrite/rule.js';
import { detectApi, type KernelApi } from '../../src/kernel/tree.js';
import { ruleSet } from '../../transforms/index.js';
import { repoRoot } from './helpers.js';

/** The example tree's API: every capability a rule may require (test/rules/registry.test.ts checks). */
export const exampleApi: KernelApi = detectApi(path.join(repoRoot, 'examples/linux'));

export interface HarnessResult {
	text?: string;
	refusal?: { code: RefusalCode; reason: string; line?: number };
	rules: string[];
}

export interface HarnessOptions {
	/** the function to convert (default: the first definition with a struct vm_area_struct * parameter) */
	fn?: string;
	api?: KernelApi;
	/** convert as a nested hook: only the vma parameter changes */
	nested?: boolean;
	newName?: string;
}

/**
 * Convert one function of source with the given rules (one rule, a list, or
 * 'all' for the rulebook in its order). A vma use no given rule claims
 * refuses, as in a real run: a case for one rule shows what that rule alone
 * claims.
 */
export async function convertC(rules: Rule | Rule[] | 'all', source: string, opts: HarnessOptions = {}): Promise<HarnessResult> {
	await initParser();
	const body = rules === 'all' ? ruleSet.body : Array.isArray(rules) ? rules : [rules];
	return withTree(source, (root) => {
		const fn = findFunction(root, opts.fn);
		if (!fn) throw new Error(`no function ${opts.fn ?? 'taking a struct vm_area_struct *'} in the source`);
		try {
			const conv = convertHookFunction(source, 'test.c', fn, opts.api ?? exampleApi, { ...ruleSet, body }, { nested: opts.nested, newName: opts.newName });
			return { text: applyEdits(source, conv.edits), rules: conv.rules };
		} catch (e) {
			if (!(e instanceof Refusal)) throw e;
			return { refusal: { code: e.code, reason: e.reason, line: e.line }, rules: [] };
		}
	});
}

function findFunction(root: Node, name?: string): Node | undefined {
	for (const n of walk(root)) {
		if (n.type !== 'function_definition') continue;
		const text = n.text;
		if (name ? new RegExp(`\\b${name}\\s*\\(`).test(text.slice(0, text.indexOf('{'))) : /struct\s+vm_area_struct\s*\*/.test(text.slice(0, text.indexOf('{')))) return n;
	}
	return undefined;
}

/** A hook with this body: `static int foo_mmap(struct file *file, struct vm_area_struct *vma) { BODY }`. */
export function hook(body: string, name = 'foo_mmap'): string {
	return `static int ${name}(struct file *file, struct vm_area_struct *vma)\n{\n${body.replace(/^/gm, '\t')}\n}\n`;
}
