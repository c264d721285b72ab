// Helpers for the checker's tests: check a pair of C texts (before, after) for
// one hook and assert the verdict.
import * as assert from 'uvu/assert';
import { initParser } from '../../src/c/parser.js';
import { checkConversion, type CheckInput } from '../../src/check/check.js';
import type { CheckResult } from '../../src/check/report.js';

export const ready = initParser();

/** The name of the first function defined in a C text. */
function firstFunction(text: string): string {
	for (const hook of ['h_prepare', 'h']) if (new RegExp(`\\b${hook}\\(`).test(text)) return hook;
	const m = /^(?:static\s+)?(?:const\s+)?[\w\s*]*?\b(\w+)\s*\([^;{]*\)\s*\{/m.exec(text);
	if (!m) throw new Error('no function in test text');
	return m[1]!;
}

export function check(kind: CheckInput['kind'], before: string, after: string, extra: Partial<CheckInput> = {}): CheckResult {
	return checkConversion({
		kind,
		old: { label: 'old.c', text: before, fn: extra.old?.fn ?? firstFunction(before) },
		new: { label: 'new.c', text: after, fn: extra.new?.fn ?? firstFunction(after) },
		...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'old' && k !== 'new')),
	});
}

export const fop = (before: string, after: string, extra: Partial<CheckInput> = {}) => check('fop', before, after, extra);

export function proven(r: CheckResult): void {
	assert.is(r.equivalence, 'proven', r.message);
}

/**
 * Refused with the code, a difference of the kind and a message that contains
 * text. A side effect has its own code (the effect analysis's verdict); any
 * other difference is not-equivalent.
 */
export function refused(r: CheckResult, kind?: string, text?: string, code?: string): void {
	assert.is(r.equivalence, 'refused', 'expected a refusal');
	assert.is(r.code, code ?? (kind === 'side-effect' ? 'side-effect' : 'not-equivalent'), r.message);
	if (kind) assert.is(r.difference?.kind, kind, r.message);
	if (text) assert.ok(r.message.includes(text), `"${r.message}" does not contain "${text}"`);
}

/** An old f_op hook `static int h(struct file *file, struct vm_area_struct *vma) { BODY }`. */
export const oldHook = (body: string, pre = '') => `${pre}\nstatic int h(struct file *file, struct vm_area_struct *vma)\n{\n${body}\n}\n`;
/** A new hook `static int h_prepare(struct vm_area_desc *desc) { BODY }`. */
export const newHook = (body: string, pre = '') => `${pre}\nstatic int h_prepare(struct vm_area_desc *desc)\n{\n${body}\n}\n`;
