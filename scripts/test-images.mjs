// Before `npm test` runs the BuildKit suites: the stand-in base images they need, made when a
// daemon answers (scripts/test.mjs calls this; `node scripts/test-images.mjs` runs it alone).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { run } from './ensure-deps.mjs';

/** test/build/docker-gate.ts skips the BuildKit suites without these. */
export const REQUIRED_IMAGES = ['local/busybox:1', 'python:3.12-slim'];

/**
 * The BuildKit suites need local base images (test/build/docker-gate.ts lists them). When a
 * daemon answers and one is missing, scripts/docker-setup.sh makes them (it skips its install
 * and daemon steps, already done); without a daemon, or without busybox to build them from,
 * nothing is done here and those suites skip with the reason, listed at the end.
 */
export function prepareDockerImages() {
  const docker = process.env.DOCKOPT_TEST_DOCKER ?? '/usr/bin/docker';
  const quiet = { stdio: 'ignore', timeout: 20_000 };
  if (!existsSync(docker) || spawnSync(docker, ['info'], quiet).status !== 0) return;
  if (REQUIRED_IMAGES.every((image) => spawnSync(docker, ['image', 'inspect', image], quiet).status === 0)) return;
  if (!existsSync('/bin/busybox')) {
    console.error('npm test: stand-in base images are missing and /bin/busybox (package busybox-static) is not here to build them: the BuildKit suites will skip.');
    return;
  }
  console.error('npm test: preparing the stand-in base images (scripts/docker-setup.sh)…');
  if (run('bash', ['scripts/docker-setup.sh']) !== 0) console.error('npm test: scripts/docker-setup.sh failed; the BuildKit suites will skip (see above).');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) prepareDockerImages();
