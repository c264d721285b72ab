// The words with "mmap" in them, found by searching for "mmap" and widening
// to the word: much faster than a regular expression over a whole file, and
// every name mmapify follows has "mmap" in it.

/** [A-Za-z0-9_], a regular expression's \w */
export const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** a regular expression's \s, within Latin-1 */
export const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 160;

/** Each whole word of text that contains "mmap", with its [start, end). */
export function forEachMmapWord(text: string, each: (word: string, start: number, end: number) => void): void {
	for (let i = text.indexOf('mmap'); i !== -1; ) {
		let a = i;
		let b = i + 4;
		while (a > 0 && isWord(text.charCodeAt(a - 1))) a--;
		while (b < text.length && isWord(text.charCodeAt(b))) b++;
		each(text.slice(a, b), a, b);
		i = text.indexOf('mmap', b);
	}
}

/** The distinct words with "mmap" written before a `(` (blanks between): what /\b(\w*mmap\w*)\s*\(/g finds. */
export function mmapCallWords(text: string): string[] {
	const out = new Set<string>();
	forEachMmapWord(text, (w, _a, b) => {
		let j = b;
		while (j < text.length && isSpace(text.charCodeAt(j))) j++;
		if (text.charCodeAt(j) === 40 /* ( */) out.add(w);
	});
	return [...out];
}
