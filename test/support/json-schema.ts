// A JSON Schema validator for the subset of draft 2020-12 that
// docs/schema/*.schema.json use, written here rather than pulling in a
// validator library for a test: type, enum, const, properties, required,
// additionalProperties, items, minimum, minLength, pattern, allOf, anyOf,
// if/then/else and $ref (to another file beside it and a JSON pointer in it).
// A keyword outside that subset is an error, so that a schema cannot rely on
// something this validator would silently ignore.
import * as fs from 'node:fs';
import * as path from 'node:path';

type Schema = boolean | { [k: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', '$defs', 'title', 'description']);
const KEYWORDS = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minimum', 'minLength', 'pattern', 'allOf', 'anyOf', 'if', 'then', 'else', '$ref']);

export interface SchemaError {
	/** JSON pointer of the value */
	at: string;
	message: string;
}

/** Validates values against the schema files of one folder. */
export class SchemaSet {
	private files = new Map<string, Schema>();
	constructor(private dir: string) {}

	private file(name: string): Schema {
		let s = this.files.get(name);
		if (s === undefined) {
			s = JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as Schema;
			this.files.set(name, s);
		}
		return s;
	}

	/** The schema a $ref names, and the file further relative refs resolve in. */
	private resolve(ref: string, base: string): { schema: Schema; file: string } {
		const [file, pointer = ''] = ref.split('#');
		const name = file || base;
		let s: unknown = this.file(name);
		for (const part of pointer.split('/').filter(Boolean)) {
			s = (s as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
			if (s === undefined) throw new Error(`$ref ${ref} (in ${base}) points at nothing`);
		}
		return { schema: s as Schema, file: name };
	}

	/** Every error of value against the named schema file ([] when it is valid). */
	validate(value: unknown, schemaFile: string): SchemaError[] {
		const errors: SchemaError[] = [];
		this.check(value, this.file(schemaFile), schemaFile, '', errors);
		return errors;
	}

	private check(v: unknown, s: Schema, file: string, at: string, errors: SchemaError[]): void {
		if (s === true) return;
		if (s === false) {
			errors.push({ at, message: 'no value is allowed here' });
			return;
		}
		for (const k of Object.keys(s)) if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) throw new Error(`${file}: keyword ${k} is outside the validator's subset`);
		const err = (message: string) => errors.push({ at, message });
		if (typeof s.$ref === 'string') {
			const r = this.resolve(s.$ref, file);
			this.check(v, r.schema, r.file, at, errors);
		}
		if (s.type !== undefined) {
			const types = ([] as string[]).concat(s.type as string | string[]);
			if (!types.some((t) => typeIs(v, t))) err(`expected ${types.join(' or ')}, got ${typeName(v)}`);
		}
		if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => equal(e, v))) err(`${JSON.stringify(v)} is none of ${JSON.stringify(s.enum)}`);
		if ('const' in s && !equal(s.const, v)) err(`expected ${JSON.stringify(s.const)}, got ${JSON.stringify(v)}`);
		if (typeof v === 'number' && typeof s.minimum === 'number' && v < s.minimum) err(`${v} < ${s.minimum}`);
		if (typeof v === 'string') {
			if (typeof s.minLength === 'number' && [...v].length < s.minLength) err(`shorter than ${s.minLength}`);
			if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) err(`${JSON.stringify(v)} does not match ${s.pattern}`);
		}
		if (isObject(v)) {
			const props = (s.properties ?? {}) as Record<string, Schema>;
			for (const r of (s.required ?? []) as string[]) if (!(r in v)) err(`required field ${r} is missing`);
			for (const [k, x] of Object.entries(v)) {
				if (k in props) this.check(x, props[k]!, file, `${at}/${k}`, errors);
				else if (s.additionalProperties !== undefined) {
					if (s.additionalProperties === false) errors.push({ at: `${at}/${k}`, message: `field ${k} is not in the schema` });
					else this.check(x, s.additionalProperties as Schema, file, `${at}/${k}`, errors);
				}
			}
		}
		if (Array.isArray(v) && s.items !== undefined) v.forEach((x, i) => this.check(x, s.items as Schema, file, `${at}/${i}`, errors));
		for (const sub of (s.allOf ?? []) as Schema[]) this.check(v, sub, file, at, errors);
		if (s.anyOf !== undefined) {
			const ok = (s.anyOf as Schema[]).some((sub) => {
				const e: SchemaError[] = [];
				this.check(v, sub, file, at, e);
				return e.length === 0;
			});
			if (!ok) err(`${JSON.stringify(v)} matches none of anyOf`);
		}
		if (s.if !== undefined) {
			const e: SchemaError[] = [];
			this.check(v, s.if as Schema, file, at, e);
			const branch = e.length === 0 ? s.then : s.else;
			if (branch !== undefined) this.check(v, branch as Schema, file, at, errors);
		}
	}
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeIs(v: unknown, t: string): boolean {
	switch (t) {
		case 'object':
			return isObject(v);
		case 'array':
			return Array.isArray(v);
		case 'string':
			return typeof v === 'string';
		case 'boolean':
			return typeof v === 'boolean';
		case 'null':
			return v === null;
		case 'number':
			return typeof v === 'number' && Number.isFinite(v);
		case 'integer':
			return Number.isInteger(v);
		default:
			throw new Error(`unknown type ${t}`);
	}
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function equal(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}
