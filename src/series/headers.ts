// Mail headers as git format-patch writes them (pretty.c: pp_user_info,
// pp_title_line, add_rfc2047): From:, Subject:, Date:.
import type { Person } from '../base/types.js';
import { gitWrap } from '../base/wrap.js';
import { HEADER_WRAP } from './limits.js';

export const nonAscii = (s: string) => /[^\x00-\x7f]/.test(s);
const lastLineLength = (s: string) => s.length - (s.lastIndexOf('\n') + 1);

function needsRfc2047(s: string): boolean {
	return nonAscii(s) || s.includes('\n') || s.includes('=?');
}

function isRfc2047Special(byte: number, address: boolean): boolean {
	if (byte >= 0x80 || byte < 0x20 || byte === 0x7f) return true;
	const ch = String.fromCharCode(byte);
	if (' \t\n\r=?_'.includes(ch)) return true;
	if (!address) return false;
	return !/[A-Za-z0-9!*+\-/]/.test(ch);
}

/** RFC 2047 Q-encoding as git writes it: "=?UTF-8?q?...?=", folded before 76 columns. */
function rfc2047(s: string, lineLen: number, address: boolean): string {
	let out = '=?UTF-8?q?';
	lineLen += 'UTF-8'.length + 5;
	for (const ch of s) {
		const bytes = Buffer.from(ch, 'utf8');
		const special = bytes.length > 1 || isRfc2047Special(bytes[0]!, address);
		const enc = special ? [...bytes].map((b) => '=' + b.toString(16).toUpperCase().padStart(2, '0')).join('') : ch;
		if (lineLen + enc.length + 2 > 76) {
			out += '?=\n =?UTF-8?q?';
			lineLen = 'UTF-8'.length + 5 + 1;
		}
		out += enc;
		lineLen += enc.length;
	}
	return out + '?=';
}

/** "From: Name <email>", quoted or encoded like git. */
export function fromHeader(p: Person): string {
	let sb = 'From: ';
	let max = HEADER_WRAP;
	if (needsRfc2047(p.name)) {
		sb += rfc2047(p.name, lastLineLength(sb), true);
		max = 76;
	} else if (/[()<>[\]:;@,."\\]/.test(p.name)) {
		sb += gitWrap(`"${p.name.replace(/["\\]/g, '\\$&')}"`, -6, 1, max);
	} else {
		sb += gitWrap(p.name, -6, 1, max);
	}
	if (max < lastLineLength(sb) + 2 + p.email.length + 1) sb += '\n';
	return `${sb} <${p.email}>\n`;
}

/** "Subject: [PREFIX n/m] title", folded at 78 or RFC 2047-encoded like git. */
export function subjectHeader(tag: string, title: string): string {
	const sb = `Subject: ${tag ? `[${tag}] ` : ''}`;
	const t = title.replace(/\s*\n\s*/g, ' ').trim();
	if (needsRfc2047(t)) return sb + rfc2047(t, sb.length, false) + '\n';
	return sb + gitWrap(t, -sb.length, 1, HEADER_WRAP) + '\n';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 2822 date in UTC, as git's DATE_RFC2822 prints it ("Tue, 4 Nov 2026 08:01:28 +0000"). */
export function rfc2822(d: Date): string {
	const p2 = (n: number) => String(n).padStart(2, '0');
	return (
		`${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
		`${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
	);
}
