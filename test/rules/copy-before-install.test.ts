/**
 * copy-before-install as RuleTester tables: every case fires (with its message id, on the broad
 * COPY's line) or not, and fixes to its output (null: reported, but no fix applied unread).
 * Plain tests below the tables read messages in full, fix titles and what a table cannot.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { rule } from '../../server/src/rules/copy-before-install';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { check as checkIn, runRuleTests, type InvalidCase, type RuleTestOptions, type ValidCase } from '../helpers/rule-tester';

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

/** The same files, before the context is scanned (their list unknown, their texts readable). */
const unscanned = (files: Record<string, string>): BuildContext => ({ ...contextWith(files), scan: undefined });

/**
 * Unless a case says otherwise, the build's context is not scanned yet but its files can be read,
 * and none of the manifests names anything else (no workspace, local dependency, include or script).
 */
const UNSCANNED: BuildContext = { ...contextWith([]), scan: undefined, readFile: () => undefined };
const withDefaults = (options: RuleTestOptions = {}): RuleTestOptions => ({ buildContext: UNSCANNED, ...options });
const check = (text: string, options?: RuleTestOptions) => checkIn(rule, text, withDefaults(options));

function only(text: string, options?: RuleTestOptions) {
  const findings = check(text, options);
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
  return findings[0];
}

const P = 'FROM python:3.12\nWORKDIR /app\n';
const INSTALL = 'RUN pip install -r requirements.txt\n';
const ADVICE = 'Install the dependencies first from their own files (e.g. COPY requirements.txt, then `pip install -r requirements.txt`), then COPY the source and install the project';

// --- fires ---------------------------------------------------------------------------------

const fires: InvalidCase[] = [
  {
    name: 'reports COPY . . before pip install -r, on the COPY, with the install line',
    code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --user -r requirements-prod.txt\n',
    errors: [
      {
        messageId: 'copyManifestsFirst',
        line: 3,
        column: 1,
        endColumn: 9,
        data: { copy: 'COPY . .', installs: '`pip install -r requirements-prod.txt` (line 4)', manifests: 'requirements-prod.txt', installWord: 'install', it: 'it' },
      },
    ],
    output: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements-prod.txt .\nRUN pip install --no-cache-dir --user -r requirements-prod.txt\nCOPY . .\n',
  },
  // [the broad COPY, the manifest COPY that takes its place]
  ...([
    ['COPY . /app', 'COPY requirements.txt /app/'],
    ['COPY ./ ./', 'COPY requirements.txt ./'],
    ['ADD . .', 'COPY requirements.txt .'],
    ['COPY --chown=app:app . .', 'COPY --chown=app:app requirements.txt .'],
    ['COPY [".", "."]', 'COPY requirements.txt .'],
  ] as const).map(([copy, manifestCopy]) => ({
    name: `fires for ${copy}`,
    code: `${P}${copy}\n${INSTALL}`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}${manifestCopy}\n${INSTALL}${copy}\n`,
  })),
  // Each supported installer: [the install, the manifest COPY before it]
  ...([
    ['pip3 install -r requirements.txt', 'COPY requirements.txt .'],
    ['python -m pip install -r requirements.txt', 'COPY requirements.txt .'],
    ['/opt/venv/bin/pip install --requirement=requirements.txt', 'COPY requirements.txt .'],
    ['poetry install --no-root', 'COPY pyproject.toml poetry.lock* ./'],
    ['uv sync --locked --no-install-project', 'COPY pyproject.toml uv.lock* ./'],
    ['uv pip install -r requirements.txt', 'COPY requirements.txt .'],
    ['pipenv install --deploy --system', 'COPY Pipfile Pipfile.lock* ./'],
    ['npm ci', 'COPY package*.json ./'],
    ['npm install', 'COPY package*.json ./'],
    ['npm i --omit=dev', 'COPY package*.json ./'],
    ['yarn', 'COPY package.json yarn.lock* ./'],
    ['yarn install --frozen-lockfile', 'COPY package.json yarn.lock* ./'],
    ['pnpm install --frozen-lockfile', 'COPY package.json pnpm-lock.yaml* ./'],
    ['bundle install', 'COPY Gemfile Gemfile.lock* ./'],
    ['go mod download', 'COPY go.mod go.sum* ./'],
    ['composer install --no-scripts --no-autoloader', 'COPY composer.json composer.lock* ./'],
  ] as const).map(([install, manifestCopy]) => ({
    name: `fires for RUN ${install}`,
    code: `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `FROM base\nWORKDIR /app\n${manifestCopy}\nRUN ${install}\nCOPY . .\n`,
  })),
];

const valid: ValidCase[] = [
  { name: 'when the manifests are copied first and COPY . . comes after the install', code: `${P}COPY requirements.txt .\n${INSTALL}COPY . .\nCMD ["python", "app.py"]\n` },
  { name: 'when the install comes before the broad COPY', code: 'FROM node:20\nWORKDIR /app\nRUN npm ci\nCOPY . .\n' },
  { name: 'when the install only names packages (pip install flask, npm install -g)', code: 'FROM python:3.12\nCOPY . .\nRUN pip install flask gunicorn==22.0 && npm install -g pnpm\n' },
  { name: 'across stages', code: 'FROM python:3.12 AS source\nWORKDIR /app\nCOPY . .\nFROM source\nRUN pip install -r requirements.txt\n' },
  { name: 'for COPY --from=… and narrow COPYs', code: 'FROM node:20\nWORKDIR /app\nCOPY --from=deps . .\nCOPY src/ ./src/\nRUN npm ci\n' },
  { name: 'when the project is installed after its dependencies (pip install -e . after COPY . .)', code: `${P}COPY requirements.txt .\n${INSTALL}COPY . .\nRUN pip install -e .\n` },
  {
    name: 'when the dependencies were installed in the parent stage',
    code: 'FROM python:3.12 AS deps\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nFROM deps\nCOPY . .\nRUN poetry install\n',
  },
  { name: 'when the build script runs after the install and the source copy (health-dashboard)', code: 'FROM node:18-alpine AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n' },
  { name: 'when suppressed on the line before the COPY', code: `${P}# dockopt ignore=copy-before-install\nCOPY . .\n${INSTALL}` },
  { name: 'when suppressed for the whole file', code: `# dockopt global ignore=copy-before-install\nFROM python:3.12\nCOPY . .\n${INSTALL}` },
  {
    // Not the COPY's line, where the engine looks: the rule reads it, the install is fine where it is.
    name: 'when suppressed on the line before the install RUN',
    code: `${P}COPY . .\n# dockopt ignore=copy-before-install\n${INSTALL}`,
  },
  ...['FROM python:3.12\nCOPY\nRUN pip install -r\n', 'FROM x\nCOPY . \nRUN npm', 'COPY . .\nRUN npm ci\n', 'FROM x\nRUN <<EOF\n'].map((code) => ({ name: `on half-typed instructions: ${JSON.stringify(code)}`, code })),
];

// --- reported without a fix: the install needs the source ----------------------------------

const needsSource: InvalidCase[] = [
  ...(['pip install .', 'pip install -e .', 'pip install -e .[dev]'] as const).map((install) => ({
    name: `for RUN ${install}`,
    code: `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`,
    errors: [{ messageId: 'installsProjectFromSource', line: 3, data: { label: install, path: '.', advice: ADVICE } }],
    output: null,
  })),
  {
    name: 'for RUN pip install -r requirements.txt && pip install -e .',
    code: 'FROM base\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && pip install -e .\n',
    errors: [{ messageId: 'installsProjectFromSource', line: 3, data: { install: 'pip install -r requirements.txt', label: 'pip install -e .' } }],
    output: null,
  },
  ...([
    ['python setup.py install', '`python setup.py install` builds the project from its source'],
    ['poetry install', '`poetry install` also installs the project itself (no `--no-root`)'],
    ['uv sync --frozen', '`uv sync` also installs the project itself'],
  ] as const).map(([install, reason]) => ({
    name: `for RUN ${install}`,
    code: `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`,
    errors: [{ messageId: 'installNeedsSource', line: 3, data: { reason } }],
    output: null,
  })),
  {
    name: 'for RUN poetry install: the advice says how to split it',
    code: 'FROM base\nWORKDIR /app\nCOPY . .\nRUN poetry install\n',
    errors: [{ messageId: 'installNeedsSource', line: 3, data: { advice: 'Copy pyproject.toml and poetry.lock, run `poetry install --no-root`, then COPY the source and run `poetry install --only-root`' } }],
    output: null,
  },
  {
    name: 'for RUN uv sync --frozen: the advice says how to split it',
    code: 'FROM base\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n',
    errors: [{ messageId: 'installNeedsSource', line: 3, data: { advice: 'Copy pyproject.toml and uv.lock, run `uv sync --no-install-project`, then COPY the source and run `uv sync`' } }],
    output: null,
  },
  {
    name: 'for RUN npm ci && npm run build',
    code: 'FROM base\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n',
    errors: [{ messageId: 'installRunAlsoReads', line: 3, data: { when: 'then', command: 'npm run build' } }],
    output: null,
  },
  {
    name: 'for RUN make deps && pip install -r requirements.txt',
    code: 'FROM base\nWORKDIR /app\nCOPY . .\nRUN make deps && pip install -r requirements.txt\n',
    errors: [{ messageId: 'installRunAlsoReads', line: 3, data: { when: 'first', command: 'make deps' } }],
    output: null,
  },
  {
    name: 'when the scanned context lacks the manifest the install needs (moving the COPY would break the build)',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n',
    options: { buildContext: contextWith(['server.js']) },
    errors: [{ messageId: 'installManifestsProblem', line: 3, data: { problem: '`npm ci` reads package.json, which the build context does not send' } }],
    output: null,
  },
  {
    name: 'when the requirements file is named by an unknown variable',
    code: `${P}COPY . .\nRUN pip install -r $REQS\n`,
    errors: [{ messageId: 'installManifestsProblem', line: 3, data: { problem: '`pip install -r $REQS` reads a file named by a variable ($REQS)' } }],
    output: null,
  },
  {
    name: 'when an option makes the manifests unknowable (npm ci --workspace)',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --workspace a\n',
    errors: [{ messageId: 'installInputUnknown', line: 3, data: { option: '--workspace', label: 'npm ci' } }],
    output: null,
  },
];

// --- reported without a fix: something between needs the source ----------------------------

const between: InvalidCase[] = [
  {
    name: 'RUN make between the COPY and the install',
    code: `${P}COPY . .\nRUN make\n${INSTALL}`,
    errors: [{ messageId: 'runBetween', line: 3, data: { install: 'pip install -r requirements.txt', line: 5, manifests: 'requirements.txt', instruction: 'RUN make', instructionLine: 4 } }],
    output: null,
  },
  {
    name: 'a COPY between that writes into the same folder',
    code: `${P}COPY . .\nCOPY settings.prod.py app/settings.py\n${INSTALL}`,
    errors: [{ messageId: 'copyOverlaps', line: 3, data: { instruction: 'COPY settings.prod.py app/settings.py', instructionLine: 4, copy: 'COPY . .' } }],
    output: null,
  },
  {
    name: 'a COPY between that dockopt cannot read (a heredoc)',
    code: `${P}COPY . .\nCOPY <<EOF x\nhi\nEOF\n${INSTALL}`,
    errors: [{ messageId: 'copyBetween', line: 3, data: { instruction: 'COPY <<EOF x', instructionLine: 4 } }],
    output: null,
  },
  {
    name: 'a WORKDIR between when the COPY destination is relative',
    code: `${P}COPY . .\nWORKDIR /app/service\n${INSTALL}`,
    errors: [{ messageId: 'workdirBetween', line: 3, data: { instruction: 'WORKDIR /app/service', instructionLine: 4, manifests: 'service/requirements.txt' } }],
    output: null,
  },
  {
    name: 'an ENV between when the COPY uses a variable',
    code: `${P}COPY . $DIR\nENV DIR=/x\n${INSTALL}`,
    errors: [{ messageId: 'variableBetween', line: 3, data: { copy: 'COPY . $DIR', instruction: 'ENV DIR=/x', manifests: 'its dependency files' } }],
    output: null,
  },
  {
    name: 'an instruction dockopt does not know between',
    code: `${P}COPY . .\nFOO bar\n${INSTALL}`,
    errors: [{ messageId: 'instructionBetween', line: 3, data: { instruction: 'FOO bar', instructionLine: 4 } }],
    output: null,
  },
  {
    name: 'an install that needs the source is reported as such even behind another obstacle',
    code: `${P}COPY . .\nRUN make\nRUN pip install -e .\n`,
    errors: [{ messageId: 'installsProjectFromSource', line: 3, data: { label: 'pip install -e .' } }],
    output: null,
  },
  {
    name: 'chown of the copied folder in the install RUN',
    code: `${P}COPY . .\nRUN chown -R app /app && pip install -r requirements.txt\n`,
    errors: [{ messageId: 'installRunAlsoReads', line: 3, data: { when: 'first', command: 'chown -R app /app' } }],
    output: null,
  },
  {
    name: 'an install RUN suppressed for this rule only reads the source: it stands between like any RUN',
    code: `${P}COPY . .\n# dockopt ignore=copy-before-install\n${INSTALL}RUN npm ci\n`,
    errors: [{ messageId: 'runBetween', line: 3, data: { install: 'npm ci', instruction: 'RUN pip install -r requirements.txt', instructionLine: 5 } }],
    output: null,
  },
];

// --- the fix ---------------------------------------------------------------------------------

const fixes: InvalidCase[] = [
  {
    name: 'copies the -r file to the same destination and moves COPY . . after the install (ha-ingestor admin-api)',
    code: [
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
    ].join('\n'),
    errors: [{ messageId: 'copyManifestsFirst', line: 9 }],
    output: [
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
    ].join('\n'),
  },
  {
    name: 'keeps the folder of a -r file: COPY reqs/dev.txt reqs/',
    code: `${P}COPY . .\nRUN pip install -r reqs/dev.txt\n`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY reqs/dev.txt reqs/\nRUN pip install -r reqs/dev.txt\nCOPY . .\n`,
  },
  {
    name: 'resolves an absolute -r path against an absolute destination without WORKDIR',
    code: 'FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD ["python", "/app/main.py"]\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 2 }],
    output: 'FROM python:3.12\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
  },
  {
    name: 'resolves the -r path against a WORKDIR set between the COPY and the install',
    code: `FROM python:3.12\nCOPY . /srv\nWORKDIR /srv/api\n${INSTALL}`,
    errors: [{ messageId: 'copyManifestsFirst', line: 2 }],
    output: `FROM python:3.12\nCOPY api/requirements.txt /srv/api/\nWORKDIR /srv/api\n${INSTALL}COPY . /srv\n`,
  },
  {
    name: 'expands ENV in WORKDIR and keeps the destination as written',
    code: 'FROM python:3.12\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOME\nCOPY . $APP_HOME/\nRUN pip install -r /srv/app/requirements.txt\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 4 }],
    output: 'FROM python:3.12\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOME\nCOPY requirements.txt $APP_HOME/\nRUN pip install -r /srv/app/requirements.txt\nCOPY . $APP_HOME/\n',
  },
  {
    name: 'keeps --chown (and --chmod, --link) on the manifest COPY',
    code: 'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node --link . .\nRUN npm ci\nUSER node\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node --link package*.json ./\nRUN npm ci\nCOPY --chown=node:node --link . .\nUSER node\n',
  },
  {
    name: 'copies the manifests of two installs (pip and npm) in one COPY and moves COPY . . after the last',
    code: `${P}COPY . .\n${INSTALL}RUN npm ci\nCMD ["python", "app.py"]\n`,
    errors: [
      {
        messageId: 'copyManifestsFirst',
        line: 3,
        data: { installs: '`pip install -r requirements.txt` (line 4) and `npm ci` (line 5)', installWord: 'installs', it: 'them', manifests: 'requirements.txt and package*.json' },
      },
    ],
    output: `${P}COPY requirements.txt package*.json ./\n${INSTALL}RUN npm ci\nCOPY . .\nCMD ["python", "app.py"]\n`,
  },
  {
    name: 'keeps CRLF line endings',
    code: 'FROM python:3.12\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install -r requirements.txt\r\nCMD ["python", "app.py"]\r\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM python:3.12\r\nWORKDIR /app\r\nCOPY requirements.txt .\r\nRUN pip install -r requirements.txt\r\nCOPY . .\r\nCMD ["python", "app.py"]\r\n',
  },
  {
    name: 'keeps the escape directive and a multi-line install RUN with backtick continuations',
    code: '# escape=`\r\nFROM python:3.12-windowsservercore\r\nWORKDIR C:\\app\r\nCOPY . .\r\nRUN pip install `\r\n    --no-cache-dir `\r\n    -r requirements.txt\r\nCMD ["python", "app.py"]\r\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 4 }],
    output: '# escape=`\r\nFROM python:3.12-windowsservercore\r\nWORKDIR C:\\app\r\nCOPY requirements.txt .\r\nRUN pip install `\r\n    --no-cache-dir `\r\n    -r requirements.txt\r\nCOPY . .\r\nCMD ["python", "app.py"]\r\n',
  },
  {
    name: 'moves a multi-line COPY whole, after a multi-line RUN with backslash continuations and a comment inside',
    code: [
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
    ].join('\n'),
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: [
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
    ].join('\n'),
  },
  {
    name: 'moves past instructions that do not read the source (ENV, USER, RUN apt-get, pip install of named packages)',
    code: `${P}COPY . .\nENV PYTHONUNBUFFERED=1\nRUN apt-get update && apt-get install -y libpq5\nRUN pip install --upgrade pip\n${INSTALL}EXPOSE 8000\n`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY requirements.txt .\nENV PYTHONUNBUFFERED=1\nRUN apt-get update && apt-get install -y libpq5\nRUN pip install --upgrade pip\n${INSTALL}COPY . .\nEXPOSE 8000\n`,
  },
  {
    name: 'moves COPY . . only past the dependency install when the project install follows',
    code: `${P}COPY . .\n${INSTALL}RUN pip install --no-deps -e .\n`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY requirements.txt .\n${INSTALL}COPY . .\nRUN pip install --no-deps -e .\n`,
  },
  {
    name: 'only moves COPY . . when the manifest is already copied before it',
    code: `${P}COPY requirements.txt .\n# the code\nCOPY . .\n${INSTALL}`,
    errors: [{ messageId: 'moveAfterInstall', line: 5, data: { installWord: 'install', itReads: 'it reads' } }],
    output: `${P}COPY requirements.txt .\n${INSTALL}# the code\nCOPY . .\n`,
  },
  {
    // BuildKit's COPY globs have `[...]` classes: `requirements[_.]txt` copies requirements.txt.
    name: 'only moves COPY . . when a COPY glob with a `[...]` class already copied the manifest',
    code: `${P}COPY requirements[_.]txt ./\nCOPY . .\n${INSTALL}`,
    options: { buildContext: contextWith(['requirements.txt']) },
    errors: [{ messageId: 'moveAfterInstall', line: 4, data: { installWord: 'install', itReads: 'it reads' } }],
    output: `${P}COPY requirements[_.]txt ./\n${INSTALL}COPY . .\n`,
  },
  {
    name: 'only moves COPY . . past two installs whose manifests are already copied',
    code: `${P}COPY requirements.txt package.json ./\nCOPY . .\n${INSTALL}RUN npm install\n`,
    options: { buildContext: contextWith(['requirements.txt', 'package.json']) },
    errors: [{ messageId: 'moveAfterInstall', line: 4, data: { installWord: 'installs', itReads: 'they read' } }],
    output: `${P}COPY requirements.txt package.json ./\n${INSTALL}RUN npm install\nCOPY . .\n`,
  },
  {
    name: 'does not copy what a bind mount provides',
    code: `${P}COPY . .\nRUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\n`,
    errors: [{ messageId: 'moveAfterInstall', line: 3 }],
    output: `${P}RUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\nCOPY . .\n`,
  },
  {
    name: 'follows a cd in the install RUN',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN cd web && npm ci\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 3, data: { manifests: 'web/package*.json' } }],
    output: 'FROM node:20\nWORKDIR /app\nCOPY web/package*.json web/\nRUN cd web && npm ci\nCOPY . .\n',
  },
  {
    name: 'reads a heredoc RUN and keeps a JSON-form COPY as written',
    code: `${P}COPY [".", "."]\nRUN <<EOF\nset -e\npip install -r requirements.txt\nEOF\nCMD ["python", "app.py"]\n`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY requirements.txt .\nRUN <<EOF\nset -e\npip install -r requirements.txt\nEOF\nCOPY [".", "."]\nCMD ["python", "app.py"]\n`,
  },
  {
    name: 'writes the manifest COPY in JSON form when the destination holds a space',
    code: 'FROM python:3.12\nCOPY [".", "/my app/"]\nRUN pip install -r "/my app/requirements.txt"\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 2 }],
    output: 'FROM python:3.12\nCOPY ["requirements.txt", "/my app/"]\nRUN pip install -r "/my app/requirements.txt"\nCOPY [".", "/my app/"]\n',
  },
  {
    name: 'copies a relative --find-links folder with the requirements file',
    code: `${P}COPY . .\nRUN pip install --no-index -r requirements.txt -f wheels\n`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY requirements.txt .\nCOPY wheels wheels/\nRUN pip install --no-index -r requirements.txt -f wheels\nCOPY . .\n`,
  },
  {
    name: 'writes COPY for an ADD . . and keeps the case of the keyword',
    code: 'from python:3.12\nworkdir /app\nadd . .\nrun pip install -r requirements.txt\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 3, data: { copy: 'ADD . .' } }],
    output: 'from python:3.12\nworkdir /app\ncopy requirements.txt .\nrun pip install -r requirements.txt\nadd . .\n',
  },
  {
    name: 'without a context scan, covers optional lockfiles with a wildcard',
    code: `${P}COPY . .\nRUN poetry install --no-root --only main\n`,
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY pyproject.toml poetry.lock* ./\nRUN poetry install --no-root --only main\nCOPY . .\n`,
  },
  {
    name: 'with a context scan, copies only the lockfiles and config files that exist',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
    options: { buildContext: contextWith(['package.json', 'package-lock.json', '.npmrc', 'src/index.js']) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3, data: { manifests: 'package.json, package-lock.json and .npmrc' } }],
    output: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json .npmrc ./\nRUN npm ci\nCOPY . .\n',
  },
  {
    name: 'with a context scan, leaves out files the .dockerignore excludes',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n',
    options: { buildContext: contextWith(['package.json', 'yarn.lock', '.npmrc'], '.npmrc\n') },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\n',
  },
  {
    name: 'with a context scan, copies uv.lock for uv sync --no-install-project and leaves the project sync after',
    code: `${P}COPY . .\nRUN uv sync --locked --no-install-project\nRUN uv sync --locked\n`,
    options: { buildContext: contextWith(['pyproject.toml', 'uv.lock', 'src/app/__init__.py']) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n`,
  },
  {
    name: 'with a context scan, puts manifests of another folder in their own COPY',
    code: 'FROM base\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && pnpm -C frontend install --frozen-lockfile\n',
    options: { buildContext: contextWith(['requirements.txt', 'frontend/package.json', 'frontend/pnpm-lock.yaml']) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output:
      'FROM base\nWORKDIR /app\nCOPY requirements.txt .\nCOPY frontend/package.json frontend/pnpm-lock.yaml frontend/\nRUN pip install -r requirements.txt && pnpm -C frontend install --frozen-lockfile\nCOPY . .\n',
  },
  {
    name: 'offers no fix for a pnpm workspace, whose members each have a manifest',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n',
    options: { buildContext: contextWith(['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'packages/a/package.json']) },
    errors: [{ messageId: 'installManifestsProblem', line: 3, data: { problem: "`pnpm install` installs a workspace (pnpm-workspace.yaml), so it reads every member's manifest" } }],
    output: null,
  },
  {
    name: 'go mod download: copies go.mod and go.sum, leaves go build after the source',
    code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /bin/app ./cmd/app\n',
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\nRUN go build -o /bin/app ./cmd/app\n',
  },
];

// --- comments above the broad COPY move with it --------------------------------------------

// A suppression comment stays on the instruction it suppresses: the broad COPY (checked below).
const SUPPRESSION_MOVED = `${P}COPY requirements.txt .\n${INSTALL}# the code\n# dockopt ignore=pip-cache-mount\nCOPY . .\n`;

// [what, the broad COPY's line, before, after, the message when not copyManifestsFirst]
const comments: InvalidCase[] = (
  [
    ['one comment line', 4, `${P}# Copy everything, then install\nCOPY . .\n${INSTALL}CMD ["python", "app.py"]\n`, `${P}COPY requirements.txt .\n${INSTALL}# Copy everything, then install\nCOPY . .\nCMD ["python", "app.py"]\n`],
    ['two comment lines', 5, `${P}# the source\n# (see .dockerignore)\nCOPY . .\n${INSTALL}`, `${P}COPY requirements.txt .\n${INSTALL}# the source\n# (see .dockerignore)\nCOPY . .\n`],
    ['a comment separated by a blank line stays', 5, `${P}# Application\n\nCOPY . .\n${INSTALL}`, `${P}# Application\n\nCOPY requirements.txt .\n${INSTALL}COPY . .\n`],
    ['only the lines below the blank line move', 6, `${P}# Application\n\n# the source\nCOPY . .\n${INSTALL}`, `${P}# Application\n\nCOPY requirements.txt .\n${INSTALL}# the source\nCOPY . .\n`],
    ['a comment above the install stays with the install', 3, `${P}COPY . .\n# dependencies\n${INSTALL}`, `${P}COPY requirements.txt .\n# dependencies\n${INSTALL}COPY . .\n`],
    ['a comment above what follows the install stays there', 4, `${P}# code\nCOPY . .\n${INSTALL}# run it\nCMD ["python", "app.py"]\n`, `${P}COPY requirements.txt .\n${INSTALL}# code\nCOPY . .\n# run it\nCMD ["python", "app.py"]\n`],
    [
      'CRLF, indentation and a continuation kept',
      5,
      'FROM python:3.12\r\nWORKDIR /app\r\n  # the source\r\n\t# all of it\r\n  COPY --chown=app:app \\\r\n    . .\r\nRUN pip install \\\r\n    -r requirements.txt\r\nUSER app\r\n',
      'FROM python:3.12\r\nWORKDIR /app\r\n  COPY --chown=app:app requirements.txt .\r\nRUN pip install \\\r\n    -r requirements.txt\r\n  # the source\r\n\t# all of it\r\n  COPY --chown=app:app \\\r\n    . .\r\nUSER app\r\n',
    ],
    ['when only the COPY moves (manifest already copied), its comment does not land on the install', 5, `${P}COPY requirements.txt .\n# the code\nCOPY . .\n${INSTALL}`, `${P}COPY requirements.txt .\n${INSTALL}# the code\nCOPY . .\n`, 'moveAfterInstall'],
    ["a heredoc body above is the RUN's, not a comment", 7, `${P}RUN <<EOF\n# inside\nEOF\n# the code\nCOPY . .\n${INSTALL}`, `${P}RUN <<EOF\n# inside\nEOF\nCOPY requirements.txt .\n${INSTALL}# the code\nCOPY . .\n`],
    ['a file-wide suppression stays where it is', 5, `${P}# dockopt global ignore=pip-no-cache-dir\n# the code\nCOPY . .\n${INSTALL}`, `${P}# dockopt global ignore=pip-no-cache-dir\nCOPY requirements.txt .\n${INSTALL}# the code\nCOPY . .\n`],
    [
      'the escape directive and the comments above FROM stay',
      5,
      '# escape=`\n# image for the API\nFROM python:3.12\n# the code\nCOPY . .\nRUN pip install `\n  -r requirements.txt\n',
      '# escape=`\n# image for the API\nFROM python:3.12\nCOPY requirements.txt .\nRUN pip install `\n  -r requirements.txt\n# the code\nCOPY . .\n',
    ],
    ['a suppression comment stays on the instruction it suppresses: the broad COPY', 6, `${P}COPY requirements.txt .\n# the code\n# dockopt ignore=pip-cache-mount\nCOPY . .\n${INSTALL}`, SUPPRESSION_MOVED, 'moveAfterInstall'],
  ] as Array<[string, number, string, string, string?]>
).map(([name, line, code, output, messageId = 'copyManifestsFirst']) => ({
  name: `comments: ${name}`,
  code,
  errors: [{ messageId, line }],
  output,
}));

// --- requirements files that include others -------------------------------------------------

const REQUIREMENTS_PROD = `${P}COPY . .\nRUN pip install -r requirements/prod.txt\n`;

const includes: InvalidCase[] = [
  // pip reads every option from PIP_<OPTION> too: PIP_CONSTRAINT is -c, and its file comes along.
  ...[
    ['an absolute path', 'ENV PIP_CONSTRAINT=/app/constraints.txt\n'],
    ['a relative path, and a URL beside it', 'ENV PIP_CONSTRAINT="constraints.txt https://example.com/c.txt"\n'],
  ].map(([what, env]) => ({
    name: `copies the file PIP_CONSTRAINT names (${what})`,
    code: `FROM python:3.12-slim\n${env}WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n`,
    options: { buildContext: contextWith({ 'requirements.txt': 'flask\n', 'constraints.txt': 'werkzeug<4\n', 'app.py': '' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 4 }],
    output: `FROM python:3.12-slim\n${env}WORKDIR /app\nCOPY requirements.txt constraints.txt ./\nRUN pip install -r requirements.txt\nCOPY . .\n`,
  })),
  {
    name: 'copies the file PIP_CONSTRAINT names on the command itself',
    code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN PIP_CONSTRAINT=constraints.txt pip install -r requirements.txt\n',
    options: { buildContext: contextWith({ 'requirements.txt': 'flask\n', 'constraints.txt': 'werkzeug<4\n', 'app.py': '' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt constraints.txt ./\nRUN PIP_CONSTRAINT=constraints.txt pip install -r requirements.txt\nCOPY . .\n',
  },
  {
    name: 'copies the wheel folder PIP_FIND_LINKS names on the command, as -f ./wheels',
    code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN PIP_FIND_LINKS=./wheels pip install -r requirements.txt\n',
    options: { buildContext: contextWith({ 'requirements.txt': 'flask\n', 'wheels/flask-3.0-py3-none-any.whl': '', 'app.py': '' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY wheels wheels/\nRUN PIP_FIND_LINKS=./wheels pip install -r requirements.txt\nCOPY . .\n',
  },
  {
    name: 'offers no fix when PIP_CONSTRAINT names a file the context does not send',
    code: 'FROM python:3.12-slim\nENV PIP_CONSTRAINT=/app/constraints.txt\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n',
    options: { buildContext: contextWith({ 'requirements.txt': 'flask\n', 'app.py': '' }) },
    errors: [{ messageId: 'installManifestsProblem', line: 4, data: { problem: '`pip install -r requirements.txt` reads /app/constraints.txt, which the build context does not send' } }],
    output: null,
  },
  {
    name: 'UV_CONSTRAINT for uv pip install; PIP_CONSTRAINT does not concern uv',
    code: 'FROM python:3.12-slim\nENV UV_CONSTRAINT=constraints.txt PIP_CONSTRAINT=pip-only.txt\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system -r requirements.txt\n',
    options: { buildContext: contextWith({ 'requirements.txt': 'flask\n', 'constraints.txt': 'werkzeug<4\n', 'pip-only.txt': '', 'app.py': '' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 4 }],
    output: 'FROM python:3.12-slim\nENV UV_CONSTRAINT=constraints.txt PIP_CONSTRAINT=pip-only.txt\nWORKDIR /app\nCOPY requirements.txt constraints.txt ./\nRUN uv pip install --system -r requirements.txt\nCOPY . .\n',
  },
  {
    name: 'copies the files a -r file includes, transitively, relative to the including file',
    code: REQUIREMENTS_PROD,
    options: {
      buildContext: contextWith({
        'requirements/prod.txt': '-r base.txt\n# pinned\ngunicorn==22.0\n',
        'requirements/base.txt': '--constraint ../constraints.txt\nflask==3.0  # web\n',
        'constraints.txt': 'werkzeug<4\n',
        'app.py': 'print(1)\n',
      }),
    },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY requirements/prod.txt requirements/base.txt requirements/\nCOPY constraints.txt .\nRUN pip install -r requirements/prod.txt\nCOPY . .\n`,
  },
  {
    name: 'offers no fix when an included file installs from the source (-e .)',
    code: REQUIREMENTS_PROD,
    options: { buildContext: contextWith({ 'requirements/prod.txt': '-r base.txt\n', 'requirements/base.txt': 'flask\n-e .\n', 'setup.py': '' }) },
    errors: [{ messageId: 'installManifestsProblem', line: 3, data: { problem: "`pip install -r requirements/prod.txt` reads requirements/base.txt, which installs from the project's files (-e .)" } }],
    output: null,
  },
  {
    name: 'before the scan, copies the requirements files a -r file includes (read from the context)',
    code: `${P}COPY . .\n${INSTALL}`,
    options: { buildContext: unscanned({ 'requirements.txt': '-r requirements-base.txt\ngunicorn\n', 'requirements-base.txt': 'flask\n' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `${P}COPY requirements.txt requirements-base.txt ./\n${INSTALL}COPY . .\n`,
  },
  {
    name: 'copies the include of a requirements file that was copied before the broad COPY',
    code: `${P}COPY requirements.txt .\nCOPY . .\n${INSTALL}`,
    options: { buildContext: contextWith({ 'requirements.txt': '-r base.txt\n', 'base.txt': 'flask\n' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 4 }],
    output: `${P}COPY requirements.txt .\nCOPY base.txt .\n${INSTALL}COPY . .\n`,
  },
];

// --- manifests that make the install read more ----------------------------------------------

// [what, the context's files, the install RUN, why (manifest-copies.ts words it)]: no fix, scanned or not.
const readsMore: InvalidCase[] = (
  [
    ['a file: dependency', { 'package.json': '{"dependencies":{"shared":"file:../shared","express":"^4"}}' }, 'npm ci', 'package.json takes shared from a local folder (`file:../shared`), which `npm ci` reads'],
    ['a link: dependency', { 'package.json': '{"devDependencies":{"tools":"link:./tools"}}', 'pnpm-lock.yaml': '' }, 'pnpm install --frozen-lockfile', 'package.json takes tools from a local folder (`link:./tools`), which `pnpm install` reads'],
    ['a relative-path dependency', { 'package.json': '{"optionalDependencies":{"x":"./vendor/x"}}' }, 'npm install', 'package.json takes x from a local folder (`./vendor/x`), which `npm install` reads'],
    [
      'pnpm patched dependencies',
      { 'package.json': '{"pnpm":{"patchedDependencies":{"left-pad@1.3.0":"patches/left-pad@1.3.0.patch"}}}', 'pnpm-lock.yaml': '', 'patches/left-pad@1.3.0.patch': '' },
      'pnpm install --frozen-lockfile',
      'package.json patches dependencies with files of the project (pnpm.patchedDependencies: `patches/left-pad@1.3.0.patch`), which `pnpm install` reads',
    ],
    ['a pnpm workspace before the scan', { 'package.json': '{}', 'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n' }, 'pnpm install', "`pnpm install` installs a workspace (pnpm-workspace.yaml), so it reads every member's manifest"],
    [
      'a uv workspace',
      { 'pyproject.toml': '[project]\nname = "root"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n', 'uv.lock': '' },
      'uv sync --locked --no-install-project',
      "pyproject.toml declares a uv workspace ([tool.uv.workspace]), so `uv sync` reads every member's pyproject.toml",
    ],
    ['a uv path source', { 'pyproject.toml': '[project]\nname = "app"\n[tool.uv.sources]\nlib = { path = "libs/lib", editable = true }\n' }, 'uv sync --no-install-project', 'pyproject.toml takes a dependency from a local folder (path = "libs/lib"), which `uv sync` reads'],
    ['a uv workspace source', { 'pyproject.toml': '[tool.uv.sources]\nlib = { workspace = true }\n' }, 'uv sync --no-install-project', 'pyproject.toml takes a dependency from the workspace (lib = { workspace = true }), so `uv sync` reads its members'],
    ['a Poetry path dependency', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nmylib = { path = "../mylib", develop = true }\n' }, 'poetry install --no-root', 'pyproject.toml takes a dependency from a local folder (path = "../mylib"), which `poetry install` reads'],
    ['a Poetry group path dependency', { 'pyproject.toml': '[tool.poetry.group.dev.dependencies]\ntools = {path="tools"}\n' }, 'poetry install --no-root', 'pyproject.toml takes a dependency from a local folder (path = "tools"), which `poetry install` reads'],
    ['a Poetry dependency table with a path', { 'pyproject.toml': '[tool.poetry.dependencies.mylib]\npath = "libs/mylib"\n' }, 'poetry install --no-root', 'pyproject.toml takes a dependency from a local folder (path = "libs/mylib"), which `poetry install` reads'],
    ['a PEP 508 file URL', { 'pyproject.toml': '[project]\ndependencies = [\n  "lib @ file:///app/libs/lib",\n]\n' }, 'uv sync --no-install-project', 'pyproject.toml takes a dependency from a local file ("lib @ file:///app/libs/lib"), which `uv sync` reads'],
    [
      'a Pipfile path package',
      { Pipfile: '[packages]\nflask = "*"\napp = {path = ".", editable = true}\n\n[requires]\npython_version = "3.12"\n' },
      'pipenv install --deploy --system',
      'Pipfile installs a package from a local folder (path = "."), which `pipenv install` reads',
    ],
    ['a local path in the requirements file', { 'requirements.txt': 'flask\n./libs/util\n' }, 'pip install -r requirements.txt', "`pip install -r requirements.txt` reads requirements.txt, which installs from the project's files (./libs/util)"],
    ['a file URL in the requirements file', { 'requirements.txt': 'util @ file:///app/libs/util\n' }, 'pip install -r requirements.txt', "`pip install -r requirements.txt` reads requirements.txt, which installs from the project's files (util @ file:///app/libs/util)"],
    ['a --find-links folder in the requirements file', { 'requirements.txt': '--find-links ./wheels\nflask\n' }, 'pip install -r requirements.txt', "`pip install -r requirements.txt` reads requirements.txt, which installs from the project's files (--find-links ./wheels)"],
    ['a go.mod replace with a local folder', { 'go.mod': 'module x\n\nreplace example.com/lib => ../lib\n', 'go.sum': '' }, 'go mod download', 'go.mod replaces a module with a local folder (=> ../lib), which `go mod download` reads'],
    ['a Gemfile that names the gemspec', { Gemfile: 'source "https://rubygems.org"\ngemspec\n' }, 'bundle install', "Gemfile names the project's gemspec (`gemspec`), which `bundle install` reads"],
    ['a Gemfile path gem', { Gemfile: 'gem "util", path: "vendor/util"\n' }, 'bundle install', 'Gemfile installs a gem from a local folder (path: "vendor/util"), which `bundle install` reads'],
    [
      'a composer path repository',
      { 'composer.json': '{"repositories":[{"type":"path","url":"packages/*"}]}' },
      'composer install --no-scripts --no-autoloader',
      'composer.json installs from a local folder (a "path" repository: packages/*), which `composer install` reads',
    ],
  ] as Array<[string, Record<string, string>, string, string]>
).flatMap(([what, files, install, problem]) =>
  [
    ['scanned', contextWith(files)],
    ['before the scan', unscanned(files)],
  ].map(([when, buildContext]) => ({
    name: `no fix for ${what} (${when})`,
    code: `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`,
    options: { buildContext: buildContext as BuildContext },
    errors: [{ messageId: 'installManifestsProblem', line: 3, data: { problem } }],
    output: null,
  })),
);

const NPM = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';

const manifestsRead: InvalidCase[] = [
  ...readsMore,
  {
    name: 'reads a manifest copied before the broad COPY too (moving it alone would still break a workspace)',
    code: 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN npm ci\n',
    options: { buildContext: contextWith({ 'package.json': '{"workspaces":["packages/*"]}', 'packages/a/package.json': '{"name":"a"}' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 4, data: { manifests: 'packages/a/package.json' } }],
    output: 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY packages/a/package.json packages/a/\nRUN npm ci\nCOPY . .\n',
  },
  {
    name: 'an install script may read more: the fix is offered, not applied unread',
    code: NPM,
    options: { buildContext: contextWith({ 'package.json': '{"scripts":{"postinstall":"patch-package","build":"tsc"}}', 'package-lock.json': '{}' }) },
    errors: [
      {
        messageId: 'copyManifestsFirstUnsure',
        line: 3,
        data: { manifests: 'package.json and package-lock.json', unsure: 'package.json runs a `postinstall` script at install (`patch-package`), which may read other files' },
      },
    ],
    output: null,
  },
  {
    name: 'with --ignore-scripts the install scripts do not run: the fix is preferred',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --ignore-scripts\n',
    options: { buildContext: contextWith({ 'package.json': '{"scripts":{"prepare":"husky install"}}' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM node:20\nWORKDIR /app\nCOPY package.json .\nRUN npm ci --ignore-scripts\nCOPY . .\n',
  },
  {
    name: 'without a build context the manifests cannot be read: the fix is offered, not applied unread',
    code: NPM,
    options: { buildContext: undefined },
    errors: [
      {
        messageId: 'copyManifestsFirstUnsure',
        line: 3,
        data: { unsure: "dockopt cannot read the project's files here, so it cannot check that `npm ci` needs only its manifests (no workspace, local dependency, included file or install script)" },
      },
    ],
    output: null,
  },
  {
    name: 'without a build context, a COPY that only moves is not applied unread either',
    code: `${P}COPY requirements.txt .\nCOPY . .\n${INSTALL}`,
    options: { buildContext: undefined },
    errors: [{ messageId: 'moveAfterInstallUnsure', line: 4 }],
    output: null,
  },
  // Manifests that name nothing else: the split is preferred. [what, the context's files, the install, the manifest COPY]
  ...(
    [
      ['package.json with registry dependencies and a build script', { 'package.json': '{"dependencies":{"express":"^4.19.0","lib":"github:me/lib"},"scripts":{"build":"tsc","start":"node ."}}' }, 'npm ci', 'COPY package.json .'],
      ['an empty workspaces list', { 'package.json': '{"workspaces":[]}', 'yarn.lock': '' }, 'yarn install', 'COPY package.json yarn.lock ./'],
      [
        'Poetry dependencies from an index, and a path in another tool’s table',
        { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = { version = "^2.31", extras = ["socks"] }\n[tool.coverage.run]\npath = "src"\n', 'poetry.lock': '' },
        'poetry install --no-root',
        'COPY pyproject.toml poetry.lock ./',
      ],
      [
        'a Pipfile with a [requires] section',
        { Pipfile: '[[source]]\nurl = "https://pypi.org/simple"\n[packages]\nflask = "*"\n[requires]\npython_version = "3.12"\n', 'Pipfile.lock': '{}' },
        'pipenv install --deploy --system',
        'COPY Pipfile Pipfile.lock ./',
      ],
      ['a go.mod that replaces with another module version', { 'go.mod': 'module x\nreplace example.com/a => example.com/b v1.2.3\n', 'go.sum': '' }, 'go mod download', 'COPY go.mod go.sum ./'],
    ] as Array<[string, Record<string, string>, string, string]>
  ).map(([what, files, install, copyLine]) => ({
    name: `preferred fix for ${what}`,
    code: `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${install}\n`,
    options: { buildContext: contextWith(files) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: `FROM base\nWORKDIR /app\n${copyLine}\nRUN ${install}\nCOPY . .\n`,
  })),
];

// --- npm and yarn workspaces -----------------------------------------------------------------

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
const DECLARES = 'package.json declares workspaces ("packages/*", "apps/web"), so `npm ci` reads every member\'s package.json';

const workspaces: InvalidCase[] = [
  {
    name: 'copies each member manifest to its own folder, resolved from the context (and only members)',
    code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "apps/web"]\n',
    options: { buildContext: contextWith(WORKSPACE) },
    errors: [{ messageId: 'copyManifestsFirst', line: 3, data: { manifests: 'package.json, package-lock.json, apps/web/package.json, packages/ui/package.json and packages/util/package.json' } }],
    output: [
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
  },
  {
    name: 'keeps the destination and flags for the member COPYs (yarn, object form, absolute destination)',
    code: 'FROM node:20\nCOPY --chown=node:node . /srv/app\nWORKDIR /srv/app\nRUN yarn install --frozen-lockfile\n',
    options: { buildContext: contextWith({ 'package.json': '{"workspaces":{"packages":["libs/*"]}}', 'yarn.lock': '', 'libs/a/package.json': '{}' }) },
    errors: [{ messageId: 'copyManifestsFirst', line: 2 }],
    output:
      'FROM node:20\nCOPY --chown=node:node package.json yarn.lock /srv/app/\nCOPY --chown=node:node libs/a/package.json /srv/app/libs/a/\nWORKDIR /srv/app\nRUN yarn install --frozen-lockfile\nCOPY --chown=node:node . /srv/app\n',
  },
  {
    name: 'a member install script makes the split an assumption',
    code: NPM,
    options: { buildContext: contextWith({ ...WORKSPACE, 'packages/ui/package.json': '{"scripts":{"prepare":"tsc -p ."}}' }) },
    errors: [{ messageId: 'copyManifestsFirstUnsure', line: 3, data: { unsure: 'packages/ui/package.json runs a `prepare` script at install (`tsc -p .`), which may read other files' } }],
    output: null,
  },
  // [what, changes to the workspace's files, why]: no fix.
  ...(
    [
      ['a pattern it does not resolve', { 'package.json': '{"workspaces":["packages/**"]}' }, 'package.json declares workspaces ("packages/**"), so `npm ci` reads every member\'s package.json, and dockopt resolves only plain patterns (`packages/*`, `apps/web`)'],
      ['a negated pattern', { 'package.json': '{"workspaces":["packages/*","!packages/old"]}' }, 'package.json declares workspaces ("packages/*", "!packages/old"), so `npm ci` reads every member\'s package.json, and dockopt resolves only plain patterns (`packages/*`, `apps/web`)'],
      ['a member taking a folder outside the workspace', { 'packages/ui/package.json': '{"dependencies":{"x":"file:../../vendor/x"}}' }, 'packages/ui/package.json takes x from a folder outside the workspace (`file:../../vendor/x`), which `npm ci` reads'],
      ['a root taking a folder outside the workspace', { 'package.json': '{"workspaces":["packages/*"],"devDependencies":{"cfg":"file:./config"}}' }, 'package.json takes cfg from a folder outside the workspace (`file:./config`), which `npm ci` reads'],
      ['a member with workspaces of its own', { 'packages/ui/package.json': '{"workspaces":["x/*"]}' }, `${DECLARES}, and packages/ui/package.json declares workspaces of its own`],
      ['more members than it copies one by one', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`packages/p${i}/package.json`, '{}'])), `${DECLARES}: 14 of them, more than dockopt copies one by one (10)`],
    ] as Array<[string, Record<string, string>, string]>
  ).map(([what, changes, problem]) => ({
    name: `no fix for ${what}`,
    code: NPM,
    options: { buildContext: contextWith({ ...WORKSPACE, ...changes }) },
    errors: [{ messageId: 'installManifestsProblem', line: 3, data: { problem } }],
    output: null,
  })),
  {
    name: 'no fix before the scan: the members are not known yet',
    code: NPM,
    options: { buildContext: unscanned(WORKSPACE) },
    errors: [{ messageId: 'installManifestsProblem', line: 3, data: { problem: `${DECLARES}, and the context's files are not listed yet` } }],
    output: null,
  },
  {
    name: 'leaves out members the .dockerignore excludes (BuildKit does not send them either)',
    code: NPM,
    options: { buildContext: contextWith({ 'package.json': '{"workspaces":["packages/*"]}', 'packages/a/package.json': '{}', 'packages/b/package.json': '{}' }, 'packages/b\n') },
    errors: [{ messageId: 'copyManifestsFirst', line: 3 }],
    output: 'FROM node:20\nWORKDIR /app\nCOPY package.json .\nCOPY packages/a/package.json packages/a/\nRUN npm ci\nCOPY . .\n',
  },
];

// --- files another stage puts in place after COPY . . are not the source ---------------------

const stageWheels = (install: string) =>
  'FROM python:3.12 AS build\nWORKDIR /app\nCOPY . .\nRUN pip wheel --wheel-dir /wheels . && python -m build\n\n' +
  'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCOPY --from=build /app/dist/*.whl .\nCOPY --from=build /wheels/ /wheels/\n' +
  `RUN ${install}\n`;
const PYTHON_PROJECT = { buildContext: contextWith(['pyproject.toml', 'x/__init__.py']) };
// The build stage's own COPY . . (line 3) is reported: `pip wheel .` builds the project from the source.
const BUILD_STAGE_FINDING = { messageId: 'installsProjectFromSource', line: 3, data: { label: 'pip wheel /wheels .' } };

const fromStage: InvalidCase[] = [
  {
    name: 'an install of wheels copied from the build stage (--no-index) gets no finding on the runtime COPY . .',
    code: stageWheels('pip install *.whl /wheels/* --no-index --find-links=/wheels/'),
    options: PYTHON_PROJECT,
    errors: [BUILD_STAGE_FINDING],
    output: null,
  },
  {
    name: 'control: without the stage copy, *.whl in the COPY . . folder is the source',
    code: stageWheels('pip install *.whl').replace('COPY --from=build /app/dist/*.whl .\n', ''),
    options: PYTHON_PROJECT,
    errors: [BUILD_STAGE_FINDING, { messageId: 'installsProjectFromSource', line: 8, data: { path: '*.whl' } }],
    output: null,
  },
  {
    name: 'control: a stage copy into the folder COPY . . fills does not hide `pip install .`',
    code: 'FROM node:20 AS web\nWORKDIR /w\nRUN echo > x\n\nFROM python:3.12\nWORKDIR /app\nCOPY . .\nCOPY --from=web /w/ /app/\nRUN pip install .\n',
    options: PYTHON_PROJECT,
    errors: [{ messageId: 'installsProjectFromSource', line: 7, data: { path: '.' } }],
    output: null,
  },
];

runRuleTests(rule, {
  valid: valid.map((c) => ({ ...c, options: withDefaults(c.options) })),
  invalid: [...fires, ...needsSource, ...between, ...fixes, ...comments, ...includes, ...manifestsRead, ...workspaces, ...fromStage].map((c) => ({ ...c, options: withDefaults(c.options) })),
});

// --- what a table cannot show ----------------------------------------------------------------

test('copy-before-install: the messages read in full', () => {
  const cases: Array<[string, RuleTestOptions | undefined, string]> = [
    [
      'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --user -r requirements-prod.txt\n',
      undefined,
      'COPY . . before `pip install -r requirements-prod.txt` (line 4): every code change re-runs the install. Copy requirements-prod.txt first and the rest after it.',
    ],
    [
      `${P}COPY . .\n${INSTALL}RUN npm ci\n`,
      undefined,
      'COPY . . before `pip install -r requirements.txt` (line 4) and `npm ci` (line 5): every code change re-runs the installs. Copy requirements.txt and package*.json first and the rest after them.',
    ],
    [
      `${P}COPY requirements.txt package.json ./\nCOPY . .\n${INSTALL}RUN npm install\n`,
      { buildContext: contextWith(['requirements.txt', 'package.json']) },
      'COPY . . before `pip install -r requirements.txt` (line 5) and `npm install` (line 6): every code change re-runs the installs. Move it after the installs: what they read is already in place.',
    ],
    [
      NPM,
      { buildContext: contextWith({ 'package.json': '{"scripts":{"postinstall":"patch-package","build":"tsc"}}', 'package-lock.json': '{}' }) },
      'COPY . . before `npm ci` (line 4): every code change re-runs the install. Copy package.json and package-lock.json first and the rest after it. ' +
        'But package.json runs a `postinstall` script at install (`patch-package`), which may read other files: the fix is not applied automatically.',
    ],
    [
      `${P}COPY . .\nRUN make\n${INSTALL}`,
      undefined,
      'COPY . . before `pip install -r requirements.txt` (line 5): every code change re-runs the install. Copy requirements.txt first and the rest after it. No automatic fix: `RUN make` (line 4) runs between them and may need the source.',
    ],
    [
      'FROM base\nWORKDIR /app\nCOPY . .\nRUN pip install .\n',
      undefined,
      'COPY . . before `pip install .` (line 4): every code change re-runs the install, and dockopt cannot move the COPY for you: `pip install .` installs the project from the source (`.`). ' +
        `${ADVICE}.`,
    ],
    [
      'FROM base\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n',
      undefined,
      'COPY . . before `npm ci` (line 4): every code change re-runs the install, and dockopt cannot move the COPY for you: the same RUN then runs `npm run build`, which may need the source. ' +
        'Split it: install in one RUN before COPY . ., and run the rest in another after it.',
    ],
    [
      'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --workspace a\n',
      undefined,
      'COPY . . before `npm ci` (line 4): every code change re-runs the install, and dockopt cannot move the COPY for you: with --workspace, `npm ci` reads manifests dockopt cannot list.',
    ],
  ];
  for (const [text, options, message] of cases) assert.equal(only(text, options).message, message);
});

test('copy-before-install: a split that assumes something is offered, not preferred, and its title says what it assumes', () => {
  const withScript = only(NPM, { buildContext: contextWith({ 'package.json': '{"scripts":{"postinstall":"patch-package","build":"tsc"}}', 'package-lock.json': '{}' }) });
  assert.equal(withScript.fixes[0].isPreferred, false);
  assert.equal(withScript.fixes[0].title, 'Copy package.json and package-lock.json first, COPY . . after the install (assumes the postinstall script needs only the manifests)');
  const unread = only(NPM, { buildContext: undefined });
  assert.equal(unread.fixes[0].isPreferred, false);
  assert.match(unread.fixes[0].title, /\(assumes the install reads nothing but these files\)$/);
  assert.equal(only(NPM, { buildContext: contextWith({ ...WORKSPACE, 'packages/ui/package.json': '{"scripts":{"prepare":"tsc -p ."}}' }) }).fixes[0].isPreferred, false);
});

test('copy-before-install: the preferred split is titled by what it copies', () => {
  const finding = only('FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n');
  assert.deepEqual(finding.fixes.map((f) => [f.title, f.isPreferred]), [['Copy requirements.txt first, COPY . . after the install', true]]);
  const moveOnly = only(`${P}COPY requirements.txt .\nCOPY . .\n${INSTALL}`);
  assert.deepEqual(moveOnly.fixes.map((f) => [f.title, f.isPreferred]), [['Move COPY . . after the install', true]]);
});

test('copy-before-install: the fix edits only the Dockerfile it reports on', () => {
  const finding = only('FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n', { path: '/w/svc/Dockerfile' });
  assert.deepEqual(finding.fixes[0].changes.map((c) => c.path), ['/w/svc/Dockerfile']);
});

test('copy-before-install: a suppression comment moved with the broad COPY still suppresses on it', () => {
  // Left behind, it would have landed on the install and silenced pip-cache-mount there.
  const model = parseDockerfile(SUPPRESSION_MOVED);
  const suppressed = model.instructions.filter((i) => i.ignored.has('pip-cache-mount')).map((i) => model.text.slice(i.startOffset, i.endOffset));
  assert.deepEqual(suppressed, ['COPY . .']);
});

test('copy-before-install: findings with no fix carry none', () => {
  for (const text of ['FROM base\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', `${P}COPY . .\nRUN make\n${INSTALL}`]) assert.deepEqual(only(text).fixes, []);
});
