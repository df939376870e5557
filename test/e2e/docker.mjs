// The docker daemon the build scenario needs, and the local stand-ins for the example's base
// images (no image can be pulled on these machines): scripts/test-images.mjs makes the busybox
// base, scripts/example-images.sh the python/node/nginx stand-ins on it. Both are idempotent.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { prepareDockerImages } from '../../scripts/test-images.mjs';

/** Debian's client: the first `docker` on PATH wants a buildx plugin for BuildKit builds. */
const CLIENT = process.env.DOCKOPT_TEST_DOCKER ?? '/usr/bin/docker';

/**
 * `{ client, answered, ready, reason }`: `answered` when a daemon answers (the build scenario
 * skips only when none does), `ready` when the stand-in images are there too.
 */
export function dockerDaemon(root, log) {
  if (!existsSync(CLIENT)) return { client: CLIENT, answered: false, ready: false, reason: `no docker client at ${CLIENT}` };
  if (spawnSync(CLIENT, ['info'], { stdio: 'ignore', timeout: 20_000 }).status !== 0) {
    return { client: CLIENT, answered: false, ready: false, reason: `no docker daemon answers '${CLIENT} info'` };
  }
  prepareDockerImages();
  const images = spawnSync('bash', ['scripts/example-images.sh'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (images.status !== 0) return { client: CLIENT, answered: true, ready: false, reason: `scripts/example-images.sh failed: ${images.stderr.trim()}` };
  log('docker daemon and stand-in base images ready');
  return { client: CLIENT, answered: true, ready: true };
}
