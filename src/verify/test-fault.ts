// TEST ONLY: the fault injection that lets the end-to-end tests see --verify
// and --verify --boot catch a broken series (MMAPIFY_TEST_FAULT). Nothing else
// calls it; the CLI says so on stderr whenever it applies one.
import { structuredPatch } from 'diff';

/** What a fault may need of the tree the series was made from. */
export interface FaultContext {
	/** a file of the tree, as the series' diffs start from it */
	read(path: string): string;
}

/** A hook a fault converted itself, for --boot to claim (file and function as in the base tree). */
export interface FaultHook {
	file: string;
	function: string;
}

type SeriesLike = { path: string; text: string; patch: boolean; files: string[] };

/**
 * TEST ONLY. MMAPIFY_TEST_FAULT=KIND:WHICH corrupts one generated line of one
 * patch after the series passed its own checks, so that the end-to-end test
 * can see --verify catch it. KIND is `compile` (a statement line gets an
 * undeclared identifier appended: the patch applies but does not build) or
 * `apply` (a context line changes: git am refuses the patch). WHICH is a
 * patch number (1-based) or a path the patch touches. Returns the corrupted
 * texts and what was done; throws when nothing matches.
 *
 * The faults --boot must catch (they build, pass checkpatch and `git am`;
 * only a boot shows them) rewrite the series' text, not mmapify's rules, so
 * they hold whatever the converter does today:
 *   boot-einval-to-0:PATH  turns the first `return -EINVAL;` of PATH's hunks
 *       (added or context: a context line becomes a change) into `return 0;`
 *       (udmabuf accepting the private mapping it refuses).
 *   boot-eERRNO-to-0:PATH  the same for another errno: boot-eperm-to-0 turns
 *       `return -EPERM;` into `return 0;` (selinuxfs's status page accepting
 *       the writable mapping it refuses).
 *   boot-drop-private:sound/core/memalloc.c  writes the ALSA memalloc
 *       conversion the old, wrong way itself: snd_dma_continuous_mmap()
 *       becomes an mmap_prepare hook and snd_dma_buffer_mmap() a compat shim
 *       that does not keep the vm_private_data its callers set (the PCM
 *       substream: snd_pcm's vm_ops then dereference NULL on munmap and fork).
 *       It replaces the series' own diff of that file, or adds one to the
 *       last patch when the series leaves the file alone (the rules refused
 *       it), and names the hook it converted for --boot to claim.
 */
export function injectTestFault<T extends SeriesLike>(files: T[], spec: string, ctx?: FaultContext): { files: T[]; what: string; hooks: FaultHook[] } {
	if (/^boot-/.test(spec.trim())) return injectBootFault(files, spec, ctx);
	const m = /^(compile|apply):(.+)$/.exec(spec.trim());
	if (!m) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: expected compile:N|PATH or apply:N|PATH (or boot-einval-to-0:PATH, boot-drop-private:${MEMALLOC})`);
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
		hooks: [],
	};
}

const MEMALLOC = 'sound/core/memalloc.c';

function injectBootFault<T extends SeriesLike>(files: T[], spec: string, ctx?: FaultContext): { files: T[]; what: string; hooks: FaultHook[] } {
	const m = /^boot-(drop-private|e([a-z]+)-to-0):(\S+)$/.exec(spec.trim());
	if (!m) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: expected boot-einval-to-0:PATH or boot-drop-private:${MEMALLOC} (or boot-eERRNO-to-0:PATH for another errno, e.g. boot-eperm-to-0:PATH)`);
	const [, kind, errno, file] = m as unknown as [string, string, string | undefined, string];
	const patches = files.filter((f) => f.patch);
	const touching = patches.filter((p) => p.text.includes(`diff --git a/${file} b/${file}`));
	if (errno) {
		const ret = `return -E${errno.toUpperCase()};`;
		const target = touching[0];
		if (!target) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: no patch of the series touches ${file}`);
		let once = false;
		const r = rewrite(target.text, file, (l) => {
			if (once || !l.includes(ret)) return undefined;
			once = true;
			return l.replace(ret, 'return 0;');
		});
		if (!r.changed.length) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: no "${ret}" in the hunks of ${file}`);
		return { files: files.map((f) => (f === target ? { ...f, text: r.text } : f)), what: `${target.path} (${file}): changed "${r.changed[0]}"`, hooks: [] };
	}
	if (file !== MEMALLOC) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: boot-drop-private knows only ${MEMALLOC}`);
	if (!ctx) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: needs the tree to read ${file}`);
	if (touching.length > 1) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: ${touching.length} patches touch ${file}`);
	const before = ctx.read(file);
	const section = fileDiff(file, before, wrongMemallocShim(before, spec));
	const target = touching[0] ?? patches.at(-1);
	if (!target) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: the series has no patch to add ${file} to`);
	const text = touching.length ? replaceSection(target.text, file, section) : addSection(target.text, section);
	return {
		files: files.map((f) => (f === target ? { ...f, text, files: f.files.includes(file) ? f.files : [...f.files, file] } : f)),
		what: `${target.path}: ${touching.length ? 'replaced its diff of' : 'added a diff of'} ${file} converting snd_dma_continuous_mmap() behind a compat shim in snd_dma_buffer_mmap() that does not keep vm_private_data`,
		hooks: [{ file, function: 'snd_dma_continuous_mmap' }],
	};
}

/** sound/core/memalloc.c as the whole-tree 7.3 series of review-7.3.md converted it: builds, and oopses. */
function wrongMemallocShim(c: string, spec: string): string {
	const edits: Array<[RegExp, string]> = [
		[/^(\tint \(\*mmap\)\(struct snd_dma_buffer \*dmab, struct vm_area_struct \*area\);\n)/m, '$1\tint (*mmap_prepare)(struct snd_dma_buffer *dmab, struct vm_area_desc *desc);\n'],
		[
			/^(\tif \(ops && ops->mmap\)\n\t\treturn ops->mmap\(dmab, area\);\n)/m,
			'\tif (ops && ops->mmap_prepare) {\n\t\tstruct vm_area_desc desc = {};\n\t\tint err;\n\n\t\tcompat_set_desc_from_vma(&desc, area->vm_file, area);\n\t\terr = ops->mmap_prepare(dmab, &desc);\n\t\tif (err)\n\t\t\treturn err;\n\t\treturn __compat_vma_mmap(&desc, area);\n\t}\n$1',
		],
		[
			/^static int snd_dma_continuous_mmap\(struct snd_dma_buffer \*dmab,\n\t+ *struct vm_area_struct \*area\)\n\{\n\treturn remap_pfn_range\(area, area->vm_start,\n\t+ *dmab->addr >> PAGE_SHIFT,\n\t+ *area->vm_end - area->vm_start,\n\t+ *area->vm_page_prot\);\n\}\n/m,
			'static int snd_dma_continuous_mmap_prepare(struct snd_dma_buffer *dmab,\n\t\t\t\t\t   struct vm_area_desc *desc)\n{\n\tmmap_action_remap_full(desc, dmab->addr >> PAGE_SHIFT);\n\treturn 0;\n}\n',
		],
		[/^\t\.mmap = snd_dma_continuous_mmap,$/m, '\t.mmap_prepare = snd_dma_continuous_mmap_prepare,'],
	];
	for (const [re, to] of edits) {
		if (!re.test(c)) throw new Error(`MMAPIFY_TEST_FAULT=${spec}: ${MEMALLOC} is not the one this fault knows (no ${re.source.slice(0, 60)}...)`);
		c = c.replace(re, to);
	}
	return c;
}

/** One file's section of a git diff (no index line: git am applies it without one). */
function fileDiff(file: string, before: string, after: string): string {
	const p = structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
	const out = [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`];
	for (const h of p.hunks) out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines);
	return out.join('\n') + '\n';
}

/** The mail with FILE's section replaced by SECTION. */
function replaceSection(mail: string, file: string, section: string): string {
	const start = mail.indexOf(`diff --git a/${file} b/${file}\n`);
	const rest = mail.slice(start + 1);
	const next = rest.search(/^(diff --git |-- $)/m);
	return mail.slice(0, start) + section + (next < 0 ? '' : rest.slice(next));
}

/** The mail with SECTION added after its last diff (before the signature). */
function addSection(mail: string, section: string): string {
	const sig = mail.search(/^-- $/m);
	return sig < 0 ? `${mail.replace(/\n*$/, '\n')}${section}` : mail.slice(0, sig) + section + mail.slice(sig);
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

