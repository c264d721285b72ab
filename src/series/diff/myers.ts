// The xdiff port (see ../gitobj.ts): Myers with xdiff's cost heuristics (xdiffi.c: xdl_split, xdl_recs_cmp).
import { HEUR_MIN_COST, K_HEUR, LINE_MAX, SNAKE_CNT, XdFile } from './prepare.js';

export interface Env {
	x1: XdFile;
	x2: XdFile;
	kvd: Float64Array;
	fo: number; // offset of diagonal 0 in the forward vector
	bo: number; // ... and in the backward vector
	mxcost: number;
}

function hash(x: XdFile, i: number): number {
	return x.ha[x.rindex[i]!]!;
}

export function split(env: Env, off1: number, lim1: number, off2: number, lim2: number, needMin: boolean) {
	const { x1, x2, kvd, fo, bo } = env;
	const dmin = off1 - lim2;
	const dmax = lim1 - off2;
	const fmid = off1 - off2;
	const bmid = lim1 - lim2;
	const odd = (fmid - bmid) & 1;
	let fmin = fmid;
	let fmax = fmid;
	let bmin = bmid;
	let bmax = bmid;
	let i1: number;
	let i2: number;

	kvd[fo + fmid] = off1;
	kvd[bo + bmid] = lim1;

	for (let ec = 1; ; ec++) {
		let gotSnake = false;

		if (fmin > dmin) kvd[fo + --fmin - 1] = -1;
		else ++fmin;
		if (fmax < dmax) kvd[fo + ++fmax + 1] = -1;
		else --fmax;

		for (let d = fmax; d >= fmin; d -= 2) {
			if (kvd[fo + d - 1]! >= kvd[fo + d + 1]!) i1 = kvd[fo + d - 1]! + 1;
			else i1 = kvd[fo + d + 1]!;
			const prev1 = i1;
			i2 = i1 - d;
			for (; i1 < lim1 && i2 < lim2 && hash(x1, i1) === hash(x2, i2); i1++, i2++);
			if (i1 - prev1 > SNAKE_CNT) gotSnake = true;
			kvd[fo + d] = i1;
			if (odd && bmin <= d && d <= bmax && kvd[bo + d]! <= i1) return { i1, i2, minLo: true, minHi: true };
		}

		if (bmin > dmin) kvd[bo + --bmin - 1] = LINE_MAX;
		else ++bmin;
		if (bmax < dmax) kvd[bo + ++bmax + 1] = LINE_MAX;
		else --bmax;

		for (let d = bmax; d >= bmin; d -= 2) {
			if (kvd[bo + d - 1]! < kvd[bo + d + 1]!) i1 = kvd[bo + d - 1]!;
			else i1 = kvd[bo + d + 1]! - 1;
			const prev1 = i1;
			i2 = i1 - d;
			for (; i1 > off1 && i2 > off2 && hash(x1, i1 - 1) === hash(x2, i2 - 1); i1--, i2--);
			if (prev1 - i1 > SNAKE_CNT) gotSnake = true;
			kvd[bo + d] = i1;
			if (!odd && fmin <= d && d <= fmax && i1 <= kvd[fo + d]!) return { i1, i2, minLo: true, minHi: true };
		}

		if (needMin) continue;

		// A long snake far from the start is "interesting" enough to split on.
		if (gotSnake && ec > HEUR_MIN_COST) {
			let best = 0;
			let spl = { i1: 0, i2: 0 };
			for (let d = fmax; d >= fmin; d -= 2) {
				const dd = d > fmid ? d - fmid : fmid - d;
				i1 = kvd[fo + d]!;
				i2 = i1 - d;
				const v = i1 - off1 + (i2 - off2) - dd;
				if (v > K_HEUR * ec && v > best && off1 + SNAKE_CNT <= i1 && i1 < lim1 && off2 + SNAKE_CNT <= i2 && i2 < lim2) {
					for (let k = 1; hash(x1, i1 - k) === hash(x2, i2 - k); k++)
						if (k === SNAKE_CNT) {
							best = v;
							spl = { i1, i2 };
							break;
						}
				}
			}
			if (best > 0) return { ...spl, minLo: true, minHi: false };

			best = 0;
			for (let d = bmax; d >= bmin; d -= 2) {
				const dd = d > bmid ? d - bmid : bmid - d;
				i1 = kvd[bo + d]!;
				i2 = i1 - d;
				const v = lim1 - i1 + (lim2 - i2) - dd;
				if (v > K_HEUR * ec && v > best && off1 < i1 && i1 <= lim1 - SNAKE_CNT && off2 < i2 && i2 <= lim2 - SNAKE_CNT) {
					for (let k = 0; hash(x1, i1 + k) === hash(x2, i2 + k); k++)
						if (k === SNAKE_CNT - 1) {
							best = v;
							spl = { i1, i2 };
							break;
						}
				}
			}
			if (best > 0) return { ...spl, minLo: false, minHi: true };
		}

		// Enough is enough: take the furthest-reaching path found so far.
		if (ec >= env.mxcost) {
			let fbest = -1;
			let fbest1 = -1;
			for (let d = fmax; d >= fmin; d -= 2) {
				i1 = Math.min(kvd[fo + d]!, lim1);
				i2 = i1 - d;
				if (lim2 < i2) {
					i1 = lim2 + d;
					i2 = lim2;
				}
				if (fbest < i1 + i2) {
					fbest = i1 + i2;
					fbest1 = i1;
				}
			}
			let bbest = LINE_MAX;
			let bbest1 = LINE_MAX;
			for (let d = bmax; d >= bmin; d -= 2) {
				i1 = Math.max(off1, kvd[bo + d]!);
				i2 = i1 - d;
				if (i2 < off2) {
					i1 = off2 + d;
					i2 = off2;
				}
				if (i1 + i2 < bbest) {
					bbest = i1 + i2;
					bbest1 = i1;
				}
			}
			if (lim1 + lim2 - bbest < fbest - (off1 + off2)) return { i1: fbest1, i2: fbest - fbest1, minLo: true, minHi: false };
			return { i1: bbest1, i2: bbest - bbest1, minLo: false, minHi: true };
		}
	}
}

export function recsCmp(env: Env, off1: number, lim1: number, off2: number, lim2: number, needMin: boolean): void {
	const { x1, x2 } = env;
	for (; off1 < lim1 && off2 < lim2 && hash(x1, off1) === hash(x2, off2); off1++, off2++);
	for (; off1 < lim1 && off2 < lim2 && hash(x1, lim1 - 1) === hash(x2, lim2 - 1); lim1--, lim2--);
	if (off1 === lim1) {
		for (; off2 < lim2; off2++) x2.changed[x2.rindex[off2]! + 1] = 1;
	} else if (off2 === lim2) {
		for (; off1 < lim1; off1++) x1.changed[x1.rindex[off1]! + 1] = 1;
	} else {
		const spl = split(env, off1, lim1, off2, lim2, needMin);
		recsCmp(env, off1, spl.i1, off2, spl.i2, spl.minLo);
		recsCmp(env, spl.i1, lim1, spl.i2, lim2, spl.minHi);
	}
}
