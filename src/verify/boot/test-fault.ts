// TEST ONLY. Faults that --boot must catch, applied to a generated series
// before it is booted, so that the end-to-end test can watch the run-time
// check fail (MMAPIFY_TEST_FAULT=boot-drop-private:PATH|boot-einval-to-0:PATH;
// the caller says so on stderr). They rewrite patch text, not mmapify's
// rules, so they hold whatever the converter does today:
//   boot-drop-private:PATH  drops every added line of PATH's hunks that
//       carries vm_private_data / private_data across a compat shim (the ALSA
//       memalloc shim that forgets the substream a caller stored: snd_pcm's
//       vm_ops then dereference NULL on munmap and fork). A shim that already
//       carries nothing is left as it is, and the result says so.
//   boot-einval-to-0:PATH   turns the first `return -EINVAL;` of PATH's hunks
//       (added or context: a context line becomes a change) into
//       `return 0;` (udmabuf's refusal of private mappings).

export interface FaultResult<T> {
	patches: T[];
	what: string;
}

interface Hunk {
	header: number;
	oldStart: number;
	oldLen: number;
	newStart: number;
	newLen: number;
}

function rewrite(text: string, file: string, edit: (line: string, added: boolean) => string | null | undefined): { text: string; changed: string[] } {
	const lines = text.split('\n');
	const out: string[] = [];
	const changed: string[] = [];
	let cur: string | undefined;
	let hunk: Hunk | undefined;
	let shift = 0;
	const H = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;
	const flush = () => {
		if (hunk) out[hunk.header] = `@@ -${hunk.oldStart},${hunk.oldLen} +${hunk.newStart},${hunk.newLen} @@${(H.exec(out[hunk.header]!) ?? [])[5] ?? ''}`;
		hunk = undefined;
	};
	for (const l of lines) {
		const d = /^diff --git a\/(\S+) b\//.exec(l);
		if (d || l === '-- ') {
			flush();
			cur = d?.[1];
			shift = 0;
			out.push(l);
			continue;
		}
		const h = H.exec(l);
		if (h && cur) {
			flush();
			hunk = { header: out.length, oldStart: +h[1]!, oldLen: h[2] === undefined ? 1 : +h[2], newStart: +h[3]! + shift, newLen: h[4] === undefined ? 1 : +h[4] };
			out.push(l);
			continue;
		}
		if (hunk && cur === file && (l.startsWith('+') || l.startsWith(' '))) {
			const added = l.startsWith('+');
			const e = edit(l.slice(1), added);
			if (e === null && added) {
				hunk.newLen--;
				shift--;
				changed.push(l.slice(1).trim());
				continue;
			}
			if (typeof e === 'string' && e !== l.slice(1)) {
				changed.push(`${l.slice(1).trim()} -> ${e.trim()}`);
				// a context line becomes a change: the old line goes, the new one comes
				if (!added) out.push(`-${l.slice(1)}`);
				out.push(`+${e}`);
				continue;
			}
		}
		out.push(l);
	}
	flush();
	return { text: out.join('\n'), changed };
}

export function isBootFault(spec: string | undefined): boolean {
	return !!spec && /^boot-(drop-private|einval-to-0):/.test(spec.trim());
}

export function injectBootFault<T extends { name: string; text: string }>(patches: T[], spec: string): FaultResult<T> {
	const m = /^boot-(drop-private|einval-to-0):(\S+)$/.exec(spec.trim());
	if (!m) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: expected boot-drop-private:PATH or boot-einval-to-0:PATH`);
	const [, kind, file] = m as unknown as [string, string, string];
	const target = patches.find((p) => p.text.includes(`diff --git a/${file} b/${file}`));
	if (!target) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: no patch of the series touches ${file}`);
	let once = false;
	const edit =
		kind === 'drop-private'
			? (l: string, added: boolean) => (added && /\bprivate_data\b/.test(l) ? null : undefined)
			: (l: string) => {
					if (once || !/\breturn -EINVAL;/.test(l)) return undefined;
					once = true;
					return l.replace('return -EINVAL;', 'return 0;');
				};
	const r = rewrite(target.text, file, edit);
	if (kind === 'einval-to-0' && !r.changed.length) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: no "return -EINVAL;" in the hunks of ${file}`);
	const what = r.changed.length
		? `${target.name} (${file}): ${kind === 'drop-private' ? 'dropped' : 'changed'} ${r.changed.map((c) => `"${c}"`).join(', ')}`
		: `${target.name} (${file}): no added line carries private_data (the shim already leaves vm_private_data behind)`;
	return { patches: patches.map((p) => (p === target ? { ...p, text: r.text } : p)), what };
}
