/** pip-cache-mount as a RuleTester table: every case fires (with its message id) or not, and fixes to its output. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule } from '../../server/src/rules/pip-cache-mount';
import type { Finding } from '../../server/src/rules/types';
import { check, runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pip';
const FROM = 'FROM python:3.12\n';

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

const OWNED_BEFORE = 'FROM python:3.12-slim\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install --user flask\n';
const UNKNOWN_USER = 'FROM python:3.12\nUSER app\nRUN pip install --no-cache-dir flask\n';
const UNKNOWN_UID = 'FROM python:3.12\nUSER app\nENV PIP_CACHE_DIR=/pip-cache\nRUN pip install flask\n';
const NOT_REMOVABLE = 'FROM python:3.12\nRUN pip install \\\n    --no-cache-dir # why\nCOPY . .\n';
const UNRESOLVED = 'FROM python:3.12\nARG CACHE\nENV PIP_CACHE_DIR=$CACHE\nRUN pip install flask\n';

runRuleTests(rule, {
  valid: [
    // Windows images have no BuildKit cache mounts.
    { name: 'on a Windows base image, or a stage built on one', code: '# escape=`\r\nFROM python:3.12-windowsservercore-ltsc2022 AS base\r\nRUN pip install --no-cache-dir flask\r\nFROM base\r\nRUN pip install requests\r\n' },
    { name: 'on a Windows nanoserver image', code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN pip install flask\n' },
    ...[
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
      ['for a commented-out RUN', '# RUN pip install flask'],
    ].map(([name, run]) => ({ name, code: `${FROM}${run}\n` })),
    { name: 'for an empty Dockerfile', code: '' },
    { name: 'for a RUN without arguments', code: 'FROM python:3.12\nRUN' },
    { name: 'for NUL bytes before a RUN (not an instruction)', code: '\u0000\u0001RUN pip' },
    { name: 'with # dockopt ignore=pip-cache-mount on the line before', code: 'FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN pip install flask\n' },
    { name: 'with # dockopt global ignore=pip-cache-mount', code: '# dockopt global ignore=pip-cache-mount\nFROM python:3.12\nRUN pip install flask\nRUN pip install b\n' },
    { name: 'with # dockopt global ignore=pip-cache-mount after the FROM', code: 'FROM python:3.12\n# dockopt global ignore=pip-cache-mount\nRUN pip install flask\n' },
    // A mount the user can write to.
    { name: 'a mount with the uid of the user pip runs as', code: OWNED_BEFORE.replace('/home/app/.cache/pip ', '/home/app/.cache/pip,uid=1001 ') },
    { name: 'a mount with a mode everyone may write', code: OWNED_BEFORE.replace('/home/app/.cache/pip ', '/home/app/.cache/pip,mode=0777 ') },
    { name: 'a mount for a user whose uid dockopt does not know', code: 'FROM python:3.12-slim\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install flask\n' },
    { name: "root's mount, as root", code: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n' },
  ],
  invalid: [
    {
      name: 'an `export PIP_NO_CACHE_DIR=1` before pip goes with the mount it would keep empty',
      code: 'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'an exported PIP_CACHE_DIR is where pip keeps its cache',
      code: 'FROM python:3.12\nRUN export PIP_CACHE_DIR=/pipc && pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/pipc' } }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/pipc export PIP_CACHE_DIR=/pipc && pip install flask\n',
    },
    {
      name: 'the seed\'s "before" RUN gets the mount and loses --no-cache-dir',
      code: 'FROM python:3.11-alpine\nWORKDIR /app\nRUN pip install --no-cache-dir --user -r requirements-prod.txt\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM python:3.11-alpine\nWORKDIR /app\nRUN ${MOUNT} pip install --user -r requirements-prod.txt\n`,
    },
    {
      name: 'reports on the pip command words and says where the cache lives',
      code: `${FROM}RUN pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 2, column: 5, endColumn: 16, data: { dirs: '/root/.cache/pip', flags: MOUNT, notes: '' }, minor: false }],
      output: `${FROM}RUN ${MOUNT} pip install flask\n`,
    },
    ...[
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
    ].map(([spelling, command]) => ({
      name: `adds the mount for ${spelling}`,
      code: `${FROM}RUN ${command}\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} ${command}\n`,
    })),
    {
      name: 'one finding and one mount for a chain of two pip calls; both --no-cache-dir go',
      code: `${FROM}RUN pip install --no-cache-dir -U pip && pip install --no-cache-dir -r requirements.txt\n`,
      errors: [{ messageId: 'mountMissing', line: 2, minor: false }],
      output: `${FROM}RUN ${MOUNT} pip install -U pip && pip install -r requirements.txt\n`,
    },
    {
      name: "keeps the RUN's other flags and adds the mount after them",
      code: `${FROM}RUN --network=host pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN --network=host ${MOUNT} pip install flask\n`,
    },
    {
      name: 'exec form: the flag goes before the [ and the --no-cache-dir element goes with its comma',
      code: `${FROM}RUN ["pip", "install", "--no-cache-dir", "-r", "requirements.txt"]\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} ["pip", "install", "-r", "requirements.txt"]\n`,
    },
    {
      name: 'exec form: a last --no-cache-dir element takes the comma before it',
      code: `${FROM}RUN ["python", "-m", "pip", "install", "flask", "--no-cache-dir"]\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} ["python", "-m", "pip", "install", "flask"]\n`,
    },
    {
      name: 'exec form running sh -c: the flag is removed inside the script string',
      code: `${FROM}RUN ["sh", "-c", "pip install --no-cache-dir -r requirements.txt"]\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} ["sh", "-c", "pip install -r requirements.txt"]\n`,
    },
    {
      name: 'heredoc: the mount goes before <<EOF and the flag leaves the body',
      code: `${FROM}RUN <<EOF\nset -e\npip install \\\n  --no-cache-dir \\\n  -r requirements.txt\nEOF\n`,
      errors: [{ messageId: 'mountMissing', line: 4, column: 1, endColumn: 12 }],
      output: `${FROM}RUN ${MOUNT} <<EOF\nset -e\npip install \\\n  -r requirements.txt\nEOF\n`,
    },
    {
      name: 'heredoc: a flag alone on the last line takes the continuation before it',
      code: `${FROM}RUN <<EOF\npip install -r requirements.txt \\\n  --no-cache-dir\npython -m compileall .\nEOF\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `${FROM}RUN ${MOUNT} <<EOF\npip install -r requirements.txt\npython -m compileall .\nEOF\n`,
    },
    {
      name: 'continuations: a --no-cache-dir line goes whole, comment lines stay',
      code: [
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
      ].join('\n'),
      errors: [{ messageId: 'mountMissing', line: 5 }],
      output: [
        'FROM python:3.12',
        `RUN ${MOUNT} apt-get update \\`,
        '    # the wheels need gcc',
        '    && apt-get install -y gcc \\',
        '    && pip install \\',
        '        # pinned in the lock file',
        '        -r requirements.txt',
        'COPY . .',
        '',
      ].join('\n'),
    },
    {
      name: 'continuations: a --no-cache-dir alone on the last line takes the escape of the line before',
      code: `${FROM}RUN pip install -r requirements.txt \\\n    --no-cache-dir\nCOPY . .\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} pip install -r requirements.txt\nCOPY . .\n`,
    },
    {
      name: 'continuations: a last-line flag after a comment line keeps the comment',
      code: `${FROM}RUN pip install -r requirements.txt \\\n    # no cache\n    --no-cache-dir\nCOPY . .\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} pip install -r requirements.txt\n    # no cache\nCOPY . .\n`,
    },
    {
      name: 'continuations: a flag before the escape keeps one space before it',
      code: `${FROM}RUN pip install --no-cache-dir \\\n    -r requirements.txt\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} pip install \\\n    -r requirements.txt\n`,
    },
    {
      name: 'a file with CRLF line endings keeps them, byte for byte',
      code: 'FROM python:3.12\r\nRUN pip install \\\r\n    --no-cache-dir \\\r\n    -r requirements.txt\r\nRUN pip install \\\r\n    flask \\\r\n    --no-cache-dir\r\nCOPY . .\r\n',
      errors: [{ messageId: 'mountMissing', line: 2 }, { messageId: 'mountMissing', line: 5 }],
      output: `FROM python:3.12\r\nRUN ${MOUNT} pip install \\\r\n    -r requirements.txt\r\nRUN ${MOUNT} pip install \\\r\n    flask\r\nCOPY . .\r\n`,
    },
    {
      name: 'a file with # escape=` continues lines with backticks',
      code: '# escape=`\nFROM python:3.12\nRUN pip install `\n    --no-cache-dir `\n    -r requirements.txt\nRUN pip install -r other.txt `\n    --no-cache-dir\n',
      errors: [{ messageId: 'mountMissing', line: 3 }, { messageId: 'mountMissing', line: 6 }],
      output: `# escape=\`\nFROM python:3.12\nRUN ${MOUNT} pip install \`\n    -r requirements.txt\nRUN ${MOUNT} pip install -r other.txt\n`,
    },
    {
      name: 'a RUN whose arguments start on the next line gets the mount there',
      code: `${FROM}RUN \\\n    pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `${FROM}RUN \\\n    ${MOUNT} pip install flask\n`,
    },
    {
      name: 'drops a PIP_NO_CACHE_DIR assignment of the RUN',
      code: `${FROM}RUN PIP_NO_CACHE_DIR=1 pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'drops a PIP_NO_CACHE_DIR assignment of the RUN, even as its first word',
      code: `${FROM}RUN \\\n    PIP_NO_CACHE_DIR=off \\\n    pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: `${FROM}RUN \\\n    ${MOUNT} pip install flask\n`,
    },
    {
      name: 'a non-root USER made with useradd -u gets its home and uid in the mount',
      code: 'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app -m app\nUSER app\nRUN pip install --user flask\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/home/app/.cache/pip (pip runs as app)' } }],
      output: 'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001,gid=2000 pip install --user flask\n',
    },
    {
      name: 'adduser -h sets the home the cache lives in',
      code: 'FROM python:3.12-alpine\nRUN adduser -D -u 1000 -h /srv/app app\nUSER app:app\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: 'FROM python:3.12-alpine\nRUN adduser -D -u 1000 -h /srv/app app\nUSER app:app\nRUN --mount=type=cache,target=/srv/app/.cache/pip,uid=1000 pip install flask\n',
    },
    {
      name: 'a numeric USER with no known user has HOME=/',
      code: 'FROM python:3.12\nUSER 1000:1000\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: 'FROM python:3.12\nUSER 1000:1000\nRUN --mount=type=cache,target=/.cache/pip,uid=1000,gid=1000 pip install flask\n',
    },
    {
      name: 'a non-root USER the Dockerfile does not create: home and uid unknown, nothing applied',
      code: UNKNOWN_USER,
      errors: [{ messageId: 'homeUnknown', line: 3, data: { user: 'app' } }],
      output: null,
    },
    {
      name: 'a known cache dir for a user of unknown uid: nothing applied',
      code: UNKNOWN_UID,
      errors: [{ messageId: 'mountMissingUidUnknown', line: 4, data: { dirs: '/pip-cache (pip runs as app)', uidUnknown: 'app' } }],
      output: null,
    },
    {
      name: 'a --no-cache-dir it cannot remove cleanly: nothing applied',
      code: NOT_REMOVABLE,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'sudo runs pip as root whatever the USER',
      code: 'FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN sudo pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/root/.cache/pip' } }],
      output: `FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} sudo pip install flask\n`,
    },
    {
      name: 'ENV PIP_CACHE_DIR is where the mount goes',
      code: `${FROM}ENV PIP_CACHE_DIR=/var/cache/pip\nRUN pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `${FROM}ENV PIP_CACHE_DIR=/var/cache/pip\nRUN --mount=type=cache,target=/var/cache/pip pip install flask\n`,
    },
    {
      name: 'ENV PIP_CACHE_DIR built from another ENV is expanded',
      code: `${FROM}ENV CACHE=/cache PIP_CACHE_DIR=\${CACHE}/pip/\nRUN pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/cache/pip' } }],
      output: `${FROM}ENV CACHE=/cache PIP_CACHE_DIR=\${CACHE}/pip/\nRUN --mount=type=cache,target=/cache/pip pip install flask\n`,
    },
    {
      name: 'ENV XDG_CACHE_HOME moves the cache',
      code: `${FROM}ENV XDG_CACHE_HOME=/xdg\nRUN pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `${FROM}ENV XDG_CACHE_HOME=/xdg\nRUN --mount=type=cache,target=/xdg/pip pip install flask\n`,
    },
    {
      name: 'ENV HOME moves the cache',
      code: `${FROM}ENV HOME=/app\nRUN pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `${FROM}ENV HOME=/app\nRUN --mount=type=cache,target=/app/.cache/pip pip install flask\n`,
    },
    {
      name: '--cache-dir of the call is where the mount goes',
      code: `${FROM}RUN pip install --cache-dir=/tmp/pip-cache flask\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN --mount=type=cache,target=/tmp/pip-cache pip install --cache-dir=/tmp/pip-cache flask\n`,
    },
    {
      name: 'an ENV of a stage carries into the stage built on it',
      code: 'FROM python:3.12 AS base\nENV PIP_CACHE_DIR=/pipcache\nWORKDIR /app\nFROM base AS build\nRUN pip install flask\n',
      errors: [{ messageId: 'mountMissing', line: 5 }],
      output: 'FROM python:3.12 AS base\nENV PIP_CACHE_DIR=/pipcache\nWORKDIR /app\nFROM base AS build\nRUN --mount=type=cache,target=/pipcache pip install flask\n',
    },
    {
      name: 'a cache mount on another directory does not count',
      code: `${FROM}RUN --mount=type=cache,target=/root/.npm pip install flask\n`,
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { dirs: '/root/.cache/pip', targets: '/root/.npm' } }],
      output: `${FROM}RUN --mount=type=cache,target=/root/.npm ${MOUNT} pip install flask\n`,
    },
    {
      name: "root's cache mount under a non-root USER is on the wrong directory",
      code: `${FROM}RUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} pip install flask\n`,
      errors: [{ messageId: 'mountElsewhere', line: 4, data: { dirs: '/home/app/.cache/pip (pip runs as app)', targets: '/root/.cache/pip' } }],
      output: `${FROM}RUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip install flask\n`,
    },
    {
      name: 'a bind mount on the cache directory is not a cache mount',
      code: `${FROM}RUN --mount=type=bind,target=/root/.cache/pip pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `${FROM}RUN --mount=type=bind,target=/root/.cache/pip ${MOUNT} pip install flask\n`,
    },
    {
      name: 'a cache dir dockopt cannot resolve still fires when the RUN has no cache mount, without a fix',
      code: UNRESOLVED,
      errors: [{ messageId: 'cacheDirUnresolved', line: 4, data: { via: 'ENV PIP_CACHE_DIR', unresolved: '$CACHE' } }],
      output: null,
    },
    {
      name: 'mentions an ENV PIP_NO_CACHE_DIR that would keep the new mount empty; the fix leaves the ENV alone',
      code: `${FROM}ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 3, data: { notes: " ENV PIP_NO_CACHE_DIR turns pip's cache off here as well: it must go too (pip-no-cache-dir)." } }],
      output: `${FROM}ENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'mentions an ARG PIP_NO_CACHE_DIR with a default, which is in the environment of the RUN too',
      code: `${FROM}ARG PIP_NO_CACHE_DIR=false\nRUN pip install flask\n`,
      errors: [{ messageId: 'mountMissing', line: 3, data: { notes: " ARG PIP_NO_CACHE_DIR turns pip's cache off here as well: its default must go too (pip-no-cache-dir)." } }],
      output: `${FROM}ARG PIP_NO_CACHE_DIR=false\nRUN ${MOUNT} pip install flask\n`,
    },
    {
      name: 'one finding per RUN',
      code: `${FROM}RUN pip install a && pip install b\nRUN pip3 install c\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }, { messageId: 'mountMissing', line: 3 }],
      output: `${FROM}RUN ${MOUNT} pip install a && pip install b\nRUN ${MOUNT} pip3 install c\n`,
    },
    {
      name: '# dockopt ignore=pip-cache-mount silences only the instruction after it',
      code: 'FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN pip install flask\nRUN pip install b\n',
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: `FROM python:3.12\n# dockopt ignore=pip-cache-mount\nRUN pip install flask\nRUN ${MOUNT} pip install b\n`,
    },
    // Half-typed Dockerfiles: read as far as they go.
    {
      name: 'an unclosed quote',
      code: 'FROM python:3.12\nRUN pip install "fla',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${MOUNT} pip install "fla`,
    },
    {
      name: 'an unclosed exec form and an unclosed heredoc, without FROM',
      code: 'RUN ["pip", "install"\nRUN <<EOF\npip install x',
      errors: [{ messageId: 'mountMissing', line: 1 }, { messageId: 'mountMissing', line: 3 }],
      output: `RUN ${MOUNT} ["pip", "install"\nRUN ${MOUNT} <<EOF\npip install x`,
    },
    {
      name: 'a continuation at the end of the file',
      code: 'FROM python\nRUN pip install \\',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python\nRUN ${MOUNT} pip install \\`,
    },
    // A mount the user cannot write to.
    {
      name: 'a root-owned mount while pip runs as a user of known uid: the uid is added',
      code: OWNED_BEFORE,
      errors: [{ messageId: 'mountNotWritable', line: 4, data: { target: '/home/app/.cache/pip', user: 'app', uid: '1001', owns: 'uid=1001' } }],
      output: 'FROM python:3.12-slim\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip install --user flask\n',
    },
    {
      name: 'a wrong uid is replaced and the other options stay in place',
      code: 'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app app\nUSER app\nRUN --mount=type=cache,id=pip,uid=0,target=/home/app/.cache/pip,sharing=locked pip install flask\n',
      errors: [{ messageId: 'mountNotWritable', line: 4, data: { owns: 'uid=1001,gid=2000' } }],
      output: 'FROM python:3.12-slim\nRUN groupadd -g 2000 app && useradd -u 1001 -g app app\nUSER app\nRUN --mount=type=cache,id=pip,target=/home/app/.cache/pip,sharing=locked,uid=1001,gid=2000 pip install flask\n',
    },
  ],
});

test('pip-cache-mount: the messages read in full', () => {
  assert.deepEqual(check(rule, `${FROM}RUN pip install flask\n`).map((f) => f.message), [
    'pip keeps its cache in /root/.cache/pip and this RUN mounts no cache there, so every build downloads all packages again. ' +
      'Mount it with --mount=type=cache,target=/root/.cache/pip.',
  ]);
  assert.deepEqual(check(rule, `${FROM}RUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} pip install flask\n`).map((f) => f.message), [
    "pip keeps its cache in /home/app/.cache/pip (pip runs as app), but this RUN's cache mount is on /root/.cache/pip, so every build downloads all packages again. " +
      'Mount it with --mount=type=cache,target=/home/app/.cache/pip,uid=1001.',
  ]);
  assert.deepEqual(check(rule, UNKNOWN_UID).map((f) => f.message), [
    'pip keeps its cache in /pip-cache (pip runs as app) and this RUN mounts no cache there, so every build downloads all packages again. ' +
      'Mount it with --mount=type=cache,target=/pip-cache. dockopt does not know the uid of app: add uid=<its uid> to the mount, or pip cannot write to it.',
  ]);
  assert.deepEqual(check(rule, UNKNOWN_USER).map((f) => f.message), [
    'pip runs here as app, whose home dockopt does not know, so its cache (~/.cache/pip there) has no mount and every build downloads all packages again. ' +
      'If that user is root, --cache-dir=/var/cache/pip with --mount=type=cache,target=/var/cache/pip puts the cache in a mount; ' +
      'another user needs uid=<its uid> on the mount, which dockopt cannot know, so it does not fix this RUN by itself.',
  ]);
  assert.deepEqual(check(rule, UNRESOLVED).map((f) => f.message), [
    "pip installs here without a cache mount, so every build downloads all packages again. dockopt cannot tell where pip's cache is " +
      "(ENV PIP_CACHE_DIR is $CACHE): add --mount=type=cache,target=<pip's cache dir> to this RUN.",
  ]);
  assert.deepEqual(check(rule, OWNED_BEFORE).map((f) => f.message), [
    'The cache mount on /home/app/.cache/pip belongs to root, but pip runs as app (uid 1001) and cannot write to it, ' +
      'so pip turns its cache off and every build downloads all packages again. Add uid=1001 to the mount.',
  ]);
  // Notes follow in order: the ENV, the wipes of the RUN, what dockopt cannot read, "saves little".
  assert.deepEqual(check(rule, `${FROM}ENV PIP_NO_CACHE_DIR=1\nRUN pip install -U pip && rm -rf /root/.cache/pip && rm -rf $X\n`).map((f) => f.message), [
    'pip keeps its cache in /root/.cache/pip and this RUN mounts no cache there, so every build downloads all packages again. ' +
      "Mount it with --mount=type=cache,target=/root/.cache/pip. ENV PIP_NO_CACHE_DIR turns pip's cache off here as well: it must go too (pip-no-cache-dir). " +
      'The RUN also wipes that cache (`rm -rf /root/.cache/pip`): with the mount, removing the mount point fails the build, so it must go. ' +
      'dockopt cannot tell what `rm -rf $X` removes: if it removes the cache, the mount would fail the build, so the fix is not applied by itself. ' +
      "(This RUN only installs pip's own tools, which download little: the mount saves little here.)",
  ]);
});

test('pip-cache-mount: the fixes a human picks, with their titles', () => {
  const plain = only(`${FROM}RUN pip install flask\n`);
  assert.deepEqual(plain.fixes.map((f) => [f.title, f.isPreferred]), [['Add a pip cache mount on /root/.cache/pip', true]]);

  // A user the Dockerfile does not create: --cache-dir on a set directory, under an assumption.
  const unknownUser = only(UNKNOWN_USER);
  assert.equal(unknownUser.fixes[0].isPreferred, false);
  assert.match(unknownUser.fixes[0].title, /assuming app can write to it \(else add uid=<its uid>\)$/);
  assert.equal(applyFix(UNKNOWN_USER, unknownUser), 'FROM python:3.12\nUSER app\nRUN --mount=type=cache,target=/var/cache/pip pip install --cache-dir=/var/cache/pip flask\n');

  const unknownUid = only(UNKNOWN_UID);
  assert.equal(unknownUid.fixes[0].isPreferred, false);
  assert.equal(applyFix(UNKNOWN_UID, unknownUid), 'FROM python:3.12\nUSER app\nENV PIP_CACHE_DIR=/pip-cache\nRUN --mount=type=cache,target=/pip-cache pip install flask\n');

  // A --no-cache-dir that cannot go cleanly: only the mount, and the title says what to remove by hand.
  const notRemovable = only(NOT_REMOVABLE);
  assert.equal(notRemovable.fixes.length, 1);
  assert.equal(notRemovable.fixes[0].isPreferred, false);
  assert.match(notRemovable.fixes[0].title, /remove --no-cache-dir by hand/);
  assert.equal(applyFix(NOT_REMOVABLE, notRemovable), `FROM python:3.12\nRUN ${MOUNT} pip install \\\n    --no-cache-dir # why\nCOPY . .\n`);

  // A cache dir dockopt cannot resolve: no fix at all, not even one to pick.
  assert.deepEqual(only(UNRESOLVED).fixes, []);
});
