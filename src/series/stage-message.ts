// The commit messages of the steps of a chain split by subsystem
// (src/plan/stages.ts) that convert no implementor: the patch adding the new
// field beside the old one, and the patch removing the old field. The steps
// between them convert implementors and take commitMessage().
import { columns, wrapMessage } from '../base/wrap.js';
import { loadTemplate, renderTemplate } from './templates.js';
import { MAX_SUBJECT } from './limits.js';
import { disclosureLine, joinAnd, appendTrailer, signedOffBy, type ChainSummary, type CommitMessageOptions } from './message.js';

function subject(prefix: string, candidates: string[]): string {
	for (const c of candidates) if (columns(`${prefix} ${c}`) <= MAX_SUBJECT) return `${prefix} ${c}`;
	return `${prefix} ${candidates[candidates.length - 1]}`;
}

/** What the patch adding the new field says: both fields, the dispatch, the steps to come. */
export function addStageParagraph(c: ChainSummary, shims: string[]): string {
	const field = `struct ${c.struct}'s .${c.field} hook`;
	const names = joinAnd(shims.map((f) => `${f}()`));
	const one = shims.length === 1;
	const out = [
		`${field} is called from an old-style mmap hook. Add .${c.newField}, which takes a struct vm_area_desc, beside it, so that its implementors can move to it one subsystem at a time in the patches that follow.`,
	];
	if (shims.length)
		out.push(
			`When .${c.newField} is set, ${names} call${one ? 's' : ''} it through compat_set_desc_from_vma() and __compat_vma_mmap(), as uio and Hyper-V do upstream; otherwise ${one ? 'it calls' : 'they call'} .${c.field} as before, so nothing changes until an implementor moves.`,
		);
	out.push(
		c.mode === 'rename'
			? `.${c.field} is removed at the end of this series, when no implementor is left on it.`
			: `${joinAnd(c.leftBehind)} stay${c.leftBehind.length === 1 && !c.leftBehind[0]!.startsWith('the hooks') ? 's' : ''} on .${c.field}, which can go away once ${c.leftBehind.length === 1 ? 'it is' : 'they are'} converted.`,
	);
	if (shims.length)
		out.push(
			c.dispatchers.some((d) => d.mode === 'compat-shim')
				? 'This shim is temporary: it goes away when the outer hook is converted to mmap_prepare too.'
				: `The shim goes away with .${c.field} at the end of this series.`,
		);
	return out.join(' ');
}

/** What the patch removing the old field says. */
export function removeStageParagraph(c: ChainSummary): string {
	const out = [`Every implementor of struct ${c.struct}'s .${c.field} hook now uses .${c.newField}: remove .${c.field} and the calls of it.`];
	const whole = c.dispatchers.filter((d) => d.mode === 'whole-chain').map((d) => `${d.fn}()`);
	if (whole.length)
		out.push(
			`${joinAnd(whole)} only used the VMA to call the hook, so ${whole.length === 1 ? 'it becomes an mmap_prepare hook itself' : 'they become mmap_prepare hooks themselves'} and the compatibility shim of the previous patches goes away.`,
		);
	return out.join(' ');
}

/** Subject and body of an add or remove step. */
export function stageMessage(kind: 'add' | 'remove', c: ChainSummary, shims: string[], prefix: string, opts: Pick<CommitMessageOptions, 'version' | 'signoff' | 'templateDir'>): { subject: string; body: string } {
	const subj =
		kind === 'add'
			? subject(prefix, [`Add .${c.newField} to struct ${c.struct}`, `Add .${c.newField} beside .${c.field}`, `Add the ${c.newField} hook`])
			: subject(prefix, [`Remove .${c.field} from struct ${c.struct}`, `Remove the old .${c.field} hook`, 'Remove the old mmap hook']);
	const body = wrapMessage(
		renderTemplate(loadTemplate('commit-message.txt', opts.templateDir), {
			chains: kind === 'add' ? addStageParagraph(c, shims) : removeStageParagraph(c),
			changes: '',
			refused: '',
			disclosure: disclosureLine(opts.version),
		}),
	);
	return { subject: subj, body: opts.signoff ? appendTrailer(body, signedOffBy(opts.signoff)) : body };
}
