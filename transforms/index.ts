// The body rules, in the order the engine tries them on each node: statement-level
// actions first (they claim whole statements), then expressions, then single names.
import type { Rule } from '../src/rule.js';
import { remap, iomap } from './remap.js';
import { sideEffects } from './side-effects.js';
import { noDescEquivalent } from './no-desc-equivalent.js';
import { genericFile } from './generic-file.js';
import { descHelpers } from './desc-helpers.js';
import { flagsSet, flagsClear, flagsMod } from './flags-set-clear.js';
import { flagsTest } from './flags-test.js';
import { flagsWord } from './flags-word.js';
import { vmaSize } from './vma-size.js';
import { vmaPages } from './vma-pages.js';
import { vmOps } from './vm-ops.js';
import { privateData } from './private-data.js';
import { pgoff } from './pgoff.js';
import { pageProt } from './page-prot.js';
import { vmaFileMm } from './vma-file-mm.js';
import { fileParam } from './file-param.js';

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
