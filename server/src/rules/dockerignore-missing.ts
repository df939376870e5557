/**
 * dockerignore-missing: no .dockerignore is read for this build, so BuildKit sends the whole
 * context (`.git`, `node_modules`, caches, logs…) and any change in it can invalidate the layers
 * of a broad COPY. The fix creates the file BuildKit would read, with the recommended patterns
 * that are safe for this Dockerfile (and the patterns of an unread .dockerignore beside it).
 *
 * Reported only when the recommended patterns would leave out files that really are in the
 * context: a .dockerignore that excludes nothing is not worth a warning, nor a new file.
 */
import * as path from 'node:path';
import type { DockerfileModel } from '../dockerfile/model';
import { contextElsewhere } from '../workspace/context-guess';
import { createRule } from './create-rule';
import { buildInputs } from '../dockerignore/build-inputs';
import { newIgnoreFileText } from '../dockerignore/ignore-file-text';
import { buildsToProtect, describeSize, listDrops, planPatterns } from '../dockerignore/recommended-patterns';
import type { Range } from './types';

const NO_IGNORE_FILE = 'No .dockerignore is read for this build: BuildKit sends the whole context';
const LEFT_OUT = 'The recommended patterns would leave out {{sparedSize}}: {{drops}}.';

export const rule = createRule({
  meta: {
    id: 'dockerignore-missing',
    defaultSeverity: 'warning',
    docs: {
      title: 'Add a .dockerignore to the build context',
      description: 'The build context has no .dockerignore, so BuildKit sends every file in it.',
    },
    messages: {
      noIgnoreFile: `${NO_IGNORE_FILE} ({{contextSize}}). ${LEFT_OUT}`,
      noIgnoreFileContextAbove: `${NO_IGNORE_FILE} {{context}} ({{contextSize}}). ${LEFT_OUT}`,
      noIgnoreFileBesideUnread:
        `${NO_IGNORE_FILE} {{context}} ({{contextSize}}). ${LEFT_OUT} ` +
        'The {{unread}} beside this Dockerfile is not read: the context is elsewhere.',
      contextProbablyAbove:
        'This Dockerfile copies {{sources}}, which is not in its folder but in {{dir}}: it is probably built with ' +
        '{{dir}} as its context, so no .dockerignore is created here. Tell dockopt with the setting ' +
        '"dockopt.contextOverrides" (or a compose file) to check the context it is really built with.',
    },
    fixable: true,
    scope: 'build',
  },
  create(context) {
    return {
      // The patterns depend on every COPY, ADD and RUN of the file: checked once it is walked.
      'Dockerfile:exit'() {
        const { model, buildContext: build } = context;
        if (!build?.scan || build.ignoreFile.exists) return;
        const range = reportRange(model);
        if (!range) return;
        const fromDockerfile = (p: string) => path.relative(path.dirname(context.path), p).split(path.sep).join('/') || '.';

        const inputs = buildInputs(model);
        const elsewhere = contextElsewhere(build, inputs.sources);
        if (elsewhere) {
          // The guessed context is wrong: a .dockerignore here would be one no build reads.
          const shown = elsewhere.missing.slice(0, 3).join(', ') + (elsewhere.missing.length > 3 ? ` and ${elsewhere.missing.length - 3} more` : '');
          context.report({ range, messageId: 'contextProbablyAbove', data: { sources: shown, dir: fromDockerfile(elsewhere.dir) } });
          return;
        }
        const scan = build.scan;
        const spared = planPatterns(undefined, buildsToProtect({ ...build, scan }, inputs), true);
        if (spared.entries.length === 0) return;
        const target = build.ignoreFile.path;
        const total = scan.files.reduce((sum, f) => sum + f.size, 0);
        const contextName = fromDockerfile(build.contextDir);
        // The workspace sets unreadIgnoreFile only for a context other than the Dockerfile's folder.
        const messageId = build.unreadIgnoreFile ? 'noIgnoreFileBesideUnread' : contextName === '.' ? 'noIgnoreFile' : 'noIgnoreFileContextAbove';
        context.report({
          range,
          messageId,
          data: {
            context: contextName,
            contextSize: describeSize(scan.files.length, total, scan.truncated),
            sparedSize: describeSize(spared.files, spared.bytes, spared.truncated),
            drops: listDrops(spared),
            ...(build.unreadIgnoreFile && { unread: fromDockerfile(build.unreadIgnoreFile.path) }),
          },
          // An array, not lazy: the fix writes another file, which the engine must see to refuse it.
          fixes: [
            {
              title: `Create ${fromDockerfile(target)} with the recommended patterns`,
              isPreferred: true,
              changes: [{ kind: 'create', path: target, text: newIgnoreFileText(build, target, inputs, model.eol) }],
            },
          ],
        });
      },
    };
  },
});

/** The first line of the first FROM (or of the first instruction): where a build starts. */
export function reportRange(model: DockerfileModel): Range | undefined {
  const info = model.instructions.find((i) => i.keyword === 'FROM') ?? model.instructions[0];
  if (!info) return undefined;
  const lineEnd = model.text.slice(info.startOffset).search(/\r?\n|\r/);
  const end = lineEnd < 0 || info.startOffset + lineEnd > info.endOffset ? info.endOffset : info.startOffset + lineEnd;
  return model.rangeOf(info.startOffset, end);
}
