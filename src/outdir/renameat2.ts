// Two Linux system calls Node has no binding for, made by perl(1) (which
// mmapify already needs for checkpatch): renameat2(RENAME_EXCHANGE), which
// swaps two directory entries in one step, and llistxattr(), which says
// whether a folder has extended attributes (ACLs, security labels) that a
// new folder would not have.
//
// perl's syscall() takes the number, so the number must be the one of the
// ABI of the perl that makes the call: the script picks it from perl's own
// $Config{archname}, not from Node's process.arch (a 32-bit perl on a 64-bit
// kernel uses the 32-bit table). The numbers, checked against Linux 7.3:
//   renameat2 llistxattr  table
//   316       195         arch/x86/entry/syscalls/syscall_64.tbl (x86_64; x32 is not listed: its numbers differ)
//   353       233         arch/x86/entry/syscalls/syscall_32.tbl (i386)
//   276       12          scripts/syscall.tbl, include/uapi/asm-generic/unistd.h (aarch64, riscv64, loongarch64)
//   382       233         arch/arm/tools/syscall.tbl (arm EABI)
//   357       216         arch/powerpc/kernel/syscalls/syscall.tbl (ppc, ppc64, ppc64le)
//   347       231         arch/s390/kernel/syscalls/syscall.tbl (s390x)
// Any other system, architecture or ABI answers "unsupported", and the
// caller does without (the per-file transaction of outdir.ts).
import { spawnSync } from 'node:child_process';

const SCRIPT = String.raw`
use strict; use Config; use Errno;
my $a = $Config{archname}; my ($rn, $lx);
if ($^O ne 'linux') { print "unsupported $^O\n"; exit 3 }
if ($a =~ /^x86_64-linux/ && $a !~ /x32/) { ($rn, $lx) = (316, 195) }
elsif ($a =~ /^i[3-6]86-linux/) { ($rn, $lx) = (353, 233) }
elsif ($a =~ /^(aarch64|riscv64|loongarch64)-linux/) { ($rn, $lx) = (276, 12) }
elsif ($a =~ /^arm\w*-linux-gnueabi/) { ($rn, $lx) = (382, 233) }
elsif ($a =~ /^(powerpc|ppc)(64)?(le)?-linux/) { ($rn, $lx) = (357, 216) }
elsif ($a =~ /^s390x-linux/) { ($rn, $lx) = (347, 231) }
else { print "unsupported $a\n"; exit 3 }
sub fail { my ($n) = grep { $!{$_} } keys %!; print(($n // 'errno ' . ($! + 0)), "\n"); exit 4 }
my $op = shift @ARGV;
if ($op eq 'exchange') {
	my ($x, $y) = @ARGV;
	syscall($rn, -100, $x, -100, $y, 2) == -1 and fail();   # AT_FDCWD, RENAME_EXCHANGE
	print "ok\n"; exit 0;
}
if ($op eq 'xattrs') {
	my ($p) = @ARGV; my $buf = "\0" x 65536;
	my $n = syscall($lx, $p, $buf, 65536);
	if ($n == -1) { $!{EOPNOTSUPP} and do { print "0\n"; exit 0 }; fail() }   # no extended attributes on this filesystem
	print "$n\n"; exit 0;
}
exit 2;
`;

export type SysResult = { ok: true; out: string } | { ok: false; why: string };

function perl(args: string[]): SysResult {
	const r = spawnSync('perl', ['-e', SCRIPT, ...args], { encoding: 'utf8', timeout: 30_000 });
	if (r.error) return { ok: false, why: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no perl' : r.error.message };
	const out = (r.stdout ?? '').trim();
	if (r.status === 0) return { ok: true, out };
	return { ok: false, why: out || (r.stderr ?? '').trim() || `perl exited with ${r.status ?? r.signal}` };
}

/**
 * Swap the directory entries a and b (absolute paths, on one filesystem) in
 * one step. The answer says what perl saw; whether the swap happened is for
 * the caller to check on disk (perl may be killed around the call).
 */
export const exchange = (a: string, b: string): SysResult => perl(['exchange', a, b]);

/** The size of the list of extended attribute names of p (0: none), or why it cannot be asked. */
export function xattrBytes(p: string): number | string {
	const r = perl(['xattrs', p]);
	if (!r.ok) return r.why;
	return /^\d+$/.test(r.out) ? Number(r.out) : `perl said ${r.out}`;
}
