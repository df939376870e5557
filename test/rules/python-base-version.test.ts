/**
 * python-base-version as RuleTester tables: every case fires (with its message id) or not, and
 * fixes to its output. What a table cannot show (fix titles, fixes offered but not preferred, the
 * clock, messages read in full) stays in plain tests below the tables.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPythonBaseVersionRule } from '../../server/src/rules/python-base-version';
import { applyTextEdits } from '../../server/src/fixes/apply';
import type { Finding } from '../../server/src/rules/types';
import { resolveSettings } from '../../server/src/settings';
import type { BuildContext } from '../../server/src/workspace/build-context';
import {
  check as checkIn,
  DOCKERFILE_PATH,
  reportsOf,
  runRuleTests,
  type InvalidCase,
  type RuleTestOptions,
  type ValidCase,
} from '../helpers/rule-tester';

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

// Unless a case says otherwise, the Dockerfile is in a project whose files state no Python version.
const NO_CONSTRAINT = projectWith({ 'app.py': 'print(1)\n' });
const inProject = (options: RuleTestOptions = {}): RuleTestOptions => ({ buildContext: NO_CONSTRAINT, ...options });
const check = (r: typeof rule, text: string, options: RuleTestOptions = {}) => checkIn(r, text, inProject(options));
const valid = (c: ValidCase): ValidCase => ({ ...c, options: inProject(c.options) });
const invalid = (c: InvalidCase): InvalidCase => ({ ...c, options: inProject(c.options) });

// A fixed day: 3.8 and 3.9 are past end of life, 3.10 (2026-10) is not yet.
const TODAY = () => new Date('2026-01-15T12:00:00Z');
const rule = createPythonBaseVersionRule({ today: TODAY });
const target = (targetVersion: string): RuleTestOptions => ({ settings: { python: { targetVersion } } });
const DIGEST = 'sha256:' + 'a1'.repeat(32);

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
  return findings[0];
}

/** The text after one of a finding's fixes, preferred or not (the tables apply only preferred ones). */
function applyFix(text: string, finding: Finding, index = 0): string {
  const change = finding.fixes[index].changes[0];
  assert.equal(change.kind, 'edit');
  assert.equal(change.path, DOCKERFILE_PATH);
  return applyTextEdits(text, change.kind === 'edit' ? change.edits : []).text;
}

/** One finding on line 1 moved to the target (or to `to`), the rest of the line kept. */
const moved = (code: string, to: string, messageId = 'olderThanTarget', options?: RuleTestOptions): InvalidCase => ({
  code,
  options,
  errors: [{ messageId, line: 1 }],
  output: to,
});

// The project's own Python versions: [name, files of the context, Dockerfile, after the fix, message id].
const PROJECT_MOVES: Array<[string, Record<string, string>, string, string, string]> = [
  ['requires-python = ">=3.8,<3.11" stops at 3.10', { 'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.8,<3.11"\n' }, 'FROM python:3.8-slim\n', 'FROM python:3.10-slim\n', 'pastEndOfLife'],
  ['requires-python = ">=3.8" lets it reach the target', { 'pyproject.toml': '[project]\nrequires-python = ">=3.8"\n' }, 'FROM python:3.8-slim\n', 'FROM python:3.12-slim\n', 'pastEndOfLife'],
  ['requires-python = "~=3.9" allows any 3.x from 3.9', { 'pyproject.toml': "[project]\nrequires-python = '~=3.9'\n" }, 'FROM python:3.9\n', 'FROM python:3.12\n', 'pastEndOfLife'],
  ['requires-python = "==3.10.*" pins the 3.10 line', { 'pyproject.toml': '[project]\nrequires-python = "==3.10.*"\n' }, 'FROM python:3.9\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['requires-python = ">=3.9,!=3.12.*" skips 3.12', { 'pyproject.toml': '[project]\nrequires-python = ">=3.9,!=3.12.*"\n' }, 'FROM python:3.9\n', 'FROM python:3.11\n', 'pastEndOfLife'],
  ['requires-python = "<=3.11" refuses 3.11.x (PEP 440: 3.11 is 3.11.0)', { 'pyproject.toml': '[project]\nrequires-python = "<=3.11"\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['Poetry python = "^3.9" allows up to 4.0', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.9"\nflask = "^3.0"\n' }, 'FROM python:3.9\n', 'FROM python:3.12\n', 'pastEndOfLife'],
  ['Poetry python = "~3.9" is the 3.9 line', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "~3.9"\n' }, 'FROM python:3.8\n', 'FROM python:3.9\n', 'pastEndOfLife'],
  ['Poetry python = ">=3.8 <3.11" (space-separated)', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = ">=3.8 <3.11"\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['Poetry python = "3.10" is the 3.10 line', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "3.10"\n' }, 'FROM python:3.9\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['Pipfile python_version = "3.10"', { Pipfile: '[packages]\nflask = "*"\n\n[requires]\npython_version = "3.10"\n' }, 'FROM python:3.8-slim\n', 'FROM python:3.10-slim\n', 'pastEndOfLife'],
  ['setup.cfg python_requires', { 'setup.cfg': '[metadata]\nname = app\n\n[options]\npython_requires = >=3.7, <3.11\n' }, 'FROM python:3.7\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['setup.py python_requires', { 'setup.py': 'from setuptools import setup\nsetup(name="app", python_requires=">=3.6,<3.10")\n' }, 'FROM python:3.7\n', 'FROM python:3.9\n', 'pastEndOfLife'],
  ['.python-version (a patch release counts as its line)', { '.python-version': '3.11.4\n' }, 'FROM python:3.9\n', 'FROM python:3.11\n', 'pastEndOfLife'],
  ['runtime.txt', { 'runtime.txt': 'python-3.10.12\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['tox envlist with braces', { 'tox.ini': '[tox]\nenvlist = py{38,39,310}-django{32,42}, lint\n' }, 'FROM python:3.8\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['tox envlist over several lines', { 'tox.ini': '[tox]\nenvlist =\n    py38\n    py39\nskipsdist = true\n' }, 'FROM python:3.8\n', 'FROM python:3.9\n', 'pastEndOfLife'],
  ['nox sessions', { 'noxfile.py': 'import nox\n\n@nox.session(python=["3.9", "3.10"])\ndef tests(session):\n    pass\n' }, 'FROM python:3.9\n', 'FROM python:3.10\n', 'pastEndOfLife'],
  ['every file must allow it (the lowest wins)', { 'pyproject.toml': '[project]\nrequires-python = ">=3.8"\n', '.python-version': '3.11\n', 'tox.ini': '[tox]\nenvlist = py39,py310,py311,py312\n' }, 'FROM python:3.8\n', 'FROM python:3.11\n', 'pastEndOfLife'],
  ['a build context without constraint files is "no constraint": the fix is preferred', { 'requirements.txt': 'flask\n' }, 'FROM python:3.11\n', 'FROM python:3.12\n', 'olderThanTarget'],
];

runRuleTests(rule, {
  valid: [
    ...[
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
    ].map((from) => ({ name: `silent on FROM ${from}`, code: `FROM ${from}\n` })),
    { name: 'silent when the target is older than the image (3.11 target, 3.12 image)', code: 'FROM python:3.12-slim\n', options: target('3.11') },
    { name: 'silent when suppressed for the whole file', code: 'FROM python:3.10\n# dockopt global ignore=python-base-version\nFROM python:3.11\n' },
    { name: 'silent when the version comes from an ARG without a default (set at build time)', code: 'ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\n' },
    { name: 'silent when the ARG is declared inside a stage, which a later FROM cannot read', code: 'FROM alpine\nARG V=3.11\nFROM python:${V}\n' },
    { name: 'silent when the version depends on the build platform', code: 'FROM python:3.11-${TARGETARCH}\n' },
    { name: 'silent without a target version it can read', code: 'FROM python:3.11\n', options: target('3') },
    // FROM lines that are half typed or that no build accepts: no finding, and (the engine isolates a
    // rule that throws) no error either — runRuleTests fails on a throw.
    ...[
      ['an empty tag', 'FROM python:\n'],
      ['a tag cut after the dot', 'FROM python:3.\n'],
      ['a bare FROM', 'FROM\n'],
      ['a FROM with only --platform', 'FROM --platform=$X\n'],
      ['an image that expands to nothing', 'FROM ${A:-}\n'],
      ['an empty variable name', 'ARG\nARG =3.11\nFROM python:${}\n'],
      ['a lone $', 'FROM python:$\n'],
      ['an unterminated variable', 'FROM python:${PY\n'],
      ['an unterminated quote', 'FROM "python:3.11\n'],
      ['an unterminated quote in the tag', 'FROM python:"3.11\n'],
      ['an unknown expansion', 'ARG V=3.11-slim\nFROM python:${V%-slim}\n'],
      ['a heredoc where the image goes', 'FROM <<EOF\npython:3.11\nEOF\n'],
      ['junk', 'FROM \u0000\u0001:::@@@\nFROM :3.11\nFROM @sha256:\n'],
      ['a huge version', 'FROM python:99999999999999999999.1\n'],
    ].map(([what, code]) => ({ name: `silent on ${what}`, code })),
  ].map(valid),
  invalid: [
    ...[
      ['a python stage', 'FROM python:3.11-slim AS build\nRUN pip wheel -w /w numpy\nFROM python:3.12-slim\nCOPY --from=build /w /w\n'],
      ['nginx, serving what it built', 'FROM python:3.11-slim AS docs\nRUN pip install mkdocs && mkdocs build\nFROM nginx:1.27\nCOPY --from=docs /site /usr/share/nginx/html\n'],
      ['a stage built on it', 'FROM python:3.11-slim AS base\nFROM base AS build\nRUN pip install x\nFROM base\nCOPY --from=build /usr/local /usr/local\n'],
    ].map(([what, code]) => ({ ...moved(code, code.replace('python:3.11-slim', 'python:3.12-slim')), name: `the fix applies when ${what} reads what the stage builds`, options: inProject() })),
    // What the stage builds, copied into a stage whose Python does not move with it: compiled for the new version, run by the old.
    ...(
      [
        ['distroless python3', 'gcr.io/distroless/python3-debian12', 'Line 5 copies what this stage builds into a stage on gcr.io/distroless/python3-debian12, whose Python does not change with it: the fix is not applied automatically.'],
        ['Debian, through a stage built on it', 'debian:12-slim', 'Line 5 copies what this stage builds into a stage on debian:12-slim, whose Python does not change with it: the fix is not applied automatically.'],
      ] as const
    ).map(([what, runtime, reason]) =>
      invalid({
        name: `no automatic fix when a stage on ${what} runs what this one builds`,
        code: `FROM python:3.11-slim AS build\nRUN pip install --target=/app/deps numpy==2.1.0\nFROM build AS more\nFROM ${runtime}\nCOPY --from=more /app /app\n`,
        errors: [{ messageId: 'olderThanTarget', line: 1, data: { notes: ` ${reason}` } }],
        output: null,
      }),
    ),
    // --- what it reports -------------------------------------------------------------------
    {
      name: 'python:3.11 below the default target 3.12, reported on the tag; the fix changes only the version and keeps the variant and AS name',
      code: 'FROM python:3.11-slim AS app\n',
      errors: [{ messageId: 'olderThanTarget', line: 1, column: 13, endColumn: 22, data: { image: 'python:3.11-slim', version: '3.11', target: '3.12', notes: '' } }],
      output: 'FROM python:3.12-slim AS app\n',
    },
    ...['library/python', 'docker.io/library/python', 'index.docker.io/library/python', 'docker.io/python'].map((name) => ({
      ...moved(`FROM ${name}:3.11\n`, `FROM ${name}:3.12\n`),
      name: `treats ${name} as the official image`,
    })),
    ...([
      ['3.11', '3.12'],
      ['3.11.9', '3.12'],
      ['3.11-alpine', '3.12-alpine'],
      ['3.11.9-slim-bookworm', '3.12-slim-bookworm'],
      ['3.11-alpine3.19', '3.12-alpine3.19'],
      ['3.11-windowsservercore-ltsc2022', '3.12-windowsservercore-ltsc2022'],
      ['3.11-rc-slim', '3.12-slim'],
      ['3.11.0rc1', '3.12'],
    ] as const).map(([tag, to]) => ({
      name: `reads the version of python:${tag}`,
      code: `FROM python:${tag}\n`,
      errors: [{ messageId: 'olderThanTarget', line: 1, data: { version: '3.11' } }],
      output: `FROM python:${to}\n`,
    })),
    {
      name: 'says a version past end of life is past end of life, with the month',
      code: 'FROM python:3.9-slim\n',
      errors: [{ messageId: 'pastEndOfLife', line: 1, data: { version: '3.9', endOfLife: '2025-10', target: '3.12' } }],
      output: 'FROM python:3.12-slim\n',
    },
    {
      name: 'honours targetVersion 3.13',
      code: 'FROM python:3.12-slim\n',
      options: target('3.13'),
      errors: [{ messageId: 'olderThanTarget', line: 1, data: { target: '3.13' } }],
      output: 'FROM python:3.13-slim\n',
    },
    {
      name: 'a Python 2 image: a port, no automatic fix',
      code: 'FROM python:2.7-slim\n',
      errors: [{ messageId: 'pastEndOfLifePort', line: 1, data: { endOfLife: '2020-01', major: 2, targetMajor: 3 } }],
      output: null,
    },
    {
      name: 'a floating python:2 tag is Python 2.7',
      code: 'FROM python:2\n',
      errors: [{ messageId: 'pastEndOfLifePort', line: 1, data: { version: '2.7' } }],
      output: null,
    },
    {
      name: 'a Python 0.1 tag is a port, not a crash',
      code: 'FROM python:0.1\n',
      errors: [{ messageId: 'olderThanTargetPort', line: 1, data: { major: 0, targetMajor: 3 } }],
      output: null,
    },
    {
      name: 'reports the FROM when the version comes from a global ARG, and says which ARG',
      code: 'ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\n',
      errors: [{ messageId: 'olderThanTarget', line: 2, data: { image: 'python:3.11-slim (version from ARG PYTHON_VERSION)' } }],
      output: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\n',
    },
    {
      name: 'tells the digest must be re-pinned, reported on the tag',
      code: `FROM python:3.11-slim@${DIGEST}\n`,
      errors: [{ messageId: 'olderThanTarget', line: 1, column: 13, endColumn: 22, data: { notes: ' The tag is pinned by digest: the fix drops the old digest; re-pin python:3.12-slim to its new digest.' } }],
      output: 'FROM python:3.12-slim\n',
    },
    {
      name: 'reports each stage built on an old image',
      code: 'FROM python:3.10 AS build\nFROM python:3.11-slim\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }, { messageId: 'olderThanTarget', line: 2 }],
      output: 'FROM python:3.12 AS build\nFROM python:3.12-slim\n',
    },
    {
      name: 'a stage reference: one finding for the base, none for FROM base',
      code: 'FROM python:3.11 AS base\nRUN echo hi\nFROM base\nFROM base AS final\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM python:3.12 AS base\nRUN echo hi\nFROM base\nFROM base AS final\n',
    },
    {
      // The comment sits below the first line: the model reads a comment on line 1 as a parser directive.
      name: 'silent on a FROM suppressed by the comment on the line before',
      code: 'FROM python:3.10 AS tools\n# dockopt ignore=python-base-version\nFROM python:3.11-slim\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM python:3.12 AS tools\n# dockopt ignore=python-base-version\nFROM python:3.11-slim\n',
    },
    {
      name: 'a half-typed AS',
      code: 'FROM python:3.11 AS\n',
      errors: [{ messageId: 'olderThanTarget', line: 1, column: 13, endColumn: 17 }],
      output: 'FROM python:3.12 AS\n',
    },
    {
      name: 'a stage with a heredoc RUN',
      code: 'FROM python:3.11 AS a\nRUN <<EOF\npip install flask\nEOF\nFROM a\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM python:3.12 AS a\nRUN <<EOF\npip install flask\nEOF\nFROM a\n',
    },
    {
      name: 'a FROM that ends in a line continuation at the end of the file',
      code: 'FROM python:3.11\\\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM python:3.12\\\n',
    },

    // --- the fix ---------------------------------------------------------------------------
    {
      name: 'turns the example services (python:3.11-alpine) into 3.12',
      code: '# syntax=docker/dockerfile:1\nFROM python:3.11-alpine\nWORKDIR /app\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }],
      output: '# syntax=docker/dockerfile:1\nFROM python:3.12-alpine\nWORKDIR /app\n',
    },
    { ...moved('FROM python:3.11.9-slim\n', 'FROM python:3.12-slim\n'), name: 'unpins a patch release to the minor tag, which always exists' },
    { ...moved('FROM python:3.11.9-slim-bookworm\n', 'FROM python:3.12-slim-bookworm\n'), name: 'keeps a Debian release the target was published for' },
    { ...moved('FROM python:3.11-alpine3.19\n', 'FROM python:3.12-alpine3.19\n'), name: 'keeps an Alpine release the target was published for' },
    { ...moved('FROM python:3.11-windowsservercore-ltsc2022\n', 'FROM python:3.12-windowsservercore-ltsc2022\n'), name: 'keeps a Windows variant' },
    { ...moved('FROM python:3.11-rc-slim\n', 'FROM python:3.12-slim\n'), name: 'drops a release candidate marker' },
    { ...moved('FROM docker.io/library/python:3.10\n', 'FROM docker.io/library/python:3.12\n'), name: 'keeps the registry as written' },
    {
      name: 'keeps --platform and the AS name',
      code: 'FROM --platform=$BUILDPLATFORM python:3.11-alpine AS build\nRUN echo ok\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM --platform=$BUILDPLATFORM python:3.12-alpine AS build\nRUN echo ok\n',
    },
    { ...moved(`FROM python:3.11-slim@${DIGEST} AS app # pinned\n`, 'FROM python:3.12-slim AS app # pinned\n'), name: 'drops the digest with its @ and keeps the rest' },
    {
      name: 'edits the ARG default when the version comes from it',
      code: 'ARG PYTHON_VERSION=3.11\n\n# the base\nFROM python:${PYTHON_VERSION}-slim AS app\n',
      errors: [{ messageId: 'olderThanTarget', line: 4 }],
      output: 'ARG PYTHON_VERSION=3.12\n\n# the base\nFROM python:${PYTHON_VERSION}-slim AS app\n',
    },
    {
      name: 'edits the ARG default for $PYTHON_VERSION without braces',
      code: 'ARG PYTHON_VERSION=3.11.4\nFROM python:$PYTHON_VERSION\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }],
      output: 'ARG PYTHON_VERSION=3.12\nFROM python:$PYTHON_VERSION\n',
    },
    {
      name: 'edits inside the quotes of a quoted ARG default',
      code: 'ARG A=1 PYTHON_VERSION="3.10"\nFROM python:${PYTHON_VERSION}-alpine\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }],
      output: 'ARG A=1 PYTHON_VERSION="3.12"\nFROM python:${PYTHON_VERSION}-alpine\n',
    },
    {
      name: 'edits the ARG that holds the whole image',
      code: 'ARG BASE=python:3.11-slim\nARG IMAGE=${BASE}\nFROM ${IMAGE}\n',
      errors: [{ messageId: 'olderThanTarget', line: 3, data: { image: 'python:3.11-slim (version from ARG BASE)' } }],
      output: 'ARG BASE=python:3.12-slim\nARG IMAGE=${BASE}\nFROM ${IMAGE}\n',
    },
    {
      name: 'edits an ARG that holds more than the version',
      code: 'ARG BASE=python:3.11-slim\nFROM $BASE\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }],
      output: 'ARG BASE=python:3.12-slim\nFROM $BASE\n',
    },
    { ...moved('FROM python:${PY:-3.11}-slim\n', 'FROM python:${PY:-3.12}-slim\n'), name: 'edits the default word of ${VAR:-default} in the FROM' },
    {
      name: 'edits an ARG shared by two stages once',
      code: 'ARG PY=3.10\nFROM python:${PY} AS build\nFROM python:${PY}-slim\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }, { messageId: 'olderThanTarget', line: 3 }],
      output: 'ARG PY=3.12\nFROM python:${PY} AS build\nFROM python:${PY}-slim\n',
    },
    {
      name: 'does not prefer editing an ARG that also names another image',
      code: 'ARG V=3.11\nFROM python:${V}\nFROM mycorp/tool:${V}\n',
      errors: [{ messageId: 'olderThanTarget', line: 2, data: { notes: ' ARG V also feeds FROM mycorp/tool:3.11, which cannot simply take it: check that FROM before applying the fix.' } }],
      output: null,
    },
    {
      name: 'does not prefer editing an ARG when another stage would get a tag that was never published',
      code: 'ARG PY=3.11\nFROM python:${PY}-slim-buster AS build\nFROM python:${PY}-slim\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }, { messageId: 'olderThanTarget', line: 3 }],
      output: null,
    },
    {
      name: 'moves to the floating variant only as a non-preferred fix when the OS release has no target image',
      code: 'FROM python:3.11-slim-buster\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: null,
    },
    {
      name: 'an ARG version and a FROM variant whose OS release has no target image: no applied fix',
      code: 'ARG PY=3.10.4\nFROM python:${PY}-slim-buster\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }],
      output: null,
    },
    {
      name: 'offers no fix for a variant it does not know',
      code: 'FROM python:3.11-foo\n',
      errors: [{ messageId: 'olderThanTargetUnknownVariant', line: 1, data: { tag: '3.12-foo', notes: '' } }],
      output: null,
    },
    {
      name: 'offers no fix towards a target with no published image',
      code: 'FROM python:3.11\n',
      options: target('3.16'),
      errors: [{ messageId: 'olderThanTargetNoTargetImage', line: 1, data: { target: '3.16' } }],
      output: null,
    },
    {
      name: 'keeps CRLF line endings',
      code: 'ARG PYTHON_VERSION=3.11\r\nFROM python:${PYTHON_VERSION}-slim AS app\r\nFROM python:3.10\r\nRUN echo hi\r\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }, { messageId: 'olderThanTarget', line: 3 }],
      output: 'ARG PYTHON_VERSION=3.12\r\nFROM python:${PYTHON_VERSION}-slim AS app\r\nFROM python:3.12\r\nRUN echo hi\r\n',
    },
    {
      name: 'keeps the # escape=` directive and backtick continuations',
      code: '# escape=`\nFROM python:3.11-windowsservercore-ltsc2022 `\n  AS build\nRUN pip install `\n  flask\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }],
      output: '# escape=`\nFROM python:3.12-windowsservercore-ltsc2022 `\n  AS build\nRUN pip install `\n  flask\n',
    },
    {
      name: 'edits a FROM whose image sits on a continuation line',
      code: 'FROM \\\n  python:3.11-slim \\\n  AS app\n',
      errors: [{ messageId: 'olderThanTarget', line: 2 }],
      output: 'FROM \\\n  python:3.12-slim \\\n  AS app\n',
    },
    {
      name: 'reads an image word split by a line continuation',
      code: 'FROM python:3.11\\\n-slim AS app\n',
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM python:3.12\\\n-slim AS app\n',
    },
    ...['ARG MAJOR=3\nARG MINOR=11\nFROM python:${MAJOR}.${MINOR}-slim\n', 'FROM python:3.1\\\n1-slim\n'].map((code) => ({
      name: `offers no fix when the version is not written in one piece: ${JSON.stringify(code)}`,
      code,
      errors: [{ messageId: 'olderThanTargetNotOnePlace', line: code.startsWith('ARG') ? 3 : 1, data: { notes: '' } }],
      output: null,
    })),
    {
      name: 'fixes all stages and leaves nothing to report',
      code: 'FROM python:3.9 AS build\nFROM build AS test\nFROM python:3.11-slim\nCOPY --from=build /a /a\n',
      errors: [{ messageId: 'pastEndOfLife', line: 1 }, { messageId: 'olderThanTarget', line: 3 }],
      output: 'FROM python:3.12 AS build\nFROM build AS test\nFROM python:3.12-slim\nCOPY --from=build /a /a\n',
    },

    // --- the project's own Python versions ---------------------------------------------------
    ...PROJECT_MOVES.map(([name, files, code, output, messageId]) => ({
      name: `${name}: ${code.trim()} → ${output.trim()}`,
      code,
      options: { buildContext: projectWith(files) },
      errors: [{ messageId, line: 1 }],
      output,
    })),
    {
      name: 'an ARG default moves to the newest allowed',
      code: 'ARG PY=3.8.10\nFROM python:${PY}-slim\n',
      options: { buildContext: projectWith({ 'pyproject.toml': '[project]\nrequires-python = "<3.11"\n' }) },
      errors: [{ messageId: 'pastEndOfLife', line: 2 }],
      output: 'ARG PY=3.10\nFROM python:${PY}-slim\n',
    },
    {
      name: 'offers no fix when the project pins the image’s own version (Pipfile python_version, pipenv --deploy)',
      code: 'FROM python:3.7\nWORKDIR /app\nCOPY Pipfile Pipfile.lock ./\nRUN pip install pipenv && pipenv install --deploy --system\n',
      options: { buildContext: projectWith({ Pipfile: '[packages]\nflask = "*"\n\n[requires]\npython_version = "3.7"\n', 'Pipfile.lock': '{}' }) },
      errors: [{ messageId: 'pastEndOfLifeProjectRefuses', line: 1, data: { says: 'Pipfile says python_version = "3.7"', from: '3.8', target: '3.12' } }],
      output: null,
    },
    {
      name: 'offers no fix for python_full_version, which pins one patch release',
      code: 'FROM python:3.9.18\n',
      options: { buildContext: projectWith({ Pipfile: '[requires]\npython_full_version = "3.9.18"\n' }) },
      errors: [{ messageId: 'pastEndOfLifeProjectRefuses', line: 1, data: { says: 'Pipfile says python_full_version = "3.9.18"', from: '3.10' } }],
      output: null,
    },
    {
      name: 'names every file that refuses the target',
      code: 'FROM python:3.9\n',
      options: { buildContext: projectWith({ '.python-version': '3.9\n', 'runtime.txt': 'python-3.9.7' }) },
      errors: [{ messageId: 'pastEndOfLifeProjectRefuses', line: 1, data: { says: '.python-version says 3.9 and runtime.txt says python-3.9.7' } }],
      output: null,
    },
    {
      name: 'a constraint it cannot read: the fix is offered, not applied',
      code: 'FROM python:3.10-slim\n',
      options: { buildContext: projectWith({ 'setup.py': 'setup(name="app", python_requires=PYTHON_REQUIRES)\n' }) },
      errors: [{ messageId: 'olderThanTarget', line: 1, data: { notes: ' dockopt cannot read setup.py (python_requires=PYTHON_REQUIRES): the fix is not applied automatically.' } }],
      output: null,
    },
    {
      name: 'without a build context: the fix is offered, not applied',
      code: 'FROM python:3.11-slim\n',
      options: { buildContext: undefined },
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: null,
    },
    {
      name: "reads the Dockerfile's own folder when the context is above it",
      code: 'FROM python:3.9\n',
      options: { buildContext: projectWith({ 'services/api/Pipfile': '[requires]\npython_version = "3.10"\n' }, '/work/app/services/api/Dockerfile') },
      errors: [{ messageId: 'pastEndOfLife', line: 1 }],
      output: 'FROM python:3.10\n',
    },
    {
      name: 'reads the folders the stage copies from, and the stages built on it',
      code: 'FROM python:3.9 AS base\nFROM base\nWORKDIR /app\nCOPY backend/pyproject.toml backend/*.lock ./\n',
      options: { buildContext: projectWith({ 'backend/pyproject.toml': '[project]\nrequires-python = "<3.11"\n' }) },
      errors: [{ messageId: 'pastEndOfLife', line: 1 }],
      output: 'FROM python:3.10 AS base\nFROM base\nWORKDIR /app\nCOPY backend/pyproject.toml backend/*.lock ./\n',
    },
    {
      name: 'does not apply one stage’s project to another stage',
      code: 'FROM python:3.9 AS api\nCOPY api/ /app/\nFROM python:3.9 AS worker\nCOPY worker/ /app/\n',
      options: { buildContext: projectWith({ 'worker/.python-version': '3.9\n' }) },
      errors: [{ messageId: 'pastEndOfLife', line: 1 }, { messageId: 'pastEndOfLifeProjectRefuses', line: 3 }],
      output: 'FROM python:3.12 AS api\nCOPY api/ /app/\nFROM python:3.9 AS worker\nCOPY worker/ /app/\n',
    },
    {
      name: 'ignores constraints of other sections and of files it does not read',
      code: 'FROM python:3.9\n',
      options: {
        buildContext: projectWith({
          'pyproject.toml': '[tool.black]\ntarget-version = ["py37"]\n[tool.other]\nrequires-python = "<3.8"\npython = "3.7"\n',
          'tox.ini': '[testenv]\nenvlist = py37\n',
          'docs/.python-version': '3.7\n',
        }),
      },
      errors: [{ messageId: 'pastEndOfLife', line: 1 }],
      output: 'FROM python:3.12\n',
    },
  ].map(invalid),
});

// --- what a table cannot show ----------------------------------------------------------------

test('python-base-version: the messages read in full', () => {
  const finding = only(check(rule, 'FROM python:3.11-slim AS app\n'));
  assert.equal(finding.ruleId, 'python-base-version');
  assert.equal(finding.path, DOCKERFILE_PATH);
  assert.equal(finding.message, 'python:3.11-slim runs Python 3.11, older than the target Python 3.12.');
  const messages = (text: string, options?: RuleTestOptions) => check(rule, text, options).map((f) => f.message);
  assert.deepEqual(messages(`ARG PY=3.9\nFROM python:\${PY}-slim@${DIGEST}\n`), [
    'python:3.9-slim (version from ARG PY) runs Python 3.9, past end of life since 2025-10 (no more security fixes); the target is Python 3.12. ' +
      'The tag is pinned by digest: the fix drops the old digest; re-pin python:3.12-slim to its new digest.',
  ]);
  assert.deepEqual(messages('FROM python:2.7-slim\n'), [
    'python:2.7-slim runs Python 2.7, past end of life since 2020-01 (no more security fixes); the target is Python 3.12. ' +
      'Moving from Python 2 to Python 3 is a port, not a tag change: no automatic fix.',
  ]);
  assert.deepEqual(messages('FROM python:3.11\n', target('3.16')), [
    'python:3.11 runs Python 3.11, older than the target Python 3.16. dockopt knows of no published python:3.16 image: no automatic fix.',
  ]);
  assert.deepEqual(messages('FROM python:3.11-foo\n'), [
    'python:3.11-foo runs Python 3.11, older than the target Python 3.12. dockopt does not know whether python:3.12-foo exists: no automatic fix.',
  ]);
  assert.deepEqual(messages('FROM python:3.1\\\n1-slim\n'), [
    'python:3.11-slim runs Python 3.11, older than the target Python 3.12. The version is not written in one place dockopt can edit: no automatic fix.',
  ]);
  assert.deepEqual(messages('FROM python:3.11-slim-buster\n'), [
    'python:3.11-slim-buster runs Python 3.11, older than the target Python 3.12. ' +
      'python:3.12-slim-buster was never published (Debian buster has no Python 3.12 image): the suggested fix moves to python:3.12-slim, on another OS release.',
  ]);
  assert.deepEqual(messages('ARG V=3.11\nFROM python:${V}\nFROM mycorp/tool:${V}\n'), [
    'python:3.11 (version from ARG V) runs Python 3.11, older than the target Python 3.12. ' +
      'ARG V also feeds FROM mycorp/tool:3.11, which cannot simply take it: check that FROM before applying the fix.',
  ]);
});

test("python-base-version: the project's limit and refusal read in full", () => {
  const limited = only(check(rule, 'FROM python:3.8-slim\n', { buildContext: projectWith({ 'pyproject.toml': '[project]\nrequires-python = ">=3.8,<3.11"\n' }) }));
  assert.equal(
    limited.message,
    'python:3.8-slim runs Python 3.8, past end of life since 2024-10 (no more security fixes); the target is Python 3.12. ' +
      "The project's pyproject.toml says requires-python = \">=3.8,<3.11\", which does not allow Python 3.12: the fix moves to Python 3.10, the newest it allows.",
  );
  assert.equal(limited.fixes[0].title, 'Change the base image to python:3.10-slim (the newest Python pyproject.toml allows)');
  assert.equal(limited.fixes[0].isPreferred, true);

  const refused = only(check(rule, 'FROM python:3.7\n', { buildContext: projectWith({ Pipfile: '[requires]\npython_version = "3.7"\n' }) }));
  assert.equal(
    refused.message,
    'python:3.7 runs Python 3.7, past end of life since 2023-06 (no more security fixes); the target is Python 3.12. ' +
      "The project's Pipfile says python_version = \"3.7\", which allows no Python from 3.8 to 3.12: no automatic fix. Raise the project's Python version first.",
  );
  assert.deepEqual(refused.fixes, []);

  const both = only(check(rule, 'FROM python:3.9\n', { buildContext: projectWith({ '.python-version': '3.10\n', 'setup.py': 'setup(python_requires=X)\n' }) }));
  assert.equal(
    both.message,
    'python:3.9 runs Python 3.9, past end of life since 2025-10 (no more security fixes); the target is Python 3.12. ' +
      "The project's .python-version says 3.10, which does not allow Python 3.12: the fix moves to Python 3.10, the newest it allows. " +
      'dockopt cannot read setup.py (python_requires=X): the fix is not applied automatically.',
  );
});

test('python-base-version: judges end of life against the injected day', () => {
  const text = 'FROM python:3.10-slim\n';
  const on = (day: string) => reportsOf(createPythonBaseVersionRule({ today: () => new Date(day) }), text, inProject()).reports;
  assert.deepEqual(on('2026-10-15T00:00:00Z').map((r) => r.messageId), ['olderThanTarget']);
  const after = on('2026-11-02T00:00:00Z');
  assert.deepEqual(after.map((r) => [r.messageId, r.data?.endOfLife]), [['pastEndOfLife', '2026-10']]);
});

test('python-base-version: a patch release pinned in the FROM is unpinned, and the title says so', () => {
  assert.match(only(check(rule, 'FROM python:3.11.9-slim\n')).fixes[0].title, /unpinning the patch release/);
});

test('python-base-version: the fix of an ARG default is named for the ARG', () => {
  assert.equal(
    only(check(rule, 'ARG PYTHON_VERSION=3.11\n\n# the base\nFROM python:${PYTHON_VERSION}-slim AS app\n')).fixes[0].title,
    'Set ARG PYTHON_VERSION to 3.12 (python:3.12-slim)',
  );
  assert.equal(only(check(rule, 'ARG BASE=python:3.11-slim\nFROM $BASE\n')).fixes[0].title, 'Change the version in ARG BASE to 3.12 (python:3.12-slim)');
});

test('python-base-version: fixes offered but not preferred, and what they would write', () => {
  const shared = 'ARG V=3.11\nFROM python:${V}\nFROM mycorp/tool:${V}\n';
  assert.equal(only(check(rule, shared)).fixes[0].isPreferred, false);

  const sharedByStages = 'ARG PY=3.11\nFROM python:${PY}-slim-buster AS build\nFROM python:${PY}-slim\n';
  const findings = check(rule, sharedByStages);
  assert.deepEqual(findings.map((f) => f.fixes[0].isPreferred), [false, false]);
  assert.match(findings[1].message, /ARG PY also feeds FROM python:3\.11-slim-buster/);

  const buster = 'FROM python:3.11-slim-buster\n';
  const swap = only(check(rule, buster));
  assert.equal(swap.fixes[0].isPreferred, false);
  assert.equal(applyFix(buster, swap), 'FROM python:3.12-slim\n');

  const argAndVariant = 'ARG PY=3.10.4\nFROM python:${PY}-slim-buster\n';
  const twoEdits = only(check(rule, argAndVariant));
  assert.equal(twoEdits.fixes[0].title, 'Set ARG PY to 3.12 (python:3.12-slim), unpinning the patch release');
  assert.equal(applyFix(argAndVariant, twoEdits), 'ARG PY=3.12\nFROM python:${PY}-slim\n');

  const unreadable = only(check(rule, 'FROM python:3.10-slim\n', { buildContext: projectWith({ 'setup.py': 'setup(name="app", python_requires=PYTHON_REQUIRES)\n' }) }));
  assert.equal(unreadable.fixes[0].isPreferred, false);
  assert.equal(unreadable.fixes[0].title, 'Change the base image to python:3.12-slim (assumes setup.py allows Python 3.12)');
  assert.equal(applyFix('FROM python:3.10-slim\n', unreadable), 'FROM python:3.12-slim\n');
});

test('python-base-version: without a build context, the fix is offered but not preferred: the supported versions are unknown', () => {
  const text = 'FROM python:3.11-slim\n';
  const finding = only(check(rule, text, { buildContext: undefined }));
  assert.equal(
    finding.message,
    'python:3.11-slim runs Python 3.11, older than the target Python 3.12. ' +
      "dockopt cannot read the project's files here (no build context), so it does not know which Python versions the project supports: the fix is not applied automatically.",
  );
  assert.equal(finding.fixes[0].isPreferred, false);
  assert.equal(finding.fixes[0].title, 'Change the base image to python:3.12-slim (assumes the project supports Python 3.12)');
  assert.equal(applyFix(text, finding), 'FROM python:3.12-slim\n');
});

test('python-base-version: a finding with no automatic fix offers none at all', () => {
  for (const [text, options] of [
    ['FROM python:2.7-slim\n', {}],
    ['FROM python:3.11-foo\n', {}],
    ['FROM python:3.11\n', target('3.16')],
    ['FROM python:3.1\\\n1-slim\n', {}],
  ] as const) {
    assert.deepEqual(only(check(rule, text, options)).fixes, [], text);
  }
});

test("python-base-version: the target comes from the setting, else from the rule's one option default (meta.options)", () => {
  const fallback = rule.options?.targetVersion.default;
  assert.ok(fallback && /^\d+\.\d+$/.test(fallback), 'the rule declares its target option with a default');
  const [major, minor] = fallback.split('.').map(Number);
  const older = `FROM python:${major}.${minor - 1}\n`;
  // No setting, or one that is not a version: the option's default, and no other.
  for (const raw of [{}, { python: { targetVersion: 'latest' } }]) {
    const settings = resolveSettings(raw);
    assert.equal(settings.python.targetVersion, undefined, 'settings hold only what the user set');
    assert.deepEqual(reportsOf(rule, older, inProject({ settings })).reports.map((r) => r.data?.target), [fallback]);
  }
  // A setting the user wrote wins over it.
  const newer = resolveSettings({ python: { targetVersion: `${major}.${minor + 1}` } });
  assert.deepEqual(reportsOf(rule, `FROM python:${major}.${minor}\n`, inProject({ settings: newer })).reports.map((r) => r.data?.target), [`${major}.${minor + 1}`]);
});
