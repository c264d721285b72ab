// TEST ONLY: MMAPIFY_TEST_SLOW_MOVES=MS makes the output folder's swap
// (src/outdir/outdir.ts) wait MS milliseconds before each rename, so that a test can
// kill or interrupt mmapify in the middle of replacing a series, or start a
// second run while the first holds the folder. The CLI says so on stderr.
// Nothing else reads it; unset, the swap runs at full speed.

let announced = false;

/** The delay before each move of a swap, in milliseconds (0 unless the test variable is set). */
export function slowMoves(): number {
	const v = process.env.MMAPIFY_TEST_SLOW_MOVES;
	if (!v) return 0;
	const ms = Number(v);
	if (!Number.isFinite(ms) || ms < 0) return 0;
	if (!announced) {
		announced = true;
		process.stderr.write(`mmapify: MMAPIFY_TEST_SLOW_MOVES (test only): waiting ${ms} ms before each move in the output folder\n`);
	}
	return ms;
}

/** Wait before a move (resolves at once without the test variable). */
export function beforeMove(): Promise<void> {
	const ms = slowMoves();
	return ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
