/** Suppression comments as the engine applies them, in Dockerfiles and in .dockerignore files. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintDockerfile, lintDockerignore } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import type { BuildContext } from '../../server/src/workspace/build-context';

const codes = (findings: Array<{ ruleId: string }>) => findings.map((f) => f.ruleId).sort();
const lint = (text: string) => lintDockerfile({ path: '/w/Dockerfile', text, builds: [], settings: DEFAULT_SETTINGS });

test('a suppression comment on the first line of a Dockerfile counts (not a parser directive)', () => {
  assert.deepEqual(codes(lint('# dockopt ignore=python-base-version\nFROM python:3.11\n')), []);
  assert.deepEqual(codes(lint('# dockopt global ignore=python-base-version,pip-cache-mount\nFROM python:3.11\nRUN pip install x\n')), []);
});

test('a suppression before an instruction covers findings on its continuation lines', () => {
  const text = 'FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN apt-get update && \\\n    pip install flask\n';
  assert.deepEqual(codes(lint(text)), []);
  assert.deepEqual(codes(lint(text.replace('# dockopt ignore=pip-cache-mount\n', ''))), ['pip-cache-mount']);
});

test('a suppression comment in a .dockerignore silences that rule for the file', () => {
  const build: BuildContext = {
    dockerfilePath: '/w/services/x/Dockerfile',
    contextDir: '/w',
    source: 'compose',
    service: 'x',
    ignoreFile: { path: '/w/.dockerignore', kind: 'context-root', exists: false },
    dockerfileText: 'FROM python:3.12\n',
    unreadIgnoreFile: { path: '/w/services/x/.dockerignore', text: 'tests/\n' },
    scan: { files: [{ path: 'services/x/tests/test_a.py', size: 10 }], truncated: false },
  } as BuildContext;
  const input = (text: string) => ({ path: '/w/services/x/.dockerignore', text, builds: [build], settings: DEFAULT_SETTINGS });
  assert.deepEqual(codes(lintDockerignore(input('tests/\n'))), ['dockerignore-not-applied']);
  assert.deepEqual(codes(lintDockerignore(input('# dockopt ignore=dockerignore-not-applied\ntests/\n'))), []);
});
