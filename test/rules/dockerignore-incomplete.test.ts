import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule } from '../../server/src/rules/dockerignore-incomplete';
import { prepareScan } from '../../server/src/rules/dockerignore-patterns';
import type { Finding } from '../../server/src/rules/types';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { preferred, workspace } from './dockerignore-workspace';

const DOCKERFILE = 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n';

/** A context with a thin .dockerignore: logs and caches get through. */
const THIN = {
  'Dockerfile': DOCKERFILE,
  'requirements.txt': 'flask\n',
  'app.py': 'print(1)\n',
  '.dockerignore': '# mine\n  .git  \n',
  '.git/HEAD': 'ref\n',
  'app.log': '1234567890',
  'logs/old.log': '12345',
  '__pycache__/app.cpython-312.pyc': '123',
};

const APPENDED = [
  '',
  '# dockopt: recommended patterns for files found in the build context',
  '**/*.log',
  'logs',
  '**/__pycache__',
  '**/*.py[cod]',
  '',
].join('\n');

function editedText(text: string, finding: Finding): string {
  const change = finding.fixes[0].changes[0];
  assert.equal(change.kind, 'edit');
  return change.kind === 'edit' ? applyTextEdits(text, change.edits).text : text;
}

test('fires on the Dockerfile with the files and bytes the missing patterns let through', async () => {
  const w = await workspace(THIN);
  const [finding, ...rest] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(rest.length, 0);
  assert.equal(
    finding.message,
    '.dockerignore lets 3 files, 18 B into the build context that the image does not need: add ' +
      '**/*.log (app.log, logs/old.log), logs (logs/), **/__pycache__ (__pycache__/), **/*.py[cod].',
  );
  assert.deepEqual(finding.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 21 } });
  assert.equal(finding.fixes[0].title, 'Add 4 recommended patterns to .dockerignore');
});

test('the fix appends only the missing patterns below the user lines, untouched', async () => {
  const w = await workspace(THIN);
  const [finding] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(finding.fixes[0].changes[0].path, w.at('.dockerignore'));
  assert.equal(editedText(THIN['.dockerignore'], finding), '# mine\n  .git  \n' + APPENDED);
});

test('applying the fix twice changes nothing, and the rule no longer fires', async () => {
  const w = await workspace(THIN);
  w.apply(preferred(await w.onDockerfile(rule, 'Dockerfile')));
  const once = w.read('.dockerignore');
  assert.deepEqual(await w.onDockerfile(rule, 'Dockerfile'), []);
  assert.deepEqual(await w.onIgnoreFile(rule, '.dockerignore'), []);
  w.apply(preferred(await w.onDockerfile(rule, 'Dockerfile')));
  assert.equal(w.read('.dockerignore'), once);
});

test('a CRLF .dockerignore gets CRLF lines; a missing final newline is added first', async () => {
  const crlf = await workspace({ ...THIN, '.dockerignore': '.git\r\n*.tmp' });
  const [finding] = await crlf.onDockerfile(rule, 'Dockerfile');
  assert.equal(editedText('.git\r\n*.tmp', finding), '.git\r\n*.tmp\r\n' + APPENDED.replace(/\n/g, '\r\n'));
});

test('an empty .dockerignore gets the patterns without a leading blank line', async () => {
  const w = await workspace({ ...THIN, '.dockerignore': '' });
  const [finding] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(editedText('', finding), '# dockopt: recommended patterns for files found in the build context\n**/.git\n**/*.log\nlogs\n**/__pycache__\n**/*.py[cod]\n');
});

test('does not fire when every file the recommended patterns match is already excluded', async () => {
  const w = await workspace({ ...THIN, '.dockerignore': '.git\n*.log\nlogs/\n__pycache__\n' });
  assert.deepEqual(await w.onDockerfile(rule, 'Dockerfile'), []);
});

test('does not fire for patterns that match no file in the context', async () => {
  const w = await workspace({ 'Dockerfile': DOCKERFILE, 'requirements.txt': '', 'app.py': '', '.dockerignore': '' });
  assert.deepEqual(await w.onDockerfile(rule, 'Dockerfile'), []);
});

test('does not add a pattern that would exclude a COPY source, nor reach into a copied folder', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM python:3.12\nCOPY logs/seed.log /data/\nCOPY docs/ /srv/docs/\nCOPY . .\n',
    '.dockerignore': '',
    'logs/seed.log': 'seed',
    'docs/guide.md': '# guide',
    'CHANGES.md': '# changes',
    'build.tmp': 'x',
  });
  const [finding] = await w.onDockerfile(rule, 'Dockerfile');
  // `**/*.md` would reach into docs/, which the image serves: only the context root's Markdown goes.
  assert.equal(editedText('', finding), '# dockopt: recommended patterns for files found in the build context\n*.md\n!README.md\n**/*.tmp\n');
  assert.match(finding.message, /add \*\.md \(CHANGES\.md\), \*\*\/\*\.tmp \(build\.tmp\)\.$/);
});

test('does not undo an exception of the user, nor re-include what the user excludes', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM python:3.12\nCOPY . .\n',
    '.dockerignore': '*.md\n!tests/fixtures\n',
    'README.md': '# x',
    'docs/a.md': 'a',
    'tests/fixtures/data.json': '{}',
  });
  const [finding] = await w.onDockerfile(rule, 'Dockerfile');
  // `**/tests` would exclude tests/fixtures again; `!README.md` would bring back the user's excluded README.
  assert.equal(editedText('*.md\n!tests/fixtures\n', finding), '*.md\n!tests/fixtures\n\n# dockopt: recommended patterns for files found in the build context\ndocs\n**/*.md\n');
});

test('reports on the .dockerignore too, with the same edit', async () => {
  const w = await workspace(THIN);
  const [onIgnore] = await w.onIgnoreFile(rule, '.dockerignore');
  const [onDockerfile] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(onIgnore.path, w.at('.dockerignore'));
  assert.deepEqual(onIgnore.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
  assert.deepEqual(onIgnore.fixes, onDockerfile.fixes);
});

test('on a .dockerignore, a pattern must be safe for every build that reads it', async () => {
  const w = await workspace({
    'docker-compose.yml': 'services:\n  a:\n    build:\n      context: .\n      dockerfile: a.Dockerfile\n  b:\n    build:\n      context: .\n      dockerfile: b.Dockerfile\n',
    'a.Dockerfile': 'FROM python:3.12\nCOPY . .\n',
    'b.Dockerfile': 'FROM python:3.12\nCOPY app.log /srv/\n',
    '.dockerignore': '',
    'app.log': 'x',
    '__pycache__/m.pyc': 'y',
  });
  const [finding] = await w.onIgnoreFile(rule, '.dockerignore');
  assert.equal(editedText('', finding), '# dockopt: recommended patterns for files found in the build context\n**/__pycache__\n**/*.py[cod]\n');
});

test('a .dockerignore that no build reads is not this rule’s business', async () => {
  const w = await workspace({
    'compose.yaml': 'services:\n  x:\n    build:\n      context: .\n      dockerfile: svc/Dockerfile\n',
    'svc/Dockerfile': DOCKERFILE,
    'svc/.dockerignore': '',
    'svc/app.log': 'x',
  });
  assert.deepEqual(await w.onIgnoreFile(rule, 'svc/.dockerignore'), []);
});

test('stays silent until the context is scanned, and when no .dockerignore exists', async () => {
  const w = await workspace(THIN);
  const path = w.at('Dockerfile');
  const model = parseDockerfile(DOCKERFILE);
  const [unscanned] = w.ws.buildsFor(path);
  assert.deepEqual(rule.checkDockerfile!({ path, model, buildContext: unscanned, settings: DEFAULT_SETTINGS }), []);
  assert.deepEqual(rule.checkDockerfile!({ path, model, settings: DEFAULT_SETTINGS }), []);
  const withoutIgnore: Record<string, string> = { ...THIN };
  delete withoutIgnore['.dockerignore'];
  const none = await workspace(withoutIgnore);
  assert.deepEqual(await none.onDockerfile(rule, 'Dockerfile'), []);
});

test('a truncated scan says the counts are lower bounds', async () => {
  const w = await workspace(THIN);
  await w.ws.ensureScans(w.ws.buildsFor(w.at('Dockerfile')));
  const [build] = w.ws.buildsFor(w.at('Dockerfile'));
  const model = parseDockerfile(DOCKERFILE);
  const [finding] = rule.checkDockerfile!({ path: w.at('Dockerfile'), model, buildContext: { ...build, scan: { ...build.scan!, truncated: true } }, settings: DEFAULT_SETTINGS });
  assert.match(finding.message, /lets at least 3 files, 18 B into/);
});

test('a pattern must also be safe for the other Dockerfiles that read the same .dockerignore', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM python:3.12\nCOPY . .\n',
    'Dockerfile.test': 'FROM python:3.12\nCOPY tests/ ./tests/\n',
    '.dockerignore': '',
    'tests/test_a.py': 'x',
    'app.log': 'y',
  });
  const [onDockerfile] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(editedText('', onDockerfile), '# dockopt: recommended patterns for files found in the build context\n**/*.log\n');
  const [onIgnore] = await w.onIgnoreFile(rule, '.dockerignore');
  assert.deepEqual(onIgnore.fixes, onDockerfile.fixes);
});

test('prepareScan precomputes in the background and changes no result', async () => {
  const w = await workspace(THIN);
  await w.ws.ensureScans(w.ws.buildsFor(w.at('Dockerfile')));
  await prepareScan(w.ws.buildsFor(w.at('Dockerfile'))[0].scan!);
  const [finding] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(editedText(THIN['.dockerignore'], finding), '# mine\n  .git  \n' + APPENDED);
});

/** New files in the workspace's context, as the editor's watcher would report them. */
function addFiles(w: Awaited<ReturnType<typeof workspace>>, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(w.at(rel)), { recursive: true });
    fs.writeFileSync(w.at(rel), text);
    w.ws.invalidate(w.at(rel));
  }
}

const HEADER = '# dockopt: recommended patterns for files found in the build context';

describe('a second fix, after the context gained files, adds its patterns under the header the first wrote', () => {
  const cases: Array<{ name: string; ignore: string; edit?: (once: string) => string; once: string; twice: string }> = [
    {
      name: 'the header section is the last one: at the end of the file',
      ignore: '# mine\n  .git  \n',
      once: `# mine\n  .git  \n${APPENDED}`,
      twice: `# mine\n  .git  \n${APPENDED}**/.venv\n**/*.tmp\n`,
    },
    {
      name: 'the user wrote lines below it: at the end of the section, the user lines untouched after it',
      ignore: '# mine\n  .git  \n',
      edit: (once) => `${once}\n# mine too\nsecret.txt\n!secret.txt.example\n`,
      once: `# mine\n  .git  \n${APPENDED}`,
      twice: `# mine\n  .git  \n${APPENDED}**/.venv\n**/*.tmp\n\n# mine too\nsecret.txt\n!secret.txt.example\n`,
    },
    {
      name: 'CRLF, and a file that ends without a line break after the section',
      ignore: '.git\r\n',
      edit: (once) => once.replace(/\r\n$/, ''),
      once: `.git\r\n${APPENDED.replace(/\n/g, '\r\n')}`,
      twice: `.git\r\n${APPENDED.replace(/\n/g, '\r\n')}**/.venv\r\n**/*.tmp\r\n`,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const w = await workspace({ ...THIN, '.dockerignore': c.ignore });
      w.apply(preferred(await w.onDockerfile(rule, 'Dockerfile')));
      assert.equal(w.read('.dockerignore'), c.once);
      if (c.edit) addFiles(w, { '.dockerignore': c.edit(c.once) });
      addFiles(w, { 'notes.tmp': 'x', '.venv/bin/python': 'y' });
      const [finding] = await w.onDockerfile(rule, 'Dockerfile');
      assert.match(finding.message, /add \*\*\/\.venv \(\.venv\/\), \*\*\/\*\.tmp \(notes\.tmp\)\.$/);
      w.apply(preferred([finding]));
      const twice = w.read('.dockerignore')!;
      assert.equal(twice, c.twice);
      assert.equal(twice.split(/\r?\n/).filter((l) => l === HEADER).length, 1);
      assert.deepEqual(await w.onDockerfile(rule, 'Dockerfile'), []);
    });
  }
});
