import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rule as incomplete } from '../../server/src/rules/dockerignore-incomplete';
import { rule } from '../../server/src/rules/dockerignore-missing';
import { rule as notApplied } from '../../server/src/rules/dockerignore-not-applied';
import type { FileChange } from '../../server/src/rules/types';
import { check, runRuleTests } from '../helpers/rule-tester';
import { buildOf, CONTEXT_DIR, reportsOnDockerfile } from './dockerignore-reports';
import { preferred, workspace } from './dockerignore-workspace';

const PY_DOCKERFILE = '# syntax=docker/dockerfile:1\nARG PY=3.12\nFROM python:${PY}-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY src/ ./src/\n';

/** A Python app's context, relative to its folder. */
const PY_FILES = {
  'Dockerfile': PY_DOCKERFILE,
  'requirements.txt': 'flask\n',
  'src/main.py': 'print(1)\n',
  'src/__pycache__/main.cpython-312.pyc': 'xxxxxxxx',
  'tests/test_main.py': 'def test(): pass\n',
  'README.md': '# app\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
};

/** The same app in the folder app/ of a workspace. */
const PY_APP = Object.fromEntries(Object.entries(PY_FILES).map(([rel, text]) => [`app/${rel}`, text]));

/**
 * Every recommended pattern, for a build that copies a folder (`COPY src/ ./src/`): the content
 * patterns (docs, tests, .env) only at the context root, so they cannot reach into that folder.
 */
const RECOMMENDED = `
# Version control
**/.git
**/.hg
**/.svn

# Docs
docs
*.md
!README.md

# Tests and test reports
tests
test
__tests__
**/.pytest_cache
**/.coverage
**/.coverage.*
**/htmlcov
coverage
**/.tox
**/.nox
**/test-results
**/test-reports

# Logs
**/*.log
logs

# Python artifacts
**/__pycache__
**/*.py[cod]
**/*.egg-info
**/.mypy_cache
**/.ruff_cache
**/.ipynb_checkpoints

# Node artifacts
**/node_modules
**/npm-debug.log*
**/yarn-debug.log*
**/yarn-error.log*

# Virtual environments
**/.venv
venv

# Local environment files (secrets)
.env
.env.*
!.env.example

# Temporary files
**/*.tmp
**/*.swp
**/*.swo
**/*~
**/.DS_Store
**/Thumbs.db

# Editor settings
**/.vscode
**/.idea
`;

const createdText = (changes: FileChange[]) => {
  assert.equal(changes.length, 1);
  assert.equal(changes[0].kind, 'create');
  return changes[0].kind === 'create' ? changes[0].text : '';
};

/**
 * The recommended patterns for a build that copies the whole context (`COPY . .`): no copied
 * folder to keep out of, so the content patterns reach every folder too.
 */
const RECOMMENDED_ANYWHERE = RECOMMENDED.replace(/^(\*\.md|tests|__tests__|\.env|\.env\.\*)$/gm, '**/$1');

const HEADER = '# Written by dockopt\n# Files matched here are not sent to BuildKit: a smaller context and fewer COPY cache misses.\n';

const ROOTED_FILES = {
  'docker-compose.yml': 'services:\n  x:\n    build:\n      context: .\n      dockerfile: services/x/Dockerfile\n',
  'services/x/Dockerfile': 'FROM python:3.12\nCOPY services/x/src /app\n',
  'services/x/.dockerignore': '# local junk\ntests/\n',
  'services/x/src/app.py': '',
  '.git/HEAD': 'ref\n',
};

/** What dockerignore-missing creates for services/x/Dockerfile built from the repository root. */
const ROOTED_CREATED =
  '# Written by dockopt for Dockerfile (build context: ../..)\n' +
  '# Files matched here are not sent to BuildKit: a smaller context and fewer COPY cache misses.\n' +
  '# BuildKit reads this file instead of ../../.dockerignore; paths are relative to the context.\n' +
  '\n' +
  '# From .dockerignore, which this build does not read (rewritten relative to the context)\n' +
  '# local junk\n' +
  'services/x/tests/\n' +
  RECOMMENDED;

// The Dockerfile itself never changes: the fix creates the .dockerignore (outputFiles).
runRuleTests(rule, {
  valid: [
    { name: 'the build context is unknown', code: PY_DOCKERFILE },
    { name: 'the context is not scanned yet', code: PY_DOCKERFILE, options: { buildContext: { ...buildOf(PY_FILES), scan: undefined } } },
    { name: 'a .dockerignore exists, even an empty one', code: PY_DOCKERFILE, options: { buildContext: buildOf({ ...PY_FILES, '.dockerignore': '' }) } },
    { name: 'a Dockerfile-specific .dockerignore exists', code: PY_DOCKERFILE, options: { buildContext: buildOf({ ...PY_FILES, 'Dockerfile.dockerignore': 'tests\n' }) } },
    {
      name: 'the recommended patterns would leave out no file of the context',
      code: PY_DOCKERFILE,
      options: { buildContext: buildOf({ 'Dockerfile': PY_DOCKERFILE, 'requirements.txt': 'flask\n', 'src/main.py': 'print(1)\n' }) },
    },
  ],
  invalid: [
    {
      name: 'fires on the FROM line, with sizes; the fix creates .dockerignore with every safe recommended pattern',
      code: PY_DOCKERFILE,
      options: { buildContext: buildOf(PY_FILES) },
      errors: [
        {
          messageId: 'noIgnoreFile',
          line: 3,
          column: 1,
          endColumn: 23,
          data: {
            contextSize: '7 files, 208 B',
            sparedSize: '3 files, 46 B',
            drops: '**/.git (.git/), tests (tests/), **/__pycache__ (src/__pycache__/), **/*.py[cod]',
          },
        },
      ],
      output: null,
      outputFiles: { [`${CONTEXT_DIR}/.dockerignore`]: HEADER + RECOMMENDED },
    },
    {
      name: 'a Dockerfile built from the repository root gets its own Dockerfile.dockerignore, with the unread patterns moved in',
      code: ROOTED_FILES['services/x/Dockerfile'],
      options: { path: `${CONTEXT_DIR}/services/x/Dockerfile`, buildContext: buildOf(ROOTED_FILES, 'services/x/Dockerfile', { source: 'compose', service: 'x' }) },
      errors: [{ messageId: 'noIgnoreFileBesideUnread', line: 1, data: { context: '../..', unread: '.dockerignore' } }],
      output: null,
      outputFiles: { [`${CONTEXT_DIR}/services/x/Dockerfile.dockerignore`]: ROOTED_CREATED },
    },
    {
      name: 'a context other than the Dockerfile folder, with nothing beside the Dockerfile',
      code: 'FROM python:3.12\nCOPY . .\n',
      options: { path: `${CONTEXT_DIR}/docker/Dockerfile`, buildContext: buildOf({ 'docker/Dockerfile': 'FROM python:3.12\nCOPY . .\n', 'app.log': 'x' }, 'docker/Dockerfile', { source: 'compose' }) },
      errors: [{ messageId: 'noIgnoreFileContextAbove', line: 1, data: { context: '..', contextSize: '2 files, 27 B', sparedSize: '1 file, 1 B', drops: '**/*.log (app.log)' } }],
      output: null,
      outputFiles: {
        [`${CONTEXT_DIR}/docker/Dockerfile.dockerignore`]:
          '# Written by dockopt for Dockerfile (build context: ..)\n' +
          '# Files matched here are not sent to BuildKit: a smaller context and fewer COPY cache misses.\n' +
          '# BuildKit reads this file instead of ../.dockerignore; paths are relative to the context.\n' +
          RECOMMENDED_ANYWHERE,
      },
    },
  ],
});

test('dockerignore-missing: the messages read in full, and the fix is named', () => {
  const [finding, ...rest] = check(rule, PY_DOCKERFILE, { buildContext: buildOf(PY_FILES) });
  assert.equal(rest.length, 0);
  assert.equal(
    finding.message,
    'No .dockerignore is read for this build: BuildKit sends the whole context (7 files, 208 B). ' +
      'The recommended patterns would leave out 3 files, 46 B: **/.git (.git/), tests (tests/), ' +
      '**/__pycache__ (src/__pycache__/), **/*.py[cod].',
  );
  assert.equal(finding.fixes[0].title, 'Create .dockerignore with the recommended patterns');
  assert.equal(finding.fixes[0].isPreferred, true);
  const [rooted] = check(rule, ROOTED_FILES['services/x/Dockerfile'], {
    path: `${CONTEXT_DIR}/services/x/Dockerfile`,
    buildContext: buildOf(ROOTED_FILES, 'services/x/Dockerfile', { source: 'compose', service: 'x' }),
  });
  assert.equal(
    rooted.message,
    'No .dockerignore is read for this build: BuildKit sends the whole context ../.. (5 files, 149 B). ' +
      'The recommended patterns would leave out 1 file, 4 B: **/.git (.git/). ' +
      'The .dockerignore beside this Dockerfile is not read: the context is elsewhere.',
  );
  assert.equal(rooted.fixes[0].title, 'Create Dockerfile.dockerignore with the recommended patterns');
});

test('the fix creates the file in the real workspace: .dockerignore with every safe recommended pattern', async () => {
  const w = await workspace(PY_APP);
  const [finding, ...rest] = await w.onDockerfile(rule, 'app/Dockerfile');
  assert.equal(rest.length, 0);
  assert.deepEqual(finding.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 22 } });
  assert.deepEqual(
    (await reportsOnDockerfile(w, rule, 'app/Dockerfile')).map((r) => r.messageId),
    ['noIgnoreFile'],
  );
  assert.deepEqual(finding.fixes[0].changes, [{ kind: 'create', path: w.at('app/.dockerignore'), text: HEADER + RECOMMENDED }]);
});

test('after the fix neither this rule nor dockerignore-incomplete fires, and a second pass changes nothing', async () => {
  const w = await workspace(PY_APP);
  w.apply(preferred(await w.onDockerfile(rule, 'app/Dockerfile')));
  const created = w.read('app/.dockerignore');
  assert.deepEqual(await w.onDockerfile(rule, 'app/Dockerfile'), []);
  assert.deepEqual(await w.onDockerfile(incomplete, 'app/Dockerfile'), []);
  assert.deepEqual(await w.onIgnoreFile(incomplete, 'app/.dockerignore'), []);
  w.apply(preferred(await w.onDockerfile(rule, 'app/Dockerfile')));
  assert.equal(w.read('app/.dockerignore'), created);
});

test('never adds a pattern that would exclude a COPY/ADD source', async () => {
  const w = await workspace({
    'Dockerfile': [
      'FROM python:3.12',
      'COPY docs/ /srv/docs/',
      'COPY CHANGELOG.md logs/ ./',
      'ADD ["tests", "/srv/tests"]',
      'COPY src/ ./src/',
      '',
    ].join('\n'),
    'docs/index.html': '<h1>',
    'CHANGELOG.md': '# 1.0\n',
    'logs/.keep': '',
    'tests/test_a.py': '',
    'src/app.py': '',
    'src/__pycache__/app.cpython-312.pyc': 'x',
  });
  const text = createdText((await w.onDockerfile(rule, 'Dockerfile'))[0].fixes[0].changes);
  const lines = text.split('\n');
  for (const unsafe of ['docs', '**/*.md', '!README.md', 'logs', '**/tests']) assert.ok(!lines.includes(unsafe), unsafe);
  // Artifacts below a copied folder are still left out: nothing needs src/__pycache__.
  for (const kept of ['**/__pycache__', '**/*.py[cod]', '**/*.log', '**/.git']) assert.ok(lines.includes(kept), kept);
});

test('a COPY of README.md keeps **/*.md (its exception re-includes the README)', async () => {
  const w = await workspace({ 'Dockerfile': 'FROM python:3.12\nCOPY README.md pyproject.toml ./\n', 'README.md': '# x\n', 'pyproject.toml': '', 'NOTES.md': 'n' });
  const lines = createdText((await w.onDockerfile(rule, 'Dockerfile'))[0].fixes[0].changes).split('\n');
  assert.ok(lines.includes('**/*.md'));
  assert.ok(lines.includes('!README.md'));
});

test('COPY --from, heredocs and URLs are not context sources; bind mounts and globs are', async () => {
  const w = await workspace({
    'Dockerfile': [
      'FROM node:20 AS build',
      'COPY --from=base /app/docs /docs',
      'COPY <<EOF /etc/tests',
      'docs',
      'EOF',
      'ADD https://example.com/logs.tgz /tmp/',
      'RUN --mount=type=bind,source=.venv,target=/venv true',
      'COPY *.env.* ./',
      '',
    ].join('\n'),
    '.env.production': 'A=1\n',
    '.git/HEAD': 'ref\n',
  });
  const lines = createdText((await w.onDockerfile(rule, 'Dockerfile'))[0].fixes[0].changes).split('\n');
  for (const kept of ['docs', '**/tests', 'logs']) assert.ok(lines.includes(kept), kept);
  for (const unsafe of ['**/.venv', '**/.env.*']) assert.ok(!lines.includes(unsafe), unsafe);
});

test('a RUN that runs the tests, or uses git, keeps those groups out', async () => {
  const w = await workspace({ 'Dockerfile': 'FROM python:3.12\nCOPY . .\nRUN pip install . && pytest -q\nRUN git describe --tags\n', 'app.log': 'x' });
  const lines = createdText((await w.onDockerfile(rule, 'Dockerfile'))[0].fixes[0].changes).split('\n');
  for (const unsafe of ['**/tests', '**/.git']) assert.ok(!lines.includes(unsafe), unsafe);
  assert.ok(lines.includes('**/__pycache__'));
});

test('a CRLF Dockerfile gets a CRLF .dockerignore', async () => {
  const w = await workspace({ 'Dockerfile': 'FROM python:3.12\r\nCOPY . .\r\n', 'app.log': 'x' });
  const text = createdText((await w.onDockerfile(rule, 'Dockerfile'))[0].fixes[0].changes);
  assert.ok(text.endsWith('**/.idea\r\n'));
  assert.equal(text.replace(/\r\n/g, '').includes('\n'), false);
});

test('a Dockerfile built from the repository root gets its own Dockerfile.dockerignore, with the unread patterns moved in', async () => {
  const w = await workspace({
    'docker-compose.yml': 'services:\n  x:\n    build:\n      context: .\n      dockerfile: services/x/Dockerfile\n',
    'services/x/Dockerfile': 'FROM python:3.12\nCOPY services/x/src /app\n',
    'services/x/.dockerignore': '# local junk\ntests/\n',
    'services/x/src/app.py': '',
    '.git/HEAD': 'ref\n',
  });
  const [finding] = await w.onDockerfile(rule, 'services/x/Dockerfile');
  const [report] = await reportsOnDockerfile(w, rule, 'services/x/Dockerfile');
  assert.equal(report.messageId, 'noIgnoreFileBesideUnread');
  assert.deepEqual({ context: report.data?.context, unread: report.data?.unread }, { context: '../..', unread: '.dockerignore' });
  const change = finding.fixes[0].changes[0];
  assert.equal(change.path, w.at('services/x/Dockerfile.dockerignore'));
  assert.equal(createdText([change]), ROOTED_CREATED);
  // dockerignore-not-applied offers the very same file, so whichever fix runs first, the result is one.
  const [other] = await w.onIgnoreFile(notApplied, 'services/x/.dockerignore');
  assert.deepEqual(other.fixes[0].changes, [change]);
  w.apply(preferred([finding, other]));
  for (const r of [rule, incomplete]) assert.deepEqual(await w.onDockerfile(r, 'services/x/Dockerfile'), []);
  assert.deepEqual(await w.onIgnoreFile(notApplied, 'services/x/.dockerignore'), []);
});

test('the new .dockerignore is safe for the other Dockerfiles of the context that will read it', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM python:3.12\nCOPY . .\n',
    'Dockerfile.docs': 'FROM nginx\nCOPY docs/ /usr/share/nginx/html/\n',
    'docs/index.md': '# hi',
    '.git/HEAD': 'ref\n',
  });
  const lines = createdText((await w.onDockerfile(rule, 'Dockerfile'))[0].fixes[0].changes).split('\n');
  assert.ok(!lines.includes('docs'));
  assert.ok(!lines.includes('**/*.md'));
  assert.ok(lines.includes('**/.git'));
});

test('two Dockerfiles of one folder create the same .dockerignore, and one pass satisfies both', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM python:3.12\nCOPY . .\n',
    'Dockerfile.docs': 'FROM nginx\nCOPY docs/ /usr/share/nginx/html/\n',
    'docs/index.md': '# hi',
    'app.log': 'x',
  });
  const [main] = await w.onDockerfile(rule, 'Dockerfile');
  const [docs] = await w.onDockerfile(rule, 'Dockerfile.docs');
  assert.deepEqual(docs.fixes[0].changes, main.fixes[0].changes);
  w.apply(preferred([main, docs]));
  for (const dockerfile of ['Dockerfile', 'Dockerfile.docs']) {
    for (const r of [rule, incomplete]) assert.deepEqual(await w.onDockerfile(r, dockerfile), [], `${r.meta.id} on ${dockerfile}`);
  }
});

test('exec-form sources are read as JSON, across a continuation with a backtick escape', async () => {
  const w = await workspace({ 'Dockerfile': '# escape=`\nFROM python:3.12\nCOPY ["my logs", `\n  "/srv/logs/"]\n', 'my logs/a.log': 'x', 'b.log': 'y', '.git/HEAD': 'ref\n' });
  const lines = createdText((await w.onDockerfile(rule, 'Dockerfile'))[0].fixes[0].changes).split('\n');
  // Logs are artifacts, excluded below copied folders too, but not when nothing of the folder would remain.
  assert.ok(!lines.includes('**/*.log'));
  assert.ok(lines.includes('logs'));
});

test('a Dockerfile whose COPY sources are only in a folder above says the context is probably there, and creates nothing', async () => {
  const ws = await workspace({
    'services/api/Dockerfile': 'FROM python:3.12-slim\nCOPY services/api/requirements.txt .\nRUN pip install -r requirements.txt\nCOPY shared/ ./shared/\n',
    'services/api/requirements.txt': 'flask\n',
    'services/api/README.md': '# api\n',
    'shared/lib.py': 'x = 1\n',
  });
  const [finding] = await ws.onDockerfile(rule, 'services/api/Dockerfile');
  const reports = await reportsOnDockerfile(ws, rule, 'services/api/Dockerfile');
  assert.deepEqual(
    reports.map((r) => ({ messageId: r.messageId, line: r.line, data: r.data })),
    [{ messageId: 'contextProbablyAbove', line: 1, data: { sources: 'services/api/requirements.txt, shared', dir: '../..' } }],
  );
  assert.equal(
    finding.message,
    'This Dockerfile copies services/api/requirements.txt, shared, which is not in its folder but in ../..: it is probably built with ' +
      '../.. as its context, so no .dockerignore is created here. Tell dockopt with the setting ' +
      '"dockopt.contextOverrides" (or a compose file) to check the context it is really built with.',
  );
  assert.deepEqual(finding.fixes, []);
});

test('the guess is only overruled when every missing source is in one folder above', async () => {
  const ws = await workspace({
    'services/api/Dockerfile': 'FROM python:3.12-slim\nCOPY requirements.txt .\nCOPY nowhere.txt .\n',
    'services/api/requirements.txt': 'flask\n',
    'services/api/README.md': '# api\n',
    'services/api/debug.log': 'x', // so that the rule says something: which message it is tells
  });
  const reports = await reportsOnDockerfile(ws, rule, 'services/api/Dockerfile');
  assert.deepEqual(reports.map((r) => r.messageId), ['noIgnoreFile']);
});

test('a context named by a compose file is never second-guessed', async () => {
  const ws = await workspace({
    'compose.yaml': 'services:\n  api:\n    build: ./services/api\n',
    'services/api/Dockerfile': 'FROM python:3.12-slim\nCOPY shared/ ./shared/\n',
    'services/api/README.md': '# api\n',
    'services/api/debug.log': 'x', // so that the rule says something: which message it is tells
    'shared/lib.py': 'x = 1\n',
  });
  const reports = await reportsOnDockerfile(ws, rule, 'services/api/Dockerfile');
  assert.deepEqual(reports.map((r) => r.messageId), ['noIgnoreFile']);
});
