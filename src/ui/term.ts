// Terminal output: when to colour, how wide a line may be, the colours.

export type ColorMode = 'auto' | 'always' | 'never';
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

interface Stream {
	isTTY?: boolean;
	columns?: number;
}

/**
 * Colour or not, as other command-line tools decide it: --color always/never
 * wins; in auto, FORCE_COLOR turns it on (0 or false: off), then NO_COLOR (any
 * non-empty value) and TERM=dumb turn it off, and otherwise the stream must be
 * a terminal.
 */
export function colorEnabled(mode: ColorMode = 'auto', stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
	if (mode === 'always') return true;
	if (mode === 'never') return false;
	const force = env.FORCE_COLOR;
	if (force !== undefined) return !/^(0|false)$/i.test(force);
	if (env.NO_COLOR) return false;
	if (env.TERM === 'dumb') return false;
	return stream.isTTY === true;
}

/** --color auto on stdout (the environment decides). */
export const useColor = (stream: Stream = process.stdout) => colorEnabled('auto', stream);

/**
 * The width tables must fit: the terminal's, or COLUMNS when set; undefined
 * (no limit) for a pipe or a file, so that nothing is cut there.
 */
export function terminalWidth(stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): number | undefined {
	const cols = Number(env.COLUMNS);
	if (Number.isInteger(cols) && cols > 0) return cols;
	if (stream.isTTY) return stream.columns && stream.columns > 0 ? stream.columns : 80;
	return undefined;
}

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
