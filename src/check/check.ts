// The equivalence checker's entry point (translation validation): given the
// text before and after a conversion and which function it converted, run
// both symbolically under the kernel's semantics and either prove that every
// path ends alike or refuse with the path and the difference. It shares no
// code with the rules that wrote the conversion; it uses only the parser.
import { parserReady } from '../c/parser.js';
import { fnRef, type Ctx, type Slots } from './context.js';
import { compareOutcomes } from './compare.js';
import { Uninitialised, execFunction, parameterNames } from './eval.js';
import { flagFacts } from './flags.js';
import { invoke } from './calls.js';
import { evalExpr, evalSeq } from './eval.js';
import { compatModels } from './compat.js';
import { basePc, compatPathAfter, entryVma, mmapDesc, mmapPathAfter, runOn, type EntryFacts, type Outcome } from './observe.js';
import { describe, differenceText, type CheckKind, type CheckResult } from './report.js';
import { findFunctions, Unit } from './source.js';
import { NotModelled, State } from './state.js';
import { ZERO, obj, sym, type Term } from './term.js';
import type { Node } from '../c/parser.js';

export interface Source {
	/** the file's path, for messages */
	label: string;
	text: string;
}

export interface ChainInput {
	oldField: string;
	newField: string;
	/** rename: the field is replaced; coexist: the new one is added beside the old */
	mode: 'rename' | 'coexist';
	/** converted implementors: old and new function names (their files among `files`) */
	implementors: Array<{ old: string; new: string }>;
}

export interface CheckInput {
	kind: CheckKind;
	old: Source & { fn: string };
	new: Source & { fn: string };
	/** for a nested implementor checked alone: reached through a shim (compat) or a converted outer hook (mmap) */
	context?: 'mmap' | 'compat';
	/** what is known of the VMA at entry (default: nothing, except for f_op hooks) */
	entry?: EntryFacts;
	chain?: ChainInput;
	/** other files of each side (a chain's implementors, vm_operations_struct initialisers) */
	files?: { old: Source[]; new: Source[] };
	/** the tree's include/linux/mm.h, for which VM_ flags are fixed bits */
	mmH?: string;
	/**
	 * the definition of a function the files do not hold, from a file the
	 * conversion does not change (a static inline of a header they include)
	 */
	resolve?: (name: string) => Source | undefined;
}

const FOP_ENTRY: EntryFacts = {
	fresh: true,
	because: 'f_op->mmap is called by mmap_file() from __mmap_new_file_vma() (mm/vma.c:2613) on the VMA vm_area_alloc() just made; the stacked path (vfs_mmap() -> compat_vma_mmap()) is not considered',
};

const EV = { evalExpr, evalSeq, execFunction };

/** Kernel functions wired directly as hooks whose old and new forms the checker models. */
const KERNEL_HOOKS: Record<string, string> = {
	generic_file_mmap: 'generic_file_mmap_prepare',
	generic_file_readonly_mmap: 'generic_file_readonly_mmap_prepare',
};

interface World {
	name?: string;
	/** the converted implementor the field holds in this world (its old name) */
	impl?: string;
	old?: Slots;
	new?: Slots;
}

function worlds(c: ChainInput | undefined): World[] {
	if (!c) return [{}];
	const slots = (entries: Array<[string, Term]>): Slots => ({ values: new Map(entries) });
	const out: World[] = c.implementors.map((i) => ({
		name: `${c.oldField} = ${i.old}()`,
		impl: i.old,
		old: slots([[c.oldField, fnRef(i.old)]]),
		new: slots(c.mode === 'rename' ? [[c.newField, fnRef(i.new)]] : [[c.oldField, ZERO], [c.newField, fnRef(i.new)]]),
	}));
	out.push({
		name: `${c.oldField} unset`,
		old: slots([[c.oldField, ZERO]]),
		new: slots(c.mode === 'rename' ? [[c.newField, ZERO]] : [[c.oldField, ZERO], [c.newField, ZERO]]),
	});
	if (c.mode === 'coexist') {
		const u = sym(`an unconverted ${c.oldField} hook`);
		out.push({ name: `${c.oldField} = an unconverted hook`, old: slots([[c.oldField, u]]), new: slots([[c.oldField, u], [c.newField, ZERO]]) });
	}
	return out;
}

/** Parameter positions: the VMA/descriptor one and the struct file * one. */
function paramRoles(fn: Node): { obj: number; file: number; names: string[] } {
	const names = parameterNames(fn);
	let d = fn.childForFieldName('declarator');
	while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
	const params = (d?.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => !!p && p.type === 'parameter_declaration');
	const obj_ = params.findIndex((p) => /\bstruct\s+vm_area_(struct|desc)\b/.test(p.text) && p.text.includes('*'));
	const file = params.findIndex((p) => /\bstruct\s+file\s*\*/.test(p.text));
	return { obj: obj_, file, names };
}

function run(input: CheckInput, ctx: Ctx, fn: Node, side: 'old' | 'new'): Outcome[] {
	const s = new State(basePc());
	const roles = paramRoles(fn);
	const line = fn.startPosition.row + 1;
	if (roles.obj < 0) throw new NotModelled(`${side === 'old' ? 'the old' : 'the new'} function has no struct ${side === 'old' ? 'vm_area_struct' : 'vm_area_desc'} * parameter`, line);
	const inv = (name: string, st: State, a: Term[]) => invoke(ctx, st, name, a, line, EV);
	const mmapPath = input.kind === 'fop' || input.kind === 'whole-chain' || (input.kind === 'nested' && input.context === 'mmap');
	const facts = mmapPath ? FOP_ENTRY : input.entry ?? {};
	const fileTerm = facts.fresh || facts.fileIsVmFile ? sym('file0') : sym('file');
	const argv = (o: Term) => roles.names.map((n, i) => (i === roles.obj ? o : i === roles.file ? fileTerm : sym(n)));
	if (input.kind === 'shim') {
		s.phase = 'dispatcher';
		const vma = entryVma(s, facts, ctx);
		return runOn(ctx, s, fn, argv(obj(vma)), vma);
	}
	if (side === 'old') {
		const vma = entryVma(s, facts, ctx);
		return runOn(ctx, s, fn, argv(obj(vma)), vma);
	}
	if (mmapPath) {
		const desc = mmapDesc(s);
		return execFunction(ctx, s, fn, argv(obj(desc))).flatMap(({ s: s1, ret }) => mmapPathAfter(ctx, s1, desc, ret, inv, line));
	}
	// a nested implementor behind a compat shim
	const vma = entryVma(s, facts, ctx);
	const desc = s.newObj('desc', {});
	const setDesc = compatModels.find(([n]) => n === 'compat_set_desc_from_vma')![1];
	const mc = { ctx, s, name: 'compat_set_desc_from_vma', args: [obj(desc), fileTerm, obj(vma)], line, invoke: inv };
	for (const f of ['start', 'end', 'pgoff', 'flags', 'page_prot', 'vm_ops', 'private_data', 'vm_file', 'mm', 'file']) s.set(desc, f, ZERO);
	setDesc(mc);
	return execFunction(ctx, s, fn, argv(obj(desc))).flatMap(({ s: s1, ret }) => compatPathAfter(ctx, s1, desc, vma, ret, inv, line));
}

export function checkConversion(input: CheckInput): CheckResult {
	if (!parserReady()) throw new Error('initParser() must be awaited before checkConversion()');
	const t0 = performance.now();
	const units: Unit[] = [];
	const parse = (src: { label: string; text: string }): Unit => {
		const u = new Unit(src.label, src.text);
		units.push(u);
		return u;
	};
	const base: Omit<CheckResult, 'equivalence' | 'message' | 'ms'> = { kind: input.kind, function: input.old.fn, assumptions: [], paths: { old: 0, new: 0 } };
	const assumptions = new Set<string>(['sizes, offsets and addresses are non-negative integers: their arithmetic does not wrap around']);
	const flags = flagFacts(input.mmH);
	const usedFlags = new Set<string>();
	const finish = (r: Partial<CheckResult> & Pick<CheckResult, 'equivalence' | 'message'>): CheckResult => {
		for (const u of units) u.dispose();
		if (!flags.fromTree) for (const f of [...usedFlags].sort()) assumptions.add(`${f} is VMA_${f.slice(3)}_BIT in every configuration (include/linux/mm.h was not read)`);
		return { ...base, ...r, assumptions: [...assumptions], ms: Math.round((performance.now() - t0) * 10) / 10 } as CheckResult;
	};
	// the world being evaluated, so that a construct not modelled is put down to its implementor
	let current: World | undefined;
	try {
		const oldUnits = [parse(input.old), ...(input.files?.old ?? []).filter((f) => f.label !== input.old.label).map(parse)];
		const newUnits = [parse(input.new), ...(input.files?.new ?? []).filter((f) => f.label !== input.new.label).map(parse)];
		// A hook that is a modelled kernel function (`.mmap = generic_file_mmap`): a
		// wrapper that calls it stands for it on each side.
		const kernel = KERNEL_HOOKS[input.old.fn] === input.new.fn && !findFunctions(oldUnits, input.old.fn);
		if (kernel) {
			oldUnits.unshift(parse({ label: `${input.old.fn}() (mm/filemap.c)`, text: `int ${input.old.fn}__hook(struct file *file, struct vm_area_struct *vma)\n{\n\treturn ${input.old.fn}(file, vma);\n}\n` }));
			newUnits.unshift(parse({ label: `${input.new.fn}() (mm/filemap.c)`, text: `int ${input.new.fn}__hook(struct vm_area_desc *desc)\n{\n\treturn ${input.new.fn}(desc);\n}\n` }));
		}
		const oldDefs = findFunctions(oldUnits, kernel ? `${input.old.fn}__hook` : input.old.fn);
		const newDefs = findFunctions(newUnits, kernel ? `${input.new.fn}__hook` : input.new.fn);
		if (!oldDefs) return finish({ equivalence: 'refused', code: 'not-modelled', message: `not-modelled: ${input.old.fn}() is not defined in ${input.old.label} before the conversion` });
		if (!newDefs) return finish({ equivalence: 'refused', code: 'not-modelled', message: `not-modelled: ${input.new.fn}() is not defined in ${input.new.label} after the conversion` });
		if (oldDefs.fns.length !== newDefs.fns.length)
			return finish({ equivalence: 'refused', code: 'not-modelled', message: `not-modelled: ${input.old.fn}() has ${oldDefs.fns.length} definitions before the conversion and ${newDefs.fns.length} after` });
		// definitions from unchanged files: the same on both sides, parsed once
		const resolved = new Map<string, Unit | undefined>();
		const resolve = input.resolve
			? (name: string): Unit | undefined => {
					if (!resolved.has(name)) {
						const src = input.resolve!(name);
						resolved.set(name, src ? parse(src) : undefined);
					}
					return resolved.get(name);
				}
			: undefined;
		// a hook defined once per configuration (#if/#else): each definition with its counterpart
		for (const [i, oldNode] of oldDefs.fns.entries()) for (const w of worlds(input.chain)) {
			current = w;
			const oldFn = { unit: oldDefs.unit, fn: oldNode };
			const newFn = { unit: newDefs.unit, fn: newDefs.fns[i]! };
			const mk = (side: 'old' | 'new', units: Unit[], unit: Unit): Ctx => ({
				side, unit, units, flags, usedFlags, assumptions, slots: side === 'old' ? w.old : w.new, stack: [side === 'old' ? input.old.fn : input.new.fn], resolve,
			});
			let olds: Outcome[];
			let news: Outcome[];
			try {
				olds = run(input, mk('old', oldUnits, oldFn.unit), oldFn.fn, 'old');
			} catch (e) {
				if (e instanceof Uninitialised) throw new NotModelled(`the old hook reads ${e.variable} before it has a value`, e.line);
				throw e;
			}
			try {
				news = run(input, mk('new', newUnits, newFn.unit), newFn.fn, 'new');
			} catch (e) {
				if (e instanceof Uninitialised)
					return finish({ equivalence: 'refused', code: 'not-equivalent', world: w.name, ...(w.impl ? { implementor: w.impl } : {}), message: `not-equivalent: ${w.name ? `with ${w.name}: ` : ''}the new code reads ${e.variable} before it has a value (${newFn.unit.label}:${e.line})`, difference: { kind: 'uninitialised', path: [], message: `reads ${e.variable} uninitialised`, line: { new: e.line } } });
				throw e;
			}
			base.paths.old += olds.length;
			base.paths.new += news.length;
			if ([...olds, ...news].some((o) => o.trace.some((e) => e.k === 'call' && e.args.some((a) => a.k === 'app' && a.f.startsWith('vma{')))))
				assumptions.add('a function the checker does not model that is handed the VMA leaves vm_start, vm_end and vm_mm alone (drivers cannot alter the address of the VMA: mm/vma.c __mmap_new_file_vma() WARNs)');
			const mmapPath = input.kind === 'fop' || input.kind === 'whole-chain' || (input.kind === 'nested' && input.context === 'mmap');
			const d = compareOutcomes(olds, news, mmapPath);
			if (d) {
				// A side effect in mmap_prepare is the effect analysis's verdict: its own code.
				const code = d.kind === 'side-effect' ? 'side-effect' : 'not-equivalent';
				return finish({ equivalence: 'refused', code, world: w.name, ...(w.impl ? { implementor: w.impl } : {}), difference: d, message: `${code}: ${differenceText(d, w.name)}` });
			}
		}
		const r = finish({ equivalence: 'proven', message: '' });
		r.message = describe(r);
		return r;
	} catch (e) {
		if (e instanceof NotModelled)
			return finish({ equivalence: 'refused', code: 'not-modelled', ...(current?.impl ? { world: current.name, implementor: current.impl } : {}), message: `not-modelled: ${current?.impl ? `with ${current.name}: ` : ''}${e.message}` });
		for (const u of units) u.dispose();
		throw e;
	}
}

export type { CheckResult, CheckKind, EntryFacts };
