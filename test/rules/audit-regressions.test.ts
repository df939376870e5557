/**
 * Defect classes found by the real-world audit (docs/accuracy.md) that no other test covers yet.
 * Each fixture is written for this file: it reproduces the shape of the defect, not any
 * project's Dockerfile. A test marked `todo` documents a gap the rule still has; it runs and
 * reports, but does not fail the suite. Remove the `todo` when the rule passes it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import balena from '@balena/dockerignore';
import { rule as dockerignoreMissing } from '../../server/src/rules/dockerignore-missing';
import { createPythonBaseVersionRule } from '../../server/src/rules/python-base-version';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { check, runRuleTests, type RuleTestOptions } from '../helpers/rule-tester';
import { preferred, workspace } from './dockerignore-workspace';

// --- python-base-version ------------------------------------------------------------------

const pythonRule = createPythonBaseVersionRule({ today: () => new Date('2026-01-15T12:00:00Z') });

/** A build of `dockerfile` (under /work/app) whose context holds these files and states no Python version. */
function pythonProject(files: Record<string, string>, dockerfile = 'Dockerfile'): { path: string; buildContext: BuildContext } {
  return {
    path: `/work/app/${dockerfile}`,
    buildContext: {
      dockerfilePath: `/work/app/${dockerfile}`,
      contextDir: '/work/app',
      source: 'dockerfile-folder',
      ignoreFile: { path: '/work/app/.dockerignore', kind: 'context-root', exists: false },
      scan: { files: Object.keys(files).map((path) => ({ path, size: 10 })), truncated: false },
      readFile: (path: string) => (Object.hasOwn(files, path) ? files[path] : undefined),
    },
  };
}

const APP_ONLY: RuleTestOptions = pythonProject({ 'Dockerfile': '', 'app.py': 'print(1)\n' });

describe('audit: python-base-version must not auto-upgrade a Dockerfile that depends on its Python version', () => {
  const SETUP_PROJECT = pythonProject({ 'Dockerfile': '', 'setup.py': 'from setuptools import setup\nsetup(name="x")\n' });
  runRuleTests(pythonRule, {
    valid: [],
    invalid: [
      {
        name: 'control: two stages without version-named paths are both upgraded',
        code: 'FROM python:3.10-slim AS build\nRUN pip install --prefix=/install flask\nFROM python:3.10-slim\nCOPY --from=build /install /usr/local\n',
        options: APP_ONLY,
        errors: [{ messageId: 'olderThanTarget', line: 1 }, { messageId: 'olderThanTarget', line: 3 }],
        output: 'FROM python:3.12-slim AS build\nRUN pip install --prefix=/install flask\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n',
      },
      {
        // A path built from the same ARG as the tag stays consistent when the ARG default changes.
        name: 'control: a site-packages path spelled with the version ARG follows the ARG',
        code: 'ARG PYTHON_VERSION=3.10\nFROM python:${PYTHON_VERSION}-slim\nRUN ln -s /usr/local/lib/python${PYTHON_VERSION}/site-packages/app /app\n',
        options: APP_ONLY,
        errors: [{ messageId: 'olderThanTarget', line: 2 }],
        output: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\nRUN ln -s /usr/local/lib/python${PYTHON_VERSION}/site-packages/app /app\n',
      },
      {
        name: 'fires, with no automatic fix, when an instruction names the old version in a path (python3.10/site-packages)',
        code: 'FROM python:3.10-slim AS build\nRUN pip install --prefix=/install flask\nFROM python:3.10-slim\nCOPY --from=build /install/lib/python3.10/site-packages /usr/local/lib/python3.10/site-packages\n',
        options: APP_ONLY,
        errors: [{ messageId: 'olderThanTarget', line: 1 }, { messageId: 'olderThanTarget', line: 3 }],
        output: null,
      },
      {
        name: 'fires on python:3.6, with no automatic fix, when a RUN calls a tool the newer Python removed (pyvenv)',
        code: 'FROM python:3.6-alpine\nRUN pyvenv /venv && /venv/bin/pip install gunicorn\n',
        options: APP_ONLY,
        errors: [{ messageId: 'pastEndOfLife', line: 1 }],
        output: null,
      },
      {
        name: 'no automatic fix when a RUN runs setup.py directly (python:3.12 images ship no setuptools)',
        code: 'FROM python:3.10\nWORKDIR /src\nCOPY . /src\nRUN python setup.py install\n',
        options: SETUP_PROJECT,
        errors: [{ messageId: 'olderThanTarget', line: 1 }],
        output: null,
      },
      {
        name: 'control: pip install . (build isolation brings setuptools) is upgraded',
        code: 'FROM python:3.10\nWORKDIR /src\nCOPY . /src\nRUN pip install .\n',
        options: SETUP_PROJECT,
        errors: [{ messageId: 'olderThanTarget', line: 1 }],
        output: 'FROM python:3.12\nWORKDIR /src\nCOPY . /src\nRUN pip install .\n',
      },
    ],
  });
});

describe('audit: python-base-version reads a requires-python with a pre-release bound', () => {
  const code = 'FROM python:3.11-slim\nCOPY pyproject.toml .\nRUN pip install .\n';
  runRuleTests(pythonRule, {
    valid: [],
    invalid: [
      ['">= 3.11, < 3.13.0a1" allows 3.12: the upgrade is applied', '>= 3.11, < 3.13.0a1'],
      ['control: ">= 3.11, < 3.13" allows 3.12: the upgrade is applied', '>= 3.11, < 3.13'],
    ].map(([name, requires]) => ({
      name,
      code,
      options: pythonProject({ 'pyproject.toml': `[project]\nname = "x"\nversion = "1"\nrequires-python = "${requires}"\n` }),
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM python:3.12-slim\nCOPY pyproject.toml .\nRUN pip install .\n',
    })),
  });
});

describe('audit: python-base-version and version-matrix Dockerfiles', () => {
  const MATRIX = {
    'docker/py310.Dockerfile': 'FROM python:3.10-slim\nRUN python -V\n',
    'docker/py311.Dockerfile': 'FROM python:3.11-slim\nRUN python -V\n',
    'pyproject.toml': '[project]\nname = "x"\nversion = "1"\n',
  };
  const app = { 'docker/app.Dockerfile': 'FROM python:3.10-slim\nRUN python -V\n', 'pyproject.toml': MATRIX['pyproject.toml'] };
  runRuleTests(pythonRule, {
    valid: [
      {
        name: 'py310.Dockerfile beside py311.Dockerfile: the version is the point of the file, no finding',
        code: MATRIX['docker/py310.Dockerfile'],
        options: pythonProject(MATRIX, 'docker/py310.Dockerfile'),
      },
    ],
    invalid: [
      {
        name: 'control: a lone docker/app.Dockerfile is upgraded',
        code: app['docker/app.Dockerfile'],
        options: pythonProject(app, 'docker/app.Dockerfile'),
        errors: [{ messageId: 'olderThanTarget', line: 1 }],
        output: 'FROM python:3.12-slim\nRUN python -V\n',
      },
    ],
  });
});

// --- dockerignore-missing --------------------------------------------------------------------

/** The files of the context that a .dockerignore text excludes, by Docker's own rules. */
function excludedBy(ignoreText: string, paths: string[]): string[] {
  const matcher = balena({ ignorecase: false }).add(ignoreText);
  return paths.filter((p) => matcher.ignores(p));
}

/** Runs dockerignore-missing on the Dockerfile, applies its preferred fixes, returns the created file. */
async function createdIgnoreFile(files: Record<string, string>): Promise<string | undefined> {
  const ws = await workspace(files);
  const findings = await ws.onDockerfile(dockerignoreMissing, 'Dockerfile');
  ws.apply(preferred(findings));
  return ws.read('.dockerignore');
}

describe('audit: a created .dockerignore must keep what the build copies or runs', () => {
  const STAGE_COPY = {
    'Dockerfile':
      'FROM node:20 AS web\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM python:3.12-slim\nCOPY --from=web /app/dist /srv/static\nCOPY --from=web /app/NOTES.md /srv/NOTES.md\n',
    'package.json': '{"name":"w","scripts":{"build":"vite build"}}\n',
    'package-lock.json': '{}\n',
    'NOTES.md': '# notes\n',
    'README.md': '# readme\n',
    'src/main.js': 'console.log(1)\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
  };

  test('control: the created file excludes .git', async () => {
    const created = await createdIgnoreFile(STAGE_COPY);
    assert.ok(created, 'a .dockerignore is created');
    assert.deepEqual(excludedBy(created, ['.git/HEAD']), ['.git/HEAD']);
  });

  test(
    'keeps a file that a later stage copies out of a stage that took the whole context (COPY --from=web /app/NOTES.md)',
    async () => {
      const created = (await createdIgnoreFile(STAGE_COPY)) ?? '';
      assert.deepEqual(excludedBy(created, ['NOTES.md']), []);
    },
  );

  const PREBUILT_MODULES = {
    'Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
    'package.json': '{"name":"s","dependencies":{"left-pad":"^1.3.0"}}\n',
    'node_modules/left-pad/index.js': 'module.exports = 1\n',
    'server.js': 'require("left-pad")\n',
    'docs/notes.txt': 'notes\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
  };

  test(
    'keeps node_modules when no RUN installs the dependencies the app runs with',
    async () => {
      const created = (await createdIgnoreFile(PREBUILT_MODULES)) ?? '';
      assert.deepEqual(excludedBy(created, ['node_modules/left-pad/index.js']), []);
    },
  );

  test(
    'installing the git package does not keep .git: excludes .git when no RUN runs git in the context',
    async () => {
      const created = await createdIgnoreFile({
        'Dockerfile': 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends git\nCOPY app.py .\n',
        'app.py': 'print(1)\n',
        '.git/HEAD': 'ref: refs/heads/main\n',
      });
      assert.ok(created, 'a .dockerignore is created');
      assert.deepEqual(excludedBy(created, ['.git/HEAD', 'app.py']), ['.git/HEAD']);
    },
  );

  test('control: a RUN that runs git describe keeps .git', async () => {
    const created = await createdIgnoreFile({
      'Dockerfile': 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y git\nCOPY . /src\nRUN cd /src && git describe --tags > VERSION\n',
      'app.py': 'print(1)\n',
      'docs/index.txt': 'docs\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    assert.deepEqual(excludedBy(created ?? '', ['.git/HEAD']), []);
  });
});

describe('audit: python-base-version and pinned dependencies that do not install on the new Python', () => {
  const code = 'FROM python:3.10-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n';
  const numpyPin = pythonProject({ 'requirements.txt': 'flask==3.0.0\nnumpy==1.21.4\n' });
  runRuleTests(pythonRule, {
    valid: [],
    invalid: [
      {
        name: 'no automatic fix when requirements pin numpy==1.21.4 (no Python 3.12 wheels), and the message says which pin',
        code,
        options: numpyPin,
        errors: [{ messageId: 'olderThanTarget', line: 1, data: { notes: ' requirements.txt: numpy==1.21.4 (Python 3.12 needs 1.26.0 or later): that pin does not install on Python 3.12, so the fix is not applied automatically.' } }],
        output: null,
      },
      ...['numpy==1.26.4\n', 'flask==3.0.0\nsome-internal-lib==0.1\n', 'Django>=3.2\n'].map((pins) => ({
        name: `control: pins the table knows to install on 3.12, or packages it does not know, are upgraded: ${JSON.stringify(pins)}`,
        code,
        options: pythonProject({ 'requirements.txt': pins }),
        errors: [{ messageId: 'olderThanTarget', line: 1 }],
        output: code.replace('3.10', '3.12'),
      })),
      {
        name: 'a pin in a nested requirements file counts, with extras and another spelling of the name',
        code,
        options: pythonProject({ 'requirements/base.txt': 'scikit_learn[alldeps]==1.0.2\n' }),
        errors: [{ messageId: 'olderThanTarget', line: 1 }],
        output: null,
      },
    ],
  });

  test('the pin that does not install keeps the fix offered as a quick fix', () => {
    const [finding] = check(pythonRule, code, numpyPin);
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].isPreferred, false);
  });
});

describe('audit: a Dockerfile whose name or folder names its Python version is one of a matrix', () => {
  const code = 'FROM python:3.10-slim\nRUN python -V\n';
  runRuleTests(pythonRule, {
    valid: ['docker/py310.Dockerfile', 'docker/Dockerfile.python3.10', 'images/3.10/Dockerfile', 'images/3.10/slim/Dockerfile'].map((name) => ({
      name: `no finding on ${name} with FROM python:3.10-slim`,
      code,
      options: pythonProject({ [name]: code }, name),
    })),
    invalid: ['docker/py39.Dockerfile', 'docker/py3100.Dockerfile', 'app-2.3.10/Dockerfile'].map((name) => ({
      name: `control: ${name} names another version, or none, and the finding stays`,
      code: 'FROM python:3.10-slim\n',
      options: pythonProject({ [name]: 'FROM python:3.10-slim\n' }, name),
      errors: [{ messageId: 'olderThanTarget', line: 1 }],
      output: 'FROM python:3.12-slim\n',
    })),
  });
});

// --- dockerignore: an image that runs or installs the tests keeps them ------------------------

describe('audit: an image that installs the dev or test dependencies keeps its tests', () => {
  const base = {
    'pyproject.toml': '[project]\nname = "x"\nversion = "1"\n',
    'x/__init__.py': '\n',
    'tests/test_x.py': 'def test(): pass\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
  };
  for (const install of ['uv sync --dev --frozen', 'pip install -r requirements-dev.txt', 'pip install -e .[test]', 'poetry install --with dev', 'pipenv install --dev']) {
    test(`keeps tests/ after RUN ${install}`, async () => {
      const created = await createdIgnoreFile({ ...base, 'Dockerfile': `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN ${install}\n` });
      assert.ok(created, 'a .dockerignore is created (.git goes)');
      assert.deepEqual(excludedBy(created, ['tests/test_x.py', '.git/HEAD']), ['.git/HEAD']);
    });
  }

  test('control: a production install (uv sync --no-dev) leaves tests/ out', async () => {
    const created = await createdIgnoreFile({ ...base, 'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --no-dev --frozen\n' });
    assert.deepEqual(excludedBy(created ?? '', ['tests/test_x.py', '.git/HEAD']), ['tests/test_x.py', '.git/HEAD']);
  });
});
