/**
 * Which .dockerignore BuildKit reads for a build: `<Dockerfile>.dockerignore` beside the
 * Dockerfile when it exists, else `<context>/.dockerignore`. One place for the rule, used by
 * the workspace model (for checks) and the build runner (for hashing what a COPY sends).
 */
import * as path from 'node:path';

export interface IgnoreFileCandidate {
  path: string;
  kind: 'dockerfile-specific' | 'context-root';
}

/** The candidates in BuildKit's order of preference. */
export function ignoreFileCandidates(dockerfilePath: string, contextDir: string): [IgnoreFileCandidate, IgnoreFileCandidate] {
  return [
    { path: `${dockerfilePath}.dockerignore`, kind: 'dockerfile-specific' },
    { path: path.join(contextDir, '.dockerignore'), kind: 'context-root' },
  ];
}
