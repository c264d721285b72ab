// The xdiff port (see ../gitobj.ts): records and their classification (xprepare.c).

/** One change of the edit script: chg1 lines at i1 in the old file became chg2 lines at i2. */
export interface Change {
	i1: number;
	i2: number;
	chg1: number;
	chg2: number;
}

/** A file's records (lines with their '\n') plus the state xdiff keeps per file. */
export interface XdFile {
	recs: string[];
	ha: Int32Array; // equivalence class of each record
	/** changed[i + 1] for record i; slots 0 and nrec + 1 are always-false guards */
	changed: Uint8Array;
	rindex: number[]; // records that take part in the Myers pass
	nreff: number;
}

/** Split text into git's records: each line keeps its '\n'; a last line may lack it. */
export function splitLines(text: string): string[] {
	return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const MAX_EQLIMIT = 1024;
const KPDIS_RUN = 4;
const SIMSCAN_WINDOW = 100;
export const MAX_COST_MIN = 256;
export const HEUR_MIN_COST = 256;
export const SNAKE_CNT = 20;
export const K_HEUR = 4;
export const LINE_MAX = 2 ** 52;

export function bogosqrt(n: number): number {
	let i = 1;
	for (; n > 0; n = Math.floor(n / 4)) i *= 2;
	return i;
}

/** xdl_clean_mmatch: discard a multi-match line only inside a run of unmatched ones. */
function cleanMmatch(dis: Uint8Array, i: number, s: number, e: number): boolean {
	if (i - s > SIMSCAN_WINDOW) s = i - SIMSCAN_WINDOW;
	if (e - i > SIMSCAN_WINDOW) e = i + SIMSCAN_WINDOW;
	let r: number;
	let rdis0 = 0;
	let rpdis0 = 1;
	for (r = 1; i - r >= s; r++) {
		if (!dis[i - r]) rdis0++;
		else if (dis[i - r] === 2) rpdis0++;
		else break;
	}
	if (rdis0 === 0) return false;
	let rdis1 = 0;
	let rpdis1 = 1;
	for (r = 1; i + r <= e; r++) {
		if (!dis[i + r]) rdis1++;
		else if (dis[i + r] === 2) rpdis1++;
		else break;
	}
	if (rdis1 === 0) return false;
	rdis1 += rdis0;
	rpdis1 += rpdis0;
	return rpdis1 * KPDIS_RUN < rpdis1 + rdis1;
}

export function prepare(a: string, b: string): [XdFile, XdFile] {
	const classes = new Map<string, number>();
	const mk = (text: string): XdFile => {
		const recs = splitLines(text);
		const ha = new Int32Array(recs.length);
		recs.forEach((r, i) => {
			let c = classes.get(r);
			if (c === undefined) classes.set(r, (c = classes.size));
			ha[i] = c;
		});
		return { recs, ha, changed: new Uint8Array(recs.length + 2), rindex: [], nreff: 0 };
	};
	const x1 = mk(a);
	const x2 = mk(b);

	// xdl_trim_ends: the common head and tail never enter the Myers pass.
	const lim = Math.min(x1.recs.length, x2.recs.length);
	let start = 0;
	while (start < lim && x1.ha[start] === x2.ha[start]) start++;
	let tail = 0;
	while (tail < lim - start && x1.ha[x1.recs.length - 1 - tail] === x2.ha[x2.recs.length - 1 - tail]) tail++;

	// xdl_cleanup_records: lines with no match on the other side are changed
	// outright; lines with very many matches are dropped when inside such runs.
	const count = (x: XdFile) => {
		const m = new Map<number, number>();
		for (const c of x.ha) m.set(c, (m.get(c) ?? 0) + 1);
		return m;
	};
	const cnt1 = count(x1);
	const cnt2 = count(x2);
	const clean = (x: XdFile, other: Map<number, number>) => {
		const n = x.recs.length;
		const dend = n - tail - 1;
		const mlim = Math.min(bogosqrt(n), MAX_EQLIMIT);
		const dis = new Uint8Array(n + 1);
		for (let i = start; i <= dend; i++) {
			const nm = other.get(x.ha[i]!) ?? 0;
			dis[i] = nm === 0 ? 0 : nm >= mlim ? 2 : 1;
		}
		for (let i = start; i <= dend; i++) {
			if (dis[i] === 1 || (dis[i] === 2 && !cleanMmatch(dis, i, start, dend))) x.rindex.push(i);
			else x.changed[i + 1] = 1;
		}
		x.nreff = x.rindex.length;
	};
	// Both passes count against the other file before either marks anything.
	clean(x1, cnt2);
	clean(x2, cnt1);
	return [x1, x2];
}
