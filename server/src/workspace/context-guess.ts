/**
 * When the build context is only a guess (no compose file, dev container or setting names it,
 * so it is taken to be the Dockerfile's folder), the Dockerfile can prove the guess wrong: the
 * files it copies are not in that folder but in one above it, as with `docker build -f
 * services/api/Dockerfile .` run from the repository root. Then a .dockerignore written beside
 * the Dockerfile is one no build reads; better to say where the context probably is.
 */
import { indicesUnder } from './context-scan';
import type { BuildContext } from './build-context';

export interface ContextElsewhere {
  /** The folder above that holds the sources the guessed context lacks. */
  dir: string;
  /** Those sources, as the Dockerfile names them. */
  missing: string[];
}

const GLOB = /[*?[\]{}$]/;

/** `sources` as buildInputs gives them: context-relative, cleaned, variables read as globs. */
export function contextElsewhere(build: BuildContext, sources: readonly string[]): ContextElsewhere | undefined {
  if (build.source !== 'dockerfile-folder' || !build.scan || build.scan.truncated || !build.findAbove) return undefined;
  const scan = build.scan;
  const literal = sources.filter((source) => source !== '.' && !GLOB.test(source));
  // The scan is sorted: a binary search per source, not a pass over every file.
  const missing = [...new Set(literal)].filter((source) => indicesUnder(scan, source).length === 0);
  if (missing.length === 0) return undefined;
  const found = missing.map((source) => build.findAbove!(source));
  const dir = found[0];
  if (!dir || found.some((d) => d !== dir)) return undefined; // not all in one place: no guess
  return { dir, missing };
}
