import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rule } from '../../server/src/rules/copy-before-install';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { check, fix } from '../helpers/rule-tester';

/** A build whose context holds exactly these files (and, optionally, this .dockerignore). */
function contextWith(files: string[], dockerignore?: string): BuildContext {
  return {
    dockerfilePath: '/work/app/Dockerfile',
    contextDir: '/work/app',
    source: 'dockerfile-folder',
    ignoreFile: { path: '/work/app/.dockerignore', kind: 'context-root', exists: dockerignore !== undefined, text: dockerignore },
    scan: { files: files.map((path) => ({ path, size: 10 })), truncated: false },
  };
}

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
      '# Copy everything, then install',
      'COPY requirements-prod.txt .',
      'RUN pip install --no-cache-dir --user -r requirements-prod.txt',
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
      'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\n# the code\nRUN pip install -r requirements.txt\nCOPY . .\n',
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

describe('copy-before-install: requirements files that include others', () => {
  /** A context whose files have these texts (readable, as the engine provides them). */
  function contextReading(files: Record<string, string>): BuildContext {
    return { ...contextWith(Object.keys(files)), readFile: (path: string) => files[path] };
  }
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
    assert.match(finding.message, /requirements\/base\.txt, which installs \. from the source/);
    assert.deepEqual(finding.fixes, []);
  });
});
