// The body rules, in the order the engine tries them on each node: statement-level
// actions first (they claim whole statements), then expressions, then single names.
import type { Rule } from '../src/rewrite/rule.js';
import { remap, iomap } from './body/remap.js';
import { sideEffects } from './body/side-effects.js';
import { noDescEquivalent } from './body/no-desc-equivalent.js';
import { genericFile } from './body/generic-file.js';
import { descHelpers } from './body/desc-helpers.js';
import { flagsSet, flagsClear, flagsMod } from './body/flags-set-clear.js';
import { flagsTest } from './body/flags-test.js';
import { flagsWord } from './body/flags-word.js';
import { vmaSize } from './body/vma-size.js';
import { vmaPages } from './body/vma-pages.js';
import { vmOps } from './body/vm-ops.js';
import { privateData } from './body/private-data.js';
import { pgoff } from './body/pgoff.js';
import { pageProt } from './body/page-prot.js';
import { vmaFileMm } from './body/vma-file-mm.js';
import { fileParam } from './body/file-param.js';

export const bodyRules: Rule[] = [
	sideEffects,
	remap,
	iomap,
	noDescEquivalent,
	genericFile,
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
	vmaFileMm,
	fileParam,
];

export const ruleDescriptions: Record<string, string> = Object.fromEntries(bodyRules.map((r) => [r.id, r.describe]));
