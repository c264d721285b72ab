#!/usr/bin/env bash
# Make DEST a git repository holding the kernel tree SRC, tag its only commit
# "base", and configure and prepare it for building single objects on x86_64
# (make allmodconfig && make -j2 prepare).  Prints DEST as the last line.
#
#   test/kernel/prepare-tree.sh SRC DEST
#
# DEST is a cache: when it is already prepared it is reused.  If it is not at
# tag base or has tracked changes / untracked unignored files, it is brought
# back with `git reset --hard base` and `git clean -fd` (no -x, so the build
# outputs, which the kernel's .gitignore files cover, are kept).
#
# Environment: MMAPIFY_JOBS (default 2) for make -j.
# Installs nothing: .ci/run installs the build dependencies.
set -euo pipefail

say() { printf 'prepare-tree: %s\n' "$*" >&2; }
die() { printf 'prepare-tree: error: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: prepare-tree.sh SRC DEST"
SRC=$1
DEST=$2
JOBS=${MMAPIFY_JOBS:-2}
[ -f "$SRC/Makefile" ] && [ -d "$SRC/arch/x86" ] || die "$SRC does not look like a kernel tree"
SRC=$(cd "$SRC" && pwd)

export ARCH=x86_64
unset CROSS_COMPILE KBUILD_OUTPUT O 2>/dev/null || true

git_() {
  git -C "$DEST" -c gc.auto=0 -c maintenance.auto=false \
      -c user.name=mmapify-test -c user.email=mmapify-test@mmapify.invalid "$@"
}
# A fixed identity and date make the base commit id reproducible for one tree.
export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'

STAMP_NAME=mmapify-prepared

if [ -d "$DEST/.git" ] && git_ rev-parse -q --verify 'refs/tags/base^{commit}' >/dev/null; then
  say "reusing $DEST"
  # Abort anything a previous (interrupted) test run left in progress.
  [ -d "$DEST/.git/rebase-apply" ] && git_ am --abort >/dev/null 2>&1 || true
  [ -d "$DEST/.git/rebase-apply" ] && rm -rf "$DEST/.git/rebase-apply"
  base=$(git_ rev-parse 'base^{commit}')
  head=$(git_ rev-parse -q --verify 'HEAD^{commit}' || echo none)
  dirty=$(git_ status --porcelain --untracked-files=normal | head -5)
  if [ "$head" != "$base" ] || [ -n "$dirty" ]; then
    say "restoring tag base (HEAD was ${head:0:12}${dirty:+, with changes})"
    git_ checkout -q -f -B main base
    git_ reset -q --hard base
    git_ clean -q -fd
  fi
else
  if [ -e "$DEST" ]; then
    # Only replace a directory that is empty or one we made ourselves.
    if [ -n "$(ls -A "$DEST")" ] && [ ! -f "$DEST/.git/$STAMP_NAME.started" ]; then
      die "$DEST exists and is not a tree made by prepare-tree.sh; remove it or choose another DEST"
    fi
    rm -rf "$DEST"
  fi
  mkdir -p "$DEST"
  DEST=$(cd "$DEST" && pwd)
  t0=$SECONDS
  git init -q -b main "$DEST"
  : > "$DEST/.git/$STAMP_NAME.started"
  say "copying $SRC -> $DEST"
  cp -a "$SRC/." "$DEST/"
  # Debian appends "/*" (ignore everything at the top level) to .gitignore
  # for its packaging repo.  Drop that rule so that, as upstream, only build
  # outputs are ignored and `git status` shows stray new files.
  sed -i '/^# Debian packaging: ignore everything/,/^!\/debian\/$/{/^\/\*$/d;/^!\/debian\/$/d}' "$DEST/.gitignore"
  ! grep -qx '/\*' "$DEST/.gitignore" || die "could not drop the Debian '/*' rule from .gitignore"
  # Upstream tracks some files its own .gitignore matches (.clang-format, ...).
  say "git add -f"
  git_ -c core.looseCompression=1 add -f -A .
  git_ commit -q --no-verify -m "Linux $(make -s -C "$DEST" kernelversion 2>/dev/null || echo tree) as unpacked from $(basename "$SRC")"
  git_ tag -f base >/dev/null
  say "committed and tagged base in $((SECONDS - t0))s"
fi
DEST=$(cd "$DEST" && pwd)
# A fixed identity in the repository itself, for git am and for tools (such
# as mmapify -s) that read user.name/user.email.
git -C "$DEST" config user.name "mmapify test"
git -C "$DEST" config user.email mmapify-test@mmapify.invalid
git -C "$DEST" config gc.auto 0

if [ ! -f "$DEST/.git/$STAMP_NAME" ] || [ ! -f "$DEST/.config" ] || [ ! -f "$DEST/include/generated/autoconf.h" ]; then
  t0=$SECONDS
  say "make allmodconfig"
  make -C "$DEST" -s ARCH=x86_64 allmodconfig >&2 || die "make allmodconfig failed"
  say "make -j$JOBS prepare"
  make -C "$DEST" -s ARCH=x86_64 -j"$JOBS" prepare >&2 || die "make prepare failed"
  git_ rev-parse 'base^{commit}' > "$DEST/.git/$STAMP_NAME"
  say "configured and prepared in $((SECONDS - t0))s"
else
  say "already configured and prepared (remove $DEST/.git/$STAMP_NAME to redo)"
fi

# The build must not have touched tracked files.
dirty=$(git_ status --porcelain --untracked-files=normal | head -5)
[ -z "$dirty" ] || die "tree is not clean after preparing: $dirty"
[ "$(git_ rev-parse HEAD)" = "$(git_ rev-parse 'base^{commit}')" ] || die "HEAD is not at tag base"
printf '%s\n' "$DEST"
