// Path quoting as git does it in diff headers (quote.c: quote_c_style with core.quotePath=true).

const NAMED_ESCAPES: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\' };

/** A path as git prints it in diff headers: verbatim, or C-quoted when it has odd bytes. */
export function quotePath(path: string): string {
	const bytes = Buffer.from(path, 'utf8');
	if (!bytes.some((b) => b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f)) return path;
	let out = '"';
	for (const b of bytes) {
		if (NAMED_ESCAPES[b] !== undefined) out += '\\' + NAMED_ESCAPES[b];
		else if (b < 0x20 || b >= 0x7f) out += '\\' + b.toString(8).padStart(3, '0');
		else out += String.fromCharCode(b);
	}
	return out + '"';
}

export function prefixed(prefix: string, path: string): string {
	const q = quotePath(path);
	return q.startsWith('"') ? `"${prefix}${q.slice(1)}` : prefix + q;
}
