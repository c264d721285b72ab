// The package's templates/ (commit-message.txt, cover-letter.txt) and their {{placeholders}}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** templates/ next to src/ (tsx) or two levels up (dist/src). */
export function templateDir(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 4; i++) {
		const t = path.join(dir, 'templates');
		if (fs.existsSync(path.join(t, 'commit-message.txt'))) return t;
		dir = path.dirname(dir);
	}
	throw new Error('mmapify: templates/ not found');
}

/**
 * Fill {{name}} placeholders. '#' lines are comments. A paragraph whose
 * placeholders all came out empty is dropped, so optional sections need no
 * conditionals in the template.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
	const text = template
		.split('\n')
		.filter((l) => !l.startsWith('#'))
		.join('\n');
	const paragraphs = text.split(/\n\s*\n/).flatMap((para) => {
		const names = [...para.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
		for (const n of names) if (!(n in values)) throw new Error(`template: no value for {{${n}}}`);
		if (names.length && names.every((n) => !values[n]!.trim())) return [];
		return [para.replace(/\{\{(\w+)\}\}/g, (_, n: string) => values[n]!).trim()];
	});
	return paragraphs.filter(Boolean).join('\n\n');
}

export function loadTemplate(name: string, dir?: string): string {
	return fs.readFileSync(path.join(dir ?? templateDir(), name), 'utf8');
}
