/**
 * dockerignore-incomplete: the .dockerignore a build reads lets through files that the
 * recommended patterns exclude (VCS dirs, docs, tests, logs, caches, virtualenvs, .env, editor
 * files) and that really are in the context. The fix appends only those patterns, below the
 * user's own lines, which stay untouched; once it has written its header, later fixes add their
 * patterns under it.
 */
import * as path from 'node:path';
import type { BuildContext } from '../workspace/build-context';
import { createRule } from './create-rule';
import { reportRange } from './dockerignore-missing';
import { buildInputs, inputsOfText } from '../dockerignore/build-inputs';
import { appendEdit } from '../dockerignore/ignore-file-text';
import type { PatternPlan } from '../dockerignore/pattern-groups';
import { buildsToProtect, describeSize, listDrops, planPatterns, type BuildToProtect } from '../dockerignore/recommended-patterns';
import type { Fix } from './types';

export const rule = createRule({
  meta: {
    id: 'dockerignore-incomplete',
    defaultSeverity: 'warning',
    docs: {
      title: 'Keep caches, VCS and local files out of the context',
      description: 'Files that a .dockerignore should exclude (VCS dirs, docs, tests, logs, caches, virtualenvs, .env) are sent with the build context.',
    },
    messages: {
      letsThrough: '{{file}} lets {{size}} into the build context that the image does not need: add {{drops}}.',
    },
    fixable: true,
    scope: 'build',
  },
  create(context) {
    return {
      // The patterns depend on every COPY, ADD and RUN of the file: checked once it is walked.
      'Dockerfile:exit'() {
        const { model, buildContext: build } = context;
        if (!build?.scan || !build.ignoreFile.exists || build.ignoreFile.text === undefined) return;
        const range = reportRange(model);
        if (!range) return;
        const text = build.ignoreFile.text;
        const plan = planPatterns(text, buildsToProtect({ ...build, scan: build.scan }, buildInputs(model)), true);
        if (plan.entries.length === 0) return;
        const name = path.relative(path.dirname(context.path), build.ignoreFile.path).split(path.sep).join('/');
        // An array, not lazy: the fix writes the .dockerignore, which the engine must see to refuse it.
        context.report({ range, messageId: 'letsThrough', data: dataOf(name, plan), fixes: [fixOf(build.ignoreFile.path, name, text, plan)] });
      },
    };
  },
  dockerignore(context) {
    const readers = context.builds.filter((b) => b.ignoreFile.path === context.path);
    if (readers.length === 0 || readers.some((b) => !b.scan || b.dockerfileText === undefined)) return;
    const plan = planPatterns(context.text, protectAll(readers), true);
    if (plan.entries.length === 0) return;
    const firstLine = context.text.split(/\r?\n|\r/, 1)[0];
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
    const name = path.basename(context.path);
    context.report({ range, messageId: 'letsThrough', data: dataOf(name, plan), fixes: [fixOf(context.path, name, context.text, plan)] });
  },
});

const APPENDED_TITLE = 'dockopt: recommended patterns for files found in the build context';

/** Every Dockerfile that reads the file, once each, in the order the Dockerfile side lists them. */
function protectAll(readers: readonly BuildContext[]): BuildToProtect[] {
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

function dataOf(file: string, plan: PatternPlan) {
  return { file, size: describeSize(plan.files, plan.bytes, plan.truncated), drops: listDrops(plan) };
}

function fixOf(filePath: string, name: string, text: string, plan: PatternPlan): Fix {
  return {
    title: `Add ${plan.entries.length} recommended pattern${plan.entries.length === 1 ? '' : 's'} to ${name}`,
    isPreferred: true,
    changes: [{ kind: 'edit', path: filePath, edits: [appendEdit(text, APPENDED_TITLE, plan.entries.flatMap((e) => e.lines), 'patterns')] }],
  };
}
