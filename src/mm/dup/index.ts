// Public API of the dup.h sync check (mmapify sync-dup); see docs/dup-sync.md.
export { splitItems, findMarker, crossCheckWithTree, DUP_PATH, type DupItem, type TreeDisagreement } from './items.js';
export { scanItems, tokenize, type ItemKind, type ScannedItem } from './scan.js';
export { KernelIndex, kernelIndex, clearIndexCache, type KernelItem, type Enumerator } from './kindex.js';
export { classify, compareItem, type DupClass, type Original, type Verdict } from './classify.js';
export { BUILTIN_CUSTOMISATIONS, TREE_OVERRIDE_FILE, loadOverrides, parseOverrides, type OverrideEntry, type Overrides } from './overrides.js';
export { checkDup, findOriginal, candidates, bestOriginal, formatReport, hasStaleDrift, kernelVersion, type CheckOptions, type DupReport, type FormatOptions, type ReportItem } from './check.js';
export { syncDupPatch, type SyncChange, type SyncOptions, type SyncResult } from './sync.js';
