#!/usr/bin/env bash
# An $EDITOR for `b4 prep --edit-cover`: writes the subject and the text of
# mmapify's cover letter ($MMAPIFY_COVER, a 0000-cover-letter.patch) into the
# file b4 opens (its first line is the cover's subject; b4 adds the shortlog,
# the diffstat and base-commit itself, so mmapify's own stop before them).
set -euo pipefail
node - "$MMAPIFY_COVER" "$1" <<'JS'
const fs = require('fs');
const [cover, out] = process.argv.slice(2);
const t = fs.readFileSync(cover, 'utf8');
const end = t.indexOf('\n\n');
const subject = /^Subject: \[[^\]]*\] (.*(?:\n[ \t].*)*)/m.exec(t.slice(0, end))[1].replace(/\n[ \t]+/g, ' ');
let body = t.slice(end + 2);
// mmapify's shortlog starts with "Author Name (N):"
const shortlog = /^\S.* \(\d+\):$/m.exec(body);
if (shortlog) body = body.slice(0, shortlog.index);
fs.writeFileSync(out, `${subject}\n\n${body.trimEnd()}\n`);
JS
