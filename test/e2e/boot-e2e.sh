#!/usr/bin/env bash
# End-to-end test of the run-time check (issue #13) through the CLI:
# `mmapify --verify --boot` on a real Linux 7.3 tree builds an x86_64
# tinyconfig kernel at base and at the tip of the series it writes, boots
# both under QEMU (TCG) with the probes of probes/catalogue.json and compares.
#
#   test/e2e/boot-e2e.sh TREE
#
# TREE is a git repository made by test/kernel/prepare-tree.sh (tag base).
# Checks, each counted in the closing "boot: N passed, N failed":
#   1. a series of hooks that have probes (security/selinux: selinuxfs's
#      status page and policy file, one patch) passes: exit 0, verify ok,
#      every probe equal, sel_mmap_handle_status booted-and-equal (probe
#      selinux-status), sel_mmap_policy not exercised with the reason (no
#      policy is loaded: open(2) of the policy file fails with EINVAL on
#      both kernels), the controls (mem.c, hpet, udmabuf, the CMA heap, the
#      PCM probes, 9p, usbmon, a PCI BAR through sysfs, fb) equal, every
#      converted hook listed with a verdict, the cover letter saying so.
#   2. the same series with the status page's refusal of a writable mapping
#      turned into success (MMAPIFY_TEST_FAULT=boot-eperm-to-0, test only),
#      with --json: exit 1, the JSON report's boot names the selinux-status
#      probe and its writable.mmap step (err=EPERM at base, ok at the tip),
#      and gives every converted hook a verdict
#   3. the ALSA memalloc conversion written the old, wrong way by the fault
#      itself (MMAPIFY_TEST_FAULT=boot-drop-private, test only). The rules
#      refuse sound/core on 7.3 (issue #11), so the fault adds its diff of
#      memalloc.c to the last patch of `mmapify security/selinux sound/core`
#      (the selinuxfs patch) and claims snd_dma_continuous_mmap: --verify
#      passes it, the boot fails with the oopses quoted (snd_pcm_mmap_data_close
#      on munmap, snd_pcm_mmap_data_open on fork) and the pcm-data and pcm-fork
#      probes named, while the base kernel ran them clean and selinuxfs's
#      probe stays equal
# One boot folder for all three (--boot-dir: one checkout and one build
# folder; the first build is the only cold one, the rest are incremental,
# ccache in it) and one --verify-dir.
#
# Environment:
#   MMAPIFY_BOOT_SCRATCH  boot folder (default $MMAPIFY_CACHE/boot, else a temporary one)
#   MMAPIFY_JOBS          make -j (default 2)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: boot-e2e.sh TREE" >&2; exit 2; }
TREE=$(cd "$1" && pwd) || exit 2
JOBS=${MMAPIFY_JOBS:-2}
CLI=(node "$REPO/dist/src/cli.js")
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

# run NAME FAULT ARGS... : mmapify -s --verify --boot -o $WORK/NAME ARGS in the tree
#   -> $WORK/NAME.out (stdout), $WORK/NAME.err, $WORK/NAME.rc
run() {
  local name=$1 fault=$2 t0=$SECONDS rc; shift 2
  (cd "$TREE" && MMAPIFY_TEST_FAULT=$fault "${CLI[@]}" -s --verify --boot --boot-dir "$SCRATCH" --verify-dir "$WORK/verify" -j "$JOBS" \
    -o "$WORK/$name" "$@") >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null
  rc=$?
  echo $rc >"$WORK/$name.rc"
  info "mmapify --verify --boot $* ${fault:+(MMAPIFY_TEST_FAULT=$fault) }-> exit $rc, $(ls "$WORK/$name" 2>/dev/null | grep -vc '^0000-') patches in $((SECONDS - t0))s"
  grep -E '^(verify: |boot: (kernels|booted|ok|FAILED))' "$WORK/$name.out" | sed 's/^/        /'
  return 0
}
rc() { cat "$WORK/$1.rc"; }
has() { grep -qE -- "$2" "$WORK/$1.out"; }
# the cover letter's text, its lines joined
cover() { sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/ /g' "$WORK/$1/0000-cover-letter.patch" 2>/dev/null; }

for tool in qemu-system-x86_64 gcc; do
  command -v $tool >/dev/null || { fail "$tool is installed (.ci/run installs qemu-system-x86, busybox-static, cpio, ccache)"; }
done
[ -x /bin/busybox ] || fail "a static busybox is installed (busybox-static)"

# The cases boot series that convert hooks with probes. Since issue #11's
# hazard classes, Linux 7.3's dma-buf and ALSA chains are refused, so they
# boot security/selinux (sel_mmap_handle_status has a probe; case 3 adds its
# memalloc.c diff to that series). Should the selinuxfs hooks stop
# converting, there is no series to boot: say so, and skip, rather than fail
# on an empty series.
converted() { (cd "$TREE" && "${CLI[@]}" --dry-run --json "$@" 2>/dev/null) | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).summary.converted)}catch{console.log(-1)}})'; }
[ "$FAIL" -eq 0 ] || { echo; echo "boot: $PASS passed, $FAIL failed"; exit 1; }
n_selinux=$(converted security/selinux)
if [ "$n_selinux" = 0 ]; then
  echo "  SKIP  every case: mmapify converts no hook of security/selinux in this tree, so there is no series with a probed hook to boot (nor a patch for case 3's memalloc.c fault to join)"
  echo
  echo "boot: 0 passed, 0 failed"
  exit 0
fi
info "security/selinux: $n_selinux hooks converted (dry run)"

# ---------------------------------------------------------------- 1
step "1. a series of probed hooks boots equal (mmapify --verify --boot security/selinux)"
run probed '' security/selinux
if [ "$(rc probed)" = 0 ] && has probed '^verify: ok' && has probed '^boot: ok'; then pass "exit 0, verify: ok, boot: ok"; else fail "exit 0, verify: ok, boot: ok (exit $(rc probed))"; show "$WORK/probed.out" 40; show "$WORK/probed.err"; fi
if has probed 'ok    probe selinux-status: equal \([0-9]+ steps\)' && has probed 'booted-and-equal +security/selinux/selinuxfs.c sel_mmap_handle_status \(probe selinux-status\)'; then
  pass "booted-and-equal: security/selinux/selinuxfs.c sel_mmap_handle_status (probe selinux-status)"
else fail "booted-and-equal: security/selinux/selinuxfs.c sel_mmap_handle_status (probe selinux-status)"; grep -E 'selinux' "$WORK/probed.out" | sed 's/^/        | /'; fi
# the base's own results: the hook's refusals, not do_mmap's (the file is opened read-write)
base_has() { grep -qF -- "@@P selinux-status $1 @@" "$SCRATCH/base/console.log"; }
if base_has 'shared.touch ok=1' && base_has 'shared.mprotect err=EACCES' && base_has 'writable.mmap err=EPERM' && base_has 'private-rw.mmap err=EPERM' && base_has 'two-pages.mmap err=EIO' && base_has 'past-page.mmap err=EIO'; then
  pass "selinux-status at base: reads version 1, mprotect to RW -EACCES (VM_MAYWRITE cleared), writable -EPERM, two pages and past the page -EIO"
else fail "selinux-status at base reaches the hook's checks"; grep -F '@@P selinux-status' "$SCRATCH/base/console.log" | sed 's/^/        | /'; fi
if has probed 'not exercised at run time +security/selinux/selinuxfs.c sel_mmap_policy: probe selinux-policy: open failed with EINVAL on both kernels'; then
  pass "not exercised, with the reason: sel_mmap_policy (no policy loaded: open failed with EINVAL on both kernels)"
else fail "sel_mmap_policy not exercised, with the reason"; grep -E 'sel_mmap_policy|selinux-policy' "$WORK/probed.out" | sed 's/^/        | /'; fi
ctl=1
for p in mem zero hpet udmabuf cma-heap pcm-data pcm-fork pcm-status 9p usbmon fb pci-resource; do has probed "ok    probe $p: equal \([0-9]+ steps\)" || { ctl=0; info "control probe $p not equal-and-reached"; }; done
if [ $ctl = 1 ]; then pass "control probes (mem, zero, hpet, udmabuf, cma-heap, pcm-data, pcm-fork, pcm-status, 9p, usbmon, fb, pci-resource) reached their hooks and are equal with SELinux on"; else fail "control probes equal"; show "$WORK/probed.out" 40; fi
conv=$(sed -n 's/^\([0-9]*\) hooks\{0,1\} converted, .*/\1/p' "$WORK/probed.out")
listed=$(sed -n '/^boot: converted hooks:/,/^boot: ok/p' "$WORK/probed.out" | grep -cE '^  (booted-and-equal|booted-and-different|not exercised at run time) ')
if [ -n "$conv" ] && [ "$conv" -gt 0 ] && [ "$conv" = "$listed" ]; then pass "every converted hook ($conv) has a verdict"; else fail "every converted hook has a verdict ($listed of ${conv:-?})"; fi
c=$(cover probed)
if grep -q 'were booted under QEMU (tcg)' <<<"$c" && grep -qE 'behaving as on the base kernel: [^.]*sel_mmap_handle_status\(\)' <<<"$c" && grep -qE 'Not exercised at run time: [^.]*sel_mmap_policy\(\)' <<<"$c" && ! grep -q 'No runtime testing' <<<"$c"; then
  pass "the cover letter says which hooks were booted and exercised (sel_mmap_handle_status() behaving as on the base kernel; sel_mmap_policy() not exercised)"
else fail "the cover letter's testing paragraph names the booted hooks"; grep -A3 -i 'tested with' "$WORK/probed/0000-cover-letter.patch" | sed 's/^/        | /'; fi

# ---------------------------------------------------------------- 2
step "2. -EPERM turned into 0 for a writable mapping of selinuxfs's status page is caught (--json)"
run eperm boot-eperm-to-0:security/selinux/selinuxfs.c --json security/selinux
if grep -q 'MMAPIFY_TEST_FAULT (test only): corrupted .*security/selinux/selinuxfs.c.*return 0;' "$WORK/eperm.err"; then pass "the test-only fault says so on stderr"; else fail "the test-only fault says so on stderr"; show "$WORK/eperm.err"; fi
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const b = r.boot || { hooks: [], probes: [] };
  const conv = r.hooks.filter((h) => h.status === "converted").length;
  console.log(`verify.ok=${r.verify && r.verify.ok} boot.ok=${b.ok} converted=${conv} verdicts=${b.hooks.length}`);
  for (const p of b.probes) console.log(`probe ${p.id} ${p.status} ${(p.differences || []).join("; ")}`);
  for (const h of b.hooks) console.log(`hook ${h.status} ${h.file} ${h.function}: ${h.detail || ""}`);
' "$WORK/eperm.out" >"$WORK/eperm.facts" 2>&1
sed -n 1p "$WORK/eperm.facts" | sed 's/^/        /'
f() { grep -qE -- "$1" "$WORK/eperm.facts"; }
if [ "$(rc eperm)" = 1 ] && f '^verify.ok=true boot.ok=false' && f '^probe selinux-status different writable\.mmap: err=EPERM at base, ok at the tip$' && f '^hook booted-different security/selinux/selinuxfs.c sel_mmap_handle_status: probe selinux-status: writable\.mmap: err=EPERM at base, ok at the tip$'; then
  pass "exit 1; the JSON report's boot names probe selinux-status, step writable.mmap (err=EPERM at base, ok at the tip)"
else fail "exit 1 naming probe selinux-status and step writable.mmap in the JSON report (exit $(rc eperm))"; show "$WORK/eperm.facts"; show "$WORK/eperm.err"; fi
if f '^probe udmabuf equal' && f '^probe pcm-data equal' && ! f '^probe (mem|zero|hpet|udmabuf|cma-heap|pcm-data|pcm-fork|pcm-status|9p|usbmon|fb|pci-resource) different'; then pass "the other probes stay equal"; else fail "the other probes stay equal"; show "$WORK/eperm.facts"; fi
if f '^verify.ok=true boot.ok=false converted=([1-9][0-9]*) verdicts=\1$'; then pass "the JSON report gives every converted hook a verdict"; else fail "the JSON report gives every converted hook a verdict"; fi

# ---------------------------------------------------------------- 3
step "3. the ALSA memalloc shim without vm_private_data oopses on the tip (mmapify --verify --boot security/selinux sound/core)"
# sound/core alone is refused (no patch to add the fault's diff to): the
# fault joins the selinuxfs patch, and its stderr line says it added the diff
run oops boot-drop-private:sound/core/memalloc.c security/selinux sound/core
grep 'MMAPIFY_TEST_FAULT' "$WORK/oops.err" | sed 's/^/        /'
if grep -q 'MMAPIFY_TEST_FAULT (test only): corrupted .*sound/core/memalloc.c' "$WORK/oops.err" && has oops '^verify: ok'; then pass "the fault says so on stderr, and --verify alone passes the wrong shim (it applies, builds, passes checkpatch)"; else fail "the fault says so and --verify passes"; show "$WORK/oops.err"; show "$WORK/oops.out" 40; fi
if [ "$(rc oops)" = 1 ] && has oops 'FAIL  probe pcm-data: DIFFERENT: data\.munmap: ok at base, no result at the tip' && has oops 'FAIL  probe pcm-fork: DIFFERENT: data\.fork: child=exit0 at base, no result at the tip'; then
  pass "exit 1 naming probe pcm-data (munmap) and pcm-fork (fork)"
else fail "exit 1 naming probes pcm-data and pcm-fork (exit $(rc oops))"; show "$WORK/oops.out" 40; fi
if has oops '\| BUG: kernel NULL pointer dereference' && has oops '\| RIP: [0-9a-f]+:snd_pcm_mmap_data_close' && has oops '\| RIP: [0-9a-f]+:snd_pcm_mmap_data_open'; then
  pass "the oopses are quoted (BUG: kernel NULL pointer dereference, RIP: snd_pcm_mmap_data_close on munmap, snd_pcm_mmap_data_open on fork)"
else fail "the oopses are quoted"; show "$WORK/oops.out" 40; fi
if has oops 'booted-and-different +sound/core/memalloc.c snd_dma_continuous_mmap'; then pass "snd_dma_continuous_mmap is booted-and-different"; else fail "snd_dma_continuous_mmap is booted-and-different"; fi
if has oops 'ok    probe selinux-status: equal \([0-9]+ steps\)' && has oops 'booted-and-equal +security/selinux/selinuxfs.c sel_mmap_handle_status'; then pass "the rest of the series (selinuxfs) stays booted-and-equal"; else fail "the rest of the series (selinuxfs) stays booted-and-equal"; grep -E 'selinux' "$WORK/oops.out" | sed 's/^/        | /'; fi
if ! grep -q 'BUG:' "$SCRATCH/base/console.log" && grep -q 'BUG: kernel NULL pointer dereference' "$SCRATCH/tip/console.log"; then pass "the base console is clean, the tip's has the oops"; else fail "the base console is clean, the tip's has the oops"; fi
if grep -qE 'behaving differently: .*snd_dma_continuous_mmap\(\) \(probe pcm-' <<<"$(cover oops)"; then pass "the cover letter names snd_dma_continuous_mmap() as behaving differently"; else fail "the cover letter names snd_dma_continuous_mmap() as behaving differently"; fi

echo
echo "boot: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
