// What --verify found, for people: the report printed after the run (one line
// per patch, its findings below it, then the tip and tools/testing/vma) and the
// cover letter's "Tested with" paragraph.
import { color } from '../ui/term.js';
import { bootTestingParagraph, type BootReport } from './boot/report.js';
import type { ObjectStatus, PatchResult, VerifyReport } from './verify.js';

const plural = (n: number, w: string, ws = `${w}s`) => `${n} ${n === 1 ? w : ws}`;

function compileSummary(p: PatchResult): string {
	const by = (s: ObjectStatus) => p.compile.filter((o) => o.status === s);
	const total = p.compile.length;
	if (!total) return p.notKbuild.length ? 'no kbuild object to compile' : 'no .c file to compile';
	const parts: string[] = [];
	const built = by('ok').length + by('failed').length;
	if (by('failed').length) parts.push(`compile FAILED for ${by('failed').length} of ${built}`);
	else if (built) parts.push(`compile ok (${plural(built, 'object')})`);
	if (by('not-built').length) parts.push(`${by('not-built').length} not built by this configuration`);
	if (by('not-tried').length) parts.push(`${by('not-tried').length} not compiled`);
	return parts.join(', ');
}

/** One line per patch (and its findings below it), then the tip and tools/testing/vma. */
export function formatVerifyReport(r: VerifyReport, useColour = false): string {
	const c = color(useColour);
	const out: string[] = [];
	const cfg = r.config ? `${r.config.description}, ARCH=${r.config.arch}` : 'no build';
	out.push(`verify: base ${r.base.slice(0, 12)}, ${cfg}, -j${r.jobs}, ${r.seconds}s${r.kept ? `, scratch kept in ${r.scratch}` : ''}`);
	for (const n of r.notes) out.push(`  note: ${n}`);
	if (r.configProblem) out.push(`  ${r.configFailed ? c.red('FAIL') : 'note'}  ${r.configProblem}`);
	for (const p of r.patches) {
		const cp = p.checkpatch;
		const cps = cp.ran ? `checkpatch ${plural(cp.errors.length, 'error')}, ${plural(cp.warnings.length, 'warning')}, ${plural(cp.checks.length, 'check')}` : `checkpatch did not run (${cp.detail})`;
		const apply = p.apply.ok ? 'applies' : 'does NOT apply';
		const failedObj = p.compile.find((o) => o.status === 'failed');
		const failedDep = p.dependents?.find((o) => o.status === 'failed');
		const first = !p.apply.ok
			? `: git am: ${p.apply.output?.split('\n')[0] ?? 'failed'}`
			: cp.errors.length
				? `: ${cp.errors[0]!.message}`
				: failedObj
					? `: ${failedObj.file}: ${failedObj.errors?.[0] ?? 'does not compile'}`
					: failedDep
						? `: after it, ${failedDep.file} (another patch's) does not compile: ${failedDep.errors?.[0] ?? ''}`
						: '';
		out.push(`  ${p.ok ? c.green('ok  ') : c.red('FAIL')}  ${p.name}: ${apply}; ${cps}; ${compileSummary(p)}${p.ok ? '' : first}`);
		if (!p.apply.ok && p.apply.output) for (const l of p.apply.output.split('\n').slice(1)) out.push(`          | ${l}`);
		for (const f of [...cp.errors, ...cp.warnings, ...cp.checks]) out.push(`          checkpatch ${f.level}: ${f.message}${f.where ? ` (${f.where})` : ''}`);
		for (const o of p.compile.filter((o) => o.status === 'failed'))
			for (const e of o.errors ?? []) out.push(`          ${o.file}: ${e}`);
		const broken = (p.dependents ?? []).filter((o) => o.status === 'failed');
		if (broken.length) {
			out.push(`          after it, ${broken.length} of the series' other ${plural(p.dependents!.length, 'object')} do not build: ${broken.map((o) => o.file).join(', ')}`);
			for (const o of broken) for (const e of o.errors ?? []) out.push(`          ${o.file}: ${e}`);
		}
		const nb = p.compile.filter((o) => o.status === 'not-built').map((o) => o.file);
		if (nb.length) out.push(`          not built by this configuration (fails at base too): ${nb.join(', ')}`);
		if (p.notKbuild.length) out.push(`          not a kbuild object: ${p.notKbuild.join(', ')}`);
	}
	if (r.tip.length) {
		const bad = r.tip.filter((o) => o.status === 'failed');
		if (bad.length) {
			out.push(`  ${c.red('FAIL')}  series tip: ${bad.length} of ${r.tip.length} objects do not build: ${bad.map((o) => o.file).join(', ')}`);
			for (const o of bad) for (const e of o.errors ?? []) out.push(`          ${o.file}: ${e}`);
		} else out.push(`  ${c.green('ok  ')}  series tip: ${plural(r.tip.length, 'object')} build`);
	}
	const v = r.vma;
	if (v.status === 'not-needed') out.push('        tools/testing/vma: not run (the series touches neither mm/ nor tools/testing/vma)');
	else if (v.status === 'not-buildable') out.push(`  note  tools/testing/vma: not run: ${v.detail}`);
	else out.push(`  ${v.status === 'ok' ? c.green('ok  ') : c.red('FAIL')}  tools/testing/vma: ${v.detail}`);
	const failed = r.patches.filter((p) => !p.ok).length;
	out.push(
		r.ok
			? `verify: ${c.green('ok')} (${plural(r.patches.length, 'patch', 'patches')})`
			: `verify: ${c.red('FAILED')} (${failed} of ${plural(r.patches.length, 'patch', 'patches')}${r.tip.some((o) => o.status === 'failed') ? ', series tip' : ''}${r.vma.status === 'failed' ? ', tools/testing/vma' : ''}${r.configFailed ? ', build setup' : ''})`,
	);
	return out.join('\n');
}

/** The cover letter's paragraph on what --verify proved (and what it did not); with --boot, what the boot showed. */
export function testingSummary(r: VerifyReport, boot?: BootReport): string {
	const n = r.patches.length;
	const applied = r.patches.filter((p) => p.apply.ok).length;
	const errors = r.patches.reduce((k, p) => k + p.checkpatch.errors.length, 0);
	const warnings = r.patches.reduce((k, p) => k + p.checkpatch.warnings.length, 0);
	const checks = r.patches.reduce((k, p) => k + p.checkpatch.checks.length, 0);
	const objs = new Map<string, ObjectStatus>();
	for (const p of r.patches) for (const o of p.compile) if (objs.get(o.file) !== 'failed') objs.set(o.file, o.status);
	const files = (s: ObjectStatus) => [...objs].filter(([, st]) => st === s).map(([f]) => f);
	const s: string[] = [];
	const parts = [
		applied === n ? `${n === 1 ? 'the patch applies' : `the ${n} patches apply`} with git am` : `only ${applied} of ${n} patches apply with git am`,
		`scripts/checkpatch.pl --strict${r.signoff === 'senders' ? ' --no-signoff' : ''} reports ${plural(errors, 'error')}, ${plural(warnings, 'warning')} and ${plural(checks, 'check')}`,
	];
	if (r.config && !r.configFailed) {
		const ok = files('ok');
		const bad = files('failed');
		const tipOk = r.tip.every((o) => o.status === 'ok');
		if (ok.length || bad.length) {
			let c = `after each patch, the touched .c files that ${r.config.phrase} builds compile`;
			const notTried = files('not-tried');
			const skipped = notTried.length ? `; ${notTried.length} not compiled because ${notTried.length === 1 ? 'its patch does' : 'their patches do'} not apply` : '';
			if (bad.length) c = `after each patch, the touched .c files that ${r.config.phrase} builds were compiled and ${bad.length} of ${ok.length + bad.length} fail (${bad.join(', ')}${skipped})`;
			else c += ` (${plural(ok.length, 'file')}${skipped})`;
			if (r.tip.length) c += tipOk ? ' and still build at the end of the series' : ', but not all of them build at the end of the series';
			parts.push(c);
		}
	}
	s.push(`Tested with mmapify --verify on base-commit ${r.base.slice(0, 12)}: ${parts.join('; ')}.`);
	const nb = files('not-built');
	if (r.config && !r.configFailed) {
		if (nb.length) s.push(`Not compiled, because that configuration does not build them: ${nb.join(', ')}.`);
	} else s.push(`Nothing was compiled: ${r.configProblem ?? 'no .c file is touched'}.`);
	if (r.vma.status === 'ok') s.push(`tools/testing/vma builds and passes (${r.vma.detail}).`);
	else if (r.vma.status === 'failed') s.push(`tools/testing/vma FAILS: ${r.vma.detail}.`);
	else if (r.vma.status === 'not-buildable') s.push(`tools/testing/vma was not run: ${r.vma.detail}.`);
	s.push(boot ? bootTestingParagraph(boot) : 'No runtime testing was done.');
	return s.join(' ');
}
