// What `npm test` says about skipped tests at the end: one line per skipped suite (or per file's
// skipped tests with one reason), with the reason.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The skip lines the reporter wrote, grouped: `file: suite "name": reason` or `file: N tests: reason`. */
export function skipSummary(jsonLines, cwd = process.cwd()) {
  const entries = jsonLines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const groups = new Map();
  for (const e of entries) {
    const file = e.file ? relative(cwd, e.file.startsWith('file:') ? new URL(e.file).pathname : e.file) : '(unknown file)';
    const key = `${file}\0${e.reason}\0${e.suite ? e.name : ''}`;
    const group = groups.get(key) ?? { file, reason: e.reason, suite: e.suite ? e.name : null, tests: [] };
    if (!e.suite) group.tests.push(e.name);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((g) => {
      const what = g.suite !== null ? `suite "${g.suite}"` : g.tests.length === 1 ? `test "${g.tests[0]}"` : `${g.tests.length} tests`;
      return `skipped: ${g.file}: ${what}: ${g.reason || 'no reason given'}`;
    });
}

export function readSkipSummary(file) {
  try {
    return skipSummary(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}
