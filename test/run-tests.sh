#!/usr/bin/env bash
# mmapify's test runner (`npm test`):
#   1. npm run build
#   2. the uvu unit tests (test/**/*.ts)
#   3. unless MMAPIFY_SKIP_KERNEL=1: fetch Debian's linux-source-7.3, prepare
#      it as a git tree (allmodconfig + make prepare) and run the e2e test
#      test/e2e/kernel-e2e.sh on it
# and closes with one line "N passed, N failed" summed over the unit tests
# and the e2e checks.  Exits non-zero on any failure.
#
# Environment:
#   MMAPIFY_SKIP_KERNEL=1  skip step 3 (no download, no kernel build)
#   MMAPIFY_SKIP_WHOLE_TREE=1  run the e2e on the five targets only, not on `.`
#   MMAPIFY_SKIP_BOOT=1    skip the QEMU boot e2e (test/e2e/boot-e2e.sh)
#   MMAPIFY_CACHE          cache for the kernel source and the prepared tree
#                          (default <repo>/.cache, gitignored)
#   MMAPIFY_JOBS           make -j for the kernel (default 2)
#   MMAPIFY_KERNEL_DEB     use a local linux-source-7.3 .deb instead of apt
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
CACHE=${MMAPIFY_CACHE:-$REPO/.cache}
export MMAPIFY_CACHE=$CACHE
KVER=7.3

passed=0 failed=0 skipped=0
declare -a notes=()
T0=$SECONDS
phase() { printf '\n######## %s\n' "$*"; PHASE_T0=$SECONDS; }
took() { notes+=("$(printf '%-10s %5ss  %s' "$1" "$((SECONDS - PHASE_T0))" "$2")"); }

# Run a command, streaming its output, and keep a copy in $LOG.
LOG=$(mktemp "${TMPDIR:-/tmp}/mmapify-test.XXXXXX")
trap 'rm -f "$LOG"' EXIT
run() { "$@" 2>&1 | tee "$LOG"; return "${PIPESTATUS[0]}"; }

# ------------------------------------------------------------------ build
phase "build: npm run build"
if run npm run --silent build; then
  built=1; took build ok
else
  built=0; failed=$((failed + 1)); took build FAILED
fi

# ------------------------------------------------------------------ kernel source
# Fetched before the unit tests: some of them check the real 7.3 tree
# (test/kernel/census46.test.ts, test/kernel/dup-kernel.test.ts) through MMAPIFY_KERNEL_TREE.
SRC=
if [ "${MMAPIFY_SKIP_KERNEL:-0}" != 1 ]; then
  phase "kernel: fetch linux-source-$KVER"
  if run bash test/kernel/fetch-kernel.sh "$KVER"; then
    SRC=$(tail -1 "$LOG"); took fetch "$SRC"
    export MMAPIFY_KERNEL_TREE=$SRC
    # the re-synced dup.h must still build and pass the userland VMA tests (~30 s)
    export MMAPIFY_DUP_BUILD=${MMAPIFY_DUP_BUILD:-1}
  else
    failed=$((failed + 1)); took fetch FAILED
  fi
fi

# ------------------------------------------------------------------ unit
phase "unit: uvu -r tsx/cjs test"
run npx --no-install uvu -r tsx/cjs test --no-color; rc=$?
t=$(sed -n 's/^ *Total: *\([0-9]*\).*/\1/p' "$LOG" | tail -1)
p=$(sed -n 's/^ *Passed: *\([0-9]*\).*/\1/p' "$LOG" | tail -1)
s=$(sed -n 's/^ *Skipped: *\([0-9]*\).*/\1/p' "$LOG" | tail -1)
if [ -n "$t" ] && [ -n "$p" ]; then
  s=${s:-0}; f=$((t - p))  # uvu's Total leaves skipped tests out
  # uvu exits 1 on a failure; an exit without failures counted (e.g. a
  # crash after the summary) still counts as one failure.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "unit: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  took unit "$p passed, $f failed"
else
  # No summary: a test file threw while loading, or uvu did not start.
  echo "unit: uvu printed no summary (exit $rc): counted as 1 failure"
  failed=$((failed + 1)); took unit "no summary (exit $rc)"
fi

# ------------------------------------------------------------------ kernel e2e
if [ "${MMAPIFY_SKIP_KERNEL:-0}" = 1 ]; then
  echo; echo "kernel e2e skipped (MMAPIFY_SKIP_KERNEL=1)"
  skipped=$((skipped + 1))
elif [ "$built" != 1 ]; then
  echo; echo "kernel e2e not run: the build failed"
  failed=$((failed + 1))
else
  if [ -n "$SRC" ]; then
    phase "kernel: prepare git tree (allmodconfig, make prepare)"
    if run bash test/kernel/prepare-tree.sh "$SRC" "$CACHE/kernel/$KVER/git"; then
      TREE=$(tail -1 "$LOG"); took prepare "$TREE"
      # The five targets of the issue, then the whole tree (the census check:
      # every patch of `mmapify .` applies, passes checkpatch and builds).
      e2e() { # NAME PATHS...
        local name=$1; shift
        phase "e2e ($name): test/e2e/kernel-e2e.sh"
        run bash test/e2e/kernel-e2e.sh "$TREE" "$@"; rc=$?
        line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$LOG" | tail -1)
        if [ -n "$line" ]; then
          p=$(sed 's/^e2e: \([0-9]*\) passed.*/\1/' <<<"$line")
          f=$(sed 's/^e2e: [0-9]* passed, \([0-9]*\) failed.*/\1/' <<<"$line")
          if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
          passed=$((passed + p)); failed=$((failed + f))
          took "e2e-$name" "$p passed, $f failed"
        else
          echo "e2e: no summary line (exit $rc): counted as 1 failure"
          failed=$((failed + 1)); took "e2e-$name" "no summary (exit $rc)"
        fi
      }
      e2e targets
      # An e2e script closing with "PREFIX: N passed, N failed", counted.
      # tally_script PREFIX SCRIPT
      tally_script() {
        local prefix=$1 script=$2
        phase "e2e ($prefix): $script"
        run bash "$script" "$TREE"; rc=$?
        line=$(grep -E "^$prefix: [0-9]+ passed, [0-9]+ failed" "$LOG" | tail -1)
        if [ -n "$line" ]; then
          p=$(sed "s/^$prefix: \([0-9]*\) passed.*/\1/" <<<"$line")
          f=$(sed "s/^$prefix: [0-9]* passed, \([0-9]*\) failed.*/\1/" <<<"$line")
          if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
          passed=$((passed + p)); failed=$((failed + f)); took "e2e-$prefix" "$p passed, $f failed"
        else
          failed=$((failed + 1)); took "e2e-$prefix" "no summary (exit $rc)"
        fi
      }
      # Issue #3: the Hyper-V chain rewound to its 6.12 shape and converted again.
      tally_script hv test/e2e/hv-rewind.sh
      # Issue #13: the base and converted kernels booted under QEMU with probes.
      [ "${MMAPIFY_SKIP_BOOT:-0}" = 1 ] || tally_script boot test/e2e/boot-e2e.sh
      [ "${MMAPIFY_SKIP_WHOLE_TREE:-0}" = 1 ] || e2e tree .
    else
      failed=$((failed + 1)); took prepare FAILED
    fi
  else
    echo "kernel e2e not run: the kernel source could not be fetched"
  fi
fi

echo
echo "phases:"
printf '  %s\n' "${notes[@]}"
echo "  total      $((SECONDS - T0))s"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
