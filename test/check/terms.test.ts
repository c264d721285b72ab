// The checker's terms and path conditions: one canonical form per value, and
// decisions that are sound (a combination is impossible only when it is).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PathCond } from '../../src/check/cond.js';
import { add, and, compare, hasBit, flagsTerm, not, num, or, setBits, clearBits, sub, sym, app, show } from '../../src/check/term.js';
import { pageAlign } from '../../src/check/pagealign.js';

const S = sym('start0');
const E = sym('end0');
const x = sym('x');

test('sums are linear combinations: vm_end - vm_start is one term however it is written', () => {
	assert.is(sub(E, S).key, add(neg1(S), E).key);
	assert.is(sub(add(S, sub(E, S)), E).key, num(0).key);
});

function neg1(t: ReturnType<typeof sym>) {
	return sub(num(0), t);
}

test('comparisons are canonical: a < b is b > a, a == b is b == a', () => {
	assert.is(compare('<', x, E).key, compare('>', E, x).key);
	assert.is(compare('==', x, E).key, compare('==', E, x).key);
	assert.is(not(compare('<', x, E)).key, compare('>=', x, E).key);
	assert.is(compare('<', num(1), num(2)).key, num(1).key);
});

test('commutative operators sort their operands; constants fold', () => {
	assert.is(app('|', [sym('VM_IO'), sym('VM_PFNMAP')]).key, app('|', [sym('VM_PFNMAP'), sym('VM_IO')]).key);
	assert.is(app('<<', [num(1), num(12)]).key, num(4096).key);
});

test('flag words: set and clear bits; a test of a known bit is a constant', () => {
	const f = clearBits(setBits(flagsTerm(sym('flags0')), ['IO']), ['SHARED']);
	assert.is(hasBit(f, 'IO').key, num(1).key);
	assert.is(hasBit(f, 'SHARED').key, num(0).key);
	assert.is(hasBit(f, 'WRITE').key, hasBit(flagsTerm(sym('flags0')), 'WRITE').key);
});

test('the path condition decides what it implies and refuses contradictions', () => {
	const pc = new PathCond().assume(compare('<', S, E))!;
	assert.is(pc.decide(compare('>=', S, E)), false);
	assert.is(pc.assume(compare('>=', S, E)), undefined);
	assert.is(pc.decide(compare('<', x, E)), undefined);
	const pc2 = pc.assume(compare('<=', x, sub(E, S)))!;
	// x <= end - start implies start + x <= end
	assert.is(pc2.decide(compare('<=', add(S, x), E)), true);
});

test('error codes are negative and non-zero; IS_ERR_VALUE range', () => {
	const pc = new PathCond();
	assert.is(pc.decide(compare('!=', sub(num(0), sym('EINVAL')), num(0))), true);
	assert.is(pc.decide(compare('<', sub(num(0), sym('EAGAIN')), num(0))), true);
	assert.is(pc.decide(compare('>=', sub(num(0), sym('EAGAIN')), num(-4095))), true);
});

test('PAGE_ALIGN(x) <= A follows from x <= A when A is page-aligned; aligned values are their own PAGE_ALIGN', () => {
	assert.is(pageAlign(sub(E, S)).key, sub(E, S).key);
	assert.is(pageAlign(pageAlign(x)).key, pageAlign(x).key);
	const pc = new PathCond().assume(compare('<=', x, sub(E, S)))!;
	assert.is(pc.decide(compare('<=', add(S, pageAlign(x)), E)), true);
	// without the bound it stays open (a range larger than the VMA is possible)
	assert.is(new PathCond().decide(compare('<=', add(S, pageAlign(x)), E)), undefined);
});

test('&& and || decide from their parts', () => {
	const a = hasBit(flagsTerm(sym('flags0')), 'SHARED');
	const pc = new PathCond().assume(a)!;
	assert.is(pc.decide(or(a, compare('<', x, E))), true);
	assert.is(pc.decide(and(not(a), compare('<', x, E))), false);
	assert.ok(show(a).includes('VM_SHARED'));
});

test('path equalities: terms equal on the path have one normal form, inside functions too', () => {
	const P = sym('PAGE_SIZE');
	const pc = new PathCond().assume(compare('==', add(P, S), E))!;
	// end0 - start0 is PAGE_SIZE on this path, so f(..., end0 - start0) is f(..., PAGE_SIZE)
	assert.is(pc.normalise(app('pfn_of', [x, sub(E, S)])).key, pc.normalise(app('pfn_of', [x, P])).key);
	assert.is(pc.decide(compare('==', app('pfn_of', [x, sub(E, S)]), app('pfn_of', [x, P]))), true);
	// not another size
	assert.is.not(pc.normalise(app('pfn_of', [x, sub(E, S)])).key, pc.normalise(app('pfn_of', [x, add(P, P)])).key);
	assert.is(pc.decide(compare('==', app('pfn_of', [x, sub(E, S)]), app('pfn_of', [x, add(P, P)]))), undefined);
	// a literal taken before the equality was known is found in its normal form
	const q = new PathCond().assume(compare('!=', app('ok', [x]), num(0)))!.assume(compare('==', x, num(3)))!;
	assert.is(q.decide(compare('!=', app('ok', [num(3)]), num(0))), true);
	assert.is(q.decide(compare('!=', app('ok', [num(4)]), num(0))), undefined);
	// an inequality substitutes nothing
	const r = new PathCond().assume(compare('<=', x, num(3)))!.assume(compare('>=', x, num(3)))!;
	assert.is(r.normalise(app('ok', [x])).key, app('ok', [x]).key);
});

test.run();
