// Issue #11, class 8 (no churn): is a nested hook's implementor a real user
// of the hook, one that a maintainer would take a second hook field for? Not
// real: a stub (every return is a negative errno constant, or the body is
// only `return 0;`), code that is not a driver (samples/, selftests, KUnit
// and lib/ tests), and a mock or dummy driver. Those convert only when a whole chain is renamed,
// never as the reason for a new field beside the old one.
//
// Mock and dummy drivers are told by their path: a folder or file name of
// which `mock` or `dummy` is a word (split at `_`, `-` and `.`):
// kernel/dma/dummy.c, drivers/gpu/drm/i915/gem/selftests/mock_dmabuf.c,
// sound/drivers/dummy.c. `stub` is not such a word (usbip's stub_*.c is a real
// driver), and neither is a word inside another (`dummycon` is the console).
import { stripComments } from '../c/parser.js';

/** Why the implementor defined by `definition` (its function_definition text) in `file` is not real, or undefined when it is. */
export function notRealImplementor(file: string, definition: string): string | undefined {
	return notRealPath(file) ?? constantStub(definition);
}

/** Why code under this tree-relative path is not a real implementor, if it is not. */
export function notRealPath(file: string): string | undefined {
	if (file.startsWith('samples/')) return `${file} is sample code (samples/)`;
	if (file.startsWith('tools/testing/')) return `${file} is test code (tools/testing/)`;
	if (/^lib\/test_[^/]*$/.test(file)) return `${file} is a test module (lib/test_*)`;
	const parts = file.split('/');
	const dirs = parts.slice(0, -1);
	const base = parts[parts.length - 1]!;
	if (dirs.includes('selftests') || /^selftests?\.c$/.test(base)) return `${file} is a selftest`;
	if (dirs.includes('tests') || /[_-]kunit\.c$/.test(base)) return `${file} is a test (${dirs.includes('tests') ? 'tests/' : 'KUnit'})`;
	const mock = parts.find((p) => p.replace(/\.[ch]$/, '').split(/[_.-]/).some((w) => w === 'mock' || w === 'dummy'));
	if (mock) return `${file} is a mock or dummy driver (${mock})`;
	return undefined;
}

/**
 * Why the function is a stub, if it is: every return is a negative errno
 * constant (it can never map anything, whatever else it does first), or the
 * body is nothing but `return 0;`.
 */
export function constantStub(definition: string): string | undefined {
	const text = stripComments(definition);
	const open = text.indexOf('{');
	const close = text.lastIndexOf('}');
	if (open < 0 || close < open) return undefined;
	const body = text.slice(open + 1, close);
	const values = [...body.matchAll(/\breturn\b([^;]*);/g)].map((m) => m[1]!.replace(/[\s()]/g, ''));
	if (values.length && values.every((v) => /^-E[A-Z0-9]+$/.test(v))) return `a stub that always fails with ${[...new Set(values)].join(' or ')}`;
	if (/^\s*return\s*\(?\s*0\s*\)?\s*;\s*$/.test(body)) return 'a stub that only returns 0';
	return undefined;
}
