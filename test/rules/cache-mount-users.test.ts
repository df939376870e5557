/**
 * The user a RUN runs as, when no USER line says: the base image's, known (official images run as
 * root, Jupyter's as jovyan) or unknown. Unknown is not root: the cache rules never assume
 * /root/.cache and never drop --no-cache-dir for a mount pip would not write to.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { imageDefaultUser, imageRepository, resolveFromImage } from '../../server/src/dockerfile/users';
import { rule as npmRule } from '../../server/src/rules/npm-cache-mount';
import { rule as pipRule } from '../../server/src/rules/pip-cache-mount';
import { rule as noCacheRule } from '../../server/src/rules/pip-no-cache-dir';
import type { Finding } from '../../server/src/rules/types';
import { check, fix, fixOnce, runRuleTests } from '../helpers/rule-tester';

const SET_DIR_PIP = '--mount=type=cache,target=/var/cache/pip';

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
  return findings[0];
}

/** The text after a finding's first fix, preferred or not. */
function applyFix(text: string, finding: Finding, index = 0): string {
  const change = finding.fixes[index].changes[0];
  return applyTextEdits(text, change.kind === 'edit' ? change.edits : []).text;
}

describe('the base image user in the model', () => {
  const userAt = (text: string, line: number) => parseDockerfile(text).instructionAtLine(line)!.user;

  test('official images whose user is known: root (undefined), Jupyter: jovyan 1000:100', () => {
    assert.equal(userAt('FROM python:3.12-slim\nRUN true\n', 1), undefined);
    assert.equal(userAt('FROM docker.io/library/node:20@sha256:abc\nRUN true\n', 1), undefined);
    assert.deepEqual(userAt('FROM quay.io/jupyter/scipy-notebook:2024-01-01\nRUN true\n', 1), { name: 'jovyan', uid: 1000, gid: 100 });
  });

  test('any other image: unknown, not root', () => {
    for (const image of ['myorg/app:1', 'ghcr.io/acme/python:3.12', 'registry.local:5000/python', 'bitnami/python:3.12', 'haproxy:2.9']) {
      assert.deepEqual(userAt(`FROM ${image}\nRUN true\n`, 1), { name: '', unknown: true }, image);
    }
  });

  test('a stage FROM another stage inherits its user; USER root makes it root again', () => {
    const text = 'FROM myorg/app AS base\nRUN true\nFROM base\nRUN true\nUSER root\nRUN true\nFROM base AS again\nRUN true\n';
    assert.deepEqual(userAt(text, 3), { name: '', unknown: true });
    assert.equal(userAt(text, 5), undefined);
    assert.deepEqual(userAt(text, 7), { name: '', unknown: true });
  });

  test('FROM ${BASE}: known when the global ARG default names a known image, else unknown', () => {
    assert.equal(userAt('ARG BASE=python:3.12\nFROM ${BASE}\nRUN true\n', 2), undefined);
    assert.equal(userAt('ARG TAG=3.12\nFROM python:${TAG}-slim\nRUN true\n', 2), undefined);
    assert.deepEqual(userAt('ARG BASE\nFROM $BASE\nRUN true\n', 2), { name: '', unknown: true });
    assert.deepEqual(userAt('ARG BASE=myorg/app\nFROM ${BASE}\nRUN true\n', 2), { name: '', unknown: true });
    // An ARG after the first FROM is not a global one.
    assert.deepEqual(userAt('FROM python:3.12\nARG BASE=python:3.12\nFROM ${BASE}\nRUN true\n', 3), { name: '', unknown: true });
  });

  test('image references and ARG substitution', () => {
    assert.equal(imageRepository('docker.io/library/python:3.12-slim@sha256:00'), 'python');
    assert.equal(imageRepository('localhost:5000/app'), 'localhost:5000/app');
    assert.equal(resolveFromImage('${IMG:-python}:3.12', new Map()), 'python:3.12');
    assert.equal(resolveFromImage('${IMG}:3.12', new Map()), undefined);
    assert.deepEqual(imageDefaultUser('scratch'), { kind: 'root' });
  });
});

// The cache rules under a base image user. Unknown is not root: nothing is applied without a human.
const UNKNOWN_IMAGE = 'FROM myorg/app:1\nRUN pip install --no-cache-dir -r requirements.txt\n';
const UNKNOWN_CHAIN = 'FROM myorg/app\nRUN pip install -U pip && python -m pip install -r r.txt\n';
const UNKNOWN_EXEC = 'FROM myorg/app\nRUN ["pip", "install", "--no-cache-dir", "flask"]\n';
const UNKNOWN_HOME_SET = 'FROM myorg/app\nENV HOME=/srv\nRUN pip install flask\n';
const UNPLACEABLE = 'FROM myorg/app\nRUN pip "install" flask\n';
const UNKNOWN_NODE = 'FROM myorg/node-app\nRUN npm ci\n';

runRuleTests(pipRule, {
  valid: [
    { name: 'an unknown image whose RUN already has some cache mount: silent (it may be the right one)', code: 'FROM myorg/app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install flask\n' },
  ],
  invalid: [
    {
      name: "Jupyter: the cache is jovyan's, with its uid and gid",
      code: 'FROM jupyter/scipy-notebook:latest\nRUN pip install --no-cache-dir flask\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/home/jovyan/.cache/pip (pip runs as jovyan)' } }],
      output: 'FROM jupyter/scipy-notebook:latest\nRUN --mount=type=cache,target=/home/jovyan/.cache/pip,uid=1000,gid=100 pip install flask\n',
    },
    {
      // The stacks set HOME=/home/jovyan for everyone: root's pip caches there too, in a root-owned mount.
      name: 'Jupyter after USER root: the image’s HOME, /home/jovyan, not /root',
      code: 'FROM jupyter/scipy-notebook:latest\nUSER root\nRUN pip install --no-cache-dir -r /tmp/requirements.txt\nUSER jovyan\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: 'FROM jupyter/scipy-notebook:latest\nUSER root\nRUN --mount=type=cache,target=/home/jovyan/.cache/pip pip install -r /tmp/requirements.txt\nUSER jovyan\n',
    },
    {
      name: 'an unknown image: never /root/.cache/pip, nothing applied',
      code: UNKNOWN_IMAGE,
      errors: [{ messageId: 'homeUnknown', line: 2, data: { user: 'the user of myorg/app:1' } }],
      output: null,
    },
    { name: 'an unknown image, several pip calls: nothing applied', code: UNKNOWN_CHAIN, errors: [{ messageId: 'homeUnknown', line: 2 }], output: null },
    { name: 'an unknown image, exec form: nothing applied', code: UNKNOWN_EXEC, errors: [{ messageId: 'homeUnknown', line: 2 }], output: null },
    {
      name: 'a stage built on an unknown-image stage inherits the unknown user',
      code: 'FROM myorg/app AS base\nFROM base\nRUN pip install flask\n',
      errors: [{ messageId: 'homeUnknown', line: 3, data: { user: 'the user of myorg/app' } }],
      output: null,
    },
    {
      name: 'USER root in an unknown image makes /root known',
      code: 'FROM myorg/app\nUSER root\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/root/.cache/pip' } }],
      output: 'FROM myorg/app\nUSER root\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
    },
    {
      name: 'ENV HOME in an unknown image: the dir is known, the uid is not: nothing applied',
      code: UNKNOWN_HOME_SET,
      errors: [{ messageId: 'mountMissingUidUnknown', line: 3, data: { dirs: '/srv/.cache/pip (pip runs as the user of myorg/app)', uidUnknown: 'the user of myorg/app' } }],
      output: null,
    },
    {
      name: 'sudo in an unknown image runs pip as root: /root is known',
      code: 'FROM myorg/app\nRUN sudo pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: 'FROM myorg/app\nRUN --mount=type=cache,target=/root/.cache/pip sudo pip install flask\n',
    },
    {
      name: 'a numeric USER in an image whose users are known: HOME=/',
      code: 'FROM python:3.12\nUSER 1000\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: 'FROM python:3.12\nUSER 1000\nRUN --mount=type=cache,target=/.cache/pip,uid=1000 pip install flask\n',
    },
    {
      name: 'a numeric USER in an unknown image: --cache-dir, and the uid makes it safe',
      code: 'FROM myorg/app\nUSER 1000\nRUN pip install flask\n',
      errors: [{ messageId: 'homeUnknown', line: 3 }],
      output: 'FROM myorg/app\nUSER 1000\nRUN --mount=type=cache,target=/var/cache/pip,uid=1000 pip install --cache-dir=/var/cache/pip flask\n',
    },
    { name: 'a --cache-dir that cannot be placed (a quoted subcommand)', code: UNPLACEABLE, errors: [{ messageId: 'homeUnknown', line: 2 }], output: null },
  ],
});

runRuleTests(npmRule, {
  valid: [],
  invalid: [
    { name: 'npm in an unknown image: nothing applied', code: UNKNOWN_NODE, errors: [{ messageId: 'homeUnknown', line: 2, data: { user: 'the user of myorg/node-app' } }], output: null },
  ],
});

describe('cache rules under a base image user: the fixes a human picks', () => {
  test('an unknown image: the quick fix states its assumption, and never says /root', () => {
    const finding = only(check(pipRule, UNKNOWN_IMAGE));
    assert.match(finding.message, /pip runs here as the user of myorg\/app:1, whose home dockopt does not know/);
    assert.doesNotMatch(finding.message, /\/root/);
    assert.deepEqual(finding.fixes.map((f) => [f.title, f.isPreferred]), [
      ['Add a pip cache mount on /var/cache/pip (--cache-dir=/var/cache/pip) and drop --no-cache-dir, assuming the user of myorg/app:1 is root', false],
    ]);
    assert.equal(applyFix(UNKNOWN_IMAGE, finding), `FROM myorg/app:1\nRUN ${SET_DIR_PIP} pip install --cache-dir=/var/cache/pip -r requirements.txt\n`);
  });

  test('an unknown image, several pip calls and exec form: --cache-dir for each', () => {
    assert.equal(
      applyFix(UNKNOWN_CHAIN, only(check(pipRule, UNKNOWN_CHAIN))),
      `FROM myorg/app\nRUN ${SET_DIR_PIP} pip install --cache-dir=/var/cache/pip -U pip && python -m pip install --cache-dir=/var/cache/pip -r r.txt\n`,
    );
    assert.equal(applyFix(UNKNOWN_EXEC, only(check(pipRule, UNKNOWN_EXEC))), `FROM myorg/app\nRUN ${SET_DIR_PIP} ["pip", "install", "--cache-dir=/var/cache/pip", "flask"]\n`);
  });

  test('ENV HOME in an unknown image: the mount on the known dir is offered, not preferred', () => {
    const finding = only(check(pipRule, UNKNOWN_HOME_SET));
    assert.match(finding.message, /does not know the uid of the user of myorg\/app: add uid=<its uid>/);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(applyFix(UNKNOWN_HOME_SET, finding), 'FROM myorg/app\nENV HOME=/srv\nRUN --mount=type=cache,target=/srv/.cache/pip pip install flask\n');
  });

  test('a --cache-dir that cannot be placed: a finding without any fix', () => {
    assert.deepEqual(only(check(pipRule, UNPLACEABLE)).fixes, []);
  });

  test('npm in an unknown image: --cache on a mount, offered under the root assumption', () => {
    const finding = only(check(npmRule, UNKNOWN_NODE));
    assert.deepEqual(finding.fixes.map((f) => f.isPreferred), [false, false]);
    assert.match(finding.fixes[0].title, /assuming the user of myorg\/node-app is root$/);
    assert.equal(applyFix(UNKNOWN_NODE, finding), 'FROM myorg/node-app\nRUN --mount=type=cache,target=/var/cache/npm npm ci --cache=/var/cache/npm\n');
  });

  test('an unknown image with --no-cache-dir and a mount on /root/.cache/pip: pip-no-cache-dir does not drop the flag', () => {
    assert.deepEqual(check(noCacheRule, 'FROM myorg/app\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir flask\n'), []);
  });
});

describe('pip-no-cache-dir under a user of unknown uid', () => {
  test('the mount is on pip\'s dir, but whether that user can write to it is unknown: offered, not applied', () => {
    const text = 'FROM python:3.12\nUSER app\nENV PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc pip install --no-cache-dir flask\n';
    const [finding] = check(noCacheRule, text);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(finding.fixes[0].title, 'Remove --no-cache-dir, assuming app can write to the mount');
    assert.equal(fixOnce(noCacheRule, text), text);
  });

  test('with the uid known (useradd -u), the removal is applied', () => {
    const text = 'FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nENV PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc,uid=1001 pip install --no-cache-dir flask\n';
    assert.equal(fix(noCacheRule, text), text.replace(' --no-cache-dir', ''));
  });
});
