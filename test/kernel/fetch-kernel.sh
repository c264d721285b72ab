#!/usr/bin/env bash
# Obtain Debian's linux-source-VERSION package, unpack it once into a cache
# and print the path of the unpacked kernel tree as the last line of stdout.
#
#   test/kernel/fetch-kernel.sh [VERSION]      (default 7.3)
#
# Environment:
#   MMAPIFY_CACHE       cache root (default: <repo>/.cache, gitignored)
#   MMAPIFY_KERNEL_DEB  use this already-downloaded linux-source .deb instead
#                       of asking the archive (still unpacked into the cache)
#
# The archive entry is derived from this machine's own first apt source
# (/etc/apt/sources.list.d/debian.sources), with the suites replaced by
# "sid trixie-backports bookworm", and used through a private apt state
# directory: the system's apt configuration and lists are not touched.
# Progress goes to stderr; only the tree path goes to stdout.
set -euo pipefail

VERSION=${1:-7.3}
PKG=linux-source-$VERSION
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${MMAPIFY_CACHE:-$REPO/.cache}
BASE=$CACHE/kernel/$VERSION
TREE=$BASE/src/$PKG
STAMP=$BASE/src/.$PKG.unpacked

say() { printf 'fetch-kernel: %s\n' "$*" >&2; }
die() { printf 'fetch-kernel: error: %s\n' "$*" >&2; exit 1; }

case $VERSION in
  7.3) ;;
  *) say "warning: mmapify's census is for 7.3.4; fetching $PKG anyway" ;;
esac

# Fast path: already unpacked.
if [ -f "$STAMP" ] && [ -f "$TREE/Makefile" ]; then
  say "cached $PKG $(cat "$STAMP") at $TREE"
  printf '%s\n' "$TREE"
  exit 0
fi

mkdir -p "$BASE"/apt/etc "$BASE"/apt/lists/partial "$BASE"/apt/cache/archives/partial "$BASE"/deb "$BASE"/src

APT_OPTS=(
  -o Dir::Etc::SourceList=/dev/null
  -o Dir::Etc::SourceParts="$BASE/apt/etc"
  -o Dir::State::Lists="$BASE/apt/lists"
  -o Dir::Cache="$BASE/apt/cache"
  -o Dir::Cache::pkgcache=
  -o Dir::Cache::srcpkgcache=
  -o APT::Sandbox::User=root
)

deb=${MMAPIFY_KERNEL_DEB:-}
if [ -n "$deb" ]; then
  [ -f "$deb" ] || die "MMAPIFY_KERNEL_DEB=$deb does not exist"
  deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
  say "using local package $deb"
else
  deb=$(ls "$BASE"/deb/"$PKG"_*_all.deb 2>/dev/null | tail -1 || true)
fi

if [ -z "$deb" ]; then
  command -v apt-get >/dev/null || die "apt-get not found: this needs a Debian-based machine"
  src_file=/etc/apt/sources.list.d/debian.sources
  [ -r "$src_file" ] || die "$src_file not found: cannot derive the Debian archive entry"
  awk 'BEGIN{RS="";ORS="\n\n"} NR==1' "$src_file" \
    | sed 's/^Suites:.*/Suites: sid trixie-backports bookworm/' > "$BASE/apt/etc/k.sources"
  grep -q '^URIs:' "$BASE/apt/etc/k.sources" || die "no URIs: line in the first stanza of $src_file"

  say "apt-get update (private lists in $BASE/apt)"
  apt-get "${APT_OPTS[@]}" -q update >"$BASE/apt/update.log" 2>&1 \
    || { tail -5 "$BASE/apt/update.log" >&2; die "apt-get update failed (log: $BASE/apt/update.log)"; }

  cand=$(apt-cache "${APT_OPTS[@]}" policy "$PKG" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
    die "the Debian archive (sid, trixie-backports, bookworm) no longer has $PKG; mmapify's kernel tests are pinned to 7.3"
  fi
  say "downloading $PKG $cand"
  (cd "$BASE/deb" && apt-get "${APT_OPTS[@]}" -q download "$PKG" >"$BASE/apt/download.log" 2>&1) \
    || { tail -5 "$BASE/apt/download.log" >&2; die "apt-get download $PKG failed (log: $BASE/apt/download.log)"; }
  deb=$(ls "$BASE"/deb/"$PKG"_*_all.deb 2>/dev/null | tail -1 || true)
  [ -n "$deb" ] || die "apt-get download reported success but no $PKG .deb is in $BASE/deb"
fi

ver=$(dpkg-deb -f "$deb" Version) || die "$deb is not a readable .deb"
name=$(dpkg-deb -f "$deb" Package)
[ "$name" = "$PKG" ] || die "$deb is package $name, expected $PKG"
case $ver in
  "$VERSION".*|"$VERSION"-*) ;;
  *) die "$PKG has version $ver, which does not start with $VERSION" ;;
esac
case $ver in 7.3.4-*) ;; *) say "warning: $PKG is $ver; the census is for 7.3.4" ;; esac

say "unpacking $PKG $ver"
tmp=$(mktemp -d "$BASE/src/.unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./usr/src/$PKG.tar.xz" \
  || die "$deb does not contain usr/src/$PKG.tar.xz"
if xz --help 2>/dev/null | grep -q -- '--threads'; then XZ='xz -T0'; else XZ=xz; fi
tar -I "$XZ" -xf "$tmp/usr/src/$PKG.tar.xz" -C "$tmp" \
  || die "unpacking $PKG.tar.xz failed"
[ -f "$tmp/$PKG/Makefile" ] || die "$PKG.tar.xz did not contain $PKG/Makefile"
rm -rf "$TREE"
mv "$tmp/$PKG" "$TREE"
printf '%s\n' "$ver" > "$STAMP"
say "unpacked $PKG $ver at $TREE"
printf '%s\n' "$TREE"
