// Text helpers that know nothing of C: lines and regular expressions.

/** 1-based line of a string index, by binary search over the newline positions (same as lineOf()). */
export function lineMap(src: string): (index: number) => number {
	let nl: number[] | undefined;
	return (index) => {
		if (!nl) {
			nl = [];
			for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) nl.push(i);
		}
		let lo = 0;
		let hi = nl.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (nl[mid]! < index) lo = mid + 1;
			else hi = mid;
		}
		return lo + 1;
	};
}

/** text with the characters special in a regular expression escaped. */
export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex matching any of names as a whole word, longest first. */
export function namesRegex(names: string[]): RegExp {
	return new RegExp(`\\b(${[...new Set(names)].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})\\b`, 'g');
}
