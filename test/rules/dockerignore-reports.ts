/**
 * The .dockerignore rules' reports (messageId, line, data) on a real test workspace, where the
 * findings of dockerignore-workspace.ts carry only the formatted message; and an in-memory build
 * for RuleTester tables, whose context holds exactly the files given.
 */
import * as path from 'node:path';
import type { ContractRule } from '../../server/src/rules/create-rule';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { dockerignoreReportsOf, reportsOf, type RecordedReport } from '../helpers/rule-tester';
import type { TestWorkspace } from './dockerignore-workspace';

/** The rule's reports on a Dockerfile of the workspace, one build after the other. */
export async function reportsOnDockerfile(w: TestWorkspace, rule: ContractRule, rel: string): Promise<RecordedReport[]> {
  const dockerfile = w.at(rel);
  await w.ws.ensureScans(w.ws.buildsFor(dockerfile));
  return w.ws.buildsFor(dockerfile).flatMap((buildContext) => reportsOf(rule, w.read(rel) ?? '', { path: dockerfile, buildContext }).reports);
}

/** The rule's reports on a .dockerignore of the workspace (read from disk). */
export async function reportsOnIgnoreFile(w: TestWorkspace, rule: ContractRule, rel: string): Promise<RecordedReport[]> {
  const file = w.at(rel);
  await w.ws.ensureScans(w.ws.buildsForIgnoreFile(file));
  return dockerignoreReportsOf(rule, { path: file, text: w.read(rel) ?? '', builds: w.ws.buildsForIgnoreFile(file) }).reports;
}

export const CONTEXT_DIR = '/work/app';

/**
 * A build of `<CONTEXT_DIR>/<dockerfile>` with CONTEXT_DIR as its context, holding exactly `files`
 * (relative path → text; sizes are the texts' lengths, in the scan's sorted order). Its
 * .dockerignore is chosen as the workspace chooses it: `<dockerfile>.dockerignore`, else the
 * context's `.dockerignore`, else (to be created) the first for a Dockerfile below the context
 * root; a `.dockerignore` beside a Dockerfile below the root is its unread one.
 */
export function buildOf(files: Readonly<Record<string, string>>, dockerfile = 'Dockerfile', extra: Partial<BuildContext> = {}): BuildContext {
  const specific = `${dockerfile}.dockerignore`;
  const beside = path.posix.join(path.posix.dirname(dockerfile), '.dockerignore');
  const atRoot = path.posix.dirname(dockerfile) === '.';
  const ignoreRel = Object.hasOwn(files, specific) ? specific : Object.hasOwn(files, '.dockerignore') || atRoot ? '.dockerignore' : specific;
  const paths = Object.keys(files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const at = (rel: string) => path.posix.join(CONTEXT_DIR, rel);
  return {
    dockerfilePath: at(dockerfile),
    contextDir: CONTEXT_DIR,
    source: 'dockerfile-folder',
    ignoreFile: { path: at(ignoreRel), kind: ignoreRel === specific ? 'dockerfile-specific' : 'context-root', exists: Object.hasOwn(files, ignoreRel), text: files[ignoreRel] },
    ...(beside !== ignoreRel && Object.hasOwn(files, beside) && { unreadIgnoreFile: { path: at(beside), text: files[beside] } }),
    scan: { files: paths.map((p) => ({ path: p, size: Buffer.byteLength(files[p]) })), truncated: false },
    readFile: (rel: string) => (Object.hasOwn(files, rel) ? files[rel] : undefined),
    ...extra,
  };
}
