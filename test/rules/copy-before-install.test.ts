import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { rule } from '../../server/src/rules/copy-before-install';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { check as checkIn, fix as fixIn, type RuleTestOptions } from '../helpers/rule-tester';

/**
 * A build whose context holds exactly these files (and, optionally, this .dockerignore), readable:
 * given as a list, a .json file reads `{}` and any other file is empty.
 */
function contextWith(files: string[] | Record<string, string>, dockerignore?: string): BuildContext {
  const texts = Array.isArray(files) ? Object.fromEntries(files.map((f) => [f, f.endsWith('.json') ? '{}' : ''])) : files;
  return {
    dockerfilePath: '/work/app/Dockerfile',
    contextDir: '/work/app',
    source: 'dockerfile-folder',
    ignoreFile: { path: '/work/app/.dockerignore', kind: 'context-root', exists: dockerignore !== undefined, text: dockerignore },
    scan: { files: Object.keys(texts).map((path) => ({ path, size: 10 })), truncated: false },
    readFile: (path: string) => (Object.hasOwn(texts, path) ? texts[path] : undefined),
  };
}

/**
 * Unless a test says otherwise, the build's context is not scanned yet but its files can be read,
 * and none of the manifests names anything else (no workspace, local dependency, include or script).
 */
const UNSCANNED: BuildContext = { ...contextWith([]), scan: undefined, readFile: () => undefined };
const check = (r: typeof rule, text: string, options: RuleTestOptions = {}) => checkIn(r, text, { buildContext: UNSCANNED, ...options });
const fix = (r: typeof rule, text: string, options: RuleTestOptions = {}) => fixIn(r, text, { buildContext: UNSCANNED, ...options });

function only(text: string, options: Parameters<typeof check>[2] = {}) {
  const findings = check(rule, text, options);
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
  return findings[0];
}

describe('copy-before-install: fires', () => {
  test('reports COPY . . before pip install -r, on the COPY, with the install line', () => {
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --user -r requirements-prod.txt\n');
    assert.equal(finding.ruleId, 'copy-before-install');
    assert.equal(
      finding.message,
      'COPY . . before `pip install -r requirements-prod.txt` (line 4): every code change re-runs the install. Copy requirements-prod.txt first and the rest after it.',
    );
    assert.deepEqual(finding.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } });
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].isPreferred, true);
  });

  test('fires for COPY . <dir>, COPY ./ ./ and ADD . .', () => {
    for (const copy of ['COPY . /app', 'COPY ./ ./', 'ADD . .', 'COPY --chown=app:app . .', 'COPY [".", "."]']) {
      only(`FROM python:3.12\nWORKDIR /app\n${copy}\nRUN pip install -r requirements.txt\n`);
    }
  });

  test('fires for each supported installer', () => {
    const installs = [
      'pip3 install -r requirements.txt',
      'python -m pip install -r requirements.txt',
      '/opt/venv/bin/pip install --requirement=requirements.txt',
      'poetry install --no-root',
      'uv sync --locked --no-install-project',
      'uv pip install -r requirements.txt',
      'pipenv install --deploy --system',
      'npm ci',
      'npm install',
      'npm i --omit=dev',
      'yarn',
      'yarn install --frozen-lockfile',
      'pnpm install --frozen-lockfile',
      'bundle install',
      'go mod download',
      'composer install --no-scripts --no-autoloader',
    ];
    for (const install of installs) {
      const finding = only(`FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`);
      assert.equal(finding.fixes.length, 1, install);
    }
  });
});

describe('copy-before-install: does not fire', () => {
  test('when the manifests are copied first and COPY . . comes after the install', () => {
    const text = 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('when the install comes before the broad COPY', () => {
    assert.deepEqual(check(rule, 'FROM node:20\nWORKDIR /app\nRUN npm ci\nCOPY . .\n'), []);
  });

  test('when the install only names packages (pip install flask, npm install -g)', () => {
    const text = 'FROM python:3.12\nCOPY . .\nRUN pip install flask gunicorn==22.0 && npm install -g pnpm\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('across stages', () => {
    const text = 'FROM python:3.12 AS source\nWORKDIR /app\nCOPY . .\nFROM source\nRUN pip install -r requirements.txt\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('for COPY --from=… and narrow COPYs', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY --from=deps . .\nCOPY src/ ./src/\nRUN npm ci\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('when the project is installed after its dependencies (pip install -e . after COPY . .)', () => {
    const text = 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install -e .\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('when the dependencies were installed in the parent stage', () => {
    const text = 'FROM python:3.12 AS deps\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nFROM deps\nCOPY . .\nRUN poetry install\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('when the build script runs after the install and the source copy (health-dashboard)', () => {
    const text = 'FROM node:18-alpine AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('when suppressed on the line before the COPY', () => {
    const text = 'FROM python:3.12\nWORKDIR /app\n# dockopt ignore=copy-before-install\nCOPY . .\nRUN pip install -r requirements.txt\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('when suppressed for the whole file', () => {
    const text = '# dockopt global ignore=copy-before-install\nFROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n';
    assert.deepEqual(check(rule, text), []);
  });

  test('on half-typed instructions, without throwing', () => {
    for (const text of ['FROM python:3.12\nCOPY\nRUN pip install -r\n', 'FROM x\nCOPY . \nRUN npm', 'COPY . .\nRUN npm ci\n', 'FROM x\nRUN <<EOF\n']) {
      assert.doesNotThrow(() => check(rule, text));
    }
    assert.deepEqual(check(rule, 'FROM python:3.12\nCOPY\nRUN pip install -r\n'), []);
  });
});

describe('copy-before-install: reports without a fix when the install needs the source', () => {
  const cases: Array<[string, RegExp]> = [
    ['pip install .', /`pip install \.` installs the project from the source/],
    ['pip install -e .', /`pip install -e \.` installs the project from the source/],
    ['pip install -e .[dev]', /installs the project from the source \(`\.`\)/],
    ['pip install -r requirements.txt && pip install -e .', /`pip install -e \.` installs the project/],
    ['python setup.py install', /`python setup\.py install` builds the project from its source/],
    ['poetry install', /`poetry install` also installs the project itself.*`poetry install --no-root`/],
    ['uv sync --frozen', /`uv sync` also installs the project itself.*`uv sync --no-install-project`/],
    ['npm ci && npm run build', /the same RUN then runs `npm run build`, which may need the source/],
    ['make deps && pip install -r requirements.txt', /the same RUN first runs `make deps`/],
  ];
  for (const [install, reason] of cases) {
    test(`for RUN ${install}`, () => {
      const finding = only(`FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`);
      assert.match(finding.message, /every code change re-runs the install, and dockopt cannot move the COPY for you/);
      assert.match(finding.message, reason);
      assert.deepEqual(finding.fixes, []);
    });
  }

  test('when the scanned context lacks the manifest the install needs (moving the COPY would break the build)', () => {
    const finding = only('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n', { buildContext: contextWith(['server.js']) });
    assert.match(finding.message, /`npm ci` reads package\.json, which the build context does not send/);
    assert.deepEqual(finding.fixes, []);
  });

  test('when the requirements file is named by an unknown variable', () => {
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r $REQS\n');
    assert.match(finding.message, /reads a file named by a variable \(\$REQS\)/);
    assert.deepEqual(finding.fixes, []);
  });
});

describe('copy-before-install: reports without a fix when something between needs the source', () => {
  test('RUN make between the COPY and the install', () => {
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN make\nRUN pip install -r requirements.txt\n');
    assert.equal(
      finding.message,
      'COPY . . before `pip install -r requirements.txt` (line 5): every code change re-runs the install. Copy requirements.txt first and the rest after it. No automatic fix: `RUN make` (line 4) runs between them and may need the source.',
    );
    assert.deepEqual(finding.fixes, []);
  });

  test('a COPY between that writes into the same folder', () => {
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nCOPY settings.prod.py app/settings.py\nRUN pip install -r requirements.txt\n');
    assert.match(finding.message, /No automatic fix: `COPY settings\.prod\.py app\/settings\.py` \(line 4\) writes where COPY \. \. copies to\./);
    assert.deepEqual(finding.fixes, []);
  });

  test('a WORKDIR between when the COPY destination is relative', () => {
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nWORKDIR /app/service\nRUN pip install -r requirements.txt\n');
    assert.match(finding.message, /`WORKDIR \/app\/service` \(line 4\) changes the folder COPY \. \. copies into/);
    assert.deepEqual(finding.fixes, []);
  });

  test('an install that needs the source is reported as such even behind another obstacle', () => {
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN make\nRUN pip install -e .\n');
    assert.match(finding.message, /`pip install -e \.` installs the project from the source/);
    assert.doesNotMatch(finding.message, /RUN make/);
    assert.deepEqual(finding.fixes, []);
  });

  test('chown of the copied folder in the install RUN', () => {
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN chown -R app /app && pip install -r requirements.txt\n');
    assert.match(finding.message, /the same RUN first runs `chown -R app \/app`/);
    assert.deepEqual(finding.fixes, []);
  });
});

describe('copy-before-install: the fix', () => {
  test('copies the -r file to the same destination and moves COPY . . after the install (ha-ingestor admin-api)', () => {
    const before = [
      '# admin-api',
      'FROM python:3.11-alpine',
      '',
      'WORKDIR /app',
      '',
      'RUN apk add --no-cache gcc musl-dev',
      '',
      '# Copy everything, then install',
      'COPY . .',
      'RUN pip install --no-cache-dir --user -r requirements-prod.txt',
      '',
      'ENV PATH=/root/.local/bin:$PATH',
      'CMD ["python", "-m", "src.main"]',
      '',
    ].join('\n');
    const after = [
      '# admin-api',
      'FROM python:3.11-alpine',
      '',
      'WORKDIR /app',
      '',
      'RUN apk add --no-cache gcc musl-dev',
      '',
      'COPY requirements-prod.txt .',
      'RUN pip install --no-cache-dir --user -r requirements-prod.txt',
      '# Copy everything, then install',
      'COPY . .',
      '',
      'ENV PATH=/root/.local/bin:$PATH',
      'CMD ["python", "-m", "src.main"]',
      '',
    ].join('\n');
    assert.equal(fix(rule, before), after);
  });

  test('keeps the folder of a -r file: COPY reqs/dev.txt reqs/', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r reqs/dev.txt\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY reqs/dev.txt reqs/\nRUN pip install -r reqs/dev.txt\nCOPY . .\n',
    );
  });

  test('resolves an absolute -r path against an absolute destination without WORKDIR', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD ["python", "/app/main.py"]\n'),
      'FROM python:3.12\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
    );
  });

  test('resolves the -r path against a WORKDIR set between the COPY and the install', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nCOPY . /srv\nWORKDIR /srv/api\nRUN pip install -r requirements.txt\n'),
      'FROM python:3.12\nCOPY api/requirements.txt /srv/api/\nWORKDIR /srv/api\nRUN pip install -r requirements.txt\nCOPY . /srv\n',
    );
  });

  test('expands ENV in WORKDIR and keeps the destination as written', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOME\nCOPY . $APP_HOME/\nRUN pip install -r /srv/app/requirements.txt\n'),
      'FROM python:3.12\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOME\nCOPY requirements.txt $APP_HOME/\nRUN pip install -r /srv/app/requirements.txt\nCOPY . $APP_HOME/\n',
    );
  });

  test('keeps --chown (and --chmod, --link) on the manifest COPY', () => {
    assert.equal(
      fix(rule, 'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node --link . .\nRUN npm ci\nUSER node\n'),
      'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node --link package*.json ./\nRUN npm ci\nCOPY --chown=node:node --link . .\nUSER node\n',
    );
  });

  test('copies the manifests of two installs (pip and npm) in one COPY and moves COPY . . after the last', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN npm ci\nCMD ["python", "app.py"]\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt package*.json ./\nRUN pip install -r requirements.txt\nRUN npm ci\nCOPY . .\nCMD ["python", "app.py"]\n',
    );
    const finding = only('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN npm ci\n');
    assert.equal(
      finding.message,
      'COPY . . before `pip install -r requirements.txt` (line 4) and `npm ci` (line 5): every code change re-runs the installs. Copy requirements.txt and package*.json first and the rest after them.',
    );
  });

  test('keeps CRLF line endings', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install -r requirements.txt\r\nCMD ["python", "app.py"]\r\n'),
      'FROM python:3.12\r\nWORKDIR /app\r\nCOPY requirements.txt .\r\nRUN pip install -r requirements.txt\r\nCOPY . .\r\nCMD ["python", "app.py"]\r\n',
    );
  });

  test('keeps the escape directive and a multi-line install RUN with backtick continuations', () => {
    const before = '# escape=`\r\nFROM python:3.12-windowsservercore\r\nWORKDIR C:\\app\r\nCOPY . .\r\nRUN pip install `\r\n    --no-cache-dir `\r\n    -r requirements.txt\r\nCMD ["python", "app.py"]\r\n';
    const after = '# escape=`\r\nFROM python:3.12-windowsservercore\r\nWORKDIR C:\\app\r\nCOPY requirements.txt .\r\nRUN pip install `\r\n    --no-cache-dir `\r\n    -r requirements.txt\r\nCOPY . .\r\nCMD ["python", "app.py"]\r\n';
    assert.equal(fix(rule, before), after);
  });

  test('moves a multi-line COPY whole, after a multi-line RUN with backslash continuations and a comment inside', () => {
    const before = [
      'FROM python:3.12',
      'WORKDIR /app',
      '  COPY --chown=app:app \\',
      '      . \\',
      '      .',
      'RUN apt-get update && \\',
      '    # build tools for wheels',
      '    apt-get install -y gcc && \\',
      '    pip install -r requirements.txt && \\',
      '    rm -rf /var/lib/apt/lists/*',
      'USER app',
      '',
    ].join('\n');
    const after = [
      'FROM python:3.12',
      'WORKDIR /app',
      '  COPY --chown=app:app requirements.txt .',
      'RUN apt-get update && \\',
      '    # build tools for wheels',
      '    apt-get install -y gcc && \\',
      '    pip install -r requirements.txt && \\',
      '    rm -rf /var/lib/apt/lists/*',
      '  COPY --chown=app:app \\',
      '      . \\',
      '      .',
      'USER app',
      '',
    ].join('\n');
    assert.equal(fix(rule, before), after);
  });

  test('moves past instructions that do not read the source (ENV, USER, RUN apt-get, pip install of named packages)', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nENV PYTHONUNBUFFERED=1\nRUN apt-get update && apt-get install -y libpq5\nRUN pip install --upgrade pip\nRUN pip install -r requirements.txt\nEXPOSE 8000\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nENV PYTHONUNBUFFERED=1\nRUN apt-get update && apt-get install -y libpq5\nRUN pip install --upgrade pip\nRUN pip install -r requirements.txt\nCOPY . .\nEXPOSE 8000\n',
    );
  });

  test('moves COPY . . only past the dependency install when the project install follows', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN pip install --no-deps -e .\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install --no-deps -e .\n',
    );
  });

  test('only moves COPY . . when the manifest is already copied before it', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\n# the code\nCOPY . .\nRUN pip install -r requirements.txt\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n# the code\nCOPY . .\n',
    );
  });

  test('does not copy what a bind mount provides', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\n'),
      'FROM python:3.12\nWORKDIR /app\nRUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\nCOPY . .\n',
    );
  });

  test('follows a cd in the install RUN', () => {
    assert.equal(
      fix(rule, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN cd web && npm ci\n'),
      'FROM node:20\nWORKDIR /app\nCOPY web/package*.json web/\nRUN cd web && npm ci\nCOPY . .\n',
    );
  });

  test('reads a heredoc RUN and keeps a JSON-form COPY as written', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY [".", "."]\nRUN <<EOF\nset -e\npip install -r requirements.txt\nEOF\nCMD ["python", "app.py"]\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN <<EOF\nset -e\npip install -r requirements.txt\nEOF\nCOPY [".", "."]\nCMD ["python", "app.py"]\n',
    );
  });

  test('writes the manifest COPY in JSON form when the destination holds a space', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nCOPY [".", "/my app/"]\nRUN pip install -r "/my app/requirements.txt"\n'),
      'FROM python:3.12\nCOPY ["requirements.txt", "/my app/"]\nRUN pip install -r "/my app/requirements.txt"\nCOPY [".", "/my app/"]\n',
    );
  });

  test('copies a relative --find-links folder with the requirements file', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-index -r requirements.txt -f wheels\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nCOPY wheels wheels/\nRUN pip install --no-index -r requirements.txt -f wheels\nCOPY . .\n',
    );
  });

  test('writes COPY for an ADD . . and keeps the case of the keyword', () => {
    assert.equal(
      fix(rule, 'from python:3.12\nworkdir /app\nadd . .\nrun pip install -r requirements.txt\n'),
      'from python:3.12\nworkdir /app\ncopy requirements.txt .\nrun pip install -r requirements.txt\nadd . .\n',
    );
  });

  test('without a context scan, covers optional lockfiles with a wildcard', () => {
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-root --only main\n'),
      'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock* ./\nRUN poetry install --no-root --only main\nCOPY . .\n',
    );
  });

  test('with a context scan, copies only the lockfiles and config files that exist', () => {
    const buildContext = contextWith(['package.json', 'package-lock.json', '.npmrc', 'src/index.js']);
    assert.equal(
      fix(rule, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { buildContext }),
      'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json .npmrc ./\nRUN npm ci\nCOPY . .\n',
    );
    const finding = only('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { buildContext });
    assert.match(finding.message, /Copy package\.json, package-lock\.json and \.npmrc first and the rest after it\./);
  });

  test('with a context scan, leaves out files the .dockerignore excludes', () => {
    const buildContext = contextWith(['package.json', 'yarn.lock', '.npmrc'], '.npmrc\n');
    assert.equal(
      fix(rule, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n', { buildContext }),
      'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\n',
    );
  });

  test('with a context scan, copies uv.lock for uv sync --no-install-project and leaves the project sync after', () => {
    const buildContext = contextWith(['pyproject.toml', 'uv.lock', 'src/app/__init__.py']);
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked --no-install-project\nRUN uv sync --locked\n', { buildContext }),
      'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n',
    );
  });

  test('with a context scan, puts manifests of another folder in their own COPY', () => {
    const buildContext = contextWith(['requirements.txt', 'frontend/package.json', 'frontend/pnpm-lock.yaml']);
    assert.equal(
      fix(rule, 'FROM base\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && pnpm -C frontend install --frozen-lockfile\n', { buildContext }),
      'FROM base\nWORKDIR /app\nCOPY requirements.txt .\nCOPY frontend/package.json frontend/pnpm-lock.yaml frontend/\nRUN pip install -r requirements.txt && pnpm -C frontend install --frozen-lockfile\nCOPY . .\n',
    );
  });

  test('offers no fix for a pnpm workspace, whose members each have a manifest', () => {
    const buildContext = contextWith(['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'packages/a/package.json']);
    const finding = only('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n', { buildContext });
    assert.match(finding.message, /installs a workspace \(pnpm-workspace\.yaml\)/);
    assert.deepEqual(finding.fixes, []);
  });

  test('go mod download: copies go.mod and go.sum, leaves go build after the source', () => {
    assert.equal(
      fix(rule, 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /bin/app ./cmd/app\n'),
      'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\nRUN go build -o /bin/app ./cmd/app\n',
    );
  });

  test('the fix edits only the Dockerfile it reports on', () => {
    const finding = only('FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n', { path: '/w/svc/Dockerfile' });
    assert.deepEqual(finding.fixes[0].changes.map((c) => c.path), ['/w/svc/Dockerfile']);
  });
});

describe('copy-before-install: comments above the broad COPY move with it', () => {
  const P = 'FROM python:3.12\nWORKDIR /app\n';
  const INSTALL = 'RUN pip install -r requirements.txt\n';
  const cases: Array<[string, string, string]> = [
    ['one comment line', `${P}# Copy everything, then install\nCOPY . .\n${INSTALL}CMD ["python", "app.py"]\n`,
      `${P}COPY requirements.txt .\n${INSTALL}# Copy everything, then install\nCOPY . .\nCMD ["python", "app.py"]\n`],
    ['two comment lines', `${P}# the source\n# (see .dockerignore)\nCOPY . .\n${INSTALL}`,
      `${P}COPY requirements.txt .\n${INSTALL}# the source\n# (see .dockerignore)\nCOPY . .\n`],
    ['a comment separated by a blank line stays', `${P}# Application\n\nCOPY . .\n${INSTALL}`,
      `${P}# Application\n\nCOPY requirements.txt .\n${INSTALL}COPY . .\n`],
    ['only the lines below the blank line move', `${P}# Application\n\n# the source\nCOPY . .\n${INSTALL}`,
      `${P}# Application\n\nCOPY requirements.txt .\n${INSTALL}# the source\nCOPY . .\n`],
    ['a comment above the install stays with the install', `${P}COPY . .\n# dependencies\n${INSTALL}`,
      `${P}COPY requirements.txt .\n# dependencies\n${INSTALL}COPY . .\n`],
    ['a comment above what follows the install stays there', `${P}# code\nCOPY . .\n${INSTALL}# run it\nCMD ["python", "app.py"]\n`,
      `${P}COPY requirements.txt .\n${INSTALL}# code\nCOPY . .\n# run it\nCMD ["python", "app.py"]\n`],
    ['CRLF, indentation and a continuation kept',
      'FROM python:3.12\r\nWORKDIR /app\r\n  # the source\r\n\t# all of it\r\n  COPY --chown=app:app \\\r\n    . .\r\nRUN pip install \\\r\n    -r requirements.txt\r\nUSER app\r\n',
      'FROM python:3.12\r\nWORKDIR /app\r\n  COPY --chown=app:app requirements.txt .\r\nRUN pip install \\\r\n    -r requirements.txt\r\n  # the source\r\n\t# all of it\r\n  COPY --chown=app:app \\\r\n    . .\r\nUSER app\r\n'],
    ['when only the COPY moves (manifest already copied), its comment does not land on the install',
      `${P}COPY requirements.txt .\n# the code\nCOPY . .\n${INSTALL}`,
      `${P}COPY requirements.txt .\n${INSTALL}# the code\nCOPY . .\n`],
    ['a heredoc body above is the RUN\'s, not a comment', `${P}RUN <<EOF\n# inside\nEOF\n# the code\nCOPY . .\n${INSTALL}`,
      `${P}RUN <<EOF\n# inside\nEOF\nCOPY requirements.txt .\n${INSTALL}# the code\nCOPY . .\n`],
    ['a file-wide suppression stays where it is', `${P}# dockopt global ignore=pip-no-cache-dir\n# the code\nCOPY . .\n${INSTALL}`,
      `${P}# dockopt global ignore=pip-no-cache-dir\nCOPY requirements.txt .\n${INSTALL}# the code\nCOPY . .\n`],
    ['the escape directive and the comments above FROM stay',
      '# escape=`\n# image for the API\nFROM python:3.12\n# the code\nCOPY . .\nRUN pip install `\n  -r requirements.txt\n',
      '# escape=`\n# image for the API\nFROM python:3.12\nCOPY requirements.txt .\nRUN pip install `\n  -r requirements.txt\n# the code\nCOPY . .\n'],
  ];
  for (const [name, before, after] of cases) {
    test(name, () => {
      assert.equal(only(before).fixes[0].isPreferred, true);
      assert.equal(fix(rule, before), after);
    });
  }

  test('a suppression comment stays on the instruction it suppresses: the broad COPY', () => {
    const before = `${P}COPY requirements.txt .\n# the code\n# dockopt ignore=pip-cache-mount\nCOPY . .\n${INSTALL}`;
    const after = fix(rule, before);
    assert.equal(after, `${P}COPY requirements.txt .\n${INSTALL}# the code\n# dockopt ignore=pip-cache-mount\nCOPY . .\n`);
    // Left behind, it would have landed on the install and silenced pip-cache-mount there.
    const model = parseDockerfile(after);
    const suppressed = model.instructions.filter((i) => i.ignored.has('pip-cache-mount')).map((i) => model.text.slice(i.startOffset, i.endOffset));
    assert.deepEqual(suppressed, ['COPY . .']);
  });
});

describe('copy-before-install: requirements files that include others', () => {
  /** A context whose files have these texts (readable, as the engine provides them). */
  const contextReading = (files: Record<string, string>) => contextWith(files);
  const dockerfile = 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements/prod.txt\n';

  test('copies the files a -r file includes, transitively, relative to the including file', () => {
    const buildContext = contextReading({
      'requirements/prod.txt': '-r base.txt\n# pinned\ngunicorn==22.0\n',
      'requirements/base.txt': '--constraint ../constraints.txt\nflask==3.0  # web\n',
      'constraints.txt': 'werkzeug<4\n',
      'app.py': 'print(1)\n',
    });
    assert.equal(
      fix(rule, dockerfile, { buildContext }),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements/prod.txt requirements/base.txt requirements/\nCOPY constraints.txt .\nRUN pip install -r requirements/prod.txt\nCOPY . .\n',
    );
  });

  test('offers no fix when an included file installs from the source (-e .)', () => {
    const buildContext = contextReading({ 'requirements/prod.txt': '-r base.txt\n', 'requirements/base.txt': 'flask\n-e .\n', 'setup.py': '' });
    const finding = only(dockerfile, { buildContext });
    assert.match(finding.message, /requirements\/base\.txt, which installs from the project's files \(-e \.\)/);
    assert.deepEqual(finding.fixes, []);
  });
});

describe('copy-before-install: manifests that make the install read more', () => {
  // [what, the context's files, the install RUN, the reason in the message]: no fix.
  const noFix: Array<[string, Record<string, string>, string, RegExp]> = [
    ['a file: dependency', { 'package.json': '{"dependencies":{"shared":"file:../shared","express":"^4"}}' }, 'npm ci', /package\.json takes shared from a local folder \(`file:\.\.\/shared`\), which `npm ci` reads/],
    ['a link: dependency', { 'package.json': '{"devDependencies":{"tools":"link:./tools"}}', 'pnpm-lock.yaml': '' }, 'pnpm install --frozen-lockfile', /takes tools from a local folder \(`link:\.\/tools`\)/],
    ['a relative-path dependency', { 'package.json': '{"optionalDependencies":{"x":"./vendor/x"}}' }, 'npm install', /takes x from a local folder \(`\.\/vendor\/x`\)/],
    ['a pnpm workspace before the scan', { 'package.json': '{}', 'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n' }, 'pnpm install', /`pnpm install` installs a workspace \(pnpm-workspace\.yaml\)/],
    [
      'a uv workspace',
      { 'pyproject.toml': '[project]\nname = "root"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n', 'uv.lock': '' },
      'uv sync --locked --no-install-project',
      /pyproject\.toml declares a uv workspace \(\[tool\.uv\.workspace\]\), so `uv sync` reads every member's pyproject\.toml/,
    ],
    ['a uv path source', { 'pyproject.toml': '[project]\nname = "app"\n[tool.uv.sources]\nlib = { path = "libs/lib", editable = true }\n' }, 'uv sync --no-install-project', /takes a dependency from a local folder \(path = "libs\/lib"\), which `uv sync` reads/],
    ['a uv workspace source', { 'pyproject.toml': '[tool.uv.sources]\nlib = { workspace = true }\n' }, 'uv sync --no-install-project', /takes a dependency from the workspace/],
    ['a Poetry path dependency', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nmylib = { path = "../mylib", develop = true }\n' }, 'poetry install --no-root', /takes a dependency from a local folder \(path = "\.\.\/mylib"\), which `poetry install` reads/],
    ['a Poetry group path dependency', { 'pyproject.toml': '[tool.poetry.group.dev.dependencies]\ntools = {path="tools"}\n' }, 'poetry install --no-root', /path = "tools"/],
    ['a Poetry dependency table with a path', { 'pyproject.toml': '[tool.poetry.dependencies.mylib]\npath = "libs/mylib"\n' }, 'poetry install --no-root', /path = "libs\/mylib"/],
    ['a PEP 508 file URL', { 'pyproject.toml': '[project]\ndependencies = [\n  "lib @ file:///app/libs/lib",\n]\n' }, 'uv sync --no-install-project', /takes a dependency from a local file \("lib @ file:\/\/\/app\/libs\/lib"\)/],
    ['a Pipfile path package', { Pipfile: '[packages]\nflask = "*"\napp = {path = ".", editable = true}\n\n[requires]\npython_version = "3.12"\n' }, 'pipenv install --deploy --system', /Pipfile installs a package from a local folder \(path = "\."\), which `pipenv install` reads/],
    ['a local path in the requirements file', { 'requirements.txt': 'flask\n./libs/util\n' }, 'pip install -r requirements.txt', /reads requirements\.txt, which installs from the project's files \(\.\/libs\/util\)/],
    ['a file URL in the requirements file', { 'requirements.txt': 'util @ file:///app/libs/util\n' }, 'pip install -r requirements.txt', /installs from the project's files \(util @ file:\/\/\/app\/libs\/util\)/],
    ['a --find-links folder in the requirements file', { 'requirements.txt': '--find-links ./wheels\nflask\n' }, 'pip install -r requirements.txt', /installs from the project's files \(--find-links \.\/wheels\)/],
    ['a go.mod replace with a local folder', { 'go.mod': 'module x\n\nreplace example.com/lib => ../lib\n', 'go.sum': '' }, 'go mod download', /go\.mod replaces a module with a local folder \(=> \.\.\/lib\)/],
    ['a Gemfile that names the gemspec', { Gemfile: 'source "https://rubygems.org"\ngemspec\n' }, 'bundle install', /Gemfile names the project's gemspec/],
    ['a Gemfile path gem', { Gemfile: 'gem "util", path: "vendor/util"\n' }, 'bundle install', /installs a gem from a local folder \(path: "vendor\/util"\)/],
    ['a composer path repository', { 'composer.json': '{"repositories":[{"type":"path","url":"packages/*"}]}' }, 'composer install --no-scripts --no-autoloader', /a "path" repository: packages\/\*/],
  ];
  for (const [what, files, install, reason] of noFix) {
    test(`no fix for ${what}`, () => {
      const text = `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`;
      for (const buildContext of [contextWith(files), { ...contextWith(files), scan: undefined }]) {
        const finding = only(text, { buildContext });
        assert.match(finding.message, reason);
        assert.deepEqual(finding.fixes, []);
      }
    });
  }

  test('reads a manifest copied before the broad COPY too (moving it alone would still break a workspace)', () => {
    const buildContext = contextWith({ 'package.json': '{"workspaces":["packages/*"]}', 'packages/a/package.json': '{"name":"a"}' });
    assert.equal(
      fix(rule, 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN npm ci\n', { buildContext }),
      'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY packages/a/package.json packages/a/\nRUN npm ci\nCOPY . .\n',
    );
  });

  test('an install script may read more: the fix is offered, not preferred, its title says what it assumes', () => {
    const buildContext = contextWith({ 'package.json': '{"scripts":{"postinstall":"patch-package","build":"tsc"}}', 'package-lock.json': '{}' });
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
    const finding = only(text, { buildContext });
    assert.equal(
      finding.message,
      'COPY . . before `npm ci` (line 4): every code change re-runs the install. Copy package.json and package-lock.json first and the rest after it. ' +
        'But package.json runs a `postinstall` script at install (`patch-package`), which may read other files: the fix is not applied automatically.',
    );
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.equal(finding.fixes[0].title, 'Copy package.json and package-lock.json first, COPY . . after the install (assumes the postinstall script needs only the manifests)');
    assert.equal(fix(rule, text, { buildContext }), text);
  });

  test('with --ignore-scripts the install scripts do not run: the fix is preferred', () => {
    const buildContext = contextWith({ 'package.json': '{"scripts":{"prepare":"husky install"}}' });
    assert.equal(
      fix(rule, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --ignore-scripts\n', { buildContext }),
      'FROM node:20\nWORKDIR /app\nCOPY package.json .\nRUN npm ci --ignore-scripts\nCOPY . .\n',
    );
  });

  test('without a build context the manifests cannot be read: the fix is offered, not preferred', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
    const finding = only(text, { buildContext: undefined });
    assert.match(
      finding.message,
      /But dockopt cannot read the project's files here, so it cannot check that `npm ci` needs only its manifests \(no workspace, local dependency, included file or install script\): the fix is not applied automatically\.$/,
    );
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.match(finding.fixes[0].title, /\(assumes the install reads nothing but these files\)$/);
    assert.equal(fix(rule, text, { buildContext: undefined }), text);
  });

  // Manifests that name nothing else: the split is preferred.
  const plain: Array<[string, Record<string, string>, string, string]> = [
    ['package.json with registry dependencies and a build script', { 'package.json': '{"dependencies":{"express":"^4.19.0","lib":"github:me/lib"},"scripts":{"build":"tsc","start":"node ."}}' }, 'npm ci', 'COPY package.json .'],
    ['an empty workspaces list', { 'package.json': '{"workspaces":[]}', 'yarn.lock': '' }, 'yarn install', 'COPY package.json yarn.lock ./'],
    ['Poetry dependencies from an index, and a path in another tool’s table', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = { version = "^2.31", extras = ["socks"] }\n[tool.coverage.run]\npath = "src"\n', 'poetry.lock': '' }, 'poetry install --no-root', 'COPY pyproject.toml poetry.lock ./'],
    ['a Pipfile with a [requires] section', { Pipfile: '[[source]]\nurl = "https://pypi.org/simple"\n[packages]\nflask = "*"\n[requires]\npython_version = "3.12"\n', 'Pipfile.lock': '{}' }, 'pipenv install --deploy --system', 'COPY Pipfile Pipfile.lock ./'],
    ['a go.mod that replaces with another module version', { 'go.mod': 'module x\nreplace example.com/a => example.com/b v1.2.3\n', 'go.sum': '' }, 'go mod download', 'COPY go.mod go.sum ./'],
  ];
  for (const [what, files, install, copyLine] of plain) {
    test(`preferred fix for ${what}`, () => {
      assert.equal(
        fix(rule, `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`, { buildContext: contextWith(files) }),
        `FROM base\nWORKDIR /app\n${copyLine}\nRUN ${install}\nCOPY . .\n`,
      );
    });
  }

  test('before the scan, copies the requirements files a -r file includes (read from the context)', () => {
    const buildContext = { ...contextWith({ 'requirements.txt': '-r requirements-base.txt\ngunicorn\n', 'requirements-base.txt': 'flask\n' }), scan: undefined };
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n', { buildContext }),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt requirements-base.txt ./\nRUN pip install -r requirements.txt\nCOPY . .\n',
    );
  });

  test('copies the include of a requirements file that was copied before the broad COPY', () => {
    const buildContext = contextWith({ 'requirements.txt': '-r base.txt\n', 'base.txt': 'flask\n' });
    assert.equal(
      fix(rule, 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nCOPY . .\nRUN pip install -r requirements.txt\n', { buildContext }),
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nCOPY base.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n',
    );
  });
});

describe('copy-before-install: npm and yarn workspaces', () => {
  const WORKSPACE = {
    'package.json': '{"name":"root","private":true,"workspaces":["packages/*","apps/web"]}',
    'package-lock.json': '{}',
    'packages/ui/package.json': '{"name":"ui","dependencies":{"react":"^18"}}',
    'packages/util/package.json': '{"name":"util","dependencies":{"ui":"file:../ui"}}',
    'packages/util/index.js': '',
    'packages/.hidden/package.json': '{}',
    'packages/ui/node_modules/x/package.json': '{}',
    'apps/web/package.json': '{"name":"web","dependencies":{"util":"workspace:*"}}',
    'apps/admin/package.json': '{"name":"admin"}',
    'docs/package.json': '{"name":"docs"}',
  };

  test('copies each member manifest to its own folder, resolved from the context (and only members)', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "apps/web"]\n';
    const buildContext = contextWith(WORKSPACE);
    assert.equal(
      fix(rule, text, { buildContext }),
      [
        'FROM node:20',
        'WORKDIR /app',
        'COPY package.json package-lock.json ./',
        'COPY apps/web/package.json apps/web/',
        'COPY packages/ui/package.json packages/ui/',
        'COPY packages/util/package.json packages/util/',
        'RUN npm ci',
        'COPY . .',
        'CMD ["node", "apps/web"]',
        '',
      ].join('\n'),
    );
    assert.match(
      only(text, { buildContext }).message,
      /Copy package\.json, package-lock\.json, apps\/web\/package\.json, packages\/ui\/package\.json and packages\/util\/package\.json first/,
    );
  });

  test('keeps the destination and flags for the member COPYs (yarn, object form, absolute destination)', () => {
    const buildContext = contextWith({ 'package.json': '{"workspaces":{"packages":["libs/*"]}}', 'yarn.lock': '', 'libs/a/package.json': '{}' });
    assert.equal(
      fix(rule, 'FROM node:20\nCOPY --chown=node:node . /srv/app\nWORKDIR /srv/app\nRUN yarn install --frozen-lockfile\n', { buildContext }),
      'FROM node:20\nCOPY --chown=node:node package.json yarn.lock /srv/app/\nCOPY --chown=node:node libs/a/package.json /srv/app/libs/a/\nWORKDIR /srv/app\nRUN yarn install --frozen-lockfile\nCOPY --chown=node:node . /srv/app\n',
    );
  });

  test('a member install script makes the split an assumption', () => {
    const buildContext = contextWith({ ...WORKSPACE, 'packages/ui/package.json': '{"scripts":{"prepare":"tsc -p ."}}' });
    const finding = only('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { buildContext });
    assert.match(finding.message, /But packages\/ui\/package\.json runs a `prepare` script at install \(`tsc -p \.`\), which may read other files: the fix is not applied automatically\.$/);
    assert.equal(finding.fixes[0].isPreferred, false);
  });

  // [what, changes to the workspace's files, the reason]: no fix.
  const noFix: Array<[string, Record<string, string>, RegExp]> = [
    ['a pattern it does not resolve', { 'package.json': '{"workspaces":["packages/**"]}' }, /declares workspaces \("packages\/\*\*"\), so `npm ci` reads every member's package\.json, and dockopt resolves only plain patterns/],
    ['a negated pattern', { 'package.json': '{"workspaces":["packages/*","!packages/old"]}' }, /resolves only plain patterns/],
    ['a member taking a folder outside the workspace', { 'packages/ui/package.json': '{"dependencies":{"x":"file:../../vendor/x"}}' }, /packages\/ui\/package\.json takes x from a folder outside the workspace \(`file:\.\.\/\.\.\/vendor\/x`\)/],
    ['a root taking a folder outside the workspace', { 'package.json': '{"workspaces":["packages/*"],"devDependencies":{"cfg":"file:./config"}}' }, /package\.json takes cfg from a folder outside the workspace/],
    ['a member with workspaces of its own', { 'packages/ui/package.json': '{"workspaces":["x/*"]}' }, /and packages\/ui\/package\.json declares workspaces of its own/],
    [
      'more members than it copies one by one',
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`packages/p${i}/package.json`, '{}'])),
      /: 14 of them, more than dockopt copies one by one \(10\)\.$/,
    ],
  ];
  for (const [what, changes, reason] of noFix) {
    test(`no fix for ${what}`, () => {
      const finding = only('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { buildContext: contextWith({ ...WORKSPACE, ...changes }) });
      assert.match(finding.message, reason);
      assert.deepEqual(finding.fixes, []);
    });
  }

  test('no fix before the scan: the members are not known yet', () => {
    const finding = only('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { buildContext: { ...contextWith(WORKSPACE), scan: undefined } });
    assert.match(finding.message, /reads every member's package\.json, and the context's files are not listed yet\.$/);
    assert.deepEqual(finding.fixes, []);
  });

  test('leaves out members the .dockerignore excludes (BuildKit does not send them either)', () => {
    const buildContext = contextWith({ 'package.json': '{"workspaces":["packages/*"]}', 'packages/a/package.json': '{}', 'packages/b/package.json': '{}' }, 'packages/b\n');
    assert.equal(
      fix(rule, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { buildContext }),
      'FROM node:20\nWORKDIR /app\nCOPY package.json .\nCOPY packages/a/package.json packages/a/\nRUN npm ci\nCOPY . .\n',
    );
  });
});
