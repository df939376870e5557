/**
 * Small real builds for the tests that prove a fixed Dockerfile still builds: write a folder's
 * files, build it with BuildKit (no network, the local base images of docker-gate.ts), and say
 * whether and why it failed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEST_DOCKER } from './docker-gate';

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

/** Builds the folder's Dockerfile; returns the error output when the build fails. */
export function buildFails(dir: string): string | undefined {
  try {
    execFileSync(TEST_DOCKER, ['build', '--network=none', '-q', '.'], {
      cwd: dir,
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return undefined;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

/** A line as one single-quoted shell word (for `printf '%s\n' … > /bin/tool` stand-ins). */
export function shellQuote(line: string): string {
  return `'${line.replace(/'/g, `'\\''`)}'`;
}
