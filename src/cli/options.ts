// What every command's output options mean, in one place: --format (and
// --json), --color, -q/--quiet, -v/--verbose, -j; and the one rule that keeps
// -v unambiguous for the convert command.
import type { Argv } from 'yargs';
import { UsageError } from '../kernel/tree.js';
import { COLOR_MODES, colorEnabled, terminalWidth, type ColorMode } from '../ui/term.js';

export type Format = 'text' | 'json' | 'gcc';
export const FORMATS: readonly Format[] = ['text', 'json', 'gcc'];

/** How a command prints. */
export interface Output {
	format: Format;
	/** ANSI colours on stdout */
	color: boolean;
	/** the colour mode asked for (for stderr and other streams) */
	colorMode: ColorMode;
	quiet: boolean;
	verbose: boolean;
	/** the width tables must fit; undefined: no limit (not a terminal) */
	width?: number;
}

export interface OutputArgs {
	json?: boolean;
	format?: string;
	color?: string;
	quiet?: boolean;
	verbose?: boolean;
}

/**
 * `-v` as kernel developers type it: `-v N`, `-vN` and `-v=N` with a number
 * are git format-patch's reroll count; `-v` alone (or before anything that is
 * not a number) is --verbose. A path that is a bare number after -v must be
 * written `./N`. Only the convert command has a reroll count; `--` ends the
 * options as usual.
 */
export function rerollOrVerbose(argv: string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i]!;
		if (a === '--') {
			out.push(...argv.slice(i));
			break;
		}
		let m: RegExpExecArray | null;
		if ((m = /^-v=?(\d+)$/.exec(a))) out.push('--reroll-count', m[1]!);
		else if (a === '-v' && /^\d+$/.test(argv[i + 1] ?? '')) out.push('--reroll-count', argv[++i]!);
		else if (a === '-v') out.push('--verbose');
		else out.push(a);
	}
	return out;
}

/** The output options shared by the commands (their help text included). */
export function withOutputOptions<T>(y: Argv<T>, opts: { gcc?: string; verboseAlias?: boolean } = {}): Argv<T> {
	return y
		.option('json', { type: 'boolean', default: false, describe: 'print the JSON report (docs/json.md); the same as --format json' })
		.option('format', { type: 'string', choices: opts.gcc ? FORMATS : FORMATS.filter((f) => f !== 'gcc'), describe: `text (default), json${opts.gcc ? `, or gcc: ${opts.gcc}` : ''}` })
		.option('color', { type: 'string', choices: COLOR_MODES, default: 'auto', describe: 'colour the output: auto (a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces it), always, never' })
		.option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only what matters: failures and the files written (no report, no progress)' })
		.option('verbose', { ...(opts.verboseAlias ? { alias: 'v' } : {}), type: 'boolean', default: false, describe: 'say more: rules applied, refusal codes, every hook' });
}

/** Output from parsed options; a bad combination is a usage error. */
export function resolveOutput(args: OutputArgs, stream: NodeJS.WriteStream = process.stdout): Output {
	if (args.json && args.format && args.format !== 'json') throw new UsageError(`--json and --format ${args.format} contradict each other`);
	if (args.quiet && args.verbose) throw new UsageError('--quiet and --verbose contradict each other');
	const format = (args.json ? 'json' : (args.format ?? 'text')) as Format;
	const colorMode = (args.color ?? 'auto') as ColorMode;
	return {
		format,
		colorMode,
		color: format === 'text' && colorEnabled(colorMode, stream),
		quiet: !!args.quiet,
		verbose: !!args.verbose,
		width: terminalWidth(stream),
	};
}

/** -j N: the worker threads of the run (and make -j of --verify). */
export function applyJobs(jobs: number | undefined): void {
	if (jobs === undefined) return;
	if (!(Number.isInteger(jobs) && jobs > 0)) throw new UsageError('-j/--jobs needs a positive integer');
	// The pool's size is a property of the process, read when it starts.
	process.env.MMAPIFY_WORKERS = String(jobs);
}
