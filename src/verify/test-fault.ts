// TEST ONLY: the fault injection that lets the end-to-end test see --verify
// catch a broken series (MMAPIFY_TEST_FAULT). Nothing else calls it.

/**
 * TEST ONLY. MMAPIFY_TEST_FAULT=KIND:WHICH corrupts one generated line of one
 * patch after the series passed its own checks, so that the end-to-end test
 * can see --verify catch it. KIND is `compile` (a statement line gets an
 * undeclared identifier appended: the patch applies but does not build) or
 * `apply` (a context line changes: git am refuses the patch). WHICH is a
 * patch number (1-based) or a path the patch touches. Returns the corrupted
 * texts and what was done; throws when nothing matches.
 */
export function injectTestFault<T extends { path: string; text: string; patch: boolean; files: string[] }>(
	files: T[],
	spec: string,
): { files: T[]; what: string } {
	const m = /^(compile|apply):(.+)$/.exec(spec.trim());
	if (!m) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: expected compile:N|PATH or apply:N|PATH`);
	const [, kind, which] = m as unknown as [string, 'compile' | 'apply', string];
	const patches = files.filter((f) => f.patch);
	const target = /^\d+$/.test(which) ? patches[Number(which) - 1] : patches.find((p) => p.files.includes(which));
	if (!target) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: no such patch`);
	const lines = target.text.split('\n');
	let file: string | undefined;
	let inHunk = false;
	let done = -1;
	for (let i = 0; i < lines.length && done < 0; i++) {
		const l = lines[i]!;
		const d = /^diff --git a\/(\S+) b\//.exec(l);
		if (d) {
			file = d[1];
			inHunk = false;
			continue;
		}
		if (l.startsWith('@@ ')) inHunk = true;
		if (!inHunk || !file || (!/^\d+$/.test(which) && file !== which)) continue;
		if (/^\d+$/.test(which) && !file.endsWith('.c')) continue;
		if (kind === 'compile' && /^\+\t.*;/.test(l)) {
			const at = l.lastIndexOf(';') + 1;
			lines[i] = `${l.slice(0, at)} mmapify_injected_fault;${l.slice(at)}`;
			done = i;
		} else if (kind === 'apply' && /^ \S/.test(l)) {
			lines[i] = ` /* mmapify injected fault */ ${l.slice(1)}`;
			done = i;
		}
	}
	if (done < 0) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: no line to corrupt in ${target.path}`);
	const text = lines.join('\n');
	return {
		files: files.map((f) => (f === target ? { ...f, text } : f)),
		what: `${target.path} (${file}): ${kind === 'compile' ? 'added an undeclared identifier to' : 'changed the context line'} "${lines[done]!.slice(1).trim()}"`,
	};
}

