/**
 * A `# syntax=` directive that pins a frontend without `RUN --mount` (docker/dockerfile 1.0 and
 * 1.1): the findings stay, no fix adds a mount, and the finding says why (fixes/frontend-support.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { lintDockerfile } from '../../server/src/engine';
import { frontendWithoutRunMount } from '../../server/src/fixes/frontend-support';
import { fixAllInText } from '../../server/src/fixes/fix-text';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

const PATH = '/work/app/Dockerfile';
const BODY = 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n';
const lint = (text: string) => lintDockerfile({ path: PATH, model: parseDockerfile(text), builds: [], settings: DEFAULT_SETTINGS });

describe('which # syntax= pins lack RUN --mount', () => {
  const cases: Array<[string, string | undefined]> = [
    ['# syntax=docker/dockerfile:1.0\n', 'docker/dockerfile:1.0'],
    ['# syntax=docker/dockerfile:1.1\n', 'docker/dockerfile:1.1'],
    ['# syntax = docker/dockerfile:1.1.7\n', 'docker/dockerfile:1.1.7'],
    ['#syntax=docker.io/docker/dockerfile:1.0.2\r\n', 'docker.io/docker/dockerfile:1.0.2'],
    ['# escape=`\n# syntax=docker/dockerfile:1.1\n', 'docker/dockerfile:1.1'],
    ['\uFEFF# syntax=docker/dockerfile:1.0\n', 'docker/dockerfile:1.0'],
    ['# syntax=docker/dockerfile:1.1-experimental\n', undefined],
    ['# syntax=docker/dockerfile:1.0.0-experimental\n', undefined],
    ['# syntax=docker/dockerfile:1.2\n', undefined],
    ['# syntax=docker/dockerfile:1\n', undefined],
    ['# syntax=docker/dockerfile:1.7-labs\n', undefined],
    ['# syntax=example.com/my/frontend:1.0\n', undefined],
    // Not a directive once a comment, a blank line or an instruction came first.
    ['# a comment\n# syntax=docker/dockerfile:1.0\n', undefined],
    ['\n# syntax=docker/dockerfile:1.0\n', undefined],
  ];
  for (const [head, expected] of cases) {
    it(`${JSON.stringify(head)} → ${expected ?? 'none'}`, () => assert.equal(frontendWithoutRunMount(`${head}${BODY}`), expected));
  }
  it('none when a RUN already has a mount: the file builds with mounts, whatever the tag says', () => {
    assert.equal(frontendWithoutRunMount(`# syntax=docker/dockerfile:1.1\n${BODY}RUN --mount=type=secret,id=t cat /run/secrets/t\n`), undefined);
  });
});

describe('under a pin without RUN --mount', () => {
  it('pip-cache-mount still reports, without a fix, and says why', () => {
    const text = `# syntax=docker/dockerfile:1.1\n${BODY}`;
    const finding = lint(text).find((f) => f.ruleId === 'pip-cache-mount')!;
    assert.ok(finding, 'the finding stays');
    assert.deepEqual(finding.fixes, []);
    assert.match(finding.message, / No automatic fix: `# syntax=docker\/dockerfile:1\.1` pins a Dockerfile frontend without RUN --mount \(docker\/dockerfile 1\.2 and later have it\): raise it, then fix\.$/);
  });

  it('fix-all adds no mount (npm, apt, pip) and keeps the fixes that add none', () => {
    const text = '# syntax=docker/dockerfile:1.0\nFROM node:20\nRUN apt-get update && apt-get install -y git\nCOPY package*.json ./\nRUN npm ci\n';
    const fixed = fixAllInText(PATH, text, lint);
    assert.ok(!fixed.includes('--mount'), fixed);
    for (const finding of lint(text)) for (const fix of finding.fixes) for (const change of fix.changes) if (change.kind === 'edit') for (const edit of change.edits) assert.ok(!edit.newText.includes('--mount='), `${finding.ruleId}: ${edit.newText}`);
  });

  it('the same file pinned to 1.2 gets the mounts', () => {
    const text = `# syntax=docker/dockerfile:1.2\n${BODY}`;
    assert.match(fixAllInText(PATH, text, lint), /RUN --mount=type=cache,target=\/root\/\.cache\/pip pip install -r requirements\.txt/);
  });
});
