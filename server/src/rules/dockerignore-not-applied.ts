/**
 * dockerignore-not-applied: a .dockerignore that no build reads, because the Dockerfile beside it
 * is built with a context elsewhere (compose `context: .` + `dockerfile: services/x/Dockerfile`,
 * `docker build -f services/x/Dockerfile .`) or because a `<Dockerfile>.dockerignore` wins.
 * BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile first, then `<context>/.dockerignore`.
 *
 * The fix copies the patterns, rewritten relative to the context, to `<Dockerfile>.dockerignore`
 * (created like dockerignore-missing creates it, or appended to when it exists: only the lines
 * it lacks, under the header an earlier copy wrote if there is one). The original
 * file stays: `docker build services/x` still reads it. Once its patterns are in the file the
 * build reads, the rule is quiet.
 */
import * as path from 'node:path';
import type { BuildContext } from '../workspace/build-context';
import { parseIgnoreLines } from '../../../shared/src/dockerignore/ignore-matcher';
import { createRule, type DockerignoreRuleContext } from './create-rule';
import { inputsOfText } from '../dockerignore/build-inputs';
import { appendEdit, newIgnoreFileText, patternsPresent, rewriteForContext } from '../dockerignore/ignore-file-text';
import type { FileChange, Fix } from './types';

export const rule = createRule({
  meta: {
    id: 'dockerignore-not-applied',
    defaultSeverity: 'warning',
    docs: {
      title: 'Put the .dockerignore where the build reads it',
      description: 'A .dockerignore that no build reads, because the build context of the Dockerfile beside it is elsewhere.',
    },
    // {{reasons}} is one clause per Dockerfile beside the file ("compose service x builds
    // Dockerfile with context ../.. and reads no .dockerignore"), joined by "; ": their number
    // varies, so the clauses cannot be messages of their own.
    messages: {
      notApplied: 'No build reads this .dockerignore: {{reasons}}. Its patterns have no effect there.',
      notAppliedOutsideContext: 'No build reads this .dockerignore: {{reasons}}. Its paths cannot be rewritten for that context; move them by hand.',
    },
    fixable: true,
    scope: 'dockerignore',
  },
  dockerignore(context) {
    if (context.builds.some((b) => b.ignoreFile.path === context.path)) return;
    if (parseIgnoreLines(context.text).length === 0) return; // nothing in it to lose
    const dir = path.dirname(context.path);
    const stranded = context.builds.filter((b) => path.dirname(b.dockerfilePath) === dir);
    if (stranded.length === 0 || stranded.some((b) => !b.scan)) return;

    const rel = (p: string) => path.relative(dir, p).split(path.sep).join('/') || '.';
    const preferred: FileChange[] = [];
    const toContextRoot: FileChange[] = [];
    const reasons: string[] = [];
    let unfixable = false;

    for (const [dockerfilePath, builds] of groupBy(stranded, (b) => b.dockerfilePath)) {
      const contexts = new Set(builds.map((b) => b.contextDir));
      const build = builds[0];
      const moved = rewriteForContext(context.text, dir, build.contextDir);
      if (moved && contexts.size === 1 && patternsPresent(moved, build.ignoreFile.exists ? build.ignoreFile.text : undefined)) {
        continue; // already applied where BuildKit reads
      }
      reasons.push(reasonOf(build, rel));
      if (!moved || contexts.size > 1) {
        unfixable = true; // outside the context, or one Dockerfile built with several contexts
        continue;
      }
      preferred.push(changeToDockerfileSpecific(build, dockerfilePath, context, moved));
      if (!(build.ignoreFile.exists && build.ignoreFile.kind === 'dockerfile-specific')) {
        const rootFile = path.join(build.contextDir, '.dockerignore');
        const exists = build.ignoreFile.exists && build.ignoreFile.path === rootFile;
        if (!toContextRoot.some((c) => c.path === rootFile)) toContextRoot.push(appendOrCreate({ path: rootFile, exists, text: exists ? build.ignoreFile.text : undefined }, moved, context.text));
      }
    }
    if (reasons.length === 0) return;

    const fixes: Fix[] = [];
    if (preferred.length > 0) {
      const names = preferred.map((c) => rel(c.path)).join(', ');
      fixes.push({ title: `Copy these patterns to ${names}, which BuildKit reads`, isPreferred: true, changes: preferred });
    }
    if (toContextRoot.length > 0) {
      const names = [...new Set(toContextRoot.map((c) => rel(c.path)))].join(', ');
      fixes.push({ title: `Copy these patterns to ${names} (the context root; other builds of it read it too)`, isPreferred: false, changes: toContextRoot });
    }
    const firstLine = context.text.split(/\r?\n|\r/, 1)[0];
    context.report({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } },
      messageId: unfixable ? 'notAppliedOutsideContext' : 'notApplied',
      data: { reasons: reasons.join('; ') },
      fixes, // an array, not lazy: they write other files, which the engine must see to refuse them
    });
  },
});

function reasonOf(build: BuildContext, rel: (p: string) => string): string {
  const who = build.service ? `compose service ${build.service} builds ${rel(build.dockerfilePath)}` : `${rel(build.dockerfilePath)} is built`;
  const reads = build.ignoreFile.exists ? `reads ${rel(build.ignoreFile.path)}` : 'reads no .dockerignore';
  return `${who} with context ${rel(build.contextDir)} and ${reads}`;
}

/** `<Dockerfile>.dockerignore`: appended to when it exists, else created as dockerignore-missing would. */
function changeToDockerfileSpecific(build: BuildContext, dockerfilePath: string, context: DockerignoreRuleContext<string>, moved: string[]): FileChange {
  const target = `${dockerfilePath}.dockerignore`;
  if (build.ignoreFile.exists && build.ignoreFile.path === target) return appendOrCreate(build.ignoreFile, moved, context.text);
  const { inputs, eol } = inputsOfText(build.dockerfileText ?? '');
  const withStray: BuildContext = { ...build, unreadIgnoreFile: { path: context.path, text: context.text } };
  return { kind: 'create', path: target, text: newIgnoreFileText(withStray, target, inputs, eol) };
}

function appendOrCreate(file: { path: string; exists: boolean; text?: string }, moved: string[], sourceText: string): FileChange {
  const title = 'dockopt: patterns of an unread .dockerignore, rewritten relative to the context';
  if (file.exists) return { kind: 'edit', path: file.path, edits: [appendEdit(file.text ?? '', title, missingLines(moved, file.text ?? ''), 'lines')] };
  const eol = /\r\n/.test(sourceText) ? '\r\n' : '\n';
  return { kind: 'create', path: file.path, text: appendEdit('', title, moved).newText.replace(/\r?\n/g, eol) };
}

/**
 * The moved lines the file lacks: rules it does not have yet and comments it does not hold, with
 * blank lines only between lines kept. After a first copy, a second one (the unread file gained a
 * pattern) adds the new patterns rather than everything again.
 */
function missingLines(moved: readonly string[], targetText: string): string[] {
  const key = (r: { pattern: string; exception: boolean }) => `${r.exception ? '!' : ''}${r.pattern}`;
  const have = new Set(parseIgnoreLines(targetText).map(key));
  const written = new Set(targetText.split(/\r?\n|\r/).map((l) => l.trimEnd()));
  const kept: string[] = [];
  for (const line of moved) {
    if (line.trim() === '') {
      if (kept.length > 0 && kept[kept.length - 1].trim() !== '') kept.push(line);
      continue;
    }
    // A comment (or a line that is no rule) is new when the file does not hold it already.
    const rules = line.startsWith('#') ? [] : parseIgnoreLines(line);
    const present = rules.length > 0 ? rules.every((r) => have.has(key(r))) : written.has(line.trimEnd());
    if (!present) kept.push(line);
  }
  while (kept.length > 0 && kept[kept.length - 1].trim() === '') kept.pop();
  return kept;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(keyOf(item), [...(map.get(keyOf(item)) ?? []), item]);
  return map;
}
