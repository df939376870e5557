/**
 * The .dockerignore plans skip the recommended entries that cannot match any file of a context
 * (a substring search of each rule's literal text over the scan's listing) instead of testing
 * each file. These tests hold the shortcut to the full evaluation on generated contexts:
 * which files some lines exclude, and which entries a plan adds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePatterns } from '../../shared/src/dockerignore/ignore-matcher';
import { entryLines, RECOMMENDED_GROUPS } from '../../server/src/dockerignore/pattern-groups';
import { planPatterns, type BuildToProtect } from '../../server/src/dockerignore/recommended-patterns';
import { excludedBy } from '../../server/src/dockerignore/scan-analysis';
import type { ContextScan } from '../../server/src/workspace/build-context';

/** Names that the recommended patterns and the extra lines below are about, and ordinary ones. */
const NAMES = [
  'src', 'pkg', 'app', 'main.py', '__init__.py', 'util.py', 'x.pyc', 'y.pyo', 'docs', 'README.md', 'notes.md', 'tests', 'test',
  '__tests__', 'test_a.py', '__pycache__', '.git', 'HEAD', 'app.log', 'logs', 'node_modules', 'index.js', '.env', '.env.local',
  '.env.example', 'a~', '.DS_Store', '.vscode', 'coverage', '.coverage.x', 'htmlcov', 'test-results', 'venv', '.venv', 'weird\nname',
  'package.json', 'pyproject.toml', 'requirements.txt', 'data.tmp', 'Thumbs.db', '.idea', 'x.egg-info',
];

/** A small deterministic generator (mulberry32): the same contexts on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeScan(seed: number, count: number): ContextScan {
  const next = random(seed);
  const pick = () => NAMES[Math.floor(next() * NAMES.length)];
  const paths = new Set<string>();
  while (paths.size < count) {
    const depth = 1 + Math.floor(next() * 4);
    paths.add(Array.from({ length: depth }, pick).join('/'));
  }
  // A path cannot be both a file and a folder: keep the deepest.
  const sorted = [...paths].sort().filter((p, i, all) => !all.some((q) => q.startsWith(p + '/')));
  return { files: sorted.map((p, i) => ({ path: p, size: 10 + i })), truncated: false };
}

const EXTRA_LINES = [['*'], ['**'], ['?'], ['**/*'], ['src/**'], ['**/*.py[cod]', '!keep.pyc'], ['docs', '!docs/README.md'], ['nothing-here'], ['weird']];

test('the lines a context has no file for exclude nothing, and the others what the full match excludes', () => {
  const lineSets = [...RECOMMENDED_GROUPS.flatMap((g) => g.patterns.map((p) => entryLines(p))), ...EXTRA_LINES];
  let nonEmpty = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const scan = makeScan(seed, 5 + (seed % 7) * 6);
    const paths = scan.files.map((f) => f.path);
    for (const lines of lineSets) {
      const full: number[] = [];
      compilePatterns(lines).ignoresAll(paths).forEach((hit, i) => hit && full.push(i));
      assert.deepEqual(excludedBy(scan, lines), full, `seed ${seed}, lines ${JSON.stringify(lines)}`);
      if (full.length > 0) nonEmpty++;
    }
  }
  assert.ok(nonEmpty > 100, 'the generated contexts must exercise both outcomes');
});

const SOURCES = [['.'], ['requirements.txt', '.'], ['src', 'docs/README.md'], ['tests'], ['*.md'], ['app', 'pyproject.toml']];
const IGNORE_TEXTS = ['', '__pycache__\n', 'docs\n!docs/README.md\n', '*.md\n', '**/.git\n**/node_modules\n'];

test('a plan of only the effective entries is the full plan without the entries that leave nothing out', () => {
  let effective = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const scan = makeScan(1000 + seed, 10 + (seed % 5) * 10);
    const other = makeScan(2000 + seed, 12);
    const sources = SOURCES[seed % SOURCES.length];
    const text = IGNORE_TEXTS[seed % IGNORE_TEXTS.length];
    const readFile = () => undefined;
    const builds: BuildToProtect[][] = [
      [{ scan, inputs: { sources, commands: 'RUN pip install -r requirements.txt' }, readFile }],
      // Two Dockerfiles of one context, and builds of two contexts (the plan then judges each).
      [
        { scan, inputs: { sources, commands: '' }, readFile },
        { scan, inputs: { sources: ['.'], commands: 'CMD ["node", "index.js"]' }, readFile },
      ],
      [
        { scan, inputs: { sources, commands: '' }, readFile },
        { scan: other, inputs: { sources: ['src'], commands: '' }, readFile },
      ],
    ];
    for (const set of builds) {
      const only = planPatterns(text, set, true);
      const all = planPatterns(text, set, false);
      const kept = all.entries.filter((e) => e.drops.items.length > 0);
      const shape = (entries: typeof all.entries) => entries.map((e) => ({ group: e.group.id, pattern: e.entry.pattern, lines: e.lines, drops: e.drops.items }));
      assert.deepEqual(shape(only.entries), shape(kept), `seed ${seed}`);
      assert.deepEqual([only.files, only.bytes, only.truncated], [all.files, all.bytes, all.truncated], `seed ${seed}`);
      effective += only.entries.length;
    }
  }
  assert.ok(effective > 50, 'the generated contexts must hold files the recommended entries leave out');
});
