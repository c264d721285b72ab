// The configuration --verify builds with: a .config file (the tree's, the
// build folder's, or --verify-config FILE) or a make target
// (--verify-config allmodconfig), the ARCH it is for, and how the cover
// letter names it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The configuration --verify builds with: a .config file or a make target. */
export type ConfigSource = { kind: 'file'; path: string; description: string } | { kind: 'target'; target: string; description: string };

/** `--verify-config` values that name a make target rather than a file. */
export const CONFIG_TARGET = /^[A-Za-z0-9_.-]*config$/;

export function resolveConfig(tree: string, config?: string, buildDir?: string, cwd = process.cwd()): ConfigSource | undefined {
	if (config) {
		const file = path.resolve(cwd, config);
		if (fs.existsSync(file) && fs.statSync(file).isFile()) return { kind: 'file', path: file, description: `${config}` };
		if (CONFIG_TARGET.test(config)) return { kind: 'target', target: config, description: config };
		throw new Error(`--verify-config ${config}: neither a file nor a make target such as allmodconfig`);
	}
	const dir = buildDir ?? process.env.KBUILD_OUTPUT;
	if (dir) {
		const f = path.resolve(cwd, dir, '.config');
		if (fs.existsSync(f)) return { kind: 'file', path: f, description: `the .config of ${dir}` };
	}
	const f = path.join(tree, '.config');
	if (fs.existsSync(f)) return { kind: 'file', path: f, description: "the tree's .config" };
	return undefined;
}

/** How the cover letter names a configuration. */
export function configPhrase(source: ConfigSource, arch: string): string {
	if (source.kind === 'target') return `${/^[aeiou]/i.test(arch) ? 'an' : 'a'} ${arch} ${source.target}`;
	if (source.description === "the tree's .config") return `the tree's ${arch} .config`;
	if (source.description.startsWith('the .config of ')) return `the ${arch} .config of ${source.description.slice('the .config of '.length)}`;
	return `the ${arch} configuration ${source.description}`;
}

/** ARCH for make: $ARCH, the "# Linux/<arch> ..." header of a .config, or the host's. */
export function archFor(source: ConfigSource | undefined, explicit?: string): string {
	if (explicit) return explicit;
	if (process.env.ARCH) return process.env.ARCH;
	if (source?.kind === 'file') {
		const head = fs.readFileSync(source.path, 'utf8').slice(0, 400);
		const m = /^# Linux\/(\S+) /m.exec(head);
		if (m) return m[1]!;
	}
	const host: Record<string, string> = { x64: 'x86_64', ia32: 'i386', arm64: 'arm64', arm: 'arm', ppc64: 'powerpc', riscv64: 'riscv', s390x: 's390', loong64: 'loongarch' };
	return host[process.arch] ?? process.arch;
}
