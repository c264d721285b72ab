// A small C lexer, enough for one function body of mm/util.c: tokens, and
// the body split into statements with the comments before each.
import { CompatHelpersError, lineOf } from './shared.js';

export interface Tok {
	t: string;
	kind: 'id' | 'punct' | 'comment' | 'other';
	start: number;
	end: number;
}

export function lex(s: string, from: number, to: number): Tok[] {
	const out: Tok[] = [];
	const re = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|[A-Za-z_]\w*|\.?\d[\w.]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|->|\+\+|--|<<=?|>>=?|[<>=!+\-*/%&|^]=|&&|\|\||\.\.\.|#[^\n]*|\S/g;
	re.lastIndex = from;
	let m: RegExpExecArray | null;
	while ((m = re.exec(s)) && m.index < to) {
		const t = m[0];
		const kind = t.startsWith('/*') || t.startsWith('//') ? 'comment' : /^[A-Za-z_]/.test(t) ? 'id' : /^[\w"'.#]/.test(t) && t !== '.' && t !== '...' ? 'other' : 'punct';
		out.push({ t, kind, start: m.index, end: m.index + t.length });
	}
	return out;
}

export const norm = (toks: Tok[]) =>
	toks
		.filter((k) => k.kind !== 'comment')
		.map((k) => k.t)
		.join(' ');

export interface Stmt {
	toks: Tok[];
	/** offsets in the file of the first and after the last code token */
	start: number;
	end: number;
	/** comments written before the statement (after the previous one), raw */
	lead: string[];
	/** a blank line separates it from the previous statement */
	blankBefore: boolean;
	/** normalised code: tokens joined by single spaces */
	n: string;
}

/** Split a function body (offsets inside the braces) into statements. */
export function statements(src: string, from: number, to: number, where: string): Stmt[] {
	const toks = lex(src, from, to);
	const out: Stmt[] = [];
	let i = 0;
	let prevEnd = from;
	const fail = (k: Tok, why: string): never => {
		throw new CompatHelpersError('shape', `${where}:${lineOf(src, k.start)}: ${why}`);
	};
	while (i < toks.length) {
		const lead: string[] = [];
		while (i < toks.length && toks[i]!.kind === 'comment') lead.push(toks[i++]!.t);
		if (i >= toks.length) break;
		const first = toks[i]!;
		if (first.t.startsWith('#')) fail(first, `a preprocessor line inside compat_vma_mmap() (${first.t.trim()})`);
		const body: Tok[] = [];
		const take = () => body.push(toks[i++]!);
		const untilSemicolon = () => {
			let d = 0;
			while (i < toks.length) {
				const k = toks[i]!;
				if (k.t.startsWith('#')) fail(k, `a preprocessor line inside compat_vma_mmap() (${k.t.trim()})`);
				take();
				if (k.t === '(' || k.t === '{' || k.t === '[') d++;
				else if (k.t === ')' || k.t === '}' || k.t === ']') d--;
				else if (k.t === ';' && d === 0) return;
			}
			fail(first, 'a statement without its closing ";"');
		};
		if (first.t === 'if') {
			// if (...) stmt   |   if (...) { ... }
			take();
			let d = 0;
			do {
				const k = toks[i];
				if (!k) fail(first, 'an unterminated if');
				take();
				if (k!.t === '(') d++;
				else if (k!.t === ')') d--;
			} while (d > 0);
			while (i < toks.length && toks[i]!.kind === 'comment') take();
			if (toks[i]?.t === '{') {
				let b = 0;
				do {
					const k = toks[i];
					if (!k) fail(first, 'an unterminated block');
					take();
					if (k!.t === '{') b++;
					else if (k!.t === '}') b--;
				} while (b > 0);
			} else untilSemicolon();
			if (toks[i]?.t === 'else') fail(toks[i]!, 'an if/else inside compat_vma_mmap()');
		} else untilSemicolon();
		const code = body.filter((k) => k.kind !== 'comment');
		const start = code[0]!.start;
		const end = body[body.length - 1]!.end;
		const between = src.slice(prevEnd, lead.length ? src.indexOf(lead[0]!, prevEnd) : start);
		out.push({ toks: body, start, end, lead, blankBefore: /\n[ \t]*\n/.test(between), n: norm(body) });
		prevEnd = end;
	}
	return out;
}
