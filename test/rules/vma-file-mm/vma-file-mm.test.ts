// transforms/body/vma-file-mm.ts: reads of vma->vm_file and vma->vm_mm ->
// desc->vm_file and desc->mm (the same values at mmap time); changes refuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { vmaFileMm } from '../../../transforms/body/vma-file-mm.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('vma->vm_file and vma->vm_mm reads become desc->vm_file and desc->mm', async () => {
	const r = await convertC(vmaFileMm, hook('struct inode *inode = file_inode(vma->vm_file);\nstruct mm_struct *mm = vma->vm_mm;\nreturn inode && mm ? 0 : -EINVAL;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /\tstruct inode \*inode = file_inode\(desc->vm_file\);\n\tstruct mm_struct \*mm = desc->mm;\n/);
	assert.ok(r.rules.includes('vm_file/vm_mm'));
});

test('a store to vm_file, or the address of vm_mm taken, refuses with vm-file-changed', async () => {
	const r = await convertC(vmaFileMm, hook('vma->vm_file = lower;\nreturn 0;'));
	assert.is(r.refusal?.code, 'vm-file-changed');
	assert.match(r.refusal!.reason, /^vm_file is changed here/);
	const r2 = await convertC(vmaFileMm, hook('return lock_mm(&vma->vm_mm);'));
	assert.is(r2.refusal?.code, 'vm-file-changed');
	assert.match(r2.refusal!.reason, /^vm_mm is changed here/);
});

test('other fields are not claimed: vma->vm_flags alone refuses as vma-escapes', async () => {
	const r = await convertC(vmaFileMm, hook('return vma->vm_mm && vma->vm_flags ? 0 : -EINVAL;'));
	assert.is(r.refusal?.code, 'vma-escapes');
});

test.run();
