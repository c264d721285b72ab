#!/usr/bin/env bash
# End-to-end test of the run-time check (issue #13): build an x86_64
# tinyconfig kernel at base and at the tip of a real Linux 7.3 series, boot
# both under QEMU (TCG) with the probes of probes/catalogue.json and compare.
#
#   test/e2e/boot-e2e.sh TREE
#
# TREE is a git repository made by test/kernel/prepare-tree.sh (tag base).
# Checks, each counted in the closing "boot: N passed, N failed":
#   1. a series of hooks that have probes (drivers/dma-buf: udmabuf, the
#      CMA heap, dma-buf's own f_op) passes: exit 0, every probe equal, the
#      probed hooks booted-and-equal, the controls (mem.c, hpet, 9p,
#      usbmon, a PCI BAR through sysfs, ...) equal, every converted hook
#      listed with a verdict. (fs/sysfs is left out: its patch changes
#      include/linux/sysfs.h, which would rebuild nearly the whole kernel.)
#   2. the same series with udmabuf's refusal of private mappings turned
#      into success (MMAPIFY_TEST_FAULT=boot-einval-to-0, test only) fails
#      with the udmabuf probe and its private.mmap step named
#   3. the ALSA series (sound/core) with the memalloc shim not keeping
#      vm_private_data (MMAPIFY_TEST_FAULT=boot-drop-private, test only)
#      fails with the oopses quoted (snd_pcm_mmap_data_close on munmap,
#      snd_pcm_mmap_data_open on fork) and the pcm-data and pcm-fork probes
#      named, while the base kernel ran them clean
# One scratch folder for all three: one checkout and one build folder (the
# first build is the only cold one; the rest are incremental), ccache in it.
#
# Environment:
#   MMAPIFY_BOOT_SCRATCH  scratch folder (default $MMAPIFY_CACHE/boot, else a temporary one)
#   MMAPIFY_JOBS          make -j (default 2)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: boot-e2e.sh TREE" >&2; exit 2; }
TREE=$(cd "$1" && pwd) || exit 2
JOBS=${MMAPIFY_JOBS:-2}
CLI=(node "$REPO/dist/src/cli.js")
BOOT=(node "$REPO/dist/src/verify/boot/main.js")
if [ -n "${MMAPIFY_BOOT_SCRATCH:-}" ]; then SCRATCH=$MMAPIFY_BOOT_SCRATCH
elif [ -n "${MMAPIFY_CACHE:-}" ]; then SCRATCH=$MMAPIFY_CACHE/boot
else SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mmapify-boot.XXXXXX"); fi
mkdir -p "$SCRATCH"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mmapify-boot-e2e.XXXXXX")
PASS=0 FAIL=0

pass() { PASS=$((PASS + 1)); printf '  ok    %s\n' "$*"; }
fail() { FAIL=$((FAIL + 1)); printf '  FAIL  %s\n' "$*"; }
info() { printf '        %s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
show() { [ -s "$1" ] && tail -n "${2:-25}" "$1" | sed 's/^/        | /'; return 0; }
finish() {
  git -C "$TREE" checkout -q -f -B main base >/dev/null 2>&1
  if [ "$FAIL" -gt 0 ]; then echo "boot-e2e: logs kept in $WORK and $SCRATCH"; else rm -rf "$WORK"; fi
}
trap finish EXIT

# series NAME PATHS... -> $WORK/NAME/ (patches) and $WORK/NAME.json (report)
series() {
  local name=$1; shift
  local t0=$SECONDS
  (cd "$TREE" && "${CLI[@]}" -s --json -o "$WORK/$name" "$@") >"$WORK/$name.json" 2>"$WORK/$name.err" </dev/null
  local rc=$?
  info "mmapify $* -> exit $rc, $(ls "$WORK/$name" 2>/dev/null | grep -vc '^0000-') patches in $((SECONDS - t0))s"
  return $rc
}
# boot NAME SERIES [FAULT] -> $WORK/NAME.out (report), $WORK/NAME.err, $WORK/NAME.rc
boot() {
  local name=$1 s=$2 fault=${3:-} t0=$SECONDS rc
  MMAPIFY_TEST_FAULT=$fault "${BOOT[@]}" --tree "$TREE" --base base --series "$WORK/$s" --report "$WORK/$s.json" \
    --scratch "$SCRATCH" --jobs "$JOBS" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null
  rc=$?
  echo $rc >"$WORK/$name.rc"
  info "boot check ($name) -> exit $rc in $((SECONDS - t0))s"
  grep -E '^boot: (kernels|booted)' "$WORK/$name.out" | sed 's/^/        /'
  return 0
}
has() { grep -qE -- "$2" "$WORK/$1.out"; }

for tool in qemu-system-x86_64 gcc; do
  command -v $tool >/dev/null || { fail "$tool is installed (.ci/run installs qemu-system-x86, busybox-static, cpio, ccache)"; }
done
[ -x /bin/busybox ] || fail "a static busybox is installed (busybox-static)"
[ "$FAIL" -eq 0 ] || { echo; echo "boot: $PASS passed, $FAIL failed"; exit 1; }

# ---------------------------------------------------------------- 1
step "1. a series of probed hooks boots equal (drivers/dma-buf)"
if series probed drivers/dma-buf; then
  boot pass probed
  if [ "$(cat "$WORK/pass.rc")" = 0 ] && has pass '^boot: ok'; then pass "exit 0, boot: ok"; else fail "exit 0, boot: ok (exit $(cat "$WORK/pass.rc"))"; show "$WORK/pass.out"; fi
  for h in 'drivers/dma-buf/udmabuf.c mmap_udmabuf \(probe udmabuf\)' 'drivers/dma-buf/heaps/cma_heap.c cma_heap_mmap \(probe cma-heap\)' 'drivers/dma-buf/dma-buf.c dma_buf_mmap_internal \(probe udmabuf, cma-heap\)'; do
    if has pass "booted-and-equal +$h"; then pass "booted-and-equal: ${h//\\/}"; else fail "booted-and-equal: ${h//\\/}"; fi
  done
  ctl=1
  for p in mem zero hpet 9p usbmon pcm-data pcm-fork fb pci-resource; do has pass "ok    probe $p: equal \([0-9]+ steps\)" || { ctl=0; info "control probe $p not equal-and-reached"; }; done
  if [ $ctl = 1 ]; then pass "control probes (mem, zero, hpet, 9p, usbmon, pcm-data, pcm-fork, fb, pci-resource) reached their hooks and are equal"; else fail "control probes equal"; show "$WORK/pass.out" 40; fi
  conv=$(node -e 'console.log(require(process.argv[1]).hooks.filter(h=>h.status==="converted").length)' "$WORK/probed.json")
  listed=$(sed -n '/^boot: converted hooks:/,/^boot: ok/p' "$WORK/pass.out" | grep -cE '^  (booted-and-equal|booted-and-different|not exercised at run time) ')
  if [ "$conv" -gt 0 ] && [ "$conv" = "$listed" ]; then pass "every converted hook ($conv) has a verdict"; else fail "every converted hook has a verdict ($listed of $conv)"; fi
else
  fail "mmapify drivers/dma-buf"; show "$WORK/probed.err"
fi

# ---------------------------------------------------------------- 2
step "2. -EINVAL turned into 0 for a private udmabuf mapping is caught"
if [ -d "$WORK/probed" ]; then
  boot einval probed boot-einval-to-0:drivers/dma-buf/udmabuf.c
  if grep -q 'MMAPIFY_TEST_FAULT (test only)' "$WORK/einval.err"; then pass "the test-only fault says so on stderr"; else fail "the test-only fault says so on stderr"; show "$WORK/einval.err"; fi
  if [ "$(cat "$WORK/einval.rc")" = 1 ] && has einval 'FAIL  probe udmabuf: DIFFERENT: private\.mmap: err=EINVAL at base, ok at the tip' && has einval 'booted-and-different +drivers/dma-buf/udmabuf.c mmap_udmabuf: probe udmabuf'; then
    pass "exit 1 naming probe udmabuf, step private.mmap (err=EINVAL at base, ok at the tip)"
  else fail "exit 1 naming probe udmabuf (exit $(cat "$WORK/einval.rc"))"; show "$WORK/einval.out"; fi
  if has einval 'ok    probe cma-heap: equal'; then pass "the other probes stay equal"; else fail "the other probes stay equal"; fi
fi

# ---------------------------------------------------------------- 3
step "3. the ALSA memalloc shim without vm_private_data oopses on the tip"
if series alsa sound/core; then
  boot oops alsa boot-drop-private:sound/core/memalloc.c
  grep 'MMAPIFY_TEST_FAULT' "$WORK/oops.err" | sed 's/^/        /'
  if [ "$(cat "$WORK/oops.rc")" = 1 ] && has oops 'FAIL  probe pcm-data: DIFFERENT: data\.munmap: ok at base, no result at the tip' && has oops 'FAIL  probe pcm-fork: DIFFERENT: data\.fork: child=exit0 at base, no result at the tip'; then
    pass "exit 1 naming probe pcm-data (munmap) and pcm-fork (fork)"
  else fail "exit 1 naming probes pcm-data and pcm-fork (exit $(cat "$WORK/oops.rc"))"; show "$WORK/oops.out" 40; fi
  if has oops '\| BUG: kernel NULL pointer dereference' && has oops '\| RIP: [0-9a-f]+:snd_pcm_mmap_data_close' && has oops '\| RIP: [0-9a-f]+:snd_pcm_mmap_data_open'; then
    pass "the oopses are quoted (BUG: kernel NULL pointer dereference, RIP: snd_pcm_mmap_data_close on munmap, snd_pcm_mmap_data_open on fork)"
  else fail "the oopses are quoted"; show "$WORK/oops.out" 40; fi
  if has oops 'booted-and-different +sound/core/memalloc.c snd_dma_continuous_mmap'; then pass "snd_dma_continuous_mmap is booted-and-different"; else fail "snd_dma_continuous_mmap is booted-and-different"; fi
  if ! grep -q 'BUG:' "$SCRATCH/base/console.log" && grep -q 'BUG: kernel NULL pointer dereference' "$SCRATCH/tip/console.log"; then pass "the base console is clean, the tip's has the oops"; else fail "the base console is clean, the tip's has the oops"; fi
else
  fail "mmapify sound/core"; show "$WORK/alsa.err"
fi

echo
echo "boot: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
