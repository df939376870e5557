/** Where a stage's project files may sit in the build context (project/stage-folders.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { stageProjectFolders } from '../../server/src/project/stage-folders';
import type { BuildContext } from '../../server/src/workspace/build-context';

function build(dockerfilePath: string, contextDir = '/work/app'): BuildContext {
  return { dockerfilePath, contextDir, source: 'setting', ignoreFile: { path: `${contextDir}/.dockerignore`, kind: 'context-root', exists: false } };
}

function foldersOf(text: string, context: BuildContext, stageIndex = 0): string[] {
  const model = parseDockerfile(text);
  return stageProjectFolders(model, context, model.stages[stageIndex]);
}

describe('stage project folders', () => {
  test("the context's root, the Dockerfile's folder, and what the stage copies from (a file's folder too)", () => {
    const text = 'FROM python:3.9\nCOPY services/api/ /app/\nCOPY libs/common/setup.py /libs/\nCOPY --from=build /x /x\n';
    assert.deepEqual(foldersOf(text, build('/work/app/docker/Dockerfile')), ['', 'docker', 'services/api', 'services', 'libs/common/setup.py', 'libs/common']);
  });

  test('a glob is cut at its first wildcard; variables and URLs are skipped', () => {
    const text = 'FROM python:3.9\nCOPY src/*/requirements.txt ./\nCOPY $DIR/x /x\nADD https://example.com/a.tgz /a\n';
    assert.deepEqual(foldersOf(text, build('/work/app/Dockerfile')), ['', 'src']);
  });

  test('a stage built on this one counts; an unrelated stage does not', () => {
    const text = 'FROM python:3.9 AS base\nFROM base AS app\nCOPY app/ /app/\nFROM python:3.9 AS other\nCOPY other/ /other/\n';
    assert.deepEqual(foldersOf(text, build('/work/app/Dockerfile')), ['', 'app']);
  });

  test('what lies outside the context is none of its folders, but a folder whose name starts with two dots is inside', () => {
    const text = 'FROM python:3.9\nCOPY ../shared /shared\nCOPY ..config/ /config/\n';
    assert.deepEqual(foldersOf(text, build('/work/other/Dockerfile')), ['', '..config']);
    assert.deepEqual(foldersOf('FROM python:3.9\n', build('/work/app/..docker/Dockerfile')), ['', '..docker']);
  });
});
