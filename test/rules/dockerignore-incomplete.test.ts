import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule } from '../../server/src/rules/dockerignore-incomplete';
import { prepareScan } from '../../server/src/dockerignore/recommended-patterns';
import type { Finding } from '../../server/src/rules/types';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { check, runRuleTests } from '../helpers/rule-tester';
import { buildOf, CONTEXT_DIR, reportsOnDockerfile, reportsOnIgnoreFile } from './dockerignore-reports';
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

const HEADER = '# dockopt: recommended patterns for files found in the build context';

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

const IGNORE_PATH = `${CONTEXT_DIR}/.dockerignore`;

/** THIN's build with this .dockerignore text (undefined: none), the file given for the fix to edit. */
const thinWith = (ignore: string | undefined, files: Record<string, string> = THIN): { buildContext: BuildContext; files: Record<string, string> } => {
  const context: Record<string, string> = { ...files };
  delete context['.dockerignore'];
  if (ignore !== undefined) context['.dockerignore'] = ignore;
  return { buildContext: buildOf(context), files: ignore === undefined ? {} : { [IGNORE_PATH]: ignore } };
};

/** The same build, its scan stopped at the file limit. */
const truncated = <T extends { buildContext: BuildContext }>(options: T): T => ({ ...options, buildContext: { ...options.buildContext, scan: { ...options.buildContext.scan!, truncated: true } } });

// The Dockerfile itself never changes: the fix appends to the .dockerignore (outputFiles).
runRuleTests(rule, {
  valid: [
    { name: 'every file the recommended patterns match is already excluded', code: DOCKERFILE, options: thinWith('.git\n*.log\nlogs/\n__pycache__\n') },
    {
      name: 'the recommended patterns match no file in the context',
      code: DOCKERFILE,
      options: thinWith('', { 'Dockerfile': DOCKERFILE, 'requirements.txt': '', 'app.py': '' }),
    },
    { name: 'the build context is unknown', code: DOCKERFILE },
    { name: 'the context is not scanned yet', code: DOCKERFILE, options: { buildContext: { ...buildOf(THIN), scan: undefined } } },
    { name: 'no .dockerignore exists (dockerignore-missing’s business)', code: DOCKERFILE, options: thinWith(undefined) },
  ],
  invalid: [
    {
      name: 'fires on the FROM line with the files and bytes let through; the fix appends the missing patterns below the user lines, untouched',
      code: DOCKERFILE,
      options: thinWith(THIN['.dockerignore']),
      errors: [
        {
          messageId: 'letsThrough',
          line: 1,
          column: 1,
          endColumn: 22,
          data: { file: '.dockerignore', size: '3 files, 18 B', drops: '**/*.log (app.log, logs/old.log), logs (logs/), **/__pycache__ (__pycache__/), **/*.py[cod]' },
        },
      ],
      output: null,
      outputFiles: { [IGNORE_PATH]: '# mine\n  .git  \n' + APPENDED },
    },
    {
      name: 'a truncated scan says the counts are lower bounds',
      code: DOCKERFILE,
      options: truncated(thinWith(THIN['.dockerignore'])),
      errors: [{ messageId: 'letsThrough', line: 1, data: { size: 'at least 3 files, 18 B' } }],
      output: null,
      outputFiles: { [IGNORE_PATH]: '# mine\n  .git  \n' + APPENDED },
    },
    {
      name: 'a CRLF .dockerignore gets CRLF lines; a missing final newline is added first',
      code: DOCKERFILE,
      options: thinWith('.git\r\n*.tmp'),
      errors: [{ messageId: 'letsThrough', line: 1 }],
      output: null,
      outputFiles: { [IGNORE_PATH]: '.git\r\n*.tmp\r\n' + APPENDED.replace(/\n/g, '\r\n') },
    },
    {
      name: 'an empty .dockerignore gets the patterns without a leading blank line',
      code: DOCKERFILE,
      options: thinWith(''),
      errors: [{ messageId: 'letsThrough', line: 1 }],
      output: null,
      outputFiles: { [IGNORE_PATH]: `${HEADER}\n**/.git\n**/*.log\nlogs\n**/__pycache__\n**/*.py[cod]\n` },
    },
    {
      // `**/*.md` would reach into docs/, which the image serves: only the context root's Markdown goes.
      name: 'does not add a pattern that would exclude a COPY source, nor reach into a copied folder',
      code: 'FROM python:3.12\nCOPY logs/seed.log /data/\nCOPY docs/ /srv/docs/\nCOPY . .\n',
      options: thinWith('', {
        'Dockerfile': 'FROM python:3.12\nCOPY logs/seed.log /data/\nCOPY docs/ /srv/docs/\nCOPY . .\n',
        'logs/seed.log': 'seed',
        'docs/guide.md': '# guide',
        'CHANGES.md': '# changes',
        'build.tmp': 'x',
      }),
      errors: [{ messageId: 'letsThrough', line: 1, data: { drops: '*.md (CHANGES.md), **/*.tmp (build.tmp)' } }],
      output: null,
      outputFiles: { [IGNORE_PATH]: `${HEADER}\n*.md\n!README.md\n**/*.tmp\n` },
    },
    {
      // `**/tests` would exclude tests/fixtures again; `!README.md` would bring back the user's excluded README.
      name: 'does not undo an exception of the user, nor re-include what the user excludes',
      code: 'FROM python:3.12\nCOPY . .\n',
      options: thinWith('*.md\n!tests/fixtures\n', { 'Dockerfile': 'FROM python:3.12\nCOPY . .\n', 'README.md': '# x', 'docs/a.md': 'a', 'tests/fixtures/data.json': '{}' }),
      errors: [{ messageId: 'letsThrough', line: 1 }],
      output: null,
      outputFiles: { [IGNORE_PATH]: `*.md\n!tests/fixtures\n\n${HEADER}\ndocs\n**/*.md\n` },
    },
    {
      name: 'a pattern must also be safe for the other Dockerfiles that read the same .dockerignore',
      code: 'FROM python:3.12\nCOPY . .\n',
      options: {
        buildContext: buildOf(
          { 'Dockerfile': 'FROM python:3.12\nCOPY . .\n', 'Dockerfile.test': 'FROM python:3.12\nCOPY tests/ ./tests/\n', '.dockerignore': '', 'tests/test_a.py': 'x', 'app.log': 'y' },
          'Dockerfile',
          { coReaders: [{ dockerfilePath: `${CONTEXT_DIR}/Dockerfile.test`, dockerfileText: 'FROM python:3.12\nCOPY tests/ ./tests/\n' }] },
        ),
        files: { [IGNORE_PATH]: '' },
      },
      errors: [{ messageId: 'letsThrough', line: 1, data: { drops: '**/*.log (app.log)' } }],
      output: null,
      outputFiles: { [IGNORE_PATH]: `${HEADER}\n**/*.log\n` },
    },
  ],
});

test('dockerignore-incomplete: the message read in full, and the fix is named', () => {
  const [finding, ...rest] = check(rule, DOCKERFILE, thinWith(THIN['.dockerignore']));
  assert.equal(rest.length, 0);
  assert.equal(
    finding.message,
    '.dockerignore lets 3 files, 18 B into the build context that the image does not need: add ' +
      '**/*.log (app.log, logs/old.log), logs (logs/), **/__pycache__ (__pycache__/), **/*.py[cod].',
  );
  assert.deepEqual(finding.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 21 } });
  assert.equal(finding.fixes[0].title, 'Add 4 recommended patterns to .dockerignore');
  assert.equal(finding.fixes[0].isPreferred, true);
});

test('fires on the Dockerfile of a real workspace, with the edit of its .dockerignore', async () => {
  const w = await workspace(THIN);
  const [finding, ...rest] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(rest.length, 0);
  assert.deepEqual((await reportsOnDockerfile(w, rule, 'Dockerfile')).map((r) => [r.messageId, r.data?.size]), [['letsThrough', '3 files, 18 B']]);
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

test('reports on the .dockerignore too, with the same edit', async () => {
  const w = await workspace(THIN);
  const [onIgnore] = await w.onIgnoreFile(rule, '.dockerignore');
  const [onDockerfile] = await w.onDockerfile(rule, 'Dockerfile');
  assert.equal(onIgnore.path, w.at('.dockerignore'));
  assert.deepEqual(onIgnore.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
  assert.deepEqual(onIgnore.fixes, onDockerfile.fixes);
  assert.equal(onIgnore.message, onDockerfile.message);
  assert.deepEqual(
    (await reportsOnIgnoreFile(w, rule, '.dockerignore')).map((r) => ({ messageId: r.messageId, line: r.line, data: r.data })),
    [{ messageId: 'letsThrough', line: 1, data: { file: '.dockerignore', size: '3 files, 18 B', drops: '**/*.log (app.log, logs/old.log), logs (logs/), **/__pycache__ (__pycache__/), **/*.py[cod]' } }],
  );
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
      assert.deepEqual(
        (await reportsOnDockerfile(w, rule, 'Dockerfile')).map((r) => [r.messageId, r.data?.drops]),
        [['letsThrough', '**/.venv (.venv/), **/*.tmp (notes.tmp)']],
      );
      w.apply(preferred([finding]));
      const twice = w.read('.dockerignore')!;
      assert.equal(twice, c.twice);
      assert.equal(twice.split(/\r?\n/).filter((l) => l === HEADER).length, 1);
      assert.deepEqual(await w.onDockerfile(rule, 'Dockerfile'), []);
    });
  }
});
