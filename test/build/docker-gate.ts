/**
 * Whether a real BuildKit is here for the integration tests. Without one they skip with the
 * reason, except in CI (CI=true), where a missing daemon must fail the run instead.
 */
import { execFileSync } from 'node:child_process';

export const TEST_DOCKER = process.env.DOCKOPT_TEST_DOCKER ?? '/usr/bin/docker';
export const REQUIRED_IMAGES = ['local/busybox:1', 'python:3.12-slim'];

function dockerProblem(): string | null {
  try {
    execFileSync(TEST_DOCKER, ['info'], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    return `no docker daemon answers '${TEST_DOCKER} info' (run: bash scripts/docker-setup.sh)`;
  }
  for (const image of REQUIRED_IMAGES) {
    try {
      execFileSync(TEST_DOCKER, ['image', 'inspect', image], { stdio: 'ignore', timeout: 20_000 });
    } catch {
      return `the local base image ${image} is missing (run: bash scripts/docker-setup.sh)`;
    }
  }
  return null;
}

/** `false` when docker is usable; else the skip reason. Throws in CI, where skipping is not allowed. */
export function dockerSkipReason(): string | false {
  const problem = dockerProblem();
  if (problem && process.env.CI === 'true') {
    throw new Error(`BuildKit integration tests cannot run in CI: ${problem}`);
  }
  return problem ?? false;
}
