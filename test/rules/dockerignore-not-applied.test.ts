import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule as incomplete } from '../../server/src/rules/dockerignore-incomplete';
import { rule as missing } from '../../server/src/rules/dockerignore-missing';
import { rule } from '../../server/src/rules/dockerignore-not-applied';
import type { FileChange } from '../../server/src/rules/types';
import { reportsOnIgnoreFile } from './dockerignore-reports';
import { preferred, workspace } from './dockerignore-workspace';

const ROOTED_COMPOSE = 'services:\n  x:\n    build:\n      context: .\n      dockerfile: services/x/Dockerfile\n';
const X_DOCKERFILE = 'FROM python:3.12\nCOPY services/x/src /app\n';
const X_IGNORE = '# local junk\ntests/\n**/__pycache__\n!tests/keep.txt\n/build\n\n*.log\n';

const ROOTED = {
  'docker-compose.yml': ROOTED_COMPOSE,
  'services/x/Dockerfile': X_DOCKERFILE,
  'services/x/.dockerignore': X_IGNORE,
  'services/x/src/app.py': '',
};

const MOVED = [
  '# local junk',
  'services/x/tests/',
  '**/__pycache__',
  '!services/x/tests/keep.txt',
  'services/x/build',
  '',
  'services/x/*.log',
];

/** The rule's reports on a .dockerignore of the workspace: which message, and the reasons it gives. */
async function reasonsOf(w: Awaited<ReturnType<typeof workspace>>, rel: string) {
  return (await reportsOnIgnoreFile(w, rule, rel)).map((r) => ({ messageId: r.messageId, reasons: r.data?.reasons }));
}

test('fires on a .dockerignore whose Dockerfile is built with the repository root as context', async () => {
  const w = await workspace(ROOTED);
  const [finding, ...rest] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
  assert.equal(rest.length, 0);
  assert.equal(finding.path, w.at('services/x/.dockerignore'));
  assert.deepEqual(finding.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } });
  assert.equal(
    finding.message,
    'No build reads this .dockerignore: compose service x builds Dockerfile with context ../.. and reads no .dockerignore. Its patterns have no effect there.',
  );
  assert.deepEqual(await reasonsOf(w, 'services/x/.dockerignore'), [
    { messageId: 'notApplied', reasons: 'compose service x builds Dockerfile with context ../.. and reads no .dockerignore' },
  ]);
});

test('the fix creates Dockerfile.dockerignore with the patterns rewritten relative to the context', async () => {
  const w = await workspace(ROOTED);
  const [finding] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
  const fix = finding.fixes[0];
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.title, 'Copy these patterns to Dockerfile.dockerignore, which BuildKit reads');
  const [change] = fix.changes;
  assert.equal(change.kind, 'create');
  assert.equal(change.path, w.at('services/x/Dockerfile.dockerignore'));
  const text = change.kind === 'create' ? change.text : '';
  const head = [
    '# Written by dockopt for Dockerfile (build context: ../..)',
    '# Files matched here are not sent to BuildKit: a smaller context and fewer COPY cache misses.',
    '# BuildKit reads this file instead of ../../.dockerignore; paths are relative to the context.',
    '',
    '# From .dockerignore, which this build does not read (rewritten relative to the context)',
    ...MOVED,
    '',
    '# Version control',
    '**/.git',
  ].join('\n');
  assert.ok(text.startsWith(head + '\n'), text);
  // Recommended patterns already moved over are not repeated.
  assert.equal(text.split('\n').filter((l) => l === '**/__pycache__').length, 1);
});

test('offers the context root as a second, not preferred, target', async () => {
  const w = await workspace(ROOTED);
  const [finding] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
  const second = finding.fixes[1];
  assert.equal(second.isPreferred, false);
  assert.deepEqual(second.changes, [
    {
      kind: 'create',
      path: w.at('.dockerignore'),
      text: ['# dockopt: patterns of an unread .dockerignore, rewritten relative to the context', ...MOVED, ''].join('\n'),
    },
  ]);
});

test('after the fix no rule fires, and a second pass changes nothing; the original file stays', async () => {
  const w = await workspace(ROOTED);
  w.apply(preferred(await w.onIgnoreFile(rule, 'services/x/.dockerignore')));
  const created = w.read('services/x/Dockerfile.dockerignore');
  assert.ok(created);
  assert.equal(w.read('services/x/.dockerignore'), X_IGNORE);
  assert.deepEqual(await w.onIgnoreFile(rule, 'services/x/.dockerignore'), []);
  assert.deepEqual(await w.onDockerfile(missing, 'services/x/Dockerfile'), []);
  assert.deepEqual(await w.onDockerfile(incomplete, 'services/x/Dockerfile'), []);
  assert.deepEqual(await w.onIgnoreFile(incomplete, 'services/x/Dockerfile.dockerignore'), []);
  w.apply(preferred(await w.onIgnoreFile(rule, 'services/x/.dockerignore')));
  assert.equal(w.read('services/x/Dockerfile.dockerignore'), created);
});

test('the second fix (context root) also quiets the rule', async () => {
  const w = await workspace(ROOTED);
  const [finding] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
  w.apply([finding.fixes[1]]);
  assert.deepEqual(await w.onIgnoreFile(rule, 'services/x/.dockerignore'), []);
});

test('the created file keeps the patterns of the context-root .dockerignore it replaces', async () => {
  const w = await workspace({ ...ROOTED, '.dockerignore': '**/.git\r\nnode_modules\r\n' });
  const [finding] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
  assert.deepEqual(await reasonsOf(w, 'services/x/.dockerignore'), [
    { messageId: 'notApplied', reasons: 'compose service x builds Dockerfile with context ../.. and reads ../../.dockerignore' },
  ]);
  const change = finding.fixes[0].changes[0] as Extract<FileChange, { kind: 'create' }>;
  assert.ok(
    change.text.includes(
      '\n# From ../../.dockerignore, which this file replaces for this build\n**/.git\nnode_modules\n\n# From .dockerignore, which this build does not read',
    ),
    change.text,
  );
});

test('when a Dockerfile.dockerignore wins, the unread .dockerignore beside it is appended to it', async () => {
  const w = await workspace({
    'app/Dockerfile': 'FROM python:3.12\nCOPY . .\n',
    'app/Dockerfile.dockerignore': '.git',
    'app/.dockerignore': 'tests\r\n',
  });
  const [finding] = await w.onIgnoreFile(rule, 'app/.dockerignore');
  assert.deepEqual(await reasonsOf(w, 'app/.dockerignore'), [{ messageId: 'notApplied', reasons: 'Dockerfile is built with context . and reads Dockerfile.dockerignore' }]);
  const [change] = finding.fixes[0].changes;
  assert.equal(change.kind, 'edit');
  assert.equal(change.path, w.at('app/Dockerfile.dockerignore'));
  const after = change.kind === 'edit' ? applyTextEdits('.git', change.edits).text : '';
  assert.equal(after, '.git\n\n# dockopt: patterns of an unread .dockerignore, rewritten relative to the context\ntests\n');
  assert.equal(finding.fixes.length, 1, 'no context-root alternative: the Dockerfile-specific file wins anyway');
  w.apply(preferred([finding]));
  assert.deepEqual(await w.onIgnoreFile(rule, 'app/.dockerignore'), []);
});

test('does not fire when a build reads the file', async () => {
  const w = await workspace({
    ...ROOTED,
    'docker-compose.yml': ROOTED_COMPOSE + '  y:\n    build: ./services/x\n',
  });
  assert.deepEqual(await w.onIgnoreFile(rule, 'services/x/.dockerignore'), []);
});

test('does not fire for a .dockerignore with no Dockerfile beside it, or with only comments', async () => {
  const lone = await workspace({ 'docs/.dockerignore': 'x\n', 'Dockerfile': 'FROM alpine\n' });
  assert.deepEqual(await lone.onIgnoreFile(rule, 'docs/.dockerignore'), []);
  const comments = await workspace({ ...ROOTED, 'services/x/.dockerignore': '# nothing yet\n\n' });
  assert.deepEqual(await comments.onIgnoreFile(rule, 'services/x/.dockerignore'), []);
});

test('a context that does not contain the file: reported, with no automatic fix', async () => {
  const w = await workspace({
    'docker-compose.yml': 'services:\n  x:\n    build:\n      context: ./other\n      dockerfile: ../services/x/Dockerfile\n',
    'services/x/Dockerfile': X_DOCKERFILE,
    'services/x/.dockerignore': X_IGNORE,
    'other/a.txt': '',
  });
  const [finding] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
  assert.equal(
    finding.message,
    'No build reads this .dockerignore: compose service x builds Dockerfile with context ../../other and reads no .dockerignore. ' +
      'Its paths cannot be rewritten for that context; move them by hand.',
  );
  assert.deepEqual(await reasonsOf(w, 'services/x/.dockerignore'), [
    { messageId: 'notAppliedOutsideContext', reasons: 'compose service x builds Dockerfile with context ../../other and reads no .dockerignore' },
  ]);
  assert.deepEqual(finding.fixes, []);
});

test('stays silent until the context is scanned', async () => {
  const w = await workspace(ROOTED);
  const path = w.at('services/x/.dockerignore');
  const builds = w.ws.buildsForIgnoreFile(path);
  assert.equal(builds[0].scan, undefined);
  assert.deepEqual(rule.checkDockerignore!({ path, text: X_IGNORE, builds, settings: { rules: {}, python: { targetVersion: '3.12' }, contextOverrides: [], exclude: [] } }), []);
});

const UNREAD_HEADER = '# dockopt: patterns of an unread .dockerignore, rewritten relative to the context';

/** Rewrites files of the workspace, as the editor's watcher would report them. */
function rewrite(w: Awaited<ReturnType<typeof workspace>>, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.writeFileSync(w.at(rel), text);
    w.ws.invalidate(w.at(rel));
  }
}

describe('a second copy, after the unread file gained patterns, adds only them, under the header the first wrote', () => {
  test('into the Dockerfile.dockerignore that wins', async () => {
    const w = await workspace({
      'app/Dockerfile': 'FROM python:3.12\nCOPY . .\n',
      'app/Dockerfile.dockerignore': '.git',
      'app/.dockerignore': '# junk\ntests\n',
    });
    w.apply(preferred(await w.onIgnoreFile(rule, 'app/.dockerignore')));
    assert.equal(w.read('app/Dockerfile.dockerignore'), `.git\n\n${UNREAD_HEADER}\n# junk\ntests\n`);
    rewrite(w, { 'app/.dockerignore': '# junk\ntests\n\n# scratch\n*.tmp\n!keep.tmp\n' });
    w.apply(preferred(await w.onIgnoreFile(rule, 'app/.dockerignore')));
    const twice = w.read('app/Dockerfile.dockerignore')!;
    assert.equal(twice, `.git\n\n${UNREAD_HEADER}\n# junk\ntests\n# scratch\n*.tmp\n!keep.tmp\n`);
    assert.equal(twice.split('\n').filter((l) => l === UNREAD_HEADER).length, 1);
    assert.deepEqual(await w.onIgnoreFile(rule, 'app/.dockerignore'), []);
  });

  test('into the context root, CRLF: blank lines copied from the unread file do not end the section', async () => {
    const w = await workspace({ ...ROOTED, 'services/x/.dockerignore': X_IGNORE.replace(/\n/g, '\r\n') });
    const [finding] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
    w.apply([finding.fixes[1]]);
    const once = [UNREAD_HEADER, ...MOVED, ''].join('\r\n');
    assert.equal(w.read('.dockerignore'), once);
    // The user adds a line of their own below it, and one to the unread file.
    rewrite(w, { '.dockerignore': once + '\r\nsecrets/\r\n', 'services/x/.dockerignore': X_IGNORE.replace(/\n/g, '\r\n') + '*.bak\r\n' });
    const [again] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
    assert.equal(again.fixes[1].changes[0].kind, 'edit');
    w.apply([again.fixes[1]]);
    assert.equal(w.read('.dockerignore'), once + '\r\nsecrets/\r\nservices/x/*.bak\r\n');
    assert.deepEqual(await w.onIgnoreFile(rule, 'services/x/.dockerignore'), []);
  });

  test('before the next section dockopt wrote', async () => {
    const recommended = '# dockopt: recommended patterns for files found in the build context\n**/*.log\n';
    const target = `.git\n\n${UNREAD_HEADER}\ntests\n\n${recommended}`;
    const w = await workspace({
      'app/Dockerfile': 'FROM python:3.12\nCOPY . .\n',
      'app/Dockerfile.dockerignore': target,
      'app/.dockerignore': 'tests\n*.tmp\n',
    });
    w.apply(preferred(await w.onIgnoreFile(rule, 'app/.dockerignore')));
    assert.equal(w.read('app/Dockerfile.dockerignore'), `.git\n\n${UNREAD_HEADER}\ntests\n*.tmp\n\n${recommended}`);
  });
});

test('two Dockerfiles beside the file, both built elsewhere: one finding giving both reasons, one file created for each', async () => {
  const w = await workspace({
    ...ROOTED,
    'docker-compose.yml': ROOTED_COMPOSE + '  w:\n    build:\n      context: .\n      dockerfile: services/x/Dockerfile.worker\n',
    'services/x/Dockerfile.worker': X_DOCKERFILE,
  });
  assert.deepEqual(await reasonsOf(w, 'services/x/.dockerignore'), [
    {
      messageId: 'notApplied',
      reasons:
        'compose service x builds Dockerfile with context ../.. and reads no .dockerignore; ' +
        'compose service w builds Dockerfile.worker with context ../.. and reads no .dockerignore',
    },
  ]);
  const [finding] = await w.onIgnoreFile(rule, 'services/x/.dockerignore');
  assert.equal(finding.fixes[0].title, 'Copy these patterns to Dockerfile.dockerignore, Dockerfile.worker.dockerignore, which BuildKit reads');
  w.apply(preferred([finding]));
  assert.deepEqual(await w.onIgnoreFile(rule, 'services/x/.dockerignore'), []);
});
