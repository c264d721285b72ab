// Commit messages: the subject, a paragraph per hook and per chain, the refused
// hooks, the disclosure of the generated content, trailers.
import { subjectPrefix, type PrefixRule } from './subject.js';
import type { HookReport, Person } from '../base/types.js';
import { columns, isTrailer, wrapMessage } from '../base/wrap.js';
import { loadTemplate, renderTemplate } from './templates.js';
import { MAX_SUBJECT } from './limits.js';

// What each rule did comes from its phrase in the registry (transforms/index.ts,
// handed over by the plan), a verb phrase whose subject is the converted hook.
// P1 (signature), P2/initialiser (wiring) and naming are in the lead sentence.

/** A nested chain a patch converts, for its commit message. */
export interface ChainSummary {
	struct: string;
	field: string;
	newField: string;
	mode: 'rename' | 'coexist';
	dispatchers: Array<{ fn: string; mode: 'whole-chain' | 'compat-shim' }>;
	/** implementors left on the old field (coexist): "foo_mmap()" or "the hooks wired by MACRO" */
	leftBehind: string[];
}

/** The paragraph that explains a chain: the field, the outer hooks, the shim and why it is temporary. */
export function describeChain(c: ChainSummary): string {
	const field = `struct ${c.struct}'s .${c.field} hook`;
	const out: string[] = [];
	if (c.mode === 'rename')
		out.push(`${field} is called from an old-style mmap hook. Replace it with .${c.newField}, which takes a struct vm_area_desc, and convert every implementor.`);
	else
		out.push(
			`${field} is called from an old-style mmap hook. Add .${c.newField}, which takes a struct vm_area_desc, beside it and move the implementors that can be converted to it; ${joinAnd(c.leftBehind)} stay${c.leftBehind.length === 1 && !c.leftBehind[0]!.startsWith('the hooks') ? 's' : ''} on .${c.field}, which can go away once ${c.leftBehind.length === 1 ? 'it is' : 'they are'} converted.`,
		);
	const whole = c.dispatchers.filter((d) => d.mode === 'whole-chain').map((d) => `${d.fn}()`);
	const shim = c.dispatchers.filter((d) => d.mode === 'compat-shim').map((d) => `${d.fn}()`);
	if (whole.length) out.push(`${joinAnd(whole)} only used the VMA to call the hook, so ${whole.length === 1 ? 'it becomes an mmap_prepare hook itself' : 'they become mmap_prepare hooks themselves'} and no compatibility shim is needed.`);
	if (shim.length)
		out.push(
			`${joinAnd(shim)} still need${shim.length === 1 ? 's' : ''} the VMA, so ${shim.length === 1 ? 'it calls' : 'they call'} the new hook through compat_set_desc_from_vma() and __compat_vma_mmap(), as uio and Hyper-V do upstream. This shim is temporary: it goes away when the outer hook is converted to mmap_prepare too.`,
		);
	return out.join(' ');
}

/** "P9c" -> "P9": sub-rules share their parent's sentence. */
const baseRule = (id: string) => /^P\d+/.exec(id)?.[0] ?? id;

/** P-rules in numeric order, then the named ones alphabetically. */
export function sortRules(ids: Iterable<string>): string[] {
	const key = (id: string) => {
		const m = /^P(\d+)(.*)$/.exec(id);
		return m ? [0, Number(m[1]), m[2]!] as const : [1, 0, id] as const;
	};
	return [...new Set(ids)].sort((a, b) => {
		const [ka, kb] = [key(a), key(b)];
		return ka[0] - kb[0] || ka[1] - kb[1] || ka[2].localeCompare(kb[2]);
	});
}

/** "a", "a and b", "a, b and c" */
export function joinAnd(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** upstream's field rule: "mmap" -> "mmap_prepare", "mmap_ring_buffer" -> "mmap_prepare_ring_buffer" */
const prepareField = (field: string) => field.replace(/mmap/, 'mmap_prepare');

const uniq = <T>(xs: T[]) => [...new Set(xs)];

/** A dispatcher that keeps its VMA and calls a converted nested hook through the compat shim: not a conversion. */
export const isShim = (h: HookReport): boolean => (h.rules ?? []).includes('compat-shim');

/** The hooks a patch really converts (its shims are not counted). */
export const convertedHooks = (hooks: HookReport[]): HookReport[] => hooks.filter((h) => h.status !== 'skipped' && !isShim(h));

/** The thing a subject names for a hook: the function, or the ops struct when the hook is a library function. */
function hookThing(h: HookReport): string {
	return h.file ? `${h.function}()` : (h.wiring[0]?.struct ?? `${h.function}()`);
}

/** What the compat shim is and that it is temporary, for dispatchers no chain paragraph explains. */
export function describeShims(shims: HookReport[], showFile: boolean): string {
	if (!shims.length) return '';
	const names = joinAnd(shims.map((h) => `${h.function}()${showFile && h.file ? ` in ${h.file}` : ''}`));
	const one = shims.length === 1;
	return (
		`${names} still need${one ? 's' : ''} the VMA, so ${one ? 'it keeps its' : 'they keep their'} mmap hook and call${one ? 's' : ''} the converted nested hook through a compatibility shim: compat_set_desc_from_vma() fills a struct vm_area_desc from the VMA, the nested hook describes the mapping in it, and __compat_vma_mmap() applies that description to the VMA. ` +
		'This shim is temporary: it goes away when the outer hook is converted to mmap_prepare too.'
	);
}

/** The rule phrases of a hook, in rule order, one per base rule. */
function phrasesOf(h: HookReport, phrases: Readonly<Record<string, string>>): string[] {
	return uniq(sortRules(h.rules ?? []).map(baseRule))
		.map((id) => phrases[id])
		.filter((p): p is string => !!p);
}

const DESC = 'now receives a struct vm_area_desc describing the mapping instead of the VMA';

/** "Rename a() to a_prepare()" / "Convert a()" for hooks that share both the verb and what they do. */
function leadSentence(hooks: HookReport[], showFile: boolean): string {
	const renamed = (hooks[0]!.newName ?? hooks[0]!.function) !== hooks[0]!.function;
	const loc = (h: HookReport) => (showFile ? ` in ${h.file}` : '');
	const names = hooks.map((h) => (renamed ? `${h.function}() to ${h.newName}()${loc(h)}` : `${h.function}()${loc(h)}`));
	const where = uniq(hooks.flatMap((h) => h.wiring.map((w) => `.${prepareField(w.field)} in ${w.struct}`)));
	const wired = where.length ? ` and install ${hooks.length === 1 ? 'it' : 'them'} as ${joinAnd(where)}` : '';
	return `${renamed ? 'Rename' : 'Convert'} ${joinAnd(names)}${wired}.`;
}

/** One paragraph on what happened to a hook, derived from its rules. */
export function describeHook(h: HookReport, showFile: boolean, phrases: Readonly<Record<string, string>>): string {
	return describeHooks([h], showFile, phrases);
}

/**
 * The paragraphs on what happened to a patch's hooks. Hooks that did the same
 * things share one paragraph; when the groups differ, what every hook shares
 * is said once, before what each group does besides. Shims are described by
 * describeShims() (or by their chain's paragraph), not here.
 */
export function describeHooks(hooks: HookReport[], showFile: boolean, phrases: Readonly<Record<string, string>>): string {
	const out: string[] = [];
	// Library hooks such as generic_file_mmap: only the initialiser changes.
	const lib = hooks.filter((h) => !h.file && !isShim(h));
	for (const fn of uniq(lib.map((h) => h.function))) {
		const same = lib.filter((h) => h.function === fn);
		const structs = joinAnd(uniq(same.flatMap((h) => h.wiring.map((w) => w.struct))));
		out.push(`Switch ${structs || 'the file_operations'} from ${fn}() to ${same[0]!.newName ?? fn}().`);
	}
	const own = hooks.filter((h) => h.file && !isShim(h));
	if (!own.length) return out.join('\n\n');
	const said = new Map(own.map((h) => [h, phrasesOf(h, phrases)]));
	const shared = own.length > 1 ? [...said.get(own[0]!)!].filter((p) => own.every((h) => said.get(h)!.includes(p))) : [];
	const groups = new Map<string, HookReport[]>();
	for (const h of own) {
		const renamed = (h.newName ?? h.function) !== h.function;
		const key = JSON.stringify([renamed, said.get(h)!.filter((p) => !shared.includes(p))]);
		groups.set(key, [...(groups.get(key) ?? []), h]);
	}
	if (groups.size === 1) {
		const [group] = [...groups.values()];
		const subject = group!.length === 1 ? 'It' : 'Each';
		out.push(`${leadSentence(group!, showFile)} ${subject} ${joinAnd([DESC, ...said.get(group![0]!)!])}.`);
		return out.join('\n\n');
	}
	out.push(`Each hook this patch converts ${joinAnd([DESC, ...shared])}.`);
	for (const group of groups.values()) {
		const rest = said.get(group[0]!)!.filter((p) => !shared.includes(p));
		const also = rest.length ? ` ${group.length === 1 ? 'It' : 'Each'} also ${joinAnd(rest)}.` : '';
		out.push(`${leadSentence(group, showFile)}${also}`);
	}
	return out.join('\n\n');
}

/** "fn (file:line): reason" for a hook that was left alone. */
export function refusalLine(h: HookReport): string {
	const at = h.file ? `${h.file}:${h.line}` : h.wiring[0] ? `${h.wiring[0].file}:${h.wiring[0].line}` : 'unknown location';
	return `${h.function} (${at}): ${h.reason ?? 'not converted'}`;
}

/**
 * The summary line: "<prefix> Convert <what> to mmap_prepare", naming the
 * hooks so that no two patches of a series share a summary
 * (submitting-patches.rst), shortened to stay within 75 columns. Only
 * converted hooks are named and counted: a dispatcher that becomes a compat
 * shim is not converted. A patch with shims only says so.
 */
export function commitSubject(prefix: string, hooks: HookReport[]): string {
	const conv = convertedHooks(hooks);
	const things = uniq(conv.map(hookThing));
	const n = conv.length;
	const shims = uniq(hooks.filter(isShim).map((h) => `${h.function}()`));
	const candidates = n
		? [
				things.length ? `Convert ${joinAnd(things)} to mmap_prepare` : '',
				n > 1 ? `Convert ${n} mmap hooks to mmap_prepare` : '',
				`Convert mmap hook${n > 1 ? 's' : ''} to mmap_prepare`,
			]
		: [`Use the mmap_prepare compat shim in ${joinAnd(shims)}`, 'Use the mmap_prepare compat shim'];
	const list = candidates.filter(Boolean);
	for (const c of list) if (columns(`${prefix} ${c}`) <= MAX_SUBJECT) return `${prefix} ${c}`;
	return `${prefix} ${list[list.length - 1]}`;
}

export interface CommitMessageOptions {
	/** mmapify's version, for the disclosure line */
	version: string;
	/** add Signed-off-by for this human; never added otherwise (coding-assistants.rst) */
	signoff?: Person;
	/** use this subject prefix instead of deriving one from the paths */
	prefix?: string;
	/** extra path -> prefix rules tried before the built-in table */
	prefixRules?: readonly PrefixRule[];
	/** directory holding commit-message.txt (default: the package's templates/) */
	templateDir?: string;
	/** rule id -> what the commit message says it did (the plan's, from transforms/index.ts) */
	phrases: Readonly<Record<string, string>>;
}

/**
 * The disclosure of the tool (Documentation/process/generated-content.rst:
 * say which tool made the content), one plain line of at most 75 columns.
 */
export function disclosureLine(version: string): string {
	const v = version ? ` ${version}` : '';
	const long = `Generated by mmapify${v}, a codemod for the mmap_prepare conversion.`;
	return columns(long) <= 75 ? long : `Generated by mmapify${v}.`;
}

export function signedOffBy(p: Person): string {
	return `Signed-off-by: ${p.name} <${p.email}>`;
}

/** Append a trailer like git's --signoff: no blank line if the message already ends in trailers, no duplicate. */
export function appendTrailer(body: string, trailer: string): string {
	const text = body.replace(/\s+$/, '');
	if (!text) return trailer;
	const paras = text.split(/\n\s*\n/);
	const last = paras[paras.length - 1]!.split('\n');
	if (last[last.length - 1] === trailer) return text;
	return last.every(isTrailer) ? `${text}\n${trailer}` : `${text}\n\n${trailer}`;
}

/** Subject and body (wrapped at 75) for a patch converting hooks in files. */
export function commitMessage(
	spec: { hooks: HookReport[]; files: string[]; refused?: HookReport[]; chains?: ChainSummary[] },
	opts: CommitMessageOptions,
): { subject: string; body: string } {
	const prefix = subjectPrefix(spec.files, { override: opts.prefix, rules: opts.prefixRules });
	const subject = commitSubject(prefix, spec.hooks);
	const showFile = uniq(spec.hooks.map((h) => h.file)).length > 1;
	const refused = spec.refused ?? [];
	const chains = spec.chains ?? [];
	// A chain's paragraph already says which dispatchers became shims and why.
	const explained = new Set(chains.flatMap((c) => c.dispatchers.filter((d) => d.mode === 'compat-shim').map((d) => d.fn)));
	const shims = spec.hooks.filter((h) => isShim(h) && !explained.has(h.function));
	const body = wrapMessage(
		renderTemplate(loadTemplate('commit-message.txt', opts.templateDir), {
			chains: chains.map(describeChain).join('\n\n'),
			changes: [describeHooks(spec.hooks, showFile, opts.phrases), describeShims(shims, showFile)].filter(Boolean).join('\n\n'),
			refused: refused.length
				? `${refused.length === 1 ? 'This hook is' : 'These hooks are'} left on f_op->mmap for manual conversion:\n\n` +
					refused.map((h) => `- ${refusalLine(h)}`).join('\n')
				: '',
			disclosure: disclosureLine(opts.version),
		}),
	);
	return { subject, body: opts.signoff ? appendTrailer(body, signedOffBy(opts.signoff)) : body };
}
