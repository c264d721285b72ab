#!/usr/bin/env bash
# Issue #3's real-kernel chain test: put Linux 7.3's Hyper-V ring-buffer chain
# back into its 6.12 shape (test/kernel/rewind-hv.py), let mmapify convert it
# again from `mmapify drivers/hv`, and prove that
#   - the rewound tree still builds (sanity of the rewind itself),
#   - mmapify converts the chain (field, registration, shim, implementor in
#     drivers/uio) and the series applies with git am,
#   - checkpatch reports 0 errors, the four files' objects build,
#   - the result is upstream 7.3's code up to whitespace, comments and the
#     deliberate `= {}` of the descriptor (mmapify never leaves it uninitialised),
#   - on unmodified 7.3, `mmapify drivers/hv` leaves the converted hv chain alone,
#   - with the compat helpers also taken out (test/kernel/unhelper.py), the
#     series starts with the mm patch that adds them, applies, builds, and the
#     userland VMA tests build and pass (issue #4).
#
#   test/e2e/hv-rewind.sh TREE     (TREE: prepared by test/kernel/prepare-tree.sh)
# Ends with "hv: N passed, N failed"; the tree is reset to tag base.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TREE=$(cd "$1" && pwd) || exit 2
read -r -a CLI <<<"${MMAPIFY_CLI:-node $REPO/dist/src/cli.js}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mmapify-hv.XXXXXX")
PASS=0 FAIL=0
pass() { PASS=$((PASS + 1)); printf '  ok    %s\n' "$*"; }
fail() { FAIL=$((FAIL + 1)); printf '  FAIL  %s\n' "$*"; }
g() { git -C "$TREE" -c gc.auto=0 -c user.name=mmapify-e2e -c user.email=mmapify-e2e@mmapify.invalid "$@"; }
restore() { [ -d "$TREE/.git/rebase-apply" ] && g am --abort >/dev/null 2>&1; g checkout -q -f -B main base; g reset -q --hard base; g clean -q -fd; }
trap 'restore; rm -rf "$WORK"' EXIT
FILES=(include/linux/hyperv.h drivers/hv/hyperv_vmbus.h drivers/hv/vmbus_drv.c drivers/uio/uio_hv_generic.c)
OBJS=(drivers/hv/vmbus_drv.o drivers/uio/uio_hv_generic.o)
build() { make -C "$TREE" -s ARCH=x86_64 -j"${MMAPIFY_JOBS:-2}" "${OBJS[@]}" >"$WORK/make-$1.log" 2>&1; }
restore

echo "== unmodified 7.3: mmapify drivers/hv leaves the converted chain alone"
if (cd "$TREE" && "${CLI[@]}" --json --dry-run drivers/hv >"$WORK/plain.json" 2>"$WORK/plain.err"); then
  if node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const touched = r.patches.flatMap((p) => p.files);
    const bad = touched.filter((f) => /vmbus_drv|hyperv|uio_hv_generic/.test(f));
    if (bad.length) { console.error("touched: " + bad.join(" ")); process.exit(1); }
    console.log("        patches touch: " + (touched.join(" ") || "nothing"));' "$WORK/plain.json"
  then pass "the already converted hv ring-buffer code is not touched"
  else fail "the already converted hv ring-buffer code is not touched"; fi
else fail "mmapify drivers/hv on unmodified 7.3 exits 0 ($(tail -1 "$WORK/plain.err"))"; fi

echo "== rewind the chain to its 6.12 shape"
if python3 "$REPO/test/kernel/rewind-hv.py" "$TREE" && g commit -qam "rewind the hv ring-buffer chain to its 6.12 shape"; then
  pass "rewound (${FILES[*]})"
else fail "rewind"; exit 1; fi
if build rewound; then pass "the rewound tree builds ${OBJS[*]}"; else fail "the rewound tree builds (see make-rewound.log)"; tail -5 "$WORK/make-rewound.log"; fi

echo "== mmapify drivers/hv"
if (cd "$TREE" && "${CLI[@]}" -s --json -o "$WORK/series" drivers/hv >"$WORK/run.json" 2>"$WORK/run.err"); then
  pass "mmapify exits 0"
else fail "mmapify exits 0: $(tail -1 "$WORK/run.err")"; fi
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const h = (f) => r.hooks.find((x) => x.function === f);
  const w = h("hv_mmap_ring_buffer_wrapper"), u = h("hv_uio_ring_mmap");
  const ok = w && w.status === "converted" && (w.rules || []).includes("compat-shim") && u && u.status === "converted" && u.newName === "hv_uio_ring_mmap_prepare";
  console.log(`        wrapper: ${w && w.status} ${(w && w.rules || []).join(",")}; implementor: ${u && u.status} -> ${u && u.newName}`);
  process.exit(ok ? 0 : 1);' "$WORK/run.json" && pass "the chain is converted: shim in the wrapper, implementor in drivers/uio" || fail "the chain is converted"

for p in "$WORK"/series/0*.patch; do
  case $p in *0000-cover-letter.patch) continue;; esac
  errs=$(perl "$TREE/scripts/checkpatch.pl" --no-tree -q "$p" 2>&1 | grep -c '^ERROR' || true)
  [ "$errs" = 0 ] && pass "checkpatch $(basename "$p"): 0 errors" || fail "checkpatch $(basename "$p"): $errs errors"
  if g am -q "$p" >"$WORK/am.log" 2>&1; then pass "git am $(basename "$p")"; else fail "git am $(basename "$p")"; cat "$WORK/am.log"; g am --abort; fi
done
if build converted; then pass "the converted files build ${OBJS[*]}"; else fail "the converted files build (see make-converted.log)"; tail -5 "$WORK/make-converted.log"; fi

echo "== the result is upstream 7.3's code"
for f in "${FILES[@]}"; do
  g show "base:$f" >"$WORK/upstream" && g show "HEAD:$f" >"$WORK/ours"
  if python3 - "$WORK/upstream" "$WORK/ours" <<'PY'
import re, sys
def norm(p):
    s = open(p).read()
    s = re.sub(r'/\*.*?\*/', '', s, flags=re.S)      # comments
    s = re.sub(r'//[^\n]*', '', s)
    s = s.replace('struct vm_area_desc desc = {};', 'struct vm_area_desc desc;')
    return re.sub(r'\s+', '', s)
a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    i = next(i for i in range(min(len(a), len(b))) if a[i] != b[i]) if a[:len(b)] != b[:len(a)] else min(len(a), len(b))
    print(f"        first difference: upstream …{a[max(0,i-60):i+60]}…\n                          ours …{b[max(0,i-60):i+60]}…")
    sys.exit(1)
PY
  then pass "$f equals upstream 7.3 (up to whitespace, comments and desc = {})"
  else fail "$f equals upstream 7.3"; fi
done
echo "== a tree without the compat helpers: the series starts with the mm patch"
# Issue #4: kernels with mmap_prepare but before the stacked-hook helpers.
restore
if python3 "$REPO/test/kernel/rewind-hv.py" "$TREE" >/dev/null && python3 "$REPO/test/kernel/unhelper.py" "$TREE" >/dev/null &&
   g commit -qam "rewind the hv chain and take the compat helpers back out"; then
  pass "rewound the hv chain and removed compat_set_desc_from_vma()/__compat_vma_mmap()"
  if (cd "$TREE" && "${CLI[@]}" -s --json -o "$WORK/series2" drivers/hv >"$WORK/run2.json" 2>"$WORK/run2.err"); then
    first=$(ls "$WORK"/series2/0001-*.patch 2>/dev/null | head -1)
    if grep -q '^Subject: .*mm: allow handling of stacked mmap_prepare hooks' "$first" 2>/dev/null; then
      pass "the first patch adds the helpers ($(basename "$first"))"
    else fail "the first patch adds the helpers (got $(basename "${first:-none}"))"; fi
    ok=1
    for p in "$WORK"/series2/0*.patch; do
      case $p in *0000-cover-letter.patch) continue;; esac
      g am -q "$p" >"$WORK/am2.log" 2>&1 || { ok=0; fail "git am $(basename "$p")"; cat "$WORK/am2.log"; g am --abort; break; }
    done
    [ $ok = 1 ] && pass "the series applies"
    if make -C "$TREE" -s ARCH=x86_64 -j"${MMAPIFY_JOBS:-2}" mm/util.o "${OBJS[@]}" >"$WORK/make-helpers.log" 2>&1; then
      pass "mm/util.o ${OBJS[*]} build"
    else fail "mm/util.o ${OBJS[*]} build"; tail -5 "$WORK/make-helpers.log"; fi
    if make -C "$TREE/tools/testing/vma" -s -j"${MMAPIFY_JOBS:-2}" >"$WORK/vma-build.log" 2>&1 && "$TREE/tools/testing/vma/vma" >"$WORK/vma-run.log" 2>&1; then
      pass "tools/testing/vma builds and passes ($(grep -o '[0-9]* tests run.*' "$WORK/vma-run.log" | tail -1))"
    else fail "tools/testing/vma builds and passes"; tail -5 "$WORK/vma-build.log" "$WORK/vma-run.log"; fi
    make -C "$TREE/tools/testing/vma" -s clean >/dev/null 2>&1
  else fail "mmapify exits 0 on the tree without helpers: $(tail -1 "$WORK/run2.err")"; fi
else fail "rewind + unhelper"; fi

echo "hv: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
