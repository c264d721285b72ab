// The order of the patches: by path, with the patches of one MAINTAINERS
// section next to each other (src/plan/plan.ts, the section of a file from
// src/series/maintainers.ts as the CLI hands it over).
import * as fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../../src/c/parser.js';
import { buildIndex } from '../../src/find/build-index.js';
import { planConversions } from '../../src/plan/plan.js';
import { detectApi, listSourceFiles } from '../../src/kernel/tree.js';
import { loadMaintainers, sectionOfFile } from '../../src/series/maintainers.js';
import { makeTree } from '../support/helpers.js';

const hook = (name: string) => `// SPDX-License-Identifier: GPL-2.0
#include <linux/fs.h>
#include <linux/mm.h>

static const struct vm_operations_struct ${name}_vm_ops;

static int ${name}_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &${name}_vm_ops;
	return 0;
}

static const struct file_operations ${name}_fops = {
	.mmap = ${name}_mmap,
};
`;

const MAINTAINERS = `ALPHA AND GAMMA DRIVERS
M:\tA Maintainer <a@example.org>
S:\tMaintained
F:\tdrivers/alpha/
F:\tdrivers/gamma/

BETA DRIVER
M:\tB Maintainer <b@example.org>
S:\tMaintained
F:\tdrivers/beta/

THE REST
L:\tlinux-kernel@vger.kernel.org
S:\tBuried alive in reporters
F:\t*
F:\t*/
`;

async function order(withMaintainers: boolean): Promise<string[]> {
	const root = makeTree({
		'drivers/alpha/alpha.c': hook('alpha'),
		'drivers/beta/beta.c': hook('beta'),
		'drivers/delta/delta.c': hook('delta'),
		'drivers/gamma/gamma.c': hook('gamma'),
		...(withMaintainers ? { MAINTAINERS } : {}),
	});
	try {
		await initParser();
		const files = listSourceFiles(root, ['drivers']);
		const db = loadMaintainers(root);
		const sectionOf = db && ((f: string) => sectionOfFile(db, f));
		const plan = planConversions(buildIndex(root, files), files, detectApi(root), {}, { sectionOf: sectionOf || undefined });
		return plan.patches.map((p) => p.files.join(' '));
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
}

test('one patch per driver, by path, without MAINTAINERS', async () => {
	assert.equal(await order(false), ['drivers/alpha/alpha.c', 'drivers/beta/beta.c', 'drivers/delta/delta.c', 'drivers/gamma/gamma.c']);
});

test("with MAINTAINERS, one section's patches next to each other; THE REST groups nothing", async () => {
	assert.equal(await order(true), ['drivers/alpha/alpha.c', 'drivers/gamma/gamma.c', 'drivers/beta/beta.c', 'drivers/delta/delta.c']);
});

test.run();
