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
import type { Finding } from '../../server/src/rules/types';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { check, fix } from '../helpers/rule-tester';
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

const APP_ONLY = pythonProject({ 'Dockerfile': '', 'app.py': 'print(1)\n' });

function pythonFindings(text: string, options = APP_ONLY): Finding[] {
  return check(pythonRule, text, options).filter((f) => f.ruleId === 'python-base-version');
}

describe('audit: python-base-version must not auto-upgrade a Dockerfile that depends on its Python version', () => {
  // Control: the same two-stage shape without a version in any path is upgraded, both stages.
  test('control: two stages without version-named paths are both upgraded', () => {
    const text = 'FROM python:3.10-slim AS build\nRUN pip install --prefix=/install flask\nFROM python:3.10-slim\nCOPY --from=build /install /usr/local\n';
    assert.equal(pythonFindings(text).length, 2);
    assert.equal(
      fix(pythonRule, text, APP_ONLY),
      'FROM python:3.12-slim AS build\nRUN pip install --prefix=/install flask\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n',
    );
  });

  // Control: a path built from the same ARG as the tag stays consistent when the ARG default changes.
  test('control: a site-packages path spelled with the version ARG follows the ARG', () => {
    const text =
      'ARG PYTHON_VERSION=3.10\nFROM python:${PYTHON_VERSION}-slim\nRUN ln -s /usr/local/lib/python${PYTHON_VERSION}/site-packages/app /app\n';
    assert.equal(
      fix(pythonRule, text, APP_ONLY),
      'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\nRUN ln -s /usr/local/lib/python${PYTHON_VERSION}/site-packages/app /app\n',
    );
  });

  const VERSION_PATH =
    'FROM python:3.10-slim AS build\nRUN pip install --prefix=/install flask\nFROM python:3.10-slim\nCOPY --from=build /install/lib/python3.10/site-packages /usr/local/lib/python3.10/site-packages\n';

  test('fires on a stage whose files are copied by a python3.10 path', () => {
    assert.equal(pythonFindings(VERSION_PATH).length, 2);
  });

  test(
    'no automatic fix when an instruction names the old version in a path (python3.10/site-packages)',
    () => {
      assert.equal(fix(pythonRule, VERSION_PATH, APP_ONLY), VERSION_PATH);
    },
  );

  const PYVENV = 'FROM python:3.6-alpine\nRUN pyvenv /venv && /venv/bin/pip install gunicorn\n';

  test('fires on python:3.6 used with pyvenv', () => {
    assert.equal(pythonFindings(PYVENV).length, 1);
  });

  test(
    'no automatic fix when a RUN calls a tool the newer Python removed (pyvenv)',
    () => {
      assert.equal(fix(pythonRule, PYVENV, APP_ONLY), PYVENV);
    },
  );

  const SETUP_PY = 'FROM python:3.10\nWORKDIR /src\nCOPY . /src\nRUN python setup.py install\n';
  const SETUP_PROJECT = pythonProject({ 'Dockerfile': SETUP_PY, 'setup.py': 'from setuptools import setup\nsetup(name="x")\n' });

  test(
    'no automatic fix when a RUN runs setup.py directly (python:3.12 images ship no setuptools)',
    () => {
      assert.equal(fix(pythonRule, SETUP_PY, SETUP_PROJECT), SETUP_PY);
    },
  );

  test('control: pip install . (build isolation brings setuptools) is upgraded', () => {
    const text = 'FROM python:3.10\nWORKDIR /src\nCOPY . /src\nRUN pip install .\n';
    assert.equal(fix(pythonRule, text, SETUP_PROJECT), 'FROM python:3.12\nWORKDIR /src\nCOPY . /src\nRUN pip install .\n');
  });
});

describe('audit: python-base-version reads a requires-python with a pre-release bound', () => {
  const text = 'FROM python:3.11-slim\nCOPY pyproject.toml .\nRUN pip install .\n';

  test(
    '">= 3.11, < 3.13.0a1" allows 3.12: the upgrade is applied',
    () => {
      const project = pythonProject({ 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\nrequires-python = ">= 3.11, < 3.13.0a1"\n' });
      assert.equal(fix(pythonRule, text, project), 'FROM python:3.12-slim\nCOPY pyproject.toml .\nRUN pip install .\n');
    },
  );

  test('control: ">= 3.11, < 3.13" allows 3.12: the upgrade is applied', () => {
    const project = pythonProject({ 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\nrequires-python = ">= 3.11, < 3.13"\n' });
    assert.equal(fix(pythonRule, text, project), 'FROM python:3.12-slim\nCOPY pyproject.toml .\nRUN pip install .\n');
  });
});

describe('audit: python-base-version and version-matrix Dockerfiles', () => {
  const MATRIX = {
    'docker/py310.Dockerfile': 'FROM python:3.10-slim\nRUN python -V\n',
    'docker/py311.Dockerfile': 'FROM python:3.11-slim\nRUN python -V\n',
    'pyproject.toml': '[project]\nname = "x"\nversion = "1"\n',
  };

  test(
    'no automatic fix on py310.Dockerfile beside py311.Dockerfile: the version is the point of the file',
    () => {
      const text = MATRIX['docker/py310.Dockerfile'];
      assert.equal(fix(pythonRule, text, pythonProject(MATRIX, 'docker/py310.Dockerfile')), text);
    },
  );

  test('control: a lone docker/app.Dockerfile is upgraded', () => {
    const files = { 'docker/app.Dockerfile': 'FROM python:3.10-slim\nRUN python -V\n', 'pyproject.toml': MATRIX['pyproject.toml'] };
    assert.equal(
      fix(pythonRule, files['docker/app.Dockerfile'], pythonProject(files, 'docker/app.Dockerfile')),
      'FROM python:3.12-slim\nRUN python -V\n',
    );
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
  const text = 'FROM python:3.10-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n';

  test('no automatic fix when requirements pin numpy==1.21.4 (no Python 3.12 wheels), and the message says which pin', () => {
    const project = pythonProject({ 'requirements.txt': 'flask==3.0.0\nnumpy==1.21.4\n' });
    assert.equal(fix(pythonRule, text, project), text);
    const [finding] = pythonFindings(text, project);
    assert.match(finding.message, /requirements\.txt: numpy==1\.21\.4 \(Python 3\.12 needs 1\.26\.0 or later\)/);
    assert.equal(finding.fixes.length, 1, 'still offered as a quick fix');
  });

  test('control: pins the table knows to install on 3.12, or packages it does not know, are upgraded', () => {
    for (const pins of ['numpy==1.26.4\n', 'flask==3.0.0\nsome-internal-lib==0.1\n', 'Django>=3.2\n']) {
      const project = pythonProject({ 'requirements.txt': pins });
      assert.equal(fix(pythonRule, text, project), text.replace('3.10', '3.12'), pins);
    }
  });

  test('a pin in a nested requirements file counts, with extras and another spelling of the name', () => {
    const project = pythonProject({ 'requirements/base.txt': 'scikit_learn[alldeps]==1.0.2\n' });
    assert.equal(fix(pythonRule, text, project), text);
  });
});
