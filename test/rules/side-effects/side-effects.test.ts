// P20 (transforms/body/side-effects.ts): per-mapping side effects refuse the hook.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sideEffects } from '../../../transforms/body/side-effects.js';
import { convertC, hook } from '../../support/rule-harness.js';

test('a store into state that outlives the call refuses with side-effect', async () => {
	const r = await convertC('all', hook('struct foo *f = file->private_data;\n\nf->mapped = true;\nvma->vm_private_data = f;\nreturn 0;'));
	assert.is(r.refusal?.code, 'side-effect');
	assert.match(r.refusal!.reason, /f->mapped/);
});

test('writes to locals are not side effects', async () => {
	const r = await convertC([sideEffects], hook('int ret = 0;\n\nret = 1;\nreturn ret;'));
	assert.is(r.refusal, undefined, r.refusal?.reason);
	assert.match(r.text!, /foo_mmap\(struct vm_area_desc \*desc\)/);
});

test.run();
