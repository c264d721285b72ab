// What the user's git knows: the author identity and the tree's HEAD.
import { execFileSync } from 'node:child_process';
import type { Person } from '../base/types.js';

export function git(dir: string, ...args: string[]): string | undefined {
	try {
		return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return undefined;
	}
}

/** git's author identity (user.name/user.email or GIT_AUTHOR_*), as `git var` resolves it. */
export function gitPerson(dir: string): Person | undefined {
	const ident = git(dir, 'var', 'GIT_AUTHOR_IDENT');
	const m = ident ? /^(.*) <(.*)> \d+ [+-]\d{4}$/.exec(ident) : null;
	return m ? { name: m[1]!, email: m[2]! } : undefined;
}
