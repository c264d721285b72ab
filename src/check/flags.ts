// VMA flag names: which legacy VM_X masks are the bit VMA_X_BIT in every
// configuration, read from the tree's include/linux/mm.h when it is given
// (`#define VM_X INIT_VM_FLAG(X)` versus `#define VM_X VM_NONE` under some
// #if: 7.3 mm.h:400-545), and the composite masks the mm code uses. A mask
// that is not a constant OR of such flags is an uninterpreted value.
import { app, type Term } from './term.js';

export interface FlagFacts {
	/** VM_X -> X when every definition of VM_X is INIT_VM_FLAG(X); undefined when not known */
	fixed(name: string): string | undefined;
	/** why VM_X is not a fixed bit (for messages), when it is known not to be */
	notFixed(name: string): string | undefined;
	/** composite masks: name -> bits */
	composite: Map<string, string[]>;
	/** read from the tree (true) or assumed by name (false) */
	fromTree: boolean;
}

/**
 * mm.h 7.3 :593/:610: VMA_SPECIAL_FLAGS = IO, DONTEXPAND, PFNMAP, MIXEDMAP;
 * VMA_REMAP_FLAGS = IO, PFNMAP, DONTEXPAND, DONTDUMP (set by remap_pfn_range_prepare(), memory.c:3284).
 */
const BUILTIN_COMPOSITE: Array<[string, string[]]> = [
	['VMA_SPECIAL_FLAGS', ['IO', 'DONTEXPAND', 'PFNMAP', 'MIXEDMAP']],
	['VM_SPECIAL', ['IO', 'DONTEXPAND', 'PFNMAP', 'MIXEDMAP']],
	['VMA_REMAP_FLAGS', ['IO', 'PFNMAP', 'DONTEXPAND', 'DONTDUMP']],
];

const cache = new Map<string, FlagFacts>();

export function flagFacts(mmH?: string): FlagFacts {
	const key = mmH ?? '';
	let f = cache.get(key);
	if (!f) {
		f = mmH ? fromHeader(mmH) : byName();
		cache.set(key, f);
		if (cache.size > 4) cache.delete(cache.keys().next().value!);
	}
	return f;
}

function byName(): FlagFacts {
	return {
		fixed: (name) => /^VM_([A-Z0-9_]+)$/.exec(name)?.[1],
		notFixed: () => undefined,
		composite: new Map(BUILTIN_COMPOSITE),
		fromTree: false,
	};
}

function fromHeader(text: string): FlagFacts {
	const defs = new Map<string, string[]>();
	for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+(VM_[A-Z0-9_]+)[ \t]+([^\n]*)$/gm)) {
		const v = m[2]!.replace(/\/\*.*?\*\/|\/\/.*$/g, '').trim();
		defs.set(m[1]!, [...(defs.get(m[1]!) ?? []), v]);
	}
	const composite = new Map(BUILTIN_COMPOSITE);
	// #define VMA_X_FLAGS mk_vma_flags(VMA_A_BIT, VMA_B_BIT, ...)  (possibly continued lines)
	for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+(VMA_[A-Z0-9_]+)[ \t]+mk_vma_flags\(([^)]*)\)/gm)) {
		const bits = [...m[2]!.matchAll(/VMA_([A-Z0-9_]+)_BIT/g)].map((b) => b[1]!);
		if (bits.length) composite.set(m[1]!, bits);
	}
	const fixed = (name: string) => {
		const ds = defs.get(name);
		const bit = /^VM_([A-Z0-9_]+)$/.exec(name)?.[1];
		if (!ds || !bit) return undefined;
		return ds.every((d) => d === `INIT_VM_FLAG(${bit})`) ? bit : undefined;
	};
	return {
		fixed,
		notFixed: (name) => {
			const ds = defs.get(name);
			if (!ds || fixed(name)) return undefined;
			return `${name} is defined as ${[...new Set(ds)].join(' or ')} in include/linux/mm.h (not the same bit in every configuration)`;
		},
		composite,
		fromTree: true,
	};
}

/**
 * The bits of a constant mask term: an OR of VM_X names (legacy masks) or
 * VMA_X_BIT names; undefined for anything else. `used` collects the legacy
 * names relied upon (for the assumptions list when the tree's mm.h was not read).
 */
export function maskBits(t: Term, facts: FlagFacts, used?: Set<string>): string[] | undefined {
	if (t.k === 'num' && t.v === 0n) return [];
	if (t.k === 'sym') {
		const vma = /^VMA_([A-Z0-9_]+)_BIT$/.exec(t.name);
		if (vma) return [vma[1]!];
		const comp = facts.composite.get(t.name);
		if (comp) return comp;
		const b = facts.fixed(t.name);
		if (b) used?.add(t.name);
		return b ? [b] : undefined;
	}
	if (t.k === 'app' && t.f === '|') {
		const out: string[] = [];
		for (const a of t.args) {
			const b = maskBits(a, facts, used);
			if (!b) return undefined;
			out.push(...b);
		}
		return out;
	}
	return undefined;
}

/** The mask term for a set of bits (as legacy VM_ names), for uninterpreted uses. */
export function maskTerm(bits: string[]): Term {
	return app('|', bits.map((b) => ({ k: 'sym', name: `VM_${b}`, key: `$VM_${b}` }) as Term));
}
