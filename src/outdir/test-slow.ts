// TEST ONLY: MMAPIFY_TEST_SLOW_MOVES=MS makes the output folder's swap
// (src/outdir/outdir.ts) wait MS milliseconds before each of its steps (each
// rename, the commit, the clean-up) and name the step on stderr first
// ("mmapify: test step: aside NAME"), so that a test can kill or interrupt
// mmapify at a chosen instant of replacing a series, look at the folder
// meanwhile, or start a second run while the first holds the folder. The CLI
// says so on stderr. Nothing else reads it; unset, the swap runs at full
// speed and says nothing.

let announced = false;

/** The delay before each step of a swap, in milliseconds (0 unless the test variable is set). */
export function slowMoves(): number {
	const v = process.env.MMAPIFY_TEST_SLOW_MOVES;
	if (!v) return 0;
	const ms = Number(v);
	if (!Number.isFinite(ms) || ms < 0) return 0;
	if (!announced) {
		announced = true;
		process.stderr.write(`mmapify: MMAPIFY_TEST_SLOW_MOVES (test only): waiting ${ms} ms before each step of the swap in the output folder\n`);
	}
	return ms;
}

/** Name the step and wait before it (resolves at once, silently, without the test variable). */
export function beforeStep(step: string): Promise<void> {
	const ms = slowMoves();
	if (!ms) return Promise.resolve();
	process.stderr.write(`mmapify: test step: ${step}\n`);
	return new Promise((r) => setTimeout(r, ms));
}

/** Say which way the series is put in place, and why ("exchange", "per-file (REASON)"); silent without the test variable. */
export function announcePath(how: string): void {
	if (slowMoves()) process.stderr.write(`mmapify: test path: ${how}\n`);
}
