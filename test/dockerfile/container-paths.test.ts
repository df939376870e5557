/** The containment helpers: image paths by components, host paths through shared/src/files/containment.ts. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { isWithin, overlaps, pathWithin, resolveIn } from '../../server/src/dockerfile/container-paths';
import { coveringCacheMount } from '../../server/src/dockerfile/cache-locations';
import type { RunMount } from '../../server/src/dockerfile/mounts';
import { isInsideDir } from '../../server/src/workspace/workspace';

describe('image paths', () => {
  test('a bare string prefix is not containment: /apple is not in /app', () => {
    assert.equal(pathWithin('/app', '/apple'), undefined);
    assert.equal(isWithin('/app', '/apple/x'), false);
    assert.equal(overlaps('/app', '/apple'), false);
  });

  test('inside, the directory itself, the root', () => {
    assert.equal(pathWithin('/app', '/app/src/a.py'), 'src/a.py');
    assert.equal(pathWithin('/app', '/app'), '');
    assert.equal(pathWithin('/', '/etc'), 'etc');
    assert.ok(isWithin('/', '/'));
    assert.ok(overlaps('/app/src', '/app'));
  });

  test('resolveIn normalizes', () => {
    assert.equal(resolveIn('/app', 'src/../lib/'), '/app/lib');
    assert.equal(resolveIn('/app', '/srv'), '/srv');
    assert.equal(resolveIn('/', '.'), '/');
  });

  test('a cache mount covers its target and below, not a sibling with the same prefix', () => {
    const mount = (target: string): RunMount => ({ type: 'cache', target, options: new Map() }) as unknown as RunMount;
    assert.ok(coveringCacheMount([mount('/root/.cache')], '/root/.cache/pip'));
    assert.ok(coveringCacheMount([mount('/')], '/root/.npm'));
    assert.equal(coveringCacheMount([mount('/root/.cache/pi')], '/root/.cache/pip'), undefined);
  });
});

describe('host paths', () => {
  const dir = path.resolve('/work/ctx');
  test('a name starting with `..` is inside; `../x` and the folder itself are not', () => {
    assert.equal(isInsideDir(dir, '..data/file'), true);
    assert.equal(isInsideDir(dir, 'a/b'), true);
    assert.equal(isInsideDir(dir, '../ctx-evil/x'), false);
    assert.equal(isInsideDir(dir, '.'), false);
  });
});
