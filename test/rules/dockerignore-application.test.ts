/**
 * The .dockerignore rules under a `COPY . .`: content patterns (docs, tests, .env) never reach
 * into the application's folders (Python packages, what pyproject.toml / package.json declare),
 * and a missing .dockerignore is reported only when the patterns would leave out real files.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { fixWorkspace } from '../../server/src/fix-workspace';
import { rule as incomplete } from '../../server/src/rules/dockerignore-incomplete';
import { rule as missing } from '../../server/src/rules/dockerignore-missing';
import type { Finding } from '../../server/src/rules/types';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { preferred, workspace } from './dockerignore-workspace';

const COPY_ALL = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "bot"]\n';
const TITLE = '# dockopt: recommended patterns for files found in the build context\n';

function appended(text: string, finding: Finding): string {
  const change = finding.fixes[0].changes[0];
  assert.equal(change.kind, 'edit');
  return change.kind === 'edit' ? applyTextEdits(text, change.edits).text.slice(text.length) : '';
}

function created(finding: Finding): string[] {
  const change = finding.fixes[0].changes[0];
  assert.equal(change.kind, 'create');
  return change.kind === 'create' ? change.text.split('\n') : [];
}

test('Markdown a package loads at run time stays; the Markdown beside it goes', async () => {
  const w = await workspace({
    'Dockerfile': COPY_ALL,
    '.dockerignore': '.git\n',
    'bot/__init__.py': '',
    'bot/main.py': '',
    'bot/prompts/greet.md': 'Hello',
    'bot/prompts/help.md': 'Help',
    'README.md': '# bot',
    'CHANGELOG.md': '# 1.0',
    'docs/guide.md': '# guide',
  });
  const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('.git\n', finding), `\n${TITLE}docs\n*.md\n!README.md\n`);
  assert.equal(
    finding.message,
    '.dockerignore lets 2 files, 12 B into the build context that the image does not need: add docs (docs/), *.md (CHANGELOG.md).',
  );
  // Reported on the .dockerignore itself, the same package is kept whole.
  const [onIgnore] = await w.onIgnoreFile(incomplete, '.dockerignore');
  assert.deepEqual(onIgnore.fixes, finding.fixes);
});

test('test modules inside a Django app stay; the test suite beside the apps goes', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM python:3.12-slim\nCOPY . /srv\nCMD ["python", "manage.py", "seed"]\n',
    '.dockerignore': '',
    'manage.py': '',
    'shop/__init__.py': '',
    'shop/management/__init__.py': '',
    'shop/management/commands/__init__.py': '',
    'shop/management/commands/seed.py': 'from shop.tests.factories import make\n',
    'shop/tests/__init__.py': '',
    'shop/tests/factories.py': 'def make(): pass\n',
    'tests/__init__.py': '',
    'tests/test_views.py': 'def test(): pass\n',
  });
  const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
  // tests/ is a package too, but the test suite's own: a tests pattern leaves it out whole.
  assert.equal(appended('', finding), `${TITLE}tests\n`);
  assert.match(finding.message, /add tests \(tests\/\)\.$/);
});

test('without any package, the patterns still match at every depth, but Markdown only in docs folders', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM node:20\nCOPY . .\n',
    '.dockerignore': '',
    'src/index.js': '',
    'src/tests/a.test.js': '',
    'web/docs/NOTES.md': '',
  });
  const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('', finding), `${TITLE}**/*.md\n!README.md\n**/tests\n`);
  assert.match(finding.message, /add \*\*\/\*\.md \(web\/docs\/NOTES\.md\), \*\*\/tests \(src\/tests\/\)\.$/);
});

test('Markdown below another folder may be what the application reads (posts, prompts): only the root’s goes', async () => {
  for (const folder of ['web', 'prompts', 'posts', 'content/blog']) {
    const w = await workspace({
      'Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["python", "main.py"]\n',
      '.dockerignore': '',
      'main.py': '',
      [`${folder}/system.md`]: 'You are…',
      'CHANGELOG.md': 'c',
    });
    const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
    assert.equal(appended('', finding), `${TITLE}*.md\n!README.md\n`, folder);
  }
});

test('a site generator’s project keeps its Markdown and its docs folder; a framework that builds with .env files keeps them', async () => {
  const site = (marker: string) =>
    workspace({
      'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\nRUN npm run build\n',
      '.dockerignore': 'node_modules\n',
      'package.json': '{}\n',
      [marker]: '',
      'index.md': '# home',
      'docs/intro.md': '# intro',
      'posts/hello.md': '# hello',
      '.env.production': 'NEXT_PUBLIC_API=https://api.example.com\n',
      'app.log': 'x',
    });
  for (const marker of ['_config.yml', 'mkdocs.yml', 'hugo.toml', 'docusaurus.config.js', 'astro.config.mjs', 'next.config.mjs', '.eleventy.js', 'gatsby-config.ts', 'web/.vitepress/config.ts', '_posts/2024-01-01-hello.md']) {
    const [finding] = await (await site(marker)).onDockerfile(incomplete, 'Dockerfile');
    const added = appended('node_modules\n', finding);
    for (const unsafe of ['docs', '*.md', '**/*.md']) assert.ok(!added.split('\n').includes(unsafe), `${marker}: ${unsafe} in ${added}`);
    assert.ok(added.includes('**/*.log'), marker);
    const readsEnv = /^(?:next|astro|gatsby)/.test(marker);
    assert.equal(added.includes('**/.env'), !readsEnv, `${marker}: ${added}`);
  }
  // A framework by its package alone (its config file is optional).
  for (const manifest of ['{"dependencies":{"next":"14.2.0","react":"18"}}', '{"devDependencies":{"vite":"^5"}}']) {
    const w = await workspace({
      'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\nRUN npm run build\n',
      '.dockerignore': 'node_modules\n',
      'package.json': manifest,
      '.env.production': 'NEXT_PUBLIC_API=https://api.example.com\n',
      'app.log': 'x',
    });
    const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
    assert.equal(appended('node_modules\n', finding), `\n${TITLE}**/*.log\n`, manifest);
  }
  // A command says so too.
  const [jekyll] = await (await workspace({ 'Dockerfile': 'FROM ruby:3.3\nCOPY . .\nRUN bundle exec jekyll build\n', '.dockerignore': '', 'index.md': '#', 'app.log': 'x' })).onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('', jekyll), `${TITLE}**/*.log\n`);
});

test('a context that is itself a package gets no docs or tests pattern, only artifacts', async () => {
  const w = await workspace({
    'Dockerfile': COPY_ALL,
    '.dockerignore': '',
    '__init__.py': '',
    'NOTES.md': '',
    'tests/test_a.py': '',
    'app.log': 'x',
  });
  const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('', finding), `${TITLE}**/*.log\n`);
});

test('a package the .dockerignore already leaves out, or one inside a virtualenv, is not the application', async () => {
  const w = await workspace({
    'Dockerfile': COPY_ALL,
    '.dockerignore': 'legacy\n.venv\n',
    'legacy/__init__.py': '',
    'legacy/README.md': '',
    '.venv/lib/python3.12/site-packages/requests/__init__.py': '',
    'app/main.py': '',
    'app/docs/NOTES.md': 'n',
  });
  const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('legacy\n.venv\n', finding), `\n${TITLE}**/*.md\n!README.md\n`);
});

test('packages named in pyproject.toml are the application even without __init__.py', async () => {
  const files = {
    'Dockerfile': COPY_ALL,
    '.dockerignore': '',
    'src/bot/main.py': '',
    'src/bot/prompts/greet.md': 'Hello',
    'CONTRIBUTING.md': 'c',
  };
  const layouts = [
    '[tool.setuptools]\npackages = ["bot", "bot.prompts"]\npackage-dir = {"" = "src"}\n',
    '[tool.setuptools.package-dir]\n"" = "src"\n\n[tool.setuptools]\npy-modules = []\npackages = [\n  "bot",  # the app\n]\n',
    '[tool.poetry]\nname = "bot"\npackages = [{ include = "bot", from = "src" }]\n',
    '[tool.hatch.build.targets.wheel]\npackages = ["src/bot"]\n',
  ];
  for (const pyproject of layouts) {
    const w = await workspace({ ...files, 'pyproject.toml': pyproject });
    const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
    assert.equal(appended('', finding), `${TITLE}*.md\n!README.md\n`, pyproject);
  }
  // Without the declaration nothing says src/bot/prompts belongs to the application, but Markdown
  // outside a docs folder may: only the root's goes all the same.
  const bare = await workspace({ ...files, 'pyproject.toml': '[project]\nname = "bot"\n' });
  const [finding] = await bare.onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('', finding), `${TITLE}*.md\n!README.md\n`);
});

test("a package.json's files are the application: a glob protects what it matches", async () => {
  const w = await workspace({
    'Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "lib/index.js"]\n',
    '.dockerignore': '',
    'package.json': JSON.stringify({ name: 'x', files: ['lib/', '*.md', '!lib/**/*.test.js'] }),
    'lib/index.js': '',
    'lib/help/usage.md': 'usage',
    'CHANGELOG.md': 'c',
    'docs/guide.md': 'g',
  });
  const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('', finding), `${TITLE}docs\n`);
});

test('a package below a copied folder is protected by the COPY itself: **/tests becomes tests', async () => {
  const w = await workspace({
    'Dockerfile': 'FROM python:3.12-slim\nCOPY src/ /app/src/\n',
    '.dockerignore': '',
    'src/shop/__init__.py': '',
    'src/shop/tests/factories.py': '',
    'tests/test_a.py': '',
  });
  const [finding] = await w.onDockerfile(incomplete, 'Dockerfile');
  assert.equal(appended('', finding), `${TITLE}tests\n`);
});

test('dockerignore-missing names what each pattern leaves out and keeps the package whole', async () => {
  const w = await workspace({
    'Dockerfile': COPY_ALL,
    'bot/__init__.py': '',
    'bot/prompts/greet.md': 'Hello',
    'bot/tests/fixtures.py': '',
    'bot/__pycache__/main.cpython-312.pyc': 'xx',
    'CHANGELOG.md': '# 1.0',
  });
  const [finding] = await w.onDockerfile(missing, 'Dockerfile');
  assert.equal(
    finding.message,
    'No .dockerignore is read for this build: BuildKit sends the whole context (6 files, 84 B). ' +
      'The recommended patterns would leave out 2 files, 7 B: *.md (CHANGELOG.md), ' +
      '**/__pycache__ (bot/__pycache__/), **/*.py[cod].',
  );
  const lines = created(finding);
  for (const reaching of ['**/*.md', '**/tests', '**/__tests__', '**/.env', '**/.env.*']) assert.ok(!lines.includes(reaching), reaching);
  for (const atRoot of ['*.md', 'tests', '__tests__', '.env', '.env.*', '**/__pycache__']) assert.ok(lines.includes(atRoot), atRoot);
});

test('dockerignore-missing is silent when the recommended patterns would leave out nothing', async () => {
  const w = await workspace({
    'Dockerfile': COPY_ALL,
    'bot/__init__.py': '',
    'bot/prompts/greet.md': 'Hello',
    'README.md': '# bot',
    'requirements.txt': 'flask\n',
  });
  assert.deepEqual(await w.onDockerfile(missing, 'Dockerfile'), []);
  // Optimize All / dockopt fix: no file is created where it would change nothing.
  const result = await fixWorkspace(w.ws, () => DEFAULT_SETTINGS);
  assert.deepEqual(result.files.filter((f) => f.path.endsWith('.dockerignore')), []);
  assert.equal(fs.existsSync(w.at('.dockerignore')), false);
});

test('once the fix is applied, neither rule fires again under a COPY . . with packages', async () => {
  const w = await workspace({
    'Dockerfile': COPY_ALL,
    'bot/__init__.py': '',
    'bot/prompts/greet.md': 'Hello',
    'bot/tests/fixtures.py': '',
    'tests/test_bot.py': '',
    'CHANGELOG.md': '# 1.0',
  });
  w.apply(preferred(await w.onDockerfile(missing, 'Dockerfile')));
  const once = w.read('.dockerignore');
  assert.deepEqual(await w.onDockerfile(missing, 'Dockerfile'), []);
  assert.deepEqual(await w.onDockerfile(incomplete, 'Dockerfile'), []);
  assert.deepEqual(await w.onIgnoreFile(incomplete, '.dockerignore'), []);
  w.apply(preferred(await w.onDockerfile(incomplete, 'Dockerfile')));
  assert.equal(w.read('.dockerignore'), once);
});
