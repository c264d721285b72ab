#!/usr/bin/env bash
# End-to-end test: drive the mmapify CLI on a real, prepared kernel tree the
# way a user would, then check the series it writes.
#
#   test/e2e/kernel-e2e.sh TREE [PATH...]
#
# TREE is a git repository made by test/kernel/prepare-tree.sh (tag "base",
# x86_64 allmodconfig, make prepare done).  PATHs are the tree-relative
# directories to convert (default: the five targets below).
#
# Steps, each an assertion counted in the closing "e2e: N passed, N failed":
#   1. --dry-run: exit 0, valid JSON, writes no output dir, leaves the tree alone
#   2. real run: exit 0, valid JSON report consistent with the files written,
#      cover letter without template placeholders, tree left alone
#   3. scripts/checkpatch.pl --strict on every patch: 0 errors, 0 warnings,
#      0 checks (UNKNOWN_COMMIT_ID left out where the tree's history lacks
#      the cited commit)
#   4. git am of every patch (cover letter skipped), one by one
#   5. every touched .c file whose object builds at base still builds
#      (files that fail at base too, e.g. powerpc-only code, are reported as
#      "not built on x86", not as failures)
#   6. idempotence: mmapify on the patched tree produces no patches
#   7. git reset --hard base leaves a clean tree
#   (7b, before it) b4 prep -e base enrolls the applied series, takes the
#      cover text and recipients (--auto-to-cc), and b4 send -o writes every
#      message with mmapify's subjects
#   (2c, in step 2) no doubled prefix, no rule id in any log, refusals.txt
#      lists every refused hook, the cover letter under 250 lines (wc -l,
#      headers included)
#   (2b, after step 2) recipients: each patch's To:/Cc: equal
#      scripts/get_maintainer.pl on that patch (To: = its --no-r --no-l
#      output), the cover letter has their union, and `git send-email
#      --dry-run` accepts the series and mails every message to its To:/Cc:
#   9. (default targets, or MMAPIFY_E2E_VERIFY=1) mmapify --verify exits 0
#      with an ok line per patch (applies, checkpatch, compile), compiles
#      the objects step 4 built at base, says so in the cover letter, and
#      leaves the tree alone
#  10. (same) --verify on a series with one corrupted line (MMAPIFY_TEST_FAULT,
#      a test-only hook of the CLI) exits 1 with a FAIL line naming the
#      compiler error
#  11. (same) --verify of a series touching mm/ and tools/testing/vma
#      (test/kernel/verify-kernel.test.ts) builds mm/vma.o and passes the VMA tests
#
# Environment:
#   MMAPIFY_CLI        command that runs the CLI (default: node <repo>/dist/src/cli.js)
#   MMAPIFY_E2E_ARGS   extra CLI options for every run (default: -s)
#   MMAPIFY_JOBS       make -j (default 2)
#   MMAPIFY_E2E_KEEP=1 keep the scratch directory (series, logs) afterwards
#   MMAPIFY_E2E_VERIFY 1/0: run steps 9-10 (default: 1 for the default targets only)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: kernel-e2e.sh TREE [PATH...]" >&2; exit 2; }
TREE=$(cd "$1" && pwd) || exit 2
shift
if [ $# -gt 0 ]; then TARGETS=("$@"); VERIFY=${MMAPIFY_E2E_VERIFY:-0}; else
  TARGETS=(arch/powerpc/platforms/cell/spufs drivers/xen drivers/misc kernel fs)
  VERIFY=${MMAPIFY_E2E_VERIFY:-1}
fi
JOBS=${MMAPIFY_JOBS:-2}
read -r -a CLI <<<"${MMAPIFY_CLI:-node $REPO/dist/src/cli.js}"
# Options a submitter passes on every run: -s adds Signed-off-by (from the
# tree's user.name/user.email, which prepare-tree.sh sets), without which
# checkpatch reports an error.
read -r -a ARGS <<<"${MMAPIFY_E2E_ARGS--s}"
export ARCH=x86_64

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mmapify-e2e.XXXXXX")
PASS=0 FAIL=0
declare -a FAILED=()

pass() { PASS=$((PASS + 1)); printf '  ok    %s\n' "$*"; }
fail() { FAIL=$((FAIL + 1)); FAILED+=("$*"); printf '  FAIL  %s\n' "$*"; }
info() { printf '        %s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
# Show the last lines of a log, indented, after a failure.
show() { [ -s "$1" ] && tail -n "${2:-15}" "$1" | sed 's/^/        | /'; return 0; }

g() { git -C "$TREE" -c gc.auto=0 -c maintenance.auto=false \
        -c user.name=mmapify-e2e -c user.email=mmapify-e2e@mmapify.invalid "$@"; }

restore_tree() {
  [ -d "$TREE/.git/rebase-apply" ] && g am --abort >/dev/null 2>&1
  g checkout -q -f -B main base >/dev/null 2>&1
  g reset -q --hard base && g clean -q -fd
}
finish() {
  restore_tree
  if [ "${MMAPIFY_E2E_KEEP:-0}" = 1 ] || [ "$FAIL" -gt 0 ]; then
    echo "e2e: scratch directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap finish EXIT
trap 'echo "e2e: interrupted"; exit 130' INT TERM

# The tree's state as seen by a user: HEAD, refs, worktrees, status.
snapshot() {
  { g rev-parse HEAD; g for-each-ref --format='%(refname) %(objectname)'
    g worktree list --porcelain; g status --porcelain --untracked-files=normal; } 2>&1
}

# Run the CLI from inside the tree (as a kernel developer would).
# run_cli NAME ARGS...  -> $WORK/NAME.json (stdout), $WORK/NAME.err, $WORK/NAME.rc
run_cli() {
  local name=$1; shift
  local t0=$SECONDS rc
  (cd "$TREE" && timeout 1800 "${CLI[@]}" "$@") >"$WORK/$name.json" 2>"$WORK/$name.err" </dev/null
  rc=$?
  echo "$rc" >"$WORK/$name.rc"
  info "mmapify ${*} -> exit $rc in $((SECONDS - t0))s"
  return "$rc"
}

# Validate a --json report against the CLI contract.  Prints shell-readable
# lines (key=value / stats) on stdout; schema problems go to stderr, exit 1.
# check_report REPORT OUTDIR(or "") TARGET...
check_report() {
  node - "$@" <<'EOF'
const fs = require('fs'), path = require('path');
const [report, outdir, ...targets] = process.argv.slice(2);
const errs = [];
let r;
try { r = JSON.parse(fs.readFileSync(report, 'utf8')); }
catch (e) { console.error(`stdout is not a JSON report: ${e.message}`); process.exit(1); }
const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
if (!isObj(r)) { console.error('report is not an object'); process.exit(1); }
if (!Array.isArray(r.hooks)) errs.push('hooks is not an array');
if (!Array.isArray(r.patches)) errs.push('patches is not an array');
if (!isObj(r.summary)) errs.push('summary is not an object');
if (errs.length) { console.error(errs.join('\n')); process.exit(1); }
const hooks = r.hooks, patches = r.patches, s = r.summary;
hooks.forEach((h, i) => {
  const w = `hooks[${i}] (${h && h.function})`;
  if (!isObj(h)) return errs.push(`${w} is not an object`);
  if (typeof h.function !== 'string' || !h.function) errs.push(`${w}: function missing`);
  if (typeof h.file !== 'string' || !h.file) errs.push(`${w}: file missing`);
  if (!Number.isInteger(h.line) || h.line < 1) errs.push(`${w}: line is not a positive integer`);
  if (h.status !== 'converted' && h.status !== 'skipped') errs.push(`${w}: status ${JSON.stringify(h.status)}`);
  if (h.status === 'skipped' && (typeof h.reason !== 'string' || !h.reason)) errs.push(`${w}: skipped without a reason`);
  if (!Array.isArray(h.wiring)) errs.push(`${w}: wiring is not an array`);
  else h.wiring.forEach((x, j) => {
    if (!isObj(x) || typeof x.struct !== 'string' || typeof x.field !== 'string' ||
        typeof x.file !== 'string' || !Number.isInteger(x.line))
      errs.push(`${w}: wiring[${j}] lacks struct/field/file/line`);
  });
});
const conv = hooks.filter((h) => h && h.status === 'converted').length;
const skip = hooks.filter((h) => h && h.status === 'skipped').length;
if (s.converted !== conv) errs.push(`summary.converted=${s.converted} but ${conv} hooks are converted`);
if (s.skipped !== skip) errs.push(`summary.skipped=${s.skipped} but ${skip} hooks are skipped`);
if (s.patches !== patches.length) errs.push(`summary.patches=${s.patches} but patches has ${patches.length} entries`);
patches.forEach((p, i) => {
  if (!isObj(p) || typeof p.path !== 'string' || typeof p.subject !== 'string' || !Array.isArray(p.files))
    errs.push(`patches[${i}] lacks path/subject/files`);
});
const base = (p) => path.basename(String(p.path));
if (outdir) {
  const onDisk = fs.existsSync(outdir)
    ? fs.readdirSync(outdir).filter((f) => /^\d{4}-.*\.patch$/.test(f) && !f.startsWith('0000-')).sort() : [];
  const listed = patches.map(base).sort();
  if (JSON.stringify(onDisk) !== JSON.stringify(listed))
    errs.push(`patch files in -o dir [${onDisk.join(' ')}] differ from report patches [${listed.join(' ')}]`);
  for (const p of patches) {
    const f = path.join(outdir, base(p));
    if (!fs.existsSync(f)) continue;
    const txt = fs.readFileSync(f, 'utf8');
    const inDiff = [...new Set([...txt.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]))].sort();
    const rep = [...new Set(p.files)].sort();
    if (JSON.stringify(inDiff) !== JSON.stringify(rep))
      errs.push(`${base(p)}: report files [${rep.join(' ')}] differ from its diff [${inDiff.join(' ')}]`);
    if (!txt.includes(`Subject: `)) errs.push(`${base(p)}: no Subject header`);
  }
}
// The counts are printed even when the report breaks the contract, so that
// the later steps still run; the exit status carries the verdict.
if (errs.length) { console.error(errs.slice(0, 20).join('\n') + (errs.length > 20 ? `\n... ${errs.length - 20} more` : '')); process.exitCode = 1; }
console.log(`summary=${s.converted}/${s.skipped}/${s.patches}`);
console.log(`converted=${conv}`);
console.log(`skipped=${skip}`);
console.log(`patches=${patches.length}`);
for (const t of targets) {
  const mine = hooks.filter((h) => h && typeof h.file === 'string' && (h.file === t || h.file.startsWith(t.replace(/\/$/, '') + '/')));
  console.log(`stat ${t} ${mine.filter((h) => h.status === 'converted').length} ${mine.filter((h) => h.status === 'skipped').length}`);
}
const reasons = {};
for (const h of hooks) if (h && h.status === 'skipped') {
  const k = String(h.reason || '(no reason given)').replace(/ \([^()]*:\d+\)$/, '');
  reasons[k] = (reasons[k] || 0) + 1;
}
for (const [k, v] of Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, 8))
  console.log(`reason ${v} ${k.replace(/\s+/g, ' ').slice(0, 100)}`);
EOF
}

echo "mmapify e2e on $TREE"
echo "targets: ${TARGETS[*]}"
T_ALL=$SECONDS

# ---------------------------------------------------------------- preflight
step "preflight"
if [ ! -f "$REPO/dist/src/cli.js" ] && [ -z "${MMAPIFY_CLI:-}" ]; then
  fail "CLI is built (dist/src/cli.js missing: run npm run build)"
  echo; echo "e2e: $PASS passed, $FAIL failed"; exit 1
fi
restore_tree
BASE=$(g rev-parse -q --verify 'base^{commit}') || BASE=
if [ -n "$BASE" ] && [ "$(g rev-parse HEAD)" = "$BASE" ] && [ -z "$(g status --porcelain)" ]; then
  pass "tree is a clean git repository at tag base (${BASE:0:12})"
else
  fail "tree is a clean git repository at tag base"
  echo; echo "e2e: $PASS passed, $FAIL failed"; exit 1
fi

# ---------------------------------------------------------------- 1 dry run
step "1. mmapify --dry-run"
before=$(snapshot)
run_cli dry "${ARGS[@]}" --dry-run --json --tree "$TREE" -o "$WORK/dry-out" "${TARGETS[@]}"
if [ "$(cat "$WORK/dry.rc")" = 0 ]; then pass "--dry-run exits 0"; else fail "--dry-run exits 0"; show "$WORK/dry.err"; fi
if check_report "$WORK/dry.json" "" "${TARGETS[@]}" >"$WORK/dry.stats" 2>"$WORK/dry.schema"; then
  pass "--dry-run prints a valid JSON report"
else
  fail "--dry-run prints a valid JSON report"; show "$WORK/dry.schema"
fi
if [ ! -e "$WORK/dry-out" ]; then pass "--dry-run wrote no output directory"
else fail "--dry-run wrote no output directory (found: $(ls "$WORK/dry-out" | head -3 | tr '\n' ' '))"; fi
if [ "$(snapshot)" = "$before" ]; then pass "--dry-run left the tree untouched"
else fail "--dry-run left the tree untouched"; diff <(echo "$before") <(snapshot) | head -10 | sed 's/^/        | /'; fi

# ---------------------------------------------------------------- 2 real run
step "2. mmapify -o SERIES"
OUT=$WORK/series
run_cli run "${ARGS[@]}" --json --tree "$TREE" -o "$OUT" "${TARGETS[@]}"
if [ "$(cat "$WORK/run.rc")" = 0 ]; then pass "mmapify exits 0"; else fail "mmapify exits 0"; show "$WORK/run.err"; fi
if check_report "$WORK/run.json" "$OUT" "${TARGETS[@]}" >"$WORK/run.stats" 2>"$WORK/run.schema"; then
  pass "JSON report is valid and matches the patch files written"
else
  fail "JSON report is valid and matches the patch files written"; show "$WORK/run.schema" 25
fi
CONVERTED=$(sed -n 's/^converted=//p' "$WORK/run.stats"); SKIPPED=$(sed -n 's/^skipped=//p' "$WORK/run.stats")
NPATCH=$(sed -n 's/^patches=//p' "$WORK/run.stats")
if [ -s "$WORK/dry.stats" ] && [ -s "$WORK/run.stats" ]; then
  ds=$(sed -n 's/^summary=//p' "$WORK/dry.stats"); rs=$(sed -n 's/^summary=//p' "$WORK/run.stats")
  if [ "$ds" = "$rs" ]; then
    pass "--dry-run reports the same summary as the real run (converted/skipped/patches $rs)"
  else
    fail "--dry-run reports the same summary as the real run (dry-run $ds, real run $rs)"
  fi
fi
if [ "$(snapshot)" = "$before" ]; then pass "mmapify left the tree untouched"
else fail "mmapify left the tree untouched"; diff <(echo "$before") <(snapshot) | head -10 | sed 's/^/        | /'; fi

mapfile -t PATCHES < <(ls "$OUT"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-')
COVER=$OUT/0000-cover-letter.patch
if [ -f "$COVER" ]; then
  if grep -qE '\*\*\* (SUBJECT|BLURB) HERE \*\*\*' "$COVER"; then fail "cover letter has no template placeholders"
  else pass "cover letter exists and has a real subject and blurb"; fi
else
  fail "0000-cover-letter.patch exists"
fi
# ---------------------------------------------------------------- 2c the text a maintainer reads
# Subjects never double a prefix component ("dma-buf: dma-buf:"); no log
# shows a rule id (the registry's P-numbers and report ids: the logs say in
# words what changed); the refused hooks are in refusals.txt, one line each,
# and the cover letter gives their number and stays short.
if [ -f "$COVER" ]; then
  node - "$OUT" "${SKIPPED:-0}" >"$WORK/text.out" 2>&1 <<'EOF2'
const fs = require('fs'), path = require('path');
const [out, skipped] = [process.argv[2], Number(process.argv[3])];
const mails = fs.readdirSync(out).filter((f) => f.endsWith('.patch')).sort();
const errs = [];
const ids = /(?<![\w.>/-])(P\d+[a-z]?|compat-shim|whole-chain|vm_file\/vm_mm|refuse-no-desc-form|error_override)(?![\w(/-])/;
for (const f of mails) {
  const text = fs.readFileSync(path.join(out, f), 'utf8');
  const head = text.slice(0, text.indexOf('\n\n'));
  const subject = (/^Subject: (.*(?:\n .*)*)/m.exec(head)?.[1] ?? '').replace(/\n /g, ' ').replace(/^\[[^\]]*\] /, '');
  const comps = [...subject.matchAll(/([^:]+?):(?= )/g)].map((m) => m[1].trim().toLowerCase());
  for (let i = 1; i < comps.length; i++) if (comps[i] === comps[i - 1]) errs.push(`${f}: doubled prefix: ${subject}`);
  // The log: from the headers' end to the '---' line (the cover letter: to its shortlog).
  let log = text.slice(head.length);
  const cut = f.includes('0000-') ? log.search(/\n[^\n]+ \(\d+\):\n/) : log.indexOf('\n---\n');
  if (cut > 0) log = log.slice(0, cut);
  const m = ids.exec(log);
  if (m) errs.push(`${f}: rule id "${m[1]}" in the log`);
}
const cover = fs.readFileSync(path.join(out, mails.find((f) => f.includes('0000-'))), 'utf8');
const lines = cover.split('\n').length - 1;
const headerLines = cover.slice(0, cover.indexOf('\n\n')).split('\n').length;
console.log(`cover=${lines} header=${headerLines} body=${lines - headerLines}`);
const report = path.join(out, 'refusals.txt');
if (!fs.existsSync(report)) errs.push('no refusals.txt');
else {
  const entries = fs.readFileSync(report, 'utf8').split('\n').filter((l) => /^\S+:\d+: [a-z-]+: \w+: \S/.test(l));
  if (entries.length !== skipped) errs.push(`refusals.txt has ${entries.length} entries, the report ${skipped} skipped hooks`);
  if (skipped && !cover.replace(/\s+/g, ' ').includes(`${skipped === 1 ? 'One hook was' : `${skipped} hooks were`} left on f_op->mmap`)) errs.push('the cover letter does not give the number of refused hooks');
  if (/^- \w+ \([^)]*:\d+\): /m.test(cover)) errs.push('the cover letter still lists refused hooks');
  if (skipped && !/\brefusals\.txt\b/.test(cover)) errs.push('the cover letter does not point to refusals.txt');
}
if (lines - headerLines >= 250) errs.push(`the cover letter's text (after its headers) has ${lines - headerLines} lines`);
// the whole mail, headers (To:/Cc:) included, as `wc -l` counts it
if (lines >= 250) errs.push(`the cover letter has ${lines} lines (wc -l), 250 or more`);
if (errs.length) { console.log(errs.slice(0, 15).join('\n')); process.exitCode = 1; }
EOF2
  rc=$?
  nums=$(sed -n 's/^cover=//p' "$WORK/text.out")
  if [ $rc -eq 0 ]; then pass "no doubled prefix, no rule id in any log, refusals.txt lists the ${SKIPPED:-0} refused hooks, cover letter under 250 lines (cover=$nums)"
  else fail "no doubled prefix, no rule id in any log, refusals.txt, cover letter under 250 lines"; show "$WORK/text.out" 20; fi
fi
# ---------------------------------------------------------------- 2d one subsystem per patch
# A chain across subsystems goes out as add, convert per subsystem, remove
# (src/plan/stages.ts): no patch's files outside include/ span more than two
# subsystem folders (the first two path components, drivers/X; the top
# folder for a file directly in one, mm/).
if [ "${#PATCHES[@]}" -gt 0 ]; then
  node - "$OUT" >"$WORK/subsys.out" 2>&1 <<'EOF2'
const fs = require('fs'), path = require('path');
const out = process.argv[2];
const folder = (f) => { const p = f.split('/'); return p.length >= 3 ? `${p[0]}/${p[1]}` : p.length === 2 ? p[0] : ''; };
let worst = 0, errs = [];
for (const f of fs.readdirSync(out).filter((x) => x.endsWith('.patch') && !x.includes('0000-')).sort()) {
  const files = [...fs.readFileSync(path.join(out, f), 'utf8').matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]);
  const subs = [...new Set(files.filter((x) => !x.startsWith('include/')).map(folder))];
  worst = Math.max(worst, subs.length);
  if (subs.length > 2) errs.push(`${f}: ${subs.join(' ')}`);
}
console.log(`worst=${worst}`);
if (errs.length) { console.log(errs.join('\n')); process.exitCode = 1; }
EOF2
  rc=$?
  worst=$(sed -n 's/^worst=//p' "$WORK/subsys.out")
  if [ $rc -eq 0 ]; then pass "no patch spans more than two subsystem folders outside include/ (at most ${worst})"
  else fail "no patch spans more than two subsystem folders outside include/"; show "$WORK/subsys.out" 20; fi
fi
if [ "${CONVERTED:-0}" -gt 0 ] && [ "${#PATCHES[@]}" -gt 0 ]; then
  pass "converted ${CONVERTED} hooks into ${#PATCHES[@]} patches (${SKIPPED:-?} hooks skipped)"
else
  fail "at least one hook converted and one patch written (converted=${CONVERTED:-?}, patches=${#PATCHES[@]})"
fi
info "per target (converted / skipped):"
sed -n 's/^stat \([^ ]*\) \([0-9]*\) \([0-9]*\)/\1 \2 \3/p' "$WORK/run.stats" | while read -r t c s; do
  info "  $(printf '%-36s %4s / %s' "$t" "$c" "$s")"; done
if grep -q '^reason ' "$WORK/run.stats"; then
  info "most common skip reasons:"
  sed -n 's/^reason /  /p' "$WORK/run.stats" | while IFS= read -r l; do info "$l"; done
fi

# ---------------------------------------------------------------- 2a whole parses
# The plan parses only the items of a file it asks about (src/c/partial.ts); with
# MMAPIFY_FULL_PARSE=1 it parses whole files. Both must write the same series.
step "2a. MMAPIFY_FULL_PARSE=1 (whole-file parses) writes the same series"
MMAPIFY_FULL_PARSE=1 run_cli full "${ARGS[@]}" --json --tree "$TREE" -o "$WORK/series-full" "${TARGETS[@]}"
if [ "$(cat "$WORK/full.rc")" = 0 ] && diff -r -q -x .mmapify -I '^Date: ' -I '^From [0-9a-f]\{40\} ' "$OUT" "$WORK/series-full" >"$WORK/full.diff" 2>&1; then
  pass "the series from whole-file parses is the same ($(ls "$OUT" | wc -l) files)"
else
  fail "the series from whole-file parses is the same (exit $(cat "$WORK/full.rc"))"; show "$WORK/full.diff"; show "$WORK/full.err"
fi
if [ "${TARGETS[*]}" = "." ]; then
  # The scan's verdicts for every hook of the tree, both ways (timings aside).
  run_cli scan scan --json --tree "$TREE"
  MMAPIFY_FULL_PARSE=1 run_cli scanfull scan --json --tree "$TREE"
  strip() { node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));delete r.timing;delete r.files;process.stdout.write(JSON.stringify(r,null,1))' "$1"; }
  if [ "$(cat "$WORK/scan.rc")$(cat "$WORK/scanfull.rc")" = 00 ] && diff <(strip "$WORK/scan.json") <(strip "$WORK/scanfull.json") >"$WORK/scanfull.diff"; then
    pass "scan --json reports the same sites, hooks, verdicts and chains from whole-file parses"
  else
    fail "scan --json reports the same from whole-file parses"; show "$WORK/scanfull.diff"; show "$WORK/scanfull.err"
  fi
fi

# ---------------------------------------------------------------- 2b recipients
step "2b. To:/Cc: from MAINTAINERS, git send-email --dry-run"
# A patch without our To:/Cc: headers, as get_maintainer.pl would see it
# before they were added (its K: keywords would also match header lines).
strip_recipients() {
  awk 'BEGIN{h=1} h&&/^$/{h=0} h&&/^(To|Cc): /{skip=1; next} h&&skip&&/^[ \t]/{next} {skip=0; print}' "$1"
}
GM=(perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats)
if [ -f "$TREE/scripts/get_maintainer.pl" ] && [ -s "$WORK/run.json" ] && [ ${#PATCHES[@]} -gt 0 ]; then
  mkdir -p "$WORK/gm"
  for p in "${PATCHES[@]}"; do
    n=$(basename "$p")
    strip_recipients "$p" >"$WORK/gm/$n"
    (cd "$TREE" && "${GM[@]}" "$WORK/gm/$n") >"$WORK/gm/$n.all" 2>"$WORK/gm/$n.err"
    (cd "$TREE" && "${GM[@]}" --no-r --no-l "$WORK/gm/$n") >"$WORK/gm/$n.to" 2>>"$WORK/gm/$n.err"
  done
  # Compare with the report and the headers it describes; exit 1 on a difference.
  if node - "$WORK/run.json" "$OUT" "$WORK/gm" >"$WORK/gm.cmp" 2>&1 <<'EOF'
const fs = require('fs'), path = require('path');
const [report, out, gm] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(report, 'utf8'));
const addr = (e) => (/<([^>]+)>\s*$/.exec(e) || [, e])[1].toLowerCase();
const set = (xs) => [...new Set(xs.map(addr))].sort().join(' ');
const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean);
let bad = 0;
const union = { to: [], cc: [] };
for (const p of r.patches) {
  const n = path.basename(p.path);
  const all = lines(path.join(gm, `${n}.all`)), to = lines(path.join(gm, `${n}.to`));
  if (set([...p.to, ...p.cc]) !== set(all) || set(p.to) !== set(to)) {
    bad++;
    console.log(`${n}:\n  ours To: ${p.to.join(', ')}\n  ours Cc: ${p.cc.join(', ')}\n  get_maintainer.pl: ${all.join(', ')}\n  get_maintainer.pl --no-r --no-l: ${to.join(', ')}`);
  } else console.log(`${n}: ${p.to.length} To, ${p.cc.length} Cc, as get_maintainer.pl`);
  union.to.push(...p.to); union.cc.push(...p.cc);
  const text = fs.readFileSync(path.join(out, n), 'utf8');
  const head = text.slice(0, text.indexOf('\n\n'));
  for (const e of [...p.to, ...p.cc]) if (!head.includes(e)) { bad++; console.log(`${n}: its headers lack ${e}`); }
}
const c = r.cover;
if (!c) { bad++; console.log('no cover letter in the report'); }
else {
  const want = set([...union.to, ...union.cc]);
  if (set([...c.to, ...c.cc]) !== want) { bad++; console.log(`cover letter: ${set([...c.to, ...c.cc])}\n  union: ${want}`); }
  if (set(c.to) !== set(union.to)) { bad++; console.log("cover letter To: is not the union of the patches' To:"); }
  console.log(`cover letter: ${c.to.length} To, ${c.cc.length} Cc (the union)`);
  for (const u of c.unmaintained || []) console.log(`unmaintained: ${u.section} (${u.status}): ${u.files.join(', ')}`);
}
process.exit(bad ? 1 : 0);
EOF
  then pass "To:/Cc: of all ${#PATCHES[@]} patches equal get_maintainer.pl on the patch; the cover letter has the union"
  else fail "To:/Cc: of every patch equal get_maintainer.pl on the patch"; fi
  sed 's/^/        /' "$WORK/gm.cmp" | head -40
else
  fail "recipients not checked (no get_maintainer.pl, report or patches)"
fi
# (git send-email -h exits 129; without libmailtools-perl it cannot load at all)
if { git send-email -h 2>&1 || true; } | grep -q -- '--dry-run' && ! { git send-email -h 2>&1 || true; } | grep -q 'Mail::Address'; then
  # As a submitter would: every mail, plus one address of their own; no SMTP involved.
  (cd "$TREE" && git send-email --dry-run --confirm=never --from="mmapify-e2e <mmapify-e2e@mmapify.invalid>" \
      --to=someone@example.org "$OUT"/*.patch) </dev/null >"$WORK/send-email.log" 2>&1
  rc=$?
  nmsg=$(grep -c '^Dry-OK. Log says:' "$WORK/send-email.log")
  nfiles=$(ls "$OUT"/*.patch | wc -l)
  if [ "$rc" -eq 0 ] && [ "$nmsg" -eq "$nfiles" ]; then
    pass "git send-email --dry-run accepts all $nfiles mails"
  else
    fail "git send-email --dry-run accepts the series (exit $rc, $nmsg of $nfiles mails)"; show "$WORK/send-email.log"
  fi
  # Each message goes to someone@example.org and its To:/Cc: (send-email adds the author).
  if node - "$WORK/send-email.log" "$WORK/run.json" >"$WORK/send-email.cmp" 2>&1 <<'EOF'
const fs = require('fs'), path = require('path');
const [log, report] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(report, 'utf8'));
const blocks = fs.readFileSync(log, 'utf8').split('Dry-OK. Log says:').slice(1);
const mails = [r.cover, ...r.patches];
const addr = (e) => (/<([^>]+)>\s*$/.exec(e) || [, e])[1].toLowerCase();
let bad = 0;
mails.forEach((m, i) => {
  const b = blocks[i] || '';
  const rcpt = new Set([...b.matchAll(/^RCPT TO:<([^>]+)>$/gm)].map((x) => x[1].toLowerCase()));
  const missing = ['someone@example.org', ...m.to.map(addr), ...m.cc.map(addr)].filter((a) => !rcpt.has(a));
  const subj = (/^Subject: (.*)$/m.exec(b) || [, '?'])[1];
  if (missing.length) { bad++; console.log(`${path.basename(m.path)}: not mailed to ${missing.join(', ')}`); }
  else console.log(`${subj.slice(0, 64)}: ${rcpt.size} recipients`);
});
process.exit(bad ? 1 : 0);
EOF
  then pass "git send-email mails each message to its To:/Cc: (the cover letter to the union)"
  else fail "git send-email mails each message to its To:/Cc:"; fi
  sed 's/^/        /' "$WORK/send-email.cmp" | head -12
else
  fail "git send-email is installed (Debian: git-email libmailtools-perl)"
fi

# ---------------------------------------------------------------- 3 checkpatch
step "3. scripts/checkpatch.pl --strict"
WARN_TOTAL=0 CHECK_TOTAL=0
# A commit the logs cite (c84bf6dd2b83, which added mmap_prepare) is looked up
# in the tree's history; a tree made from a source package has none, and
# there checkpatch can only say UNKNOWN_COMMIT_ID: that one check is left out
# and the run says which ids it could not look up.
CP_IGNORE=()
mapfile -t CITED < <(cat "${PATCHES[@]}" /dev/null | grep -ohiE '\bcommit [0-9a-f]{12,40}\b' | awk '{print tolower($2)}' | sort -u)
UNKNOWN=()
for id in "${CITED[@]}"; do g cat-file -e "$id^{commit}" 2>/dev/null || UNKNOWN+=("$id"); done
if [ ${#UNKNOWN[@]} -gt 0 ]; then
  CP_IGNORE=(--ignore UNKNOWN_COMMIT_ID)
  info "the tree's history lacks the cited commit(s) ${UNKNOWN[*]}: checkpatch cannot look them up (UNKNOWN_COMMIT_ID not checked)"
fi
for p in "${PATCHES[@]}"; do
  n=$(basename "$p")
  (cd "$TREE" && perl scripts/checkpatch.pl --strict --color=never --showfile "${CP_IGNORE[@]}" "$p") >"$WORK/checkpatch-$n.log" 2>&1
  tot=$(grep -E '^total: [0-9]+ errors, [0-9]+ warnings, [0-9]+ checks' "$WORK/checkpatch-$n.log" | tail -1)
  e=$(sed -n 's/^total: \([0-9]*\) errors.*/\1/p' <<<"$tot"); w=$(sed -n 's/^total: [0-9]* errors, \([0-9]*\) warnings.*/\1/p' <<<"$tot")
  c=$(sed -n 's/^total: [0-9]* errors, [0-9]* warnings, \([0-9]*\) checks.*/\1/p' <<<"$tot")
  if [ -z "$tot" ]; then
    fail "checkpatch --strict $n: no summary line"; show "$WORK/checkpatch-$n.log"
  else
    WARN_TOTAL=$((WARN_TOTAL + w)); CHECK_TOTAL=$((CHECK_TOTAL + c))
    if [ "$e" -eq 0 ] && [ "$w" -eq 0 ] && [ "$c" -eq 0 ]; then pass "checkpatch --strict $n: 0 errors, 0 warnings, 0 checks"
    else
      fail "checkpatch --strict $n: $e errors, $w warnings, $c checks"
      grep -E -A2 '(^|: )(ERROR|WARNING|CHECK): ' "$WORK/checkpatch-$n.log" | head -24 | sed 's/^/        | /'
    fi
  fi
done
info "checkpatch --strict in total: $WARN_TOTAL warnings, $CHECK_TOTAL checks"
# Generated C keeps to 100 columns (a test of both fields is broken after its ||).
long=$(cat "$WORK"/checkpatch-*.log /dev/null | grep -c 'exceeds 100 columns' || true)
if [ "$long" -eq 0 ]; then pass "no added line passes 100 columns (checkpatch)"
else fail "no added line passes 100 columns: checkpatch warns $long times"; grep -h -A3 'exceeds 100 columns' "$WORK"/checkpatch-*.log | head -12 | sed 's/^/        | /'; fi

# Files the series touches, from the diffs themselves.
mapfile -t TOUCHED < <(cat "${PATCHES[@]}" /dev/null | sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' | sort -u)
mapfile -t CFILES < <(printf '%s\n' "${TOUCHED[@]}" | grep '\.c$')
OBJS=(); for c in "${CFILES[@]}"; do OBJS+=("${c%.c}.o"); done
info "the series touches ${#TOUCHED[@]} files, ${#CFILES[@]} of them .c"

# build_objs TAG: make every object in OBJS from scratch (make -k), then
# record which exist in $WORK/built-TAG.  Kbuild deletes a failed target.
build_objs() {
  local tag=$1 t0=$SECONDS
  : >"$WORK/built-$tag"
  [ ${#OBJS[@]} -gt 0 ] || return 0
  (cd "$TREE" && rm -f "${OBJS[@]}" && make -k -j"$JOBS" ARCH=x86_64 "${OBJS[@]}") >"$WORK/make-$tag.log" 2>&1
  for o in "${OBJS[@]}"; do
    # One failing object can stop make from attempting others: give each
    # missing object one try of its own before calling it unbuildable.
    [ -f "$TREE/$o" ] || (cd "$TREE" && make ARCH=x86_64 "$o") >>"$WORK/make-$tag.single.log" 2>&1
    [ -f "$TREE/$o" ] && echo "$o" >>"$WORK/built-$tag"
  done
  info "built $(wc -l <"$WORK/built-$tag") of ${#OBJS[@]} objects at $tag in $((SECONDS - t0))s (log: make-$tag.log)"
}

# ---------------------------------------------------------------- 5a baseline build
step "4. build the touched .c files at base (which ones build on x86)"
build_objs base

# ---------------------------------------------------------------- 4 git am
step "5. git am the series (cover letter skipped)"
APPLIED=0
for p in "${PATCHES[@]}"; do
  n=$(basename "$p")
  if g am --quiet "$p" >"$WORK/am-$n.log" 2>&1; then
    pass "git am $n"; APPLIED=$((APPLIED + 1))
  else
    fail "git am $n"; show "$WORK/am-$n.log" 10
    g am --abort >/dev/null 2>&1 || true
  fi
done
info "$APPLIED of ${#PATCHES[@]} patches applied; HEAD is $(g log -1 --format='%h %s')"

# ---------------------------------------------------------------- 5b patched build
step "6. build the touched .c files with the series applied"
build_objs patched
for o in "${OBJS[@]}"; do
  c=${o%.o}.c
  if grep -qxF "$o" "$WORK/built-base"; then
    if grep -qxF "$o" "$WORK/built-patched"; then pass "builds: $c"
    else
      fail "builds: $c (it builds at base)"
      cat "$WORK/make-patched.log" "$WORK/make-patched.single.log" 2>/dev/null | grep -F "$c:" | grep -E 'error|warning' | sort -u | head -8 | sed 's/^/        | /'
    fi
  elif grep -qxF "$o" "$WORK/built-patched"; then
    info "not built at base but builds patched: $c"
  else
    info "not built on x86 (fails at base too): $c"
  fi
done

# ---------------------------------------------------------------- 6 idempotence
step "7. idempotence: mmapify on the patched tree"
if [ "$(cat "$WORK/run.rc")" != 0 ]; then
  fail "idempotence not checked: the first run failed"
elif [ "$APPLIED" -eq "${#PATCHES[@]}" ]; then
  run_cli again "${ARGS[@]}" --json --tree "$TREE" -o "$WORK/again" "${TARGETS[@]}"
  if [ "$(cat "$WORK/again.rc")" = 0 ]; then pass "second run exits 0"; else fail "second run exits 0"; show "$WORK/again.err"; fi
  if ! check_report "$WORK/again.json" "$WORK/again" >"$WORK/again.stats" 2>"$WORK/again.schema"; then
    fail "second run prints a valid JSON report"; show "$WORK/again.schema"
  fi
  if [ -s "$WORK/again.stats" ]; then
    np=$(sed -n 's/^patches=//p' "$WORK/again.stats")
    info "second run: converted=$(sed -n 's/^converted=//p' "$WORK/again.stats") skipped=$(sed -n 's/^skipped=//p' "$WORK/again.stats") patches=$np"
    if [ "$np" = 0 ]; then pass "second run produces no patches"
    else fail "second run produces no patches (it wrote $np):"
      node -e 'for (const p of JSON.parse(require("fs").readFileSync(process.argv[1])).patches) console.log("        | " + p.subject)' "$WORK/again.json" | head -10
    fi
  else
    fail "second run produces no patches (no report to read)"
  fi
else
  fail "idempotence not checked: not every patch applied"
fi

# ---------------------------------------------------------------- 7b b4
# The b4 path of the README: the applied series as a branch, enrolled with
# `b4 prep -e base`, the cover text mmapify wrote, recipients from
# `b4 prep --auto-to-cc`, and `b4 send -o DIR` writing every message (no mail
# leaves: -o is a dry run; an SMTP server is named so that b4 does not pick
# its web endpoint, which would need a signing key).
step "7b. b4 prep takes the branch, b4 send -o writes the series"
if ! command -v b4 >/dev/null 2>&1; then
  fail "b4 is installed (Debian: b4)"
elif [ "$APPLIED" -ne "${#PATCHES[@]}" ] || [ "${#PATCHES[@]}" -eq 0 ]; then
  fail "b4 not checked: not every patch applied"
else
  B4LOG=$WORK/b4.log
  b4ok=1
  g checkout -q -b mmapify-b4 || b4ok=0
  { (cd "$TREE" && b4 prep -e base) &&
    (cd "$TREE" && MMAPIFY_COVER=$COVER EDITOR=$REPO/test/e2e/b4-cover-editor.sh b4 prep --edit-cover) &&
    (cd "$TREE" && b4 prep --auto-to-cc) &&
    (cd "$TREE" && GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpServer GIT_CONFIG_VALUE_0=smtp.invalid \
       b4 send -o "$WORK/b4" --no-sign); } </dev/null >"$B4LOG" 2>&1 || b4ok=0
  if [ "$b4ok" = 1 ] && node - "$WORK/b4" "$COVER" "${PATCHES[@]}" >"$WORK/b4.cmp" 2>&1 <<'EOF'
const fs = require('fs'), path = require('path');
const [dir, cover, ...patches] = process.argv.slice(2);
const head = (t) => t.slice(0, t.indexOf('\n\n'));
const header = (t, h) => ((new RegExp(`^${h}: (.*(?:\\n[ \\t].*)*)`, 'm').exec(head(t)) || [, ''])[1]).replace(/\n[ \t]+/g, ' ');
const subject = (t) => header(t, 'Subject').replace(/^\[[^\]]*\] /, '');
const emls = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
const want = [cover, ...patches].map((f) => subject(fs.readFileSync(f, 'utf8')));
const got = emls.map((f) => subject(fs.readFileSync(path.join(dir, f), 'utf8')));
let bad = 0;
if (emls.length !== want.length) { bad++; console.log(`b4 wrote ${emls.length} messages, the series has ${want.length}`); }
want.forEach((s, i) => { if (got[i] !== s) { bad++; console.log(`message ${i}: b4 "${got[i]}", mmapify "${s}"`); } });
const c = emls.length ? fs.readFileSync(path.join(dir, emls[0]), 'utf8') : '';
if (!header(c, 'To')) { bad++; console.log('the cover letter b4 wrote has no To:'); }
console.log(`${emls.length} messages, cover letter To: ${header(c, 'To').split(',').filter(Boolean).length}, Cc: ${header(c, 'Cc').split(',').filter(Boolean).length}`);
process.exit(bad ? 1 : 0);
EOF
  then pass "b4 prep -e base, --edit-cover, --auto-to-cc and b4 send -o accept the series: $(tail -1 "$WORK/b4.cmp")"
  else fail "b4 prep / b4 send -o accept the series branch"; show "$B4LOG" 12; show "$WORK/b4.cmp" 12; fi
  g checkout -q -f main >/dev/null 2>&1
  g branch -q -D mmapify-b4 >/dev/null 2>&1
fi

# ---------------------------------------------------------------- 7 reset
step "8. git reset --hard base"
restore_tree
if [ "$(g rev-parse HEAD)" = "$BASE" ] && [ -z "$(g status --porcelain)" ]; then pass "tree is back at base and clean"
else fail "tree is back at base and clean"; fi

# ---------------------------------------------------------------- 9 --verify
if [ "$VERIFY" = 1 ]; then
  step "9. mmapify --verify (scratch clone, git am, checkpatch, differential build)"
  VDIR=$WORK/verify-scratch
  before=$(snapshot)
  # Text output: the report a user reads (one line per patch).
  run_cli verify "${ARGS[@]}" --verify --verify-dir "$VDIR" -j "$JOBS" --tree "$TREE" -o "$WORK/vseries" "${TARGETS[@]}"
  vrc=$(cat "$WORK/verify.rc")
  sed -n '/^verify: base/,/^verify: /p' "$WORK/verify.json" | sed 's/^/        /'
  if [ "$vrc" = 0 ] && grep -q '^verify: ok' "$WORK/verify.json"; then pass "--verify exits 0 and reports ok"
  else fail "--verify exits 0 and reports ok (exit $vrc)"; show "$WORK/verify.err"; fi
  if [ "$(snapshot)" = "$before" ]; then pass "--verify left the tree untouched"
  else fail "--verify left the tree untouched"; diff <(echo "$before") <(snapshot) | head -10 | sed 's/^/        | /'; fi
  missing=0 nv=0
  for p in "$WORK"/vseries/[0-9][0-9][0-9][0-9]-*.patch; do
    n=$(basename "$p"); [ "$n" = 0000-cover-letter.patch ] && continue
    nv=$((nv + 1))
    grep -qE "^  ok    $n: applies; checkpatch 0 errors, [0-9]+ warnings?, [0-9]+ checks?; (compile ok|no \.c file|[0-9]+ not built)" "$WORK/verify.json" \
      || { missing=$((missing + 1)); info "no ok line for $n"; }
  done
  if [ "$missing" -eq 0 ] && [ "$nv" -gt 0 ]; then pass "--verify reports apply/checkpatch/compile ok for each of the $nv patches"
  else fail "--verify reports an ok line for each patch ($missing of $nv without)"; fi
  # The objects steps 4-6 built at base must be compiled by --verify too.
  disagree=0
  notbuilt=$(grep -F 'not built by this configuration (fails at base too):' "$WORK/verify.json")
  while read -r o; do
    [ -n "$o" ] || continue
    if grep -qF "${o%.o}.c" <<<"$notbuilt"; then disagree=$((disagree + 1)); info "${o%.o}.c builds at base (step 4) but --verify calls it not built"; fi
  done <"$WORK/built-base"
  if [ "$disagree" -eq 0 ]; then pass "--verify compiles the $(wc -l <"$WORK/built-base") objects that step 4 built at base"
  else fail "--verify and step 4 agree on which objects build ($disagree differ)"; fi
  if tr -s ' \n' ' ' <"$WORK/vseries/0000-cover-letter.patch" | grep -qE 'Tested with mmapify --verify on base-commit [0-9a-f]{12}: the [0-9]+ patches apply with git am'; then
    pass "the cover letter says what --verify tested"
  else fail "the cover letter says what --verify tested"; fi

  # ---------------------------------------------------------------- 10 fault
  step "10. --verify on a series with a corrupted line (MMAPIFY_TEST_FAULT, test only)"
  VICTIM=$(head -1 "$WORK/built-base")
  if [ -n "$VICTIM" ]; then
    VC=${VICTIM%.o}.c
    before=$(snapshot)
    MMAPIFY_TEST_FAULT=compile:$VC run_cli fault "${ARGS[@]}" --verify --verify-dir "$VDIR" -j "$JOBS" --tree "$TREE" -o "$WORK/fseries" "$(dirname "$VC")"
    frc=$(cat "$WORK/fault.rc")
    grep -E '^  FAIL|^verify: ' "$WORK/fault.json" | sed 's/^/        /'
    if [ "$frc" = 1 ]; then pass "--verify exits 1 on the corrupted series"; else fail "--verify exits 1 on the corrupted series (exit $frc)"; show "$WORK/fault.err"; fi
    if grep -qE "^  FAIL  [0-9]{4}-.*: applies; .*compile FAILED for 1 of [0-9]+.*: $VC: .*error: .*mmapify_injected_fault" "$WORK/fault.json"; then
      pass "a FAIL line names the patch, $VC and the compiler error"
    else fail "a FAIL line names the patch, $VC and the compiler error"; show "$WORK/fault.json" 20; fi
    if grep -q "^mmapify: MMAPIFY_TEST_FAULT (test only): corrupted" "$WORK/fault.err"; then pass "the test-only fault is announced on stderr"
    else fail "the test-only fault is announced on stderr"; fi
    if [ "$(snapshot)" = "$before" ]; then pass "the failed --verify left the tree untouched"; else fail "the failed --verify left the tree untouched"; fi
  else
    fail "no object built at base to corrupt (step 4)"
  fi

  # ---------------------------------------------------------------- 11 vma
  step "11. --verify runs tools/testing/vma for a series touching mm/ (test/kernel/verify-kernel.test.ts)"
  t0=$SECONDS before=$(snapshot)
  (cd "$REPO" && MMAPIFY_VERIFY_TREE=$TREE MMAPIFY_VERIFY_DIR=$VDIR MMAPIFY_JOBS=$JOBS \
     timeout 1800 npx --no-install uvu -r tsx/cjs test/kernel '^verify-kernel\.test\.ts$' --no-color) >"$WORK/verify-kernel.log" 2>&1
  rc=$?
  grep -E '^ +(ok|FAIL) |^verify: ' "$WORK/verify-kernel.log" | sed 's/^/        /'
  if [ "$rc" = 0 ] && grep -qE '^ +Passed: +1$' "$WORK/verify-kernel.log"; then
    pass "--verify builds mm/vma.o and passes tools/testing/vma for an mm/ series ($((SECONDS - t0))s)"
  else
    fail "--verify builds mm/vma.o and passes tools/testing/vma for an mm/ series (exit $rc)"; show "$WORK/verify-kernel.log" 25
  fi
  if [ "$(snapshot)" = "$before" ]; then pass "that --verify left the tree untouched too"; else fail "the mm/ --verify left the tree untouched"; fi
  [ "${MMAPIFY_E2E_KEEP:-0}" = 1 ] || rm -rf "$VDIR"
fi

echo
echo "converted hooks: ${CONVERTED:-?}, skipped hooks: ${SKIPPED:-?}, patches: ${#PATCHES[@]}, checkpatch warnings: $WARN_TOTAL"
echo "e2e time: $((SECONDS - T_ALL))s"
if [ "$FAIL" -gt 0 ]; then echo "e2e failures:"; printf '  - %s\n' "${FAILED[@]}"; fi
echo "e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
