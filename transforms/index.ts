// The rulebook: every conversion rule, in one registry whose order is stated
// once, here. The plan hands these to the engine (src/rewrite never imports
// transforms/), and the series takes each rule's commit-message phrase from
// here through the plan.
//
// Body rules are tried in this order on each node: statement-level actions
// first (they claim whole statements), then expressions, then single names.
// Site rules edit what surrounds a body (signature, wiring, names, kernel-doc);
// chain rules what a nested chain adds (the nested call, the shim, the field).
// `npm run new-rule NAME` adds a body rule: its file, one line in bodyRules
// and its test folder test/rules/NAME/.
import type { Rule, RuleInfo, RuleSet } from '../src/rewrite/rule.js';
import { remap, iomap } from './body/remap.js';
import { sideEffects } from './body/side-effects.js';
import { noDescEquivalent } from './body/no-desc-equivalent.js';
import { genericFile } from './body/generic-file.js';
import { descHelpers } from './body/desc-helpers.js';
import { flagsSet, flagsClear, flagsMod } from './body/flags-set-clear.js';
import { flagsTest } from './body/flags-test.js';
import { flagsWord } from './body/flags-word.js';
import { vmaGetPageProt } from './body/vma-get-page-prot.js';
import { vmaSize } from './body/vma-size.js';
import { vmaPages } from './body/vma-pages.js';
import { vmOps } from './body/vm-ops.js';
import { privateData } from './body/private-data.js';
import { pgoff } from './body/pgoff.js';
import { pageProt } from './body/page-prot.js';
import { vmaFileMm } from './body/vma-file-mm.js';
import { fileParam } from './body/file-param.js';
import { ifStyle } from './body/if-style.js';
import { signature, signatureInfo } from './site/signature.js';
import { initialiserInfo } from './site/initialiser.js';
import { namingInfo } from './site/naming.js';
import { kernelDocInfo } from './site/kernel-doc.js';
import { prototypeInfo } from './site/prototype.js';
import { nestedCallInfo, wholeChainInfo } from './chain/nested-call.js';
import { compatShimInfo } from './chain/compat-shim.js';
import { coexistInfo } from './chain/coexist.js';
import { commentsInfo } from './chain/comments.js';
import { fieldDeclInfo } from './chain/field-decl.js';
import { registrationInfo } from './chain/registration.js';

export const bodyRules: Rule[] = [
	sideEffects,
	remap,
	iomap,
	noDescEquivalent,
	genericFile,
	// after the rules that claim whole statements, before those of expressions
	ifStyle,
	descHelpers,
	flagsSet,
	flagsClear,
	flagsMod,
	flagsTest,
	vmaSize,
	vmaPages,
	vmOps,
	privateData,
	pgoff,
	pageProt,
	flagsWord,
	vmaGetPageProt,
	vmaFileMm,
	fileParam,
];

export const siteRules: RuleInfo[] = [signatureInfo, prototypeInfo, initialiserInfo, namingInfo, kernelDocInfo];

export const chainRules: RuleInfo[] = [nestedCallInfo, wholeChainInfo, compatShimInfo, coexistInfo, fieldDeclInfo, registrationInfo, commentsInfo];

/** Every rule, body, site and chain. */
export const allRules: RuleInfo[] = [...bodyRules, ...siteRules, ...chainRules];

/** What the plan hands the engine for every hook function. */
export const ruleSet: RuleSet = { body: bodyRules, signature };

/** Report id -> the phrase a commit message uses for it (ids without one go unsaid). */
export const rulePhrases: Record<string, string> = Object.fromEntries(
	allRules.flatMap((r) => [
		...(r.phrase ? [[r.id, r.phrase]] : []),
		...Object.entries(r.reports ?? {}).filter((e): e is [string, string] => !!e[1]),
	]),
);

/** Does the report id belong to a rule that requests a mapping action (run after the hook returns)? */
export function requestsAction(id: string): boolean {
	return allRules.some((r) => r.requestsAction && r.id === id);
}
