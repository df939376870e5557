import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule } from '../../server/src/rules/pip-cache-mount';
import type { Finding } from '../../server/src/rules/types';
import { check, fix, fixOnce } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pip';

function only(text: string): Finding {
  const findings = check(rule, text);
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
  return findings[0];
}

/** The text after one fix of a finding, preferred or not. */
function applyFix(text: string, finding: Finding, index = 0): string {
  const change = finding.fixes[index].changes[0];
  assert.equal(change.kind, 'edit');
  return applyTextEdits(text, change.kind === 'edit' ? change.edits : []).text;
}

describe('pip-cache-mount: fires and fixes', () => {
  test('the seed\'s "before" RUN gets the mount and loses --no-cache-dir', () => {
    const before = 'FROM python:3.11-alpine\nWORKDIR /app\nRUN pip install --no-cache-dir --user -r requirements-prod.txt\n';
    assert.equal(
      fix(rule, before),
      'FROM python:3.11-alpine\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/pip pip install --user -r requirements-prod.txt\n',
    );
  });

  test('reports on the pip command words and says where the cache lives', () => {
    const finding = only('FROM python:3.12\nRUN pip install flask\n');
    assert.deepEqual(finding.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 15 } });
    assert.match(finding.message, /pip keeps its cache in \/root\/\.cache\/pip/);
    assert.match(finding.message, /every build downloads all packages again/);
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].isPreferred, true);
  });

  for (const [spelling, command] of [
    ['pip', 'pip install flask'],
    ['pip3', 'pip3 install flask'],
    ['pip3.12', 'pip3.12 install flask'],
    ['python -m pip', 'python -m pip install flask'],
    ['python3.11 -m pip', 'python3.11 -m pip install flask'],
    ['a virtualenv pip', '/opt/venv/bin/pip install flask'],
    ['sudo', 'sudo pip install flask'],
    ['env', 'env PYTHONDONTWRITEBYTECODE=1 pip install flask'],
    ['pip download', 'pip download -d /wheels flask'],
    ['pip wheel', 'pip wheel -w /wheels -r requirements.txt'],
    ['options before the subcommand', 'pip --disable-pip-version-check install flask'],
  ]) {
    test(`adds the mount for ${spelling}`, () => {
      assert.equal(fix(rule, `FROM python:3.12\nRUN ${command}\n`), `FROM python:3.12\nRUN ${MOUNT} ${command}\n`);
    });
  }

  test('adds one mount for a chain of two pip calls and drops both --no-cache-dir', () => {
    const text = 'FROM python:3.12\nRUN pip install --no-cache-dir -U pip && pip install --no-cache-dir -r requirements.txt\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install -U pip && pip install -r requirements.txt\n`);
    assert.equal(check(rule, text).length, 1);
  });

  test('keeps the RUN\'s other flags and adds the mount after them', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nRUN --network=host pip install flask\n'),
      `FROM python:3.12\nRUN --network=host ${MOUNT} pip install flask\n`,
    );
  });

  test('exec form: the flag goes before the [ and the --no-cache-dir element goes with its comma', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nRUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\n'),
      `FROM python:3.12\nRUN ${MOUNT} ["pip", "install", "-r", "requirements.txt"]\n`,
    );
  });

  test('exec form: a last --no-cache-dir element takes the comma before it', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nRUN ["python", "-m", "pip", "install", "flask", "--no-cache-dir"]\n'),
      `FROM python:3.12\nRUN ${MOUNT} ["python", "-m", "pip", "install", "flask"]\n`,
    );
  });

  test('exec form running sh -c: the flag is removed inside the script string', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nRUN ["sh", "-c", "pip install --no-cache-dir -r requirements.txt"]\n'),
      `FROM python:3.12\nRUN ${MOUNT} ["sh", "-c", "pip install -r requirements.txt"]\n`,
    );
  });

  test('heredoc: the mount goes before <<EOF and the flag leaves the body', () => {
    const text = 'FROM python:3.12\nRUN <<EOF\nset -e\npip install \\\n  --no-cache-dir \\\n  -r requirements.txt\nEOF\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} <<EOF\nset -e\npip install \\\n  -r requirements.txt\nEOF\n`);
  });

  test('heredoc: a flag alone on the last line takes the continuation before it', () => {
    const text = 'FROM python:3.12\nRUN <<EOF\npip install -r requirements.txt \\\n  --no-cache-dir\npython -m compileall .\nEOF\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} <<EOF\npip install -r requirements.txt\npython -m compileall .\nEOF\n`);
  });

  test('continuations: a --no-cache-dir line goes whole, comment lines stay', () => {
    const text = [
      'FROM python:3.12',
      'RUN apt-get update \\',
      '    # the wheels need gcc',
      '    && apt-get install -y gcc \\',
      '    && pip install \\',
      '        --no-cache-dir \\',
      '        # pinned in the lock file',
      '        -r requirements.txt',
      'COPY . .',
      '',
    ].join('\n');
    const expected = [
      'FROM python:3.12',
      `RUN ${MOUNT} apt-get update \\`,
      '    # the wheels need gcc',
      '    && apt-get install -y gcc \\',
      '    && pip install \\',
      '        # pinned in the lock file',
      '        -r requirements.txt',
      'COPY . .',
      '',
    ].join('\n');
    assert.equal(fix(rule, text), expected);
  });

  test('continuations: a --no-cache-dir alone on the last line takes the escape of the line before', () => {
    const text = 'FROM python:3.12\nRUN pip install -r requirements.txt \\\n    --no-cache-dir\nCOPY . .\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install -r requirements.txt\nCOPY . .\n`);
  });

  test('continuations: a last-line flag after a comment line keeps the comment', () => {
    const text = 'FROM python:3.12\nRUN pip install -r requirements.txt \\\n    # no cache\n    --no-cache-dir\nCOPY . .\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install -r requirements.txt\n    # no cache\nCOPY . .\n`);
  });

  test('continuations: a flag before the escape keeps one space before it', () => {
    const text = 'FROM python:3.12\nRUN pip install --no-cache-dir \\\n    -r requirements.txt\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install \\\n    -r requirements.txt\n`);
  });

  test('a file with CRLF line endings keeps them, byte for byte', () => {
    const text = 'FROM python:3.12\r\nRUN pip install \\\r\n    --no-cache-dir \\\r\n    -r requirements.txt\r\nRUN pip install \\\r\n    flask \\\r\n    --no-cache-dir\r\nCOPY . .\r\n';
    assert.equal(
      fix(rule, text),
      `FROM python:3.12\r\nRUN ${MOUNT} pip install \\\r\n    -r requirements.txt\r\nRUN ${MOUNT} pip install \\\r\n    flask\r\nCOPY . .\r\n`,
    );
  });

  test('a file with # escape=` continues lines with backticks', () => {
    const text = '# escape=`\nFROM python:3.12\nRUN pip install `\n    --no-cache-dir `\n    -r requirements.txt\nRUN pip install -r other.txt `\n    --no-cache-dir\n';
    assert.equal(
      fix(rule, text),
      `# escape=\`\nFROM python:3.12\nRUN ${MOUNT} pip install \`\n    -r requirements.txt\nRUN ${MOUNT} pip install -r other.txt\n`,
    );
  });

  test('a RUN whose arguments start on the next line gets the mount there', () => {
    const text = 'FROM python:3.12\nRUN \\\n    pip install flask\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN \\\n    ${MOUNT} pip install flask\n`);
  });

  test('drops a PIP_NO_CACHE_DIR assignment of the RUN, even as its first word', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n'),
      `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    );
    assert.equal(
      fix(rule, 'FROM python:3.12\nRUN \\\n    PIP_NO_CACHE_DIR=off \\\n    pip install flask\n'),
      `FROM python:3.12\nRUN \\\n    ${MOUNT} pip install flask\n`,
    );
  });

  test('a non-root USER made with useradd -u gets its home and uid in the mount', () => {
    const text = 'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app -m app\nUSER app\nRUN pip install --user flask\n';
    const finding = only(text);
    assert.match(finding.message, /\/home\/app\/\.cache\/pip \(pip runs as app\)/);
    assert.equal(
      fix(rule, text),
      'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001,gid=2000 pip install --user flask\n',
    );
  });

  test('adduser -h sets the home the cache lives in', () => {
    const text = 'FROM python:3.12-alpine\nRUN adduser -D -u 1000 -h /srv/app app\nUSER app:app\nRUN pip install flask\n';
    assert.equal(
      fix(rule, text),
      'FROM python:3.12-alpine\nRUN adduser -D -u 1000 -h /srv/app app\nUSER app:app\nRUN --mount=type=cache,target=/srv/app/.cache/pip,uid=1000 pip install flask\n',
    );
  });

  test('a numeric USER with no known user has HOME=/', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nUSER 1000:1000\nRUN pip install flask\n'),
      'FROM python:3.12\nUSER 1000:1000\nRUN --mount=type=cache,target=/.cache/pip,uid=1000,gid=1000 pip install flask\n',
    );
  });

  test('a non-root USER the Dockerfile does not create: home and uid unknown, the fix is offered, not applied', () => {
    const text = 'FROM python:3.12\nUSER app\nRUN pip install --no-cache-dir flask\n';
    const finding = only(text);
    assert.match(finding.message, /pip runs here as app, whose home dockopt does not know/);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.match(finding.fixes[0].title, /assuming app can write to it \(else add uid=<its uid>\)$/);
    assert.equal(applyFix(text, finding), 'FROM python:3.12\nUSER app\nRUN --mount=type=cache,target=/var/cache/pip pip install --cache-dir=/var/cache/pip flask\n');
    assert.equal(fixOnce(rule, text), text);
  });

  test('a known cache dir for a user of unknown uid: the mount is offered, not applied', () => {
    const text = 'FROM python:3.12\nUSER app\nENV PIP_CACHE_DIR=/pip-cache\nRUN pip install flask\n';
    const finding = only(text);
    assert.match(finding.message, /does not know the uid of app/);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(applyFix(text, finding), 'FROM python:3.12\nUSER app\nENV PIP_CACHE_DIR=/pip-cache\nRUN --mount=type=cache,target=/pip-cache pip install flask\n');
  });

  test('a --no-cache-dir it cannot remove cleanly: only the mount, not preferred', () => {
    const text = 'FROM python:3.12\nRUN pip install \\\n    --no-cache-dir # why\nCOPY . .\n';
    const finding = only(text);
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.match(finding.fixes[0].title, /remove --no-cache-dir by hand/);
    assert.equal(applyFix(text, finding), `FROM python:3.12\nRUN ${MOUNT} pip install \\\n    --no-cache-dir # why\nCOPY . .\n`);
  });

  test('sudo runs pip as root whatever the USER', () => {
    const text = 'FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN sudo pip install flask\n';
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} sudo pip install flask\n`);
  });

  test('ENV PIP_CACHE_DIR is where the mount goes', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nENV PIP_CACHE_DIR=/var/cache/pip\nRUN pip install flask\n'),
      'FROM python:3.12\nENV PIP_CACHE_DIR=/var/cache/pip\nRUN --mount=type=cache,target=/var/cache/pip pip install flask\n',
    );
  });

  test('ENV PIP_CACHE_DIR built from another ENV is expanded', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nENV CACHE=/cache PIP_CACHE_DIR=${CACHE}/pip/\nRUN pip install flask\n'),
      'FROM python:3.12\nENV CACHE=/cache PIP_CACHE_DIR=${CACHE}/pip/\nRUN --mount=type=cache,target=/cache/pip pip install flask\n',
    );
  });

  test('ENV XDG_CACHE_HOME and ENV HOME move the cache', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nENV XDG_CACHE_HOME=/xdg\nRUN pip install flask\n'),
      'FROM python:3.12\nENV XDG_CACHE_HOME=/xdg\nRUN --mount=type=cache,target=/xdg/pip pip install flask\n',
    );
    assert.equal(
      fix(rule, 'FROM python:3.12\nENV HOME=/app\nRUN pip install flask\n'),
      'FROM python:3.12\nENV HOME=/app\nRUN --mount=type=cache,target=/app/.cache/pip pip install flask\n',
    );
  });

  test('--cache-dir of the call is where the mount goes', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nRUN pip install --cache-dir=/tmp/pip-cache flask\n'),
      'FROM python:3.12\nRUN --mount=type=cache,target=/tmp/pip-cache pip install --cache-dir=/tmp/pip-cache flask\n',
    );
  });

  test('an ENV of a stage carries into the stage built on it', () => {
    const text = 'FROM python:3.12 AS base\nENV PIP_CACHE_DIR=/pipcache\nWORKDIR /app\nFROM base AS build\nRUN pip install flask\n';
    assert.equal(
      fix(rule, text),
      'FROM python:3.12 AS base\nENV PIP_CACHE_DIR=/pipcache\nWORKDIR /app\nFROM base AS build\nRUN --mount=type=cache,target=/pipcache pip install flask\n',
    );
  });

  test('a cache mount on another directory does not count', () => {
    const text = 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install flask\n';
    const finding = only(text);
    assert.match(finding.message, /but this RUN's cache mount is on \/root\/\.npm/);
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm ${MOUNT} pip install flask\n`);
  });

  test("root's cache mount under a non-root USER is on the wrong directory", () => {
    const text = `FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} pip install flask\n`;
    const finding = only(text);
    assert.match(finding.message, /pip keeps its cache in \/home\/app\/\.cache\/pip \(pip runs as app\), but this RUN's cache mount is on \/root\/\.cache\/pip/);
    assert.equal(
      fix(rule, text),
      `FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip install flask\n`,
    );
  });

  test('a bind mount on the cache directory is not a cache mount', () => {
    assert.equal(check(rule, 'FROM python:3.12\nRUN --mount=type=bind,target=/root/.cache/pip pip install flask\n').length, 1);
  });

  test('a cache dir dockopt cannot resolve still fires when the RUN has no cache mount, without a fix', () => {
    const finding = only('FROM python:3.12\nARG CACHE\nENV PIP_CACHE_DIR=$CACHE\nRUN pip install flask\n');
    assert.match(finding.message, /cannot tell where pip's cache is \(ENV PIP_CACHE_DIR is \$CACHE\)/);
    assert.deepEqual(finding.fixes, []);
  });

  test('mentions an ENV PIP_NO_CACHE_DIR that would keep the new mount empty', () => {
    assert.match(only('FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n').message, /ENV PIP_NO_CACHE_DIR turns pip's cache off here as well/);
  });

  test('one finding per RUN', () => {
    const findings = check(rule, 'FROM python:3.12\nRUN pip install a && pip install b\nRUN pip3 install c\n');
    assert.deepEqual(findings.map((f) => f.range.start.line), [1, 2]);
  });
});

describe('pip-cache-mount: a mount the user cannot write to', () => {
  const before = 'FROM python:3.12-slim\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install --user flask\n';

  test('fires when the mount is root-owned and pip runs as a user of known uid, and adds the uid', () => {
    const finding = only(before);
    assert.match(finding.message, /belongs to root, but pip runs as app \(uid 1001\) and cannot write to it/);
    assert.equal(
      fix(rule, before),
      'FROM python:3.12-slim\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip install --user flask\n',
    );
  });

  test('replaces a wrong uid and keeps the other options in place', () => {
    const text = 'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app app\nUSER app\nRUN --mount=type=cache,id=pip,uid=0,target=/home/app/.cache/pip,sharing=locked pip install flask\n';
    assert.equal(
      fix(rule, text),
      'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app app\nUSER app\nRUN --mount=type=cache,id=pip,target=/home/app/.cache/pip,sharing=locked,uid=1001,gid=2000 pip install flask\n',
    );
  });

  test('does not fire when the mount has the uid, a mode everyone may write, or the uid is unknown', () => {
    for (const text of [
      before.replace('/home/app/.cache/pip ', '/home/app/.cache/pip,uid=1001 '),
      before.replace('/home/app/.cache/pip ', '/home/app/.cache/pip,mode=0777 '),
      'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install flask\n',
      'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
    ]) {
      assert.deepEqual(check(rule, text), [], text);
    }
  });
});

describe('pip-cache-mount: does not fire', () => {
  test('on a Windows base image, or a stage built on one (no BuildKit cache mounts there)', () => {
    const windows = '# escape=`\r\nFROM python:3.12-windowsservercore-ltsc2022 AS base\r\nRUN pip install --no-cache-dir flask\r\nFROM base\r\nRUN pip install requests\r\n';
    assert.deepEqual(check(rule, windows), []);
    assert.deepEqual(check(rule, 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN pip install flask\n'), []);
  });

  for (const [what, run] of [
    ['without pip', 'RUN apt-get update && apt-get install -y curl'],
    ['for pip --version', 'RUN pip --version'],
    ['for pip freeze', 'RUN pip freeze > requirements.lock'],
    ['for pip uninstall', 'RUN pip uninstall -y setuptools'],
    ['for uv pip install', 'RUN uv pip install --system flask'],
    ['for pipx install', 'RUN pipx install poetry'],
    ['for echo pip install', 'RUN echo pip install flask'],
    ['for a commented-out line inside a RUN', 'RUN apt-get update \\\n    # && pip install flask\n    && apt-get clean'],
    ['for a shell comment', 'RUN true # pip install flask'],
    ['for a python heredoc (not shell)', 'RUN python3 <<EOF\nprint("pip install flask")\nEOF'],
    ['with the mount', `RUN ${MOUNT} pip install flask`],
    ['with a mount on a parent of the cache', 'RUN --mount=type=cache,target=/root/.cache pip install flask'],
    ['with the mount written with a trailing slash and options', 'RUN --mount=type=cache,id=pip,target=/root/.cache/pip/,sharing=locked pip install flask'],
  ]) {
    test(what, () => {
      assert.deepEqual(check(rule, `FROM python:3.12\n${run}\n`), []);
    });
  }

  test('for a commented-out RUN', () => {
    assert.deepEqual(check(rule, 'FROM python:3.12\n# RUN pip install flask\n'), []);
  });

  test('for an empty Dockerfile, and never throws on a half-typed one', () => {
    assert.deepEqual(check(rule, ''), []);
    assert.deepEqual(check(rule, 'FROM python:3.12\nRUN'), []);
    for (const broken of ['FROM python:3.12\nRUN pip install "fla', 'RUN ["pip", "install"\nRUN <<EOF\npip install x', 'FROM python\nRUN pip install \\', '\u0000\u0001RUN pip']) {
      assert.doesNotThrow(() => fixOnce(rule, broken), JSON.stringify(broken));
    }
  });

  test('with # dockopt ignore=pip-cache-mount on the line before', () => {
    assert.deepEqual(check(rule, 'FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN pip install flask\n'), []);
    assert.equal(check(rule, 'FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN pip install flask\nRUN pip install b\n').length, 1);
  });

  test('with # dockopt global ignore=pip-cache-mount', () => {
    assert.deepEqual(check(rule, '# dockopt global ignore=pip-cache-mount\nFROM python:3.12\nRUN pip install flask\nRUN pip install b\n'), []);
    assert.deepEqual(check(rule, 'FROM python:3.12\n# dockopt global ignore=pip-cache-mount\nRUN pip install flask\n'), []);
  });
});
