#!/usr/bin/env bash
# Record mmapify's observable outputs into a folder, so that a refactoring can
# be checked to change none of them:
#
#   test/support/golden.sh record OUT [KERNEL_GIT_TREE [PATH...]]
#   test/support/golden.sh compare OLD NEW
#
# record writes into OUT (which must be outside the repository):
#   demo.txt                      npm run demo (the dry run of examples/linux/drivers/demo)
#   example-dry.json              --dry-run --json on examples/linux (the whole example tree)
#   example-scan.json             scan --json on examples/linux
#   chains/CASE.json              --dry-run --json on every test/chains case
#                                 (its tree laid over the example headers, as the tests do,
#                                 with the options its options file names)
# and, given a prepared kernel git tree (test/kernel/prepare-tree.sh; it is
# reset to its tag base afterwards):
#   kernel-scan.json              scan --json on the whole tree
#   kernel-dry.json               --dry-run --json .
#   kernel-series/                mmapify -o DIR . (the whole-tree series)
# with PATHs (e.g. drivers/hv security/selinux) those three run on them
# instead of on "." (a quicker recording of a part of the tree).
#
# compare diffs two recordings after masking what legitimately differs between
# runs (the Date: of the mails and the commit ids they make; the scan's "timing" and "parsedBytes", which
# depend on which thread parsed what; the paths of the checkout, of the kernel tree and
# of a chain case's temporary tree are masked when recorded; the output
# folder's lock (a pid), and in its manifest the write time and the files'
# hashes, which follow the mails' Date:) and with the JSON's "code" fields
# (added by the restructure) dropped from the NEW side only when the OLD file
# has none, so that an OLD recording from before them may lack them.  Exit 0
# when they are the same.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLI="node $REPO/dist/src/cli.js"
die() { printf 'golden: %s\n' "$*" >&2; exit 2; }

record() {
  local out=$1 kernel=${2:-}
  shift; [ $# -gt 0 ] && shift
  local paths=("$@")
  [ ${#paths[@]} -gt 0 ] || paths=(.)
  mkdir -p "$out/chains"
  out=$(cd "$out" && pwd)
  case "$out/" in "$REPO"/*) die "OUT must be outside the repository" ;; esac
  (cd "$REPO" && npm run --silent build)
  (cd "$REPO" && npm run --silent demo) >"$out/demo.txt" 2>&1 || echo "exit $?" >>"$out/demo.txt"
  $CLI --tree "$REPO/examples/linux" --dry-run --json . >"$out/example-dry.json" 2>&1 || echo "exit $?" >>"$out/example-dry.json"
  $CLI scan --tree "$REPO/examples/linux" --json >"$out/example-scan.json" 2>&1 || echo "exit $?" >>"$out/example-scan.json"

  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmapify-golden.XXXXXX")
  trap 'rm -rf "$tmp"' RETURN
  local c name t opts
  for c in "$REPO"/test/chains/*/; do
    name=$(basename "$c")
    t=$tmp/$name
    mkdir -p "$t"
    # The skeleton of test/support/helpers.ts makeTree().
    for f in Makefile Kconfig include/linux/fs.h include/linux/mm.h include/linux/mm_types.h; do
      mkdir -p "$t/$(dirname "$f")"; cp "$REPO/examples/linux/$f" "$t/$f"
    done
    [ -d "$c/tree" ] && cp -r "$c/tree/." "$t/"
    mapfile -t targets < <(grep -v '^$' "$c/targets")
    # a case's options file (test/chains/chains.test.ts): no-coexist is --no-coexist
    opts=()
    [ -f "$c/options" ] && mapfile -t opts < <(grep -v '^$' "$c/options" | sed 's/^/--/')
    $CLI --tree "$t" --dry-run --json "${opts[@]}" "${targets[@]}" 2>&1 | sed "s#$t#<TREE>#g" >"$out/chains/$name.json" || true
  done

  if [ -n "$kernel" ]; then
    kernel=$(cd "$kernel" && pwd)
    (cd "$kernel" && $CLI scan --json "${paths[@]}") >"$out/kernel-scan.json" 2>&1 || echo "exit $?" >>"$out/kernel-scan.json"
    (cd "$kernel" && $CLI --dry-run --json "${paths[@]}") >"$out/kernel-dry.json" 2>&1 || echo "exit $?" >>"$out/kernel-dry.json"
    rm -rf "$out/kernel-series"
    (cd "$kernel" && $CLI -o "$out/kernel-series" "${paths[@]}") >"$out/kernel-series.log" 2>&1 || echo "exit $?" >>"$out/kernel-series.log"
    sed -i -E 's#^wrote ([0-9]+) files to .*#wrote \1 files to <OUT>#' "$out/kernel-series.log"
    git -C "$kernel" reset -q --hard base
    git -C "$kernel" clean -q -fd
    find "$out" -type f -exec sed -i "s#$kernel#<KERNEL>#g" {} +
  fi
  # The checkout's own path (the JSON's "tree") differs between checkouts.
  find "$out" -type f -exec sed -i "s#$REPO#<REPO>#g" {} +
}

# The text of a recording with the run-dependent parts masked.
masked() { # FILE SIDE (old, or new: drop "code"; new-keep: keep it)
  local f=$1 side=$2
  case "$f" in
    */.mmapify/lock) echo '<pid>' ;;
    */.mmapify/series.json) sed -E 's/"[0-9a-f]{64}"/"<sha256>"/g; s/"written": "[^"]*"/"written": "<masked>"/' "$f" ;;
    *.json) node -e '
const fs = require("fs");
const text = fs.readFileSync(process.argv[1], "utf8");
let v;
try { v = JSON.parse(text); } catch { process.stdout.write(text); process.exit(0); }
const drop = (x) => Array.isArray(x) ? x.map(drop) : x && typeof x === "object"
  ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== "timing" && k !== "parsedBytes" && (process.argv[2] !== "new" || k !== "code")).map(([k, y]) => [k, drop(y)])) : x;
process.stdout.write(JSON.stringify(drop(v), null, 2) + "\n");' "$f" "$side" ;;
    *.patch) sed -E 's/^Date: .*/Date: <masked>/; s/^From [0-9a-f]{40} /From <commit> /' "$f" ;;
    *) cat "$f" ;;
  esac
}

compare() {
  local old=$1 new=$2 bad=0 f rel
  while IFS= read -r rel; do
    if [ ! -e "$new/$rel" ]; then echo "golden: missing in $new: $rel"; bad=1; continue; fi
    # An OLD recording that has codes already is compared with them.
    local side=new
    grep -q '"code"' "$old/$rel" && side=new-keep
    if ! diff -u <(masked "$old/$rel" old) <(masked "$new/$rel" $side) >/dev/null; then
      echo "golden: differs: $rel"
      # diff exits 1 here: under pipefail and set -e the pipeline would end
      # the script at the first differing file instead of listing them all.
      diff -u <(masked "$old/$rel" old) <(masked "$new/$rel" $side) | head -40 || true
      bad=1
    fi
  done < <(cd "$old" && find . -type f | sort)
  while IFS= read -r rel; do
    [ -e "$old/$rel" ] || { echo "golden: new file: $rel"; bad=1; }
  done < <(cd "$new" && find . -type f | sort)
  [ "$bad" = 0 ] && echo "golden: same ($(cd "$old" && find . -type f | wc -l) files)"
  return "$bad"
}

case "${1:-}" in
  record) [ $# -ge 2 ] || die "usage: golden.sh record OUT [KERNEL_GIT_TREE [PATH...]]"; shift; record "$@" ;;
  compare) [ $# -eq 3 ] || die "usage: golden.sh compare OLD NEW"; compare "$2" "$3" ;;
  *) die "usage: golden.sh record OUT [KERNEL_GIT_TREE [PATH...]] | compare OLD NEW" ;;
esac
