// Booting a kernel under qemu-system-x86_64 and capturing its serial
// console. TCG by default: KVM is not usable inside these VMs (the guest
// dies in fpu__init_system_xstate), and where it is, --boot-accel kvm asks
// for it, falling back to TCG when the KVM boot does not reach /init.
import * as fs from 'node:fs';
import { run } from './exec.js';

export interface QemuOptions {
	kernel: string;
	initrd: string;
	cmdline: string[];
	/** more QEMU arguments (devices, -virtfs, -m) */
	args: string[];
	/** where the console goes (also returned) */
	consoleFile: string;
	accel?: 'tcg' | 'kvm';
	timeoutMs?: number;
	log: string;
	cwd: string;
}

export interface QemuResult {
	console: string;
	timedOut: boolean;
	code: number | null;
	accel: 'tcg' | 'kvm';
	seconds: number;
}

export function qemuArgs(o: QemuOptions, accel: 'tcg' | 'kvm'): string[] {
	return [
		'-accel', accel, '-display', 'none', '-no-reboot', '-vga', 'none', '-monitor', 'none', '-serial', 'stdio',
		'-kernel', o.kernel, '-initrd', o.initrd, '-append', o.cmdline.join(' '), ...o.args,
	];
}

/** Did the guest get as far as our /init? (its first line) */
export const reachedInit = (console: string) => console.includes('@@B start @@');

export async function boot(o: QemuOptions): Promise<QemuResult> {
	const t0 = Date.now();
	const once = async (accel: 'tcg' | 'kvm') => {
		const r = await run('qemu-system-x86_64', qemuArgs(o, accel), { cwd: o.cwd, log: o.log, timeoutMs: o.timeoutMs ?? 600_000, stdoutFile: o.consoleFile });
		return { console: fs.readFileSync(o.consoleFile, 'utf8'), timedOut: r.timedOut, code: r.code, accel };
	};
	let r = await once(o.accel ?? 'tcg');
	if (r.accel === 'kvm' && !reachedInit(r.console)) r = await once('tcg');
	return { ...r, seconds: Math.round((Date.now() - t0) / 100) / 10 };
}
