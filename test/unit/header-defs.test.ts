// Static inline definitions from included headers, for the equivalence
// checker: found through #include, and only when they are the name's only
// declaration (a CONFIG stub beside a prototype is not what the kernel runs).
import * as fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HeaderDefinitions } from '../../src/kernel/header-defs.js';
import { makeTree } from '../support/helpers.js';

test('a static inline of an included header is found; a config stub is not', () => {
	const root = makeTree({
		'drivers/x/x.c': '#include "x.h"\n#include <linux/y.h>\nint f(void) { return 0; }\n',
		'drivers/x/x.h': 'static inline struct foo *to_foo(struct file *f)\n{\n\treturn f->private_data; /* } */\n}\n',
		'include/linux/y.h': '#ifdef CONFIG_Y\nint y_query(int a);\n#else\nstatic inline int y_query(int a)\n{\n\treturn 0;\n}\n#endif\n#include <linux/z.h>\n',
		'include/linux/z.h': 'static inline int z_twice(int a)\n{\n\treturn a * 2;\n}\n',
	});
	try {
		const h = new HeaderDefinitions(root);
		const d = h.find('drivers/x/x.c', 'to_foo');
		assert.ok(d, 'to_foo found');
		assert.ok(d!.text.trim().endsWith('}'), 'the whole body, past the brace in the comment');
		assert.ok(d!.label.startsWith('drivers/x/x.h'));
		assert.is(h.find('drivers/x/x.c', 'y_query'), undefined, 'a stub beside a prototype');
		assert.ok(h.find('drivers/x/x.c', 'z_twice'), 'through a second level of includes');
		assert.is(h.find('drivers/x/x.c', 'nothing'), undefined);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});

test.run();
