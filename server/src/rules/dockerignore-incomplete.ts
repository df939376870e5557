/**
 * dockerignore-incomplete: the .dockerignore a build reads lets through files that the
 * recommended patterns exclude (VCS dirs, docs, tests, logs, caches, virtualenvs, .env, editor
 * files) and that really are in the context. The fix appends only those patterns, below the
 * user's own lines, which stay untouched; once it has written its header, later fixes add their
 * patterns under it.
 */
import * as path from 'node:path';
import type { BuildContext } from '../workspace/build-context';
import { reportRange } from './dockerignore-missing';
import {
  appendEdit,
  buildInputs,
  buildsToProtect,
  describeSize,
  inputsOfText,
  listDrops,
  planPatterns,
  type BuildToProtect,
  type PatternPlan,
} from './dockerignore-patterns';
import type { DockerfileCheckContext, DockerignoreCheckContext, Finding, Fix, Rule, RuleMeta } from './types';

export const meta: RuleMeta = {
  id: 'dockerignore-incomplete',
  defaultSeverity: 'warning',
  description: 'Files that a .dockerignore should exclude (VCS dirs, docs, tests, logs, caches, virtualenvs, .env) are sent with the build context.',
  fixable: true,
  perBuild: true,
};

export const rule: Rule = { meta, checkDockerfile, checkDockerignore };

const APPENDED_TITLE = 'dockopt: recommended patterns for files found in the build context';

function checkDockerfile(ctx: DockerfileCheckContext): Finding[] {
  const build = ctx.buildContext;
  if (!build?.scan || !build.ignoreFile.exists || build.ignoreFile.text === undefined) return [];
  const range = reportRange(ctx.model);
  if (!range) return [];
  const text = build.ignoreFile.text;
  const plan = planPatterns(text, buildsToProtect({ ...build, scan: build.scan }, buildInputs(ctx.model)), true);
  if (plan.entries.length === 0) return [];
  const name = path.relative(path.dirname(ctx.path), build.ignoreFile.path).split(path.sep).join('/');
  return [{ ruleId: meta.id, path: ctx.path, range, message: messageOf(name, plan), fixes: [fixOf(build.ignoreFile.path, name, text, plan)] }];
}

function checkDockerignore(ctx: DockerignoreCheckContext): Finding[] {
  const readers = ctx.builds.filter((b) => b.ignoreFile.path === ctx.path);
  if (readers.length === 0 || readers.some((b) => !b.scan || b.dockerfileText === undefined)) return [];
  const plan = planPatterns(ctx.text, protectAll(readers), true);
  if (plan.entries.length === 0) return [];
  const firstLine = ctx.text.split(/\r?\n|\r/, 1)[0];
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
  const name = path.basename(ctx.path);
  return [{ ruleId: meta.id, path: ctx.path, range, message: messageOf(name, plan), fixes: [fixOf(ctx.path, name, ctx.text, plan)] }];
}

/** Every Dockerfile that reads the file, once each, in the order the Dockerfile side lists them. */
function protectAll(readers: BuildContext[]): BuildToProtect[] {
  const seen = new Set<string>();
  const out: BuildToProtect[] = [];
  for (const build of readers) {
    for (const { dockerfilePath, dockerfileText } of [{ dockerfilePath: build.dockerfilePath, dockerfileText: build.dockerfileText! }, ...(build.coReaders ?? [])]) {
      const key = `${build.contextDir}\0${dockerfilePath}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ scan: build.scan!, inputs: inputsOfText(dockerfileText).inputs, readFile: build.readFile?.bind(build) });
    }
  }
  return out;
}

function messageOf(name: string, plan: PatternPlan): string {
  return (
    `${name} lets ${describeSize(plan.files, plan.bytes, plan.truncated)} into the build context ` +
    `that the image does not need: add ${listDrops(plan)}.`
  );
}

function fixOf(filePath: string, name: string, text: string, plan: PatternPlan): Fix {
  return {
    title: `Add ${plan.entries.length} recommended pattern${plan.entries.length === 1 ? '' : 's'} to ${name}`,
    isPreferred: true,
    changes: [{ kind: 'edit', path: filePath, edits: [appendEdit(text, APPENDED_TITLE, plan.entries.flatMap((e) => e.lines), 'patterns')] }],
  };
}
