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
#   3. scripts/checkpatch.pl on every patch: 0 errors (warnings are reported)
#   4. git am of every patch (cover letter skipped), one by one
#   5. every touched .c file whose object builds at base still builds
#      (files that fail at base too, e.g. powerpc-only code, are reported as
#      "not built on x86", not as failures)
#   6. idempotence: mmapify on the patched tree produces no patches
#   7. git reset --hard base leaves a clean tree
#
# Environment:
#   MMAPIFY_CLI        command that runs the CLI (default: node <repo>/dist/src/cli.js)
#   MMAPIFY_E2E_ARGS   extra CLI options for every run (default: -s)
#   MMAPIFY_JOBS       make -j (default 2)
#   MMAPIFY_E2E_KEEP=1 keep the scratch directory (series, logs) afterwards
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: kernel-e2e.sh TREE [PATH...]" >&2; exit 2; }
TREE=$(cd "$1" && pwd) || exit 2
shift
if [ $# -gt 0 ]; then TARGETS=("$@"); else
  TARGETS=(arch/powerpc/platforms/cell/spufs drivers/xen drivers/misc kernel fs)
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

# ---------------------------------------------------------------- 3 checkpatch
step "3. scripts/checkpatch.pl"
WARN_TOTAL=0
for p in "${PATCHES[@]}"; do
  n=$(basename "$p")
  (cd "$TREE" && perl scripts/checkpatch.pl --color=never --showfile "$p") >"$WORK/checkpatch-$n.log" 2>&1
  tot=$(grep -E '^total: [0-9]+ errors, [0-9]+ warnings' "$WORK/checkpatch-$n.log" | tail -1)
  e=$(sed -n 's/^total: \([0-9]*\) errors.*/\1/p' <<<"$tot"); w=$(sed -n 's/^total: [0-9]* errors, \([0-9]*\) warnings.*/\1/p' <<<"$tot")
  if [ -z "$tot" ]; then
    fail "checkpatch $n: no summary line"; show "$WORK/checkpatch-$n.log"
  else
    WARN_TOTAL=$((WARN_TOTAL + w))
    if [ "$e" -eq 0 ]; then pass "checkpatch $n: 0 errors, $w warnings"
    else
      fail "checkpatch $n: $e errors, $w warnings"
      grep -E -A1 '(^|: )ERROR: ' "$WORK/checkpatch-$n.log" | head -20 | sed 's/^/        | /'
    fi
    # One line per distinct warning message, with its count.
    sed -n 's/^\(.*: \)\{0,1\}\(WARNING\|CHECK\): /\2: /p' "$WORK/checkpatch-$n.log" \
      | sort | uniq -c | sort -rn | sed 's/^ */        /'
  fi
done
info "checkpatch warnings in total: $WARN_TOTAL"

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

# ---------------------------------------------------------------- 7 reset
step "8. git reset --hard base"
restore_tree
if [ "$(g rev-parse HEAD)" = "$BASE" ] && [ -z "$(g status --porcelain)" ]; then pass "tree is back at base and clean"
else fail "tree is back at base and clean"; fi

echo
echo "converted hooks: ${CONVERTED:-?}, skipped hooks: ${SKIPPED:-?}, patches: ${#PATCHES[@]}, checkpatch warnings: $WARN_TOTAL"
echo "e2e time: $((SECONDS - T_ALL))s"
if [ "$FAIL" -gt 0 ]; then echo "e2e failures:"; printf '  - %s\n' "${FAILED[@]}"; fi
echo "e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
