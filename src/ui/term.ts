// Terminal output: colours only on a TTY (and never with NO_COLOR).
export const useColor = (stream: NodeJS.WriteStream = process.stdout) => stream.isTTY === true && !process.env.NO_COLOR;

export const color = (on: boolean) => ({
	red: (s: string) => (on ? `\x1b[31m${s}\x1b[0m` : s),
	green: (s: string) => (on ? `\x1b[32m${s}\x1b[0m` : s),
	cyan: (s: string) => (on ? `\x1b[36m${s}\x1b[0m` : s),
	bold: (s: string) => (on ? `\x1b[1m${s}\x1b[0m` : s),
});

/** A unified diff with removed lines red, added green, hunk headers cyan. */
export function colourDiff(text: string, on: boolean): string {
	const c = color(on);
	return text
		.split('\n')
		.map((l) => (l.startsWith('+++') || l.startsWith('---') ? c.bold(l) : l.startsWith('+') ? c.green(l) : l.startsWith('-') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
		.join('\n');
}
