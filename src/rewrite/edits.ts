// Edits: a replacement of [start, end) by text, applied with magic-string (every
// byte outside them stays as it was), and edits collected per file with the rule
// ids that produced them.
import MagicString from 'magic-string';

export interface Edit {
	start: number;
	end: number;
	text: string;
}

/** Apply non-overlapping edits to source; throws if two edits overlap. */
export function applyEdits(source: string, edits: Edit[]): string {
	const ms = new MagicString(source);
	const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
	for (let i = 0; i < sorted.length; i++) {
		const e = sorted[i]!;
		const prev = sorted[i - 1];
		if (prev && e.start < prev.end) throw new Error(`overlapping edits at ${prev.start}-${prev.end} and ${e.start}-${e.end}`);
		if (e.start === e.end) ms.appendLeft(e.start, e.text);
		else ms.overwrite(e.start, e.end, e.text);
	}
	return ms.toString();
}


export class EditSet {
	readonly byFile = new Map<string, Edit[]>();
	readonly rules = new Set<string>();

	add(file: string, e: Edit, rule?: string): void {
		let l = this.byFile.get(file);
		if (!l) this.byFile.set(file, (l = []));
		if (!l.some((x) => x.start === e.start && x.end === e.end && x.text === e.text)) l.push(e);
		if (rule) this.rules.add(rule);
	}

	/** Does [start, end) touch an edit already made in file? */
	overlaps(file: string, start: number, end: number): boolean {
		return (this.byFile.get(file) ?? []).some((e) => start < e.end && e.start < end);
	}

	merge(other: EditSet): void {
		for (const [f, es] of other.byFile) for (const e of es) this.add(f, e);
		other.rules.forEach((r) => this.rules.add(r));
	}

	get files(): string[] {
		return [...this.byFile.keys()];
	}
}
