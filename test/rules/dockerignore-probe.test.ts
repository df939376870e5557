/**
 * The safety net of the .dockerignore fixes, checked with a real BuildKit: a probe build that
 * copies the whole context exports the files it received, before and after a fix. Only the
 * files the finding names may disappear, and every file it names must. (See
 * test/build/docker-gate.ts for when this skips; with CI=true a missing daemon fails the run.)
 *
 * The probe is `FROM scratch` + `COPY . /` exported with `--output type=local`: no base image,
 * no container, and exactly the files BuildKit let through. It lives outside the context, so it
 * reads `<context>/.dockerignore`, or the Dockerfile-specific file when one is put beside it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rule as incomplete } from '../../server/src/rules/dockerignore-incomplete';
import { rule as missing } from '../../server/src/rules/dockerignore-missing';
import type { Finding } from '../../server/src/rules/types';
import { dockerSkipReason, TEST_DOCKER } from '../build/docker-gate';
import { preferred, workspace, type TestWorkspace } from './dockerignore-workspace';

const skip = dockerSkipReason();
let probeRoot = '';

before(() => {
  if (!skip) probeRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-probe-'));
});
after(() => {
  if (probeRoot) fs.rmSync(probeRoot, { recursive: true, force: true });
});

let probes = 0;

/** The files (context-relative, sorted) a `COPY . /` receives from BuildKit for this context. */
function receivedFiles(contextDir: string, dockerfileSpecificIgnore?: string): string[] {
  const dir = path.join(probeRoot, `probe-${++probes}`);
  const out = path.join(dir, 'out');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  if (dockerfileSpecificIgnore !== undefined) fs.writeFileSync(path.join(dir, 'Dockerfile.dockerignore'), dockerfileSpecificIgnore);
  execFileSync(
    TEST_DOCKER,
    ['build', '-q', '--network=none', '-f', path.join(dir, 'Dockerfile'), '--output', `type=local,dest=${out}`, contextDir],
    { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
  );
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(out, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else files.push(child);
    }
  };
  walk('');
  return files.sort();
}

/**
 * What the finding says its patterns leave out: the `pattern (item, item)` list at the end of
 * the message, a folder item (`tests/`) standing for every file below it. Also the file count.
 */
function named(finding: Finding, before: readonly string[]): { files: string[]; count: number } {
  const m = /(?:leave out|lets) (\d+) files?, [^:]*?(?::| into the build context that the image does not need: add) (.*)\.$/.exec(finding.message);
  assert.ok(m, `no list of what goes in: ${finding.message}`);
  assert.ok(!/ and \d+ more\)/.test(m[2]), 'the fixture must be small enough for the finding to name every item');
  const items = [...m[2].matchAll(/\S+ \(([^)]*)\)/g)].flatMap((x) => x[1].split(', '));
  const files = new Set<string>();
  for (const item of items) {
    for (const f of before) if (item.endsWith('/') ? f.startsWith(item) : f === item) files.add(f);
  }
  return { files: [...files].sort(), count: Number(m[1]) };
}

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/** Applies the preferred fixes of the finding, and compares what BuildKit sends before and after. */
function probeFix(w: TestWorkspace, finding: Finding, contextDir: string, specificIgnore?: string) {
  const before = receivedFiles(contextDir, specificIgnore && w.read(specificIgnore));
  w.apply(preferred([finding]));
  const after = receivedFiles(contextDir, specificIgnore && w.read(specificIgnore));
  const { files, count } = named(finding, before);
  assert.deepEqual(minus(before, after), files, 'exactly the files the finding named disappear');
  assert.equal(files.length, count, 'the count in the message is the files that disappear');
  return { before, after };
}

/** A Python app copied whole: a package with Markdown prompts and test fixtures it imports. */
const PYTHON_APP: Record<string, string> = {
  'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "bot"]\n',
  'requirements.txt': 'aiogram\n',
  'README.md': '# bot\n',
  'CHANGELOG.md': '# 1.0\n',
  'docs/index.md': '# docs\n',
  'docs/conf.py': 'project = "bot"\n',
  'bot/__init__.py': '',
  'bot/__main__.py': 'from bot.main import run\nrun()\n',
  'bot/main.py': 'def run(): pass\n',
  'bot/prompts/greet.md': 'Hello {name}\n',
  'bot/prompts/README.md': 'Prompts, loaded at run time.\n',
  'bot/tests/__init__.py': '',
  'bot/tests/fixtures.py': 'USERS = []\n',
  'bot/__pycache__/main.cpython-312.pyc': 'pyc',
  'tests/__init__.py': '',
  'tests/test_bot.py': 'def test(): pass\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.git/config': '[core]\n',
  'app.log': 'started\n',
  'keep.log': 'wanted\n',
  'logs/old.log': 'old\n',
  '.env': 'TOKEN=secret\n',
  '.env.example': 'TOKEN=\n',
  '.venv/bin/python': '#!',
  '.venv/lib/python3.12/site-packages/aiogram/__init__.py': '',
  '.pytest_cache/v/cache/nodeids': '[]',
  '.vscode/settings.json': '{}',
  '.DS_Store': 'x',
};

/** A Node app copied whole, without packages of its own: the patterns match at every depth. */
const NODE_APP: Record<string, string> = {
  'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "src/index.js"]\n',
  'package.json': '{"name": "web"}\n',
  'package-lock.json': '{}\n',
  'README.md': '# web\n',
  'web/README.md': '# nested\n',
  'src/index.js': 'console.log(1)\n',
  'src/__tests__/index.test.js': 'test()\n',
  'node_modules/left-pad/index.js': 'module.exports = 1\n',
  'node_modules/left-pad/README.md': '# left-pad\n',
  'npm-debug.log': 'debug\n',
  '.env': 'KEY=1\n',
  '.env.local': 'KEY=2\n',
  '.env.example': 'KEY=\n',
  'coverage/lcov.info': 'TN:\n',
  '.idea/workspace.xml': '<x/>',
  'notes.tmp': 'tmp',
};

describe('the .dockerignore fixes, checked with a real BuildKit', { skip }, () => {
  test('dockerignore-missing on a Python app: only the named files go, the package stays whole', async () => {
    const w = await workspace(PYTHON_APP);
    const [finding] = await w.onDockerfile(missing, 'Dockerfile');
    const { before, after } = probeFix(w, finding, w.root);
    assert.deepEqual(minus(after, before), ['.dockerignore']);
    for (const kept of ['bot/prompts/greet.md', 'bot/prompts/README.md', 'bot/tests/fixtures.py', 'README.md', '.env.example', 'requirements.txt']) {
      assert.ok(after.includes(kept), kept);
    }
  });

  test('dockerignore-incomplete on a Python app, below the user’s own lines and exception', async () => {
    const w = await workspace({ ...PYTHON_APP, '.dockerignore': '.git\n*.log\n!keep.log\n' });
    const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
    const { before, after } = probeFix(w, finding, w.root);
    assert.deepEqual(minus(after, before), []);
    for (const kept of ['keep.log', 'bot/prompts/greet.md', 'bot/tests/fixtures.py']) assert.ok(after.includes(kept), kept);
  });

  test('dockerignore-missing on a Node app, where the patterns match at every depth', async () => {
    const w = await workspace(NODE_APP);
    const [finding] = await w.onDockerfile(missing, 'Dockerfile');
    assert.match(finding.message, /\*\*\/__tests__ \(/);
    // Markdown below a folder that is not a docs folder may be what the app reads: it stays.
    assert.doesNotMatch(finding.message, /\*\*\/\*\.md/);
    const { before, after } = probeFix(w, finding, w.root);
    assert.deepEqual(minus(after, before), ['.dockerignore']);
    for (const kept of ['README.md', 'web/README.md', '.env.example', 'src/index.js']) assert.ok(after.includes(kept), kept);
  });

  test('dockerignore-incomplete reported on the .dockerignore itself', async () => {
    const w = await workspace({ ...NODE_APP, '.dockerignore': 'node_modules\n' });
    const [finding] = await w.onIgnoreFile(incomplete, '.dockerignore');
    const { before, after } = probeFix(w, finding, w.root);
    assert.deepEqual(minus(after, before), []);
  });

  test('a Dockerfile-specific ignore file, for a Dockerfile built from the repository root', async () => {
    const w = await workspace({
      'compose.yaml': 'services:\n  x:\n    build:\n      context: .\n      dockerfile: services/x/Dockerfile\n',
      'services/x/Dockerfile': 'FROM python:3.12-slim\nCOPY services/x/src /app\n',
      'services/x/src/app.py': '',
      'services/x/src/README.md': '# x\n',
      'services/x/tests/test_app.py': '',
      'README.md': '# repo\n',
      'docs/a.md': '# a\n',
      '.git/HEAD': 'ref\n',
    });
    const [finding] = await w.onDockerfile(missing, 'services/x/Dockerfile');
    assert.equal(finding.fixes[0].changes[0].path, w.at('services/x/Dockerfile.dockerignore'));
    const { after } = probeFix(w, finding, w.root, 'services/x/Dockerfile.dockerignore');
    assert.ok(after.includes('services/x/src/README.md'));
  });
});
