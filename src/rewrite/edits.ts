// Edits collected per file, with the rule ids that produced them.
import type { Edit } from './engine.js';

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
