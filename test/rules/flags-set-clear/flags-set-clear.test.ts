// P6/P7/P8 (transforms/body/flags-set-clear.ts): vm_flags_set/clear/mod(vma, ...)
// -> vma_desc_set/clear_flags(desc, VMA_*_BIT, ...), only for constant flags the
// tree declares as bits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { flagsClear, flagsMod, flagsSet } from '../../../transforms/body/flags-set-clear.js';
import { convertC, exampleApi, hook } from '../../support/rule-harness.js';

const rules = [flagsSet, flagsClear, flagsMod];

test('vm_flags_set(vma, VM_A | VM_B) becomes vma_desc_set_flags(desc, VMA_A_BIT, VMA_B_BIT) (P6)', async () => {
	const r = await convertC(flagsSet, hook('vm_flags_set(vma, VM_IO | (VM_DONTEXPAND | VM_DONTDUMP));\nreturn 0;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\n\tvma_desc_set_flags\(desc, VMA_IO_BIT, VMA_DONTEXPAND_BIT, VMA_DONTDUMP_BIT\);\n/);
	assert.equal(r.rules, ['P1', 'P6']);
});

test('vm_flags_clear() becomes vma_desc_clear_flags() (P7)', async () => {
	const r = await convertC(flagsClear, hook('vm_flags_clear(vma, VM_MAYWRITE);\nreturn 0;'));
	assert.match(r.text!, /\n\tvma_desc_clear_flags\(desc, VMA_MAYWRITE_BIT\);\n/);
	assert.ok(r.rules.includes('P7'));
});

test('vm_flags_mod(vma, set, clear) becomes two statements at the same indentation (P8)', async () => {
	const r = await convertC(flagsMod, hook('if (ro) {\n\tvm_flags_mod(vma, VM_IO, VM_WRITE | VM_MAYWRITE);\n}\nreturn 0;'));
	assert.match(r.text!, /\n\t\tvma_desc_set_flags\(desc, VMA_IO_BIT\);\n\t\tvma_desc_clear_flags\(desc, VMA_WRITE_BIT, VMA_MAYWRITE_BIT\);\n\t}\n/);
	assert.ok(r.rules.includes('P8'));
});

test('a call that would pass 100 columns is wrapped under its parenthesis', async () => {
	const r = await convertC(flagsSet, hook('vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY | VM_MIXEDMAP | VM_HUGEPAGE);\nreturn 0;'));
	const lines = r.text!.split('\n').filter((l) => /VMA_/.test(l));
	assert.is(lines.length, 2);
	assert.is(lines[0], '\tvma_desc_set_flags(desc, VMA_IO_BIT, VMA_PFNMAP_BIT, VMA_DONTEXPAND_BIT, VMA_DONTDUMP_BIT,');
	assert.is(lines[1], '\t\t\t   VMA_DONTCOPY_BIT, VMA_MIXEDMAP_BIT, VMA_HUGEPAGE_BIT);');
});

test('flags held in a variable refuse with flags-not-constant', async () => {
	const r = await convertC(rules, hook('vm_flags_set(vma, flags);\nreturn 0;'));
	assert.is(r.refusal?.code, 'flags-not-constant');
	assert.match(r.refusal!.reason, /flags$/);
});

test('a flag that is not always a bit in this tree refuses with flag-not-init', async () => {
	const r = await convertC(rules, hook('vm_flags_set(vma, VM_GROWSUP);\nreturn 0;'));
	assert.is(r.refusal?.code, 'flag-not-init');
	const noIo = { ...exampleApi, vmaBits: new Set([...exampleApi.vmaBits].filter((b) => b !== 'IO')) };
	const r2 = await convertC(rules, hook('vm_flags_clear(vma, VM_IO);\nreturn 0;'), { api: noIo });
	assert.is(r2.refusal?.code, 'flag-not-init');
	assert.match(r2.refusal!.reason, /VM_IO/);
});

test('vm_flags_mod() as an expression, or as an unbraced if body, refuses with flags-mod-form', async () => {
	const r = await convertC(rules, hook('if (ro)\n\tvm_flags_mod(vma, VM_IO, VM_WRITE);\nreturn 0;'));
	assert.is(r.refusal?.code, 'flags-mod-form');
	assert.is(r.refusal?.line, 4);
	const r2 = await convertC(rules, hook('return (vm_flags_mod(vma, VM_IO, VM_WRITE), 0);'));
	assert.is(r2.refusal?.code, 'flags-mod-form');
});

test('a call on another vma, or with the wrong arity, is not claimed', async () => {
	const r = await convertC(rules, hook('vm_flags_set(other, VM_IO);\nreturn 0;'));
	assert.match(r.text!, /\tvm_flags_set\(other, VM_IO\);/);
	const r2 = await convertC(rules, hook('vm_flags_set(vma);\nreturn 0;'));
	assert.is(r2.refusal?.code, 'vma-escapes');
});

test.run();
