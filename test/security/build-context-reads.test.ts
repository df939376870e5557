/**
 * What the build runner reads of a build context to explain a cache miss: a FIFO, a link to a
 * device and a link out of the context must neither block it nor be read through.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashCopySources, ignoreFileFor } from '../../buildkit/src/context-sources';
import { readDockerfileSteps } from '../../buildkit/src/dockerfile-steps';
import { startServiceBuild } from '../../buildkit/src/build-service';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

test('hashing COPY sources skips FIFOs and hashes links by their text, without hanging', async () => {
  const dir = makeWorkspace({ 'app/main.py': 'print(1)\n', 'Dockerfile': 'FROM python:3.12\nCOPY app/ /app/\n' });
  try {
    execFileSync('mkfifo', [join(dir, 'app/pipe')]);
    symlinkSync('/dev/zero', join(dir, 'app/zero'));
    symlinkSync('/etc/passwd', join(dir, 'app/passwd'));
    const steps = readDockerfileSteps('FROM python:3.12\nCOPY app/ /app/\n');
    const digests = await hashCopySources(dir, ignoreFileFor(join(dir, 'Dockerfile'), dir), steps.instructions);
    const copy = digests.get(1)!;
    // The listing has no FIFO in it; the links are there, hashed by their text, not by /dev/zero's endless bytes.
    assert.deepEqual(Object.keys(copy.files!).sort(), ['app/main.py', 'app/passwd', 'app/zero']);
    symlinkSync('/etc/hostname', join(dir, 'app/zero2'));
    const again = (await hashCopySources(dir, ignoreFileFor(join(dir, 'Dockerfile'), dir), steps.instructions)).get(1)!;
    assert.equal(again.files!['app/zero'], copy.files!['app/zero'], 'a link hashes the same while its text is the same');
  } finally {
    removeWorkspace(dir);
  }
});

test('a build of a FIFO Dockerfile fails at once with the reason, before any client runs', async () => {
  const dir = makeWorkspace({});
  try {
    execFileSync('mkfifo', [join(dir, 'Dockerfile')]);
    const { result } = startServiceBuild({ dockerfile: join(dir, 'Dockerfile'), context: dir }, { command: '/bin/false' });
    const { run } = await result;
    assert.equal(run.status, 'error');
    assert.match(run.problem?.message ?? '', /Cannot read the Dockerfile .*Dockerfile/);
  } finally {
    removeWorkspace(dir);
  }
});
