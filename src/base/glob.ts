// Globs over tree-relative paths (forward slashes), as --exclude takes them.
// The rules are gitignore's, which kernel developers know:
//   *  any characters but '/'      ?  one character but '/'     [a-z] a class ([!a-z] negated)
//   ** any characters, '/' too (`drivers/**/test_*.c`, `**/selftests`)
//   a pattern without '/' matches a file name or a folder name at any depth
//     (`*_test.c`, `staging`); one with '/' is anchored at the tree root
//     (`drivers/gpu`, `/fs/*.c`; a leading '/' or './' is dropped);
//   a pattern that matches a folder matches every file under it.

/** The tree-relative paths a glob matches. */
export function globMatcher(pattern: string): (file: string) => boolean {
	let p = pattern.trim().replace(/\\/g, '/');
	const anchored = /^\.?\//.test(p) || p.replace(/\/+$/, '').includes('/');
	p = p.replace(/^\.?\/+/, '').replace(/\/+$/, '');
	if (!p) return () => false;
	const body = globBody(p);
	const re = new RegExp(`${anchored ? '^' : '(?:^|/)'}${body}(?:/.*)?$`);
	return (file) => re.test(file.replace(/^\.\//, ''));
}

/** One matcher for several globs: the first one that matches a file, or undefined. */
export function globsMatcher(patterns: string[]): (file: string) => string | undefined {
	const ms = patterns.map((p) => [p, globMatcher(p)] as const);
	return (file) => ms.find(([, m]) => m(file))?.[0];
}

function globBody(p: string): string {
	let out = '';
	for (let i = 0; i < p.length; i++) {
		const ch = p[i]!;
		if (ch === '*') {
			if (p[i + 1] === '*') {
				const atStart = i === 0 || p[i - 1] === '/';
				i++;
				if (atStart && p[i + 1] === '/') {
					out += '(?:.*/)?';
					i++;
				} else out += '.*';
			} else out += '[^/]*';
		} else if (ch === '?') out += '[^/]';
		else if (ch === '[') {
			const close = p.indexOf(']', i + 2);
			if (close < 0) out += '\\[';
			else {
				let cls = p.slice(i + 1, close);
				if (cls.startsWith('!')) cls = '^' + cls.slice(1);
				out += `[${cls.replace(/\\/g, '\\\\')}]`;
				i = close;
			}
		} else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
	}
	return out;
}
