import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPythonBaseVersionRule } from '../../server/src/rules/python-base-version';
import { applyTextEdits } from '../../server/src/fixes/apply';
import type { Finding } from '../../server/src/rules/types';
import { check as checkIn, fix as fixIn, DOCKERFILE_PATH, type RuleTestOptions } from '../helpers/rule-tester';
import type { BuildContext } from '../../server/src/workspace/build-context';

/** A build of /work/app/Dockerfile whose context holds these files (path → text). */
function projectWith(files: Record<string, string>, dockerfilePath = '/work/app/Dockerfile'): BuildContext {
  return {
    dockerfilePath,
    contextDir: '/work/app',
    source: 'dockerfile-folder',
    ignoreFile: { path: '/work/app/.dockerignore', kind: 'context-root', exists: false },
    scan: { files: Object.keys(files).map((path) => ({ path, size: 10 })), truncated: false },
    readFile: (path: string) => (Object.hasOwn(files, path) ? files[path] : undefined),
  };
}

// Unless a test says otherwise, the Dockerfile is in a project whose files state no Python version.
const NO_CONSTRAINT = projectWith({ 'app.py': 'print(1)\n' });
const check = (r: typeof rule, text: string, options: RuleTestOptions = {}) => checkIn(r, text, { buildContext: NO_CONSTRAINT, ...options });
const fix = (r: typeof rule, text: string, options: RuleTestOptions = {}) => fixIn(r, text, { buildContext: NO_CONSTRAINT, ...options });

// A fixed day: 3.8 and 3.9 are past end of life, 3.10 (2026-10) is not yet.
const rule = createPythonBaseVersionRule({ today: () => new Date('2026-01-15T12:00:00Z') });
const target = (targetVersion: string) => ({ settings: { python: { targetVersion } } });
const DIGEST = 'sha256:' + 'a1'.repeat(32);

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
  return findings[0];
}

/** The text after one of a finding's fixes, preferred or not (fix() applies only preferred ones). */
function applyFix(text: string, finding: Finding, index = 0): string {
  const change = finding.fixes[index].changes[0];
  assert.equal(change.kind, 'edit');
  assert.equal(change.path, DOCKERFILE_PATH);
  return applyTextEdits(text, change.kind === 'edit' ? change.edits : []).text;
}

describe('python-base-version: fires', () => {
  test('reports python:3.11 below the default target 3.12, on the tag', () => {
    const finding = only(check(rule, 'FROM python:3.11-slim AS app\n'));
    assert.equal(finding.ruleId, 'python-base-version');
    assert.equal(finding.path, DOCKERFILE_PATH);
    assert.deepEqual(finding.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 21 } });
    assert.match(finding.message, /python:3\.11-slim runs Python 3\.11, older than the target Python 3\.12\./);
    assert.doesNotMatch(finding.message, /end of life/);
  });

  for (const name of ['library/python', 'docker.io/library/python', 'index.docker.io/library/python', 'docker.io/python']) {
    test(`treats ${name} as the official image`, () => {
      only(check(rule, `FROM ${name}:3.11\n`));
    });
  }

  for (const tag of ['3.11', '3.11.9', '3.11-alpine', '3.11.9-slim-bookworm', '3.11-alpine3.19', '3.11-windowsservercore-ltsc2022', '3.11-rc-slim', '3.11.0rc1']) {
    test(`reads the version of python:${tag}`, () => {
      assert.match(only(check(rule, `FROM python:${tag}\n`)).message, /runs Python 3\.11,/);
    });
  }

  test('says a version past end of life is past end of life, with the month', () => {
    const finding = only(check(rule, 'FROM python:3.9-slim\n'));
    assert.match(finding.message, /runs Python 3\.9, past end of life since 2025-10 \(no more security fixes\); the target is Python 3\.12\./);
  });

  test('judges end of life against the injected day', () => {
    const text = 'FROM python:3.10-slim\n';
    const before = createPythonBaseVersionRule({ today: () => new Date('2026-10-15T00:00:00Z') });
    const after = createPythonBaseVersionRule({ today: () => new Date('2026-11-02T00:00:00Z') });
    assert.doesNotMatch(only(check(before, text)).message, /end of life/);
    assert.match(only(check(after, text)).message, /past end of life since 2026-10/);
  });

  test('honours targetVersion 3.13', () => {
    const finding = only(check(rule, 'FROM python:3.12-slim\n', target('3.13')));
    assert.match(finding.message, /older than the target Python 3\.13/);
    assert.equal(fix(rule, 'FROM python:3.12-slim\n', target('3.13')), 'FROM python:3.13-slim\n');
  });

  test('reports a Python 2 image without an automatic fix', () => {
    const finding = only(check(rule, 'FROM python:2.7-slim\n'));
    assert.match(finding.message, /past end of life since 2020-01/);
    assert.match(finding.message, /Moving from Python 2 to Python 3 is a port, not a tag change: no automatic fix\./);
    assert.deepEqual(finding.fixes, []);
  });

  test('reports a floating python:2 tag as Python 2.7', () => {
    const finding = only(check(rule, 'FROM python:2\n'));
    assert.match(finding.message, /runs Python 2\.7/);
    assert.deepEqual(finding.fixes, []);
  });

  test('reports the FROM when the version comes from a global ARG', () => {
    const finding = only(check(rule, 'ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\n'));
    assert.equal(finding.range.start.line, 1);
    assert.match(finding.message, /python:3\.11-slim \(version from ARG PYTHON_VERSION\) runs Python 3\.11/);
  });

  test('tells the digest must be re-pinned', () => {
    const finding = only(check(rule, `FROM python:3.11-slim@${DIGEST}\n`));
    assert.match(finding.message, /pinned by digest: the fix drops the old digest; re-pin python:3\.12-slim to its new digest/);
    assert.deepEqual(finding.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 21 } });
  });

  test('reports each stage built on an old image', () => {
    assert.equal(check(rule, 'FROM python:3.10 AS build\nFROM python:3.11-slim\n').length, 2);
  });
});

describe('python-base-version: stays silent', () => {
  for (const from of [
    'python:3.12',
    'python:3.12.4-slim-bookworm',
    'python:3.13-slim', // never a downgrade
    'python:3.14-alpine',
    'python:3',
    'python:3-slim',
    'python:3-alpine3.19',
    'python:latest',
    'python',
    'python:slim',
    'python:alpine',
    'python:bookworm',
    'python:3.13.0rc1',
    `python@${DIGEST}`,
    'myregistry/python:3.11',
    'ghcr.io/x/python:3.11',
    'localhost:5000/python:3.11',
    'registry.example.com/library/python:3.11',
    'pythonista:3.11',
    'pypy:3.9',
  ]) {
    test(`on FROM ${from}`, () => {
      assert.deepEqual(check(rule, `FROM ${from}\n`), []);
    });
  }

  test('when the target is older than the image (3.11 target, 3.12 image)', () => {
    assert.deepEqual(check(rule, 'FROM python:3.12-slim\n', target('3.11')), []);
  });

  test('on a stage reference: one finding for the base, none for FROM base', () => {
    const findings = check(rule, 'FROM python:3.11 AS base\nRUN echo hi\nFROM base\nFROM base AS final\n');
    assert.equal(only(findings).range.start.line, 0);
  });

  // The comments sit below the first line: the model reads a comment on line 1 as a parser directive.
  test('when suppressed by the comment on the line before', () => {
    const text = 'FROM python:3.10 AS tools\n# dockopt ignore=python-base-version\nFROM python:3.11-slim\n';
    assert.equal(only(check(rule, text)).range.start.line, 0);
  });

  test('when suppressed for the whole file', () => {
    assert.deepEqual(check(rule, 'FROM python:3.10\n# dockopt global ignore=python-base-version\nFROM python:3.11\n'), []);
  });

  test('when the version comes from an ARG without a default (set at build time)', () => {
    assert.deepEqual(check(rule, 'ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\n'), []);
  });

  test('when the ARG is declared inside a stage, which a later FROM cannot read', () => {
    assert.deepEqual(check(rule, 'FROM alpine\nARG V=3.11\nFROM python:${V}\n'), []);
  });

  test('when the version depends on the build platform', () => {
    assert.deepEqual(check(rule, 'FROM python:3.11-${TARGETARCH}\n'), []);
  });

  for (const [name, text] of [
    ['an empty tag', 'FROM python:\n'],
    ['a bare FROM', 'FROM\n'],
    ['an unterminated variable', 'FROM python:${PY\n'],
    ['an unterminated quote', 'FROM "python:3.11\n'],
    ['an unknown expansion', 'ARG V=3.11-slim\nFROM python:${V%-slim}\n'],
    ['a half-typed AS', 'FROM python:3.11 AS\n'],
    ['junk', 'FROM \u0000\u0001:::@@@\nFROM :3.11\nFROM @sha256:\n'],
    ['a huge version', 'FROM python:99999999999999999999.1\n'],
  ]) {
    test(`without throwing on ${name}`, () => {
      assert.doesNotThrow(() => check(rule, text));
    });
  }
});

describe('python-base-version: fix', () => {
  test('changes only the version and keeps the variant and AS name', () => {
    assert.equal(fix(rule, 'FROM python:3.11-slim AS app\n'), 'FROM python:3.12-slim AS app\n');
  });

  test('turns the example services (python:3.11-alpine) into 3.12', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM python:3.11-alpine\nWORKDIR /app\n';
    assert.equal(fix(rule, text), '# syntax=docker/dockerfile:1\nFROM python:3.12-alpine\nWORKDIR /app\n');
    assert.deepEqual(check(rule, fix(rule, text)), []);
  });

  test('unpins a patch release to the minor tag, which always exists', () => {
    const finding = only(check(rule, 'FROM python:3.11.9-slim\n'));
    assert.match(finding.fixes[0].title, /unpinning the patch release/);
    assert.equal(fix(rule, 'FROM python:3.11.9-slim\n'), 'FROM python:3.12-slim\n');
  });

  test('keeps a Debian release the target was published for', () => {
    assert.equal(fix(rule, 'FROM python:3.11.9-slim-bookworm\n'), 'FROM python:3.12-slim-bookworm\n');
  });

  test('keeps an Alpine release the target was published for', () => {
    assert.equal(fix(rule, 'FROM python:3.11-alpine3.19\n'), 'FROM python:3.12-alpine3.19\n');
  });

  test('keeps a Windows variant', () => {
    assert.equal(
      fix(rule, 'FROM python:3.11-windowsservercore-ltsc2022\n'),
      'FROM python:3.12-windowsservercore-ltsc2022\n',
    );
  });

  test('drops a release candidate marker', () => {
    assert.equal(fix(rule, 'FROM python:3.11-rc-slim\n'), 'FROM python:3.12-slim\n');
  });

  test('keeps the registry as written', () => {
    assert.equal(fix(rule, 'FROM docker.io/library/python:3.10\n'), 'FROM docker.io/library/python:3.12\n');
  });

  test('keeps --platform and the AS name', () => {
    assert.equal(
      fix(rule, 'FROM --platform=$BUILDPLATFORM python:3.11-alpine AS build\nRUN echo ok\n'),
      'FROM --platform=$BUILDPLATFORM python:3.12-alpine AS build\nRUN echo ok\n',
    );
  });

  test('drops the digest with its @ and keeps the rest', () => {
    assert.equal(
      fix(rule, `FROM python:3.11-slim@${DIGEST} AS app # pinned\n`),
      'FROM python:3.12-slim AS app # pinned\n',
    );
  });

  test('edits the ARG default when the version comes from it', () => {
    const text = 'ARG PYTHON_VERSION=3.11\n\n# the base\nFROM python:${PYTHON_VERSION}-slim AS app\n';
    const finding = only(check(rule, text));
    assert.equal(finding.fixes[0].title, 'Set ARG PYTHON_VERSION to 3.12 (python:3.12-slim)');
    assert.equal(fix(rule, text), 'ARG PYTHON_VERSION=3.12\n\n# the base\nFROM python:${PYTHON_VERSION}-slim AS app\n');
  });

  test('edits the ARG default for $PYTHON_VERSION without braces', () => {
    assert.equal(
      fix(rule, 'ARG PYTHON_VERSION=3.11.4\nFROM python:$PYTHON_VERSION\n'),
      'ARG PYTHON_VERSION=3.12\nFROM python:$PYTHON_VERSION\n',
    );
  });

  test('edits inside the quotes of a quoted ARG default', () => {
    assert.equal(
      fix(rule, 'ARG A=1 PYTHON_VERSION="3.10"\nFROM python:${PYTHON_VERSION}-alpine\n'),
      'ARG A=1 PYTHON_VERSION="3.12"\nFROM python:${PYTHON_VERSION}-alpine\n',
    );
  });

  test('edits the ARG that holds the whole image', () => {
    assert.equal(
      fix(rule, 'ARG BASE=python:3.11-slim\nARG IMAGE=${BASE}\nFROM ${IMAGE}\n'),
      'ARG BASE=python:3.12-slim\nARG IMAGE=${BASE}\nFROM ${IMAGE}\n',
    );
  });

  test('edits the default word of ${VAR:-default} in the FROM', () => {
    assert.equal(fix(rule, 'FROM python:${PY:-3.11}-slim\n'), 'FROM python:${PY:-3.12}-slim\n');
  });

  test('edits an ARG shared by two stages once', () => {
    const text = 'ARG PY=3.10\nFROM python:${PY} AS build\nFROM python:${PY}-slim\n';
    assert.equal(check(rule, text).length, 2);
    assert.equal(fix(rule, text), 'ARG PY=3.12\nFROM python:${PY} AS build\nFROM python:${PY}-slim\n');
  });

  test('does not prefer editing an ARG that also names another image', () => {
    const text = 'ARG V=3.11\nFROM python:${V}\nFROM mycorp/tool:${V}\n';
    const finding = only(check(rule, text));
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.match(finding.message, /ARG V also feeds FROM mycorp\/tool:3\.11, which cannot simply take it/);
    assert.equal(fix(rule, text), text);
  });

  test('does not prefer editing an ARG when another stage would get a tag that was never published', () => {
    const text = 'ARG PY=3.11\nFROM python:${PY}-slim-buster AS build\nFROM python:${PY}-slim\n';
    const findings = check(rule, text);
    assert.equal(findings.length, 2);
    assert.deepEqual(findings.map((f) => f.fixes[0].isPreferred), [false, false]);
    assert.match(findings[1].message, /ARG PY also feeds FROM python:3\.11-slim-buster/);
    assert.equal(fix(rule, text), text);
  });

  test('moves to the floating variant only as a non-preferred fix when the OS release has no target image', () => {
    const text = 'FROM python:3.11-slim-buster\n';
    const finding = only(check(rule, text));
    assert.match(finding.message, /python:3\.12-slim-buster was never published \(Debian buster has no Python 3\.12 image\)/);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(fix(rule, text), text);
    assert.equal(applyFix(text, finding), 'FROM python:3.12-slim\n');
  });

  test('moves an ARG version and a FROM variant in two edits when the OS release has no target image', () => {
    const text = 'ARG PY=3.10.4\nFROM python:${PY}-slim-buster\n';
    const finding = only(check(rule, text));
    assert.equal(finding.fixes[0].title, 'Set ARG PY to 3.12 (python:3.12-slim), unpinning the patch release');
    assert.equal(applyFix(text, finding), 'ARG PY=3.12\nFROM python:${PY}-slim\n');
  });

  test('names the ARG edit a version change when the ARG holds more than the version', () => {
    const finding = only(check(rule, 'ARG BASE=python:3.11-slim\nFROM $BASE\n'));
    assert.equal(finding.fixes[0].title, 'Change the version in ARG BASE to 3.12 (python:3.12-slim)');
  });

  test('offers no fix for a variant it does not know', () => {
    const finding = only(check(rule, 'FROM python:3.11-foo\n'));
    assert.match(finding.message, /does not know whether python:3\.12-foo exists: no automatic fix/);
    assert.deepEqual(finding.fixes, []);
  });

  test('offers no fix towards a target with no published image', () => {
    const finding = only(check(rule, 'FROM python:3.11\n', target('3.16')));
    assert.match(finding.message, /no published python:3\.16 image: no automatic fix/);
    assert.deepEqual(finding.fixes, []);
  });

  test('keeps CRLF line endings', () => {
    assert.equal(
      fix(rule, 'ARG PYTHON_VERSION=3.11\r\nFROM python:${PYTHON_VERSION}-slim AS app\r\nFROM python:3.10\r\nRUN echo hi\r\n'),
      'ARG PYTHON_VERSION=3.12\r\nFROM python:${PYTHON_VERSION}-slim AS app\r\nFROM python:3.12\r\nRUN echo hi\r\n',
    );
  });

  test('keeps the # escape=` directive and backtick continuations', () => {
    const text = '# escape=`\nFROM python:3.11-windowsservercore-ltsc2022 `\n  AS build\nRUN pip install `\n  flask\n';
    assert.equal(
      fix(rule, text),
      '# escape=`\nFROM python:3.12-windowsservercore-ltsc2022 `\n  AS build\nRUN pip install `\n  flask\n',
    );
  });

  test('edits a FROM whose image sits on a continuation line', () => {
    assert.equal(fix(rule, 'FROM \\\n  python:3.11-slim \\\n  AS app\n'), 'FROM \\\n  python:3.12-slim \\\n  AS app\n');
  });

  test('reads an image word split by a line continuation', () => {
    assert.equal(fix(rule, 'FROM python:3.11\\\n-slim AS app\n'), 'FROM python:3.12\\\n-slim AS app\n');
  });

  test('offers no fix when the version is not written in one piece', () => {
    for (const text of ['ARG MAJOR=3\nARG MINOR=11\nFROM python:${MAJOR}.${MINOR}-slim\n', 'FROM python:3.1\\\n1-slim\n']) {
      const finding = only(check(rule, text));
      assert.match(finding.message, /not written in one place dockopt can edit: no automatic fix/);
      assert.deepEqual(finding.fixes, []);
    }
  });

  test('fixes all stages and leaves nothing to report', () => {
    const text = 'FROM python:3.9 AS build\nFROM build AS test\nFROM python:3.11-slim\nCOPY --from=build /a /a\n';
    const fixed = fix(rule, text);
    assert.equal(fixed, 'FROM python:3.12 AS build\nFROM build AS test\nFROM python:3.12-slim\nCOPY --from=build /a /a\n');
    assert.deepEqual(check(rule, fixed), []);
  });
});

describe("python-base-version: the project's own Python versions", () => {
  // [files of the context, Dockerfile, the Dockerfile after the fix]
  const moves: Array<[string, Record<string, string>, string, string]> = [
    ['requires-python = ">=3.8,<3.11" stops at 3.10', { 'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.8,<3.11"\n' }, 'FROM python:3.8-slim\n', 'FROM python:3.10-slim\n'],
    ['requires-python = ">=3.8" lets it reach the target', { 'pyproject.toml': '[project]\nrequires-python = ">=3.8"\n' }, 'FROM python:3.8-slim\n', 'FROM python:3.12-slim\n'],
    ['requires-python = "~=3.9" allows any 3.x from 3.9', { 'pyproject.toml': "[project]\nrequires-python = '~=3.9'\n" }, 'FROM python:3.9\n', 'FROM python:3.12\n'],
    ['requires-python = "==3.10.*" pins the 3.10 line', { 'pyproject.toml': '[project]\nrequires-python = "==3.10.*"\n' }, 'FROM python:3.9\n', 'FROM python:3.10\n'],
    ['requires-python = ">=3.9,!=3.12.*" skips 3.12', { 'pyproject.toml': '[project]\nrequires-python = ">=3.9,!=3.12.*"\n' }, 'FROM python:3.9\n', 'FROM python:3.11\n'],
    ['requires-python = "<=3.11" refuses 3.11.x (PEP 440: 3.11 is 3.11.0)', { 'pyproject.toml': '[project]\nrequires-python = "<=3.11"\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n'],
    ['Poetry python = "^3.9" allows up to 4.0', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.9"\nflask = "^3.0"\n' }, 'FROM python:3.9\n', 'FROM python:3.12\n'],
    ['Poetry python = "~3.9" is the 3.9 line', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "~3.9"\n' }, 'FROM python:3.8\n', 'FROM python:3.9\n'],
    ['Poetry python = ">=3.8 <3.11" (space-separated)', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = ">=3.8 <3.11"\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n'],
    ['Poetry python = "3.10" is the 3.10 line', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "3.10"\n' }, 'FROM python:3.9\n', 'FROM python:3.10\n'],
    ['Pipfile python_version = "3.10"', { Pipfile: '[packages]\nflask = "*"\n\n[requires]\npython_version = "3.10"\n' }, 'FROM python:3.8-slim\n', 'FROM python:3.10-slim\n'],
    ['setup.cfg python_requires', { 'setup.cfg': '[metadata]\nname = app\n\n[options]\npython_requires = >=3.7, <3.11\n' }, 'FROM python:3.7\n', 'FROM python:3.10\n'],
    ['setup.py python_requires', { 'setup.py': 'from setuptools import setup\nsetup(name="app", python_requires=">=3.6,<3.10")\n' }, 'FROM python:3.7\n', 'FROM python:3.9\n'],
    ['.python-version (a patch release counts as its line)', { '.python-version': '3.11.4\n' }, 'FROM python:3.9\n', 'FROM python:3.11\n'],
    ['runtime.txt', { 'runtime.txt': 'python-3.10.12\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n'],
    ['tox envlist with braces', { 'tox.ini': '[tox]\nenvlist = py{38,39,310}-django{32,42}, lint\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n'],
    ['tox envlist over several lines', { 'tox.ini': '[tox]\nenvlist =\n    py38\n    py39\nskipsdist = true\n' }, 'FROM python:3.8\n', 'FROM python:3.9\n'],
    ['nox sessions', { 'noxfile.py': 'import nox\n\n@nox.session(python=["3.9", "3.10"])\ndef tests(session):\n    pass\n' }, 'FROM python:3.9\n', 'FROM python:3.10\n'],
    ['every file must allow it (the lowest wins)', { 'pyproject.toml': '[project]\nrequires-python = ">=3.8"\n', '.python-version': '3.11\n', 'tox.ini': '[tox]\nenvlist = py39,py310,py311,py312\n' }, 'FROM python:3.8\n', 'FROM python:3.11\n'],
    ['an ARG default moves to the newest allowed', { 'pyproject.toml': '[project]\nrequires-python = "<3.11"\n' }, 'ARG PY=3.8.10\nFROM python:${PY}-slim\n', 'ARG PY=3.10\nFROM python:${PY}-slim\n'],
  ];
  for (const [name, files, before, after] of moves) {
    test(`${name}: ${before.trim()} → ${after.trim()}`, () => {
      assert.equal(fix(rule, before, { buildContext: projectWith(files) }), after);
    });
  }

  test('says what stops it short of the target, and names the file in the title', () => {
    const buildContext = projectWith({ 'pyproject.toml': '[project]\nrequires-python = ">=3.8,<3.11"\n' });
    const finding = only(check(rule, 'FROM python:3.8-slim\n', { buildContext }));
    assert.equal(
      finding.message,
      'python:3.8-slim runs Python 3.8, past end of life since 2024-10 (no more security fixes); the target is Python 3.12. ' +
        "The project's pyproject.toml says requires-python = \">=3.8,<3.11\", which does not allow Python 3.12: the fix moves to Python 3.10, the newest it allows.",
    );
    assert.equal(finding.fixes[0].title, 'Change the base image to python:3.10-slim (the newest Python pyproject.toml allows)');
    assert.equal(finding.fixes[0].isPreferred, true);
  });

  test('offers no fix when the project pins the image’s own version (Pipfile python_version, pipenv --deploy)', () => {
    const buildContext = projectWith({ Pipfile: '[packages]\nflask = "*"\n\n[requires]\npython_version = "3.7"\n', 'Pipfile.lock': '{}' });
    const text = 'FROM python:3.7\nWORKDIR /app\nCOPY Pipfile Pipfile.lock ./\nRUN pip install pipenv && pipenv install --deploy --system\n';
    const finding = only(check(rule, text, { buildContext }));
    assert.match(
      finding.message,
      /The project's Pipfile says python_version = "3\.7", which allows no Python from 3\.8 to 3\.12: no automatic fix\. Raise the project's Python version first\.$/,
    );
    assert.deepEqual(finding.fixes, []);
  });

  test('offers no fix for python_full_version, which pins one patch release', () => {
    const buildContext = projectWith({ Pipfile: '[requires]\npython_full_version = "3.9.18"\n' });
    const finding = only(check(rule, 'FROM python:3.9.18\n', { buildContext }));
    assert.match(finding.message, /Pipfile says python_full_version = "3\.9\.18", which allows no Python from 3\.10 to 3\.12/);
    assert.deepEqual(finding.fixes, []);
  });

  test('names every file that refuses the target', () => {
    const buildContext = projectWith({ '.python-version': '3.9\n', 'runtime.txt': 'python-3.9.7' });
    const finding = only(check(rule, 'FROM python:3.9\n', { buildContext }));
    assert.match(finding.message, /The project's \.python-version says 3\.9 and runtime\.txt says python-3\.9\.7, which allows no Python/);
  });

  test('offers the fix, not preferred, when a constraint cannot be read', () => {
    const buildContext = projectWith({ 'setup.py': 'setup(name="app", python_requires=PYTHON_REQUIRES)\n' });
    const text = 'FROM python:3.10-slim\n';
    const finding = only(check(rule, text, { buildContext }));
    assert.match(finding.message, /dockopt cannot read setup\.py \(python_requires=PYTHON_REQUIRES\): the fix is not applied automatically\./);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(finding.fixes[0].title, 'Change the base image to python:3.12-slim (assumes setup.py allows Python 3.12)');
    assert.equal(fix(rule, text, { buildContext }), text);
    assert.equal(applyFix(text, finding), 'FROM python:3.12-slim\n');
  });

  test('without a build context, offers the fix but does not prefer it: the supported versions are unknown', () => {
    const text = 'FROM python:3.11-slim\n';
    const finding = only(check(rule, text, { buildContext: undefined }));
    assert.match(finding.message, /dockopt cannot read the project's files here \(no build context\), so it does not know which Python versions the project supports: the fix is not applied automatically\.$/);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(finding.fixes[0].title, 'Change the base image to python:3.12-slim (assumes the project supports Python 3.12)');
    assert.equal(fix(rule, text, { buildContext: undefined }), text);
    assert.equal(applyFix(text, finding), 'FROM python:3.12-slim\n');
  });

  test('a build context without constraint files is "no constraint": the fix is preferred', () => {
    const finding = only(check(rule, 'FROM python:3.11\n', { buildContext: projectWith({ 'requirements.txt': 'flask\n' }) }));
    assert.equal(finding.fixes[0].isPreferred, true);
    assert.doesNotMatch(finding.message, /project/);
  });

  test("reads the Dockerfile's own folder when the context is above it", () => {
    const buildContext = projectWith({ 'services/api/Pipfile': '[requires]\npython_version = "3.10"\n' }, '/work/app/services/api/Dockerfile');
    assert.equal(fix(rule, 'FROM python:3.9\n', { buildContext }), 'FROM python:3.10\n');
  });

  test('reads the folders the stage copies from, and the stages built on it', () => {
    const buildContext = projectWith({ 'backend/pyproject.toml': '[project]\nrequires-python = "<3.11"\n' });
    assert.equal(
      fix(rule, 'FROM python:3.9 AS base\nFROM base\nWORKDIR /app\nCOPY backend/pyproject.toml backend/*.lock ./\n', { buildContext }),
      'FROM python:3.10 AS base\nFROM base\nWORKDIR /app\nCOPY backend/pyproject.toml backend/*.lock ./\n',
    );
  });

  test('does not apply one stage’s project to another stage', () => {
    const buildContext = projectWith({ 'worker/.python-version': '3.9\n' });
    const text = 'FROM python:3.9 AS api\nCOPY api/ /app/\nFROM python:3.9 AS worker\nCOPY worker/ /app/\n';
    assert.equal(fix(rule, text, { buildContext }), 'FROM python:3.12 AS api\nCOPY api/ /app/\nFROM python:3.9 AS worker\nCOPY worker/ /app/\n');
  });

  test('ignores constraints of other sections and of files it does not read', () => {
    const buildContext = projectWith({
      'pyproject.toml': '[tool.black]\ntarget-version = ["py37"]\n[tool.other]\nrequires-python = "<3.8"\npython = "3.7"\n',
      'tox.ini': '[testenv]\nenvlist = py37\n',
      'docs/.python-version': '3.7\n',
    });
    assert.equal(fix(rule, 'FROM python:3.9\n', { buildContext }), 'FROM python:3.12\n');
  });
});
