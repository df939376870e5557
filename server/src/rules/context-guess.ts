/**
 * When the build context is only a guess (no compose file, dev container or setting names it,
 * so it is taken to be the Dockerfile's folder), the Dockerfile can prove the guess wrong: the
 * files it copies are not in that folder but in one above it, as with `docker build -f
 * services/api/Dockerfile .` run from the repository root. Then a .dockerignore written beside
 * the Dockerfile is one no build reads; better to say where the context probably is.
 */
import * as path from 'node:path';
import type { BuildContext } from '../workspace/build-context';

export interface ContextElsewhere {
  /** The folder above that holds the sources the guessed context lacks. */
  dir: string;
  /** Those sources, as the Dockerfile names them. */
  missing: string[];
}

const GLOB = /[*?[\]{}$]/;

export function contextElsewhere(build: BuildContext, sources: readonly string[]): ContextElsewhere | undefined {
  if (build.source !== 'dockerfile-folder' || !build.scan || build.scan.truncated || !build.findAbove) return undefined;
  const present = build.scan.files.map((f) => f.path);
  const missing = [...new Set(sources.map(cleanSource).filter((s): s is string => s !== undefined))].filter(
    (source) => !present.some((file) => file === source || file.startsWith(`${source}/`)),
  );
  if (missing.length === 0) return undefined;
  const found = missing.map((source) => build.findAbove!(source));
  const dir = found[0];
  if (!dir || found.some((d) => d !== dir)) return undefined; // not all in one place: no guess
  return { dir, missing };
}

/** A literal, context-relative source (`./src/` → `src`); undefined for globs, `.`, or paths out of the context. */
function cleanSource(source: string): string | undefined {
  if (GLOB.test(source) || /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return undefined;
  const clean = path.posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '');
  if (clean === '.' || clean === '' || clean.startsWith('../') || clean === '..') return undefined;
  return clean;
}
