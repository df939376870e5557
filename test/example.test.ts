/**
 * The core issue's "done when": `dockopt fix examples/ha-ingestor` turns the example into the
 * optimized state, and a second run changes nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseDockerfile } from '../server/src/dockerfile/model';
import { parseRunScript } from '../server/src/dockerfile/shell';
import { findNpmCall, findPipCall } from '../server/src/dockerfile/package-managers';
import { readMounts } from '../server/src/dockerfile/mounts';
import { WorkspaceModel } from '../server/src/workspace/workspace';
import { copyExample, removeWorkspace } from './helpers/temp-workspace';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const dockopt = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

describe('dockopt fix on the example workspace', () => {
  let root: string;
  let firstRun: ReturnType<typeof dockopt>;
  let workspace: WorkspaceModel;

  before(async () => {
    root = copyExample();
    firstRun = dockopt(['fix', '.'], root);
    workspace = new WorkspaceModel({ roots: [root] });
    await workspace.refresh();
  });
  after(() => removeWorkspace(root));

  test('fixes everything it reports, with exit 0', () => {
    assert.equal(firstRun.status, 0, firstRun.stdout + firstRun.stderr);
  });

  test('has 11 Dockerfiles, the Python ones all on python:3.12 with their variant kept', () => {
    const dockerfiles = workspace.dockerfiles();
    assert.equal(dockerfiles.length, 11);
    for (const path of dockerfiles) {
      for (const stage of parseDockerfile(readFileSync(path, 'utf8')).stages) {
        const image = stage.from.getImage() ?? '';
        if (image.startsWith('python:')) assert.match(image, path.includes('data-retention') ? /^python:3\.12-slim$/ : /^python:3\.12-alpine$/, path);
      }
    }
  });

  test('gives every pip and npm install a cache mount that the tool really uses', () => {
    let pipRuns = 0;
    for (const path of workspace.dockerfiles()) {
      const model = parseDockerfile(readFileSync(path, 'utf8'));
      for (const info of model.instructions.filter((i) => i.keyword === 'RUN')) {
        const commands = parseRunScript(model, info.ast).commands;
        const cacheTargets = readMounts(info.ast).filter((m) => m.type === 'cache').map((m) => m.target);
        if (commands.some((c) => findPipCall(c))) {
          pipRuns++;
          assert.ok(cacheTargets.some((t) => t?.endsWith('/.cache/pip')), `${path}: ${info.range.start.line + 1}`);
          assert.doesNotMatch(model.text.slice(info.startOffset, info.endOffset), /--no-cache-dir|PIP_NO_CACHE_DIR/);
        }
        if (commands.some((c) => findNpmCall(c))) assert.ok(cacheTargets.includes('/root/.npm'), path);
      }
    }
    assert.equal(pipRuns, 10);
  });

  test('gives every build a .dockerignore that BuildKit reads', () => {
    for (const path of workspace.dockerfiles()) {
      for (const build of workspace.buildsFor(path)) assert.ok(build.ignoreFile.exists, `${build.service ?? path} reads no .dockerignore`);
    }
    const websocket = workspace.buildsFor(join(root, 'services/websocket-ingestion/Dockerfile'))[0];
    assert.equal(websocket.ignoreFile.path, join(root, 'services/websocket-ingestion/Dockerfile.dockerignore'));
  });

  test('a second run changes nothing and check is clean', () => {
    const second = dockopt(['fix', '.'], root);
    assert.equal(second.stdout, 'dockopt: nothing to fix.\n');
    assert.equal(dockopt(['check', '.'], root).status, 0);
  });
});
