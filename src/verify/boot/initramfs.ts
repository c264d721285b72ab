// The initramfs of --boot: Debian's static busybox, the static probe
// program and an /init that mounts what the probes need, runs every probe in
// a child of its own, and powers off. /init never pipes a probe's output (a
// probe that oopses would hang the pipe): probes write straight to the
// console. A probe that oopses inside a syscall can stay stuck for ever with
// the mmap lock held, so /init watches /sys/kernel/oops_count and warn_count
// and gives up on the child a second after either moves (thirty seconds at most
// otherwise), then goes on with the next probe.
import * as fs from 'node:fs';
import type { Probe } from './catalogue.js';
import { gzipNewc, type Entry } from './cpio.js';

/** Single-quoted for sh. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The probe program's arguments for one probe. */
export function probeArgs(p: Probe): string[] {
	return [p.id, '--open', p.open, '--prepare', p.prepare, ...p.maps.flatMap((m) => ['--map', m])];
}

/** The /init script. Markers: @@B boot, @@U setup, @@S/@@E around a probe, @@P (probe.c) a step. */
export function initScript(probes: Probe[]): string {
	const lines = [
		'#!/bin/busybox sh',
		'/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt /bin',
		'/bin/busybox mount -t proc proc /proc',
		'/bin/busybox mount -t sysfs sysfs /sys',
		'/bin/busybox mount -t devtmpfs devtmpfs /dev',
		'/bin/busybox --install -s /bin',
		'export PATH=/bin',
		'mount -t tmpfs tmpfs /tmp',
		'echo "@@B start @@"',
	];
	for (const p of probes)
		for (const s of p.setup) lines.push(`${s} >/dev/null 2>&1; echo "@@U ${p.id} rc=$? @@"`);
	lines.push(
		'count() { cat /sys/kernel/$1 2>/dev/null || echo 0; }',
		'alive() { s=$(cut -d" " -f3 /proc/$1/stat 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]; }',
		'run_probe() {',
		'\tid=$1',
		'\techo "@@S $id @@"',
		'\to0=$(count oops_count); w0=$(count warn_count)',
		'\t/probe "$@" &',
		'\tpid=$!',
		'\tn=0; grace=-1',
		'\twhile alive $pid && [ $n -lt 300 ]; do',
		'\t\tsleep 0.1; n=$((n + 1))',
		'\t\tif [ $grace -lt 0 ] && { [ "$(count oops_count)" != "$o0" ] || [ "$(count warn_count)" != "$w0" ]; }; then grace=$((n + 10)); fi',
		'\t\tif [ $grace -ge 0 ] && [ $n -ge $grace ]; then break; fi',
		'\tdone',
		'\to=$(( $(count oops_count) - o0 )); w=$(( $(count warn_count) - w0 ))',
		'\tif alive $pid; then kill -9 $pid 2>/dev/null; echo "@@E $id stuck oops=$o warn=$w @@"',
		'\telse wait $pid; echo "@@E $id exit=$? oops=$o warn=$w @@"; fi',
		'}',
	);
	for (const p of probes) lines.push(`run_probe ${probeArgs(p).map(shq).join(' ')}`);
	lines.push('echo "@@B done @@"', 'poweroff -f', '');
	return lines.join('\n');
}

export interface InitramfsOptions {
	busybox: string;
	probe: string;
	probes: Probe[];
	out: string;
}

export function writeInitramfs(o: InitramfsOptions): void {
	const entries: Entry[] = [
		{ kind: 'dir', path: 'bin' },
		{ kind: 'dir', path: 'dev' },
		{ kind: 'char', path: 'dev/console', major: 5, minor: 1 },
		{ kind: 'dir', path: 'proc' },
		{ kind: 'dir', path: 'sys' },
		{ kind: 'dir', path: 'tmp' },
		{ kind: 'dir', path: 'mnt' },
		{ kind: 'file', path: 'bin/busybox', data: fs.readFileSync(o.busybox), mode: 0o755 },
		{ kind: 'file', path: 'probe', data: fs.readFileSync(o.probe), mode: 0o755 },
		{ kind: 'file', path: 'init', data: Buffer.from(initScript(o.probes)), mode: 0o755 },
	];
	fs.writeFileSync(o.out, gzipNewc(entries));
}

/** A share file's fixed contents: byte i is i mod 251 (not periodic in pages). */
export function shareBytes(size: number): Buffer {
	const b = Buffer.alloc(size);
	for (let i = 0; i < size; i++) b[i] = i % 251;
	return b;
}
