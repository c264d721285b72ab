// SIGINT and SIGTERM during a swap: noted, and acted on between its steps
// (the swap is undone, then the process exits 130 or 143), so that a signal
// never leaves a half-replaced series or a temporary folder behind.

export const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type Sig = keyof typeof SIGNALS;

/** SIGINT/SIGTERM during a transaction are noted and acted on between its steps. */
export class Interrupts {
	got: Sig | undefined;
	private readonly handlers = new Map<Sig, () => void>();
	constructor() {
		for (const s of Object.keys(SIGNALS) as Sig[]) {
			const h = () => {
				this.got ??= s;
			};
			this.handlers.set(s, h);
			process.on(s, h);
		}
	}
	remove(): void {
		for (const [s, h] of this.handlers) process.removeListener(s, h);
	}
}

export class Interrupted extends Error {
	constructor(readonly signal: Sig) {
		super(signal);
	}
}
