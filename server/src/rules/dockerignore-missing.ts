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
import { contextElsewhere } from './context-guess';
import { buildInputs, buildsToProtect, describeSize, listDrops, newIgnoreFileText, planPatterns } from './dockerignore-patterns';
import type { DockerfileCheckContext, Finding, Range, Rule, RuleMeta } from './types';

export const meta: RuleMeta = {
  id: 'dockerignore-missing',
  defaultSeverity: 'warning',
  description: 'The build context has no .dockerignore, so BuildKit sends every file in it.',
  fixable: true,
  perBuild: true,
};

export const rule: Rule = { meta, checkDockerfile };

function checkDockerfile(ctx: DockerfileCheckContext): Finding[] {
  const build = ctx.buildContext;
  if (!build?.scan || build.ignoreFile.exists) return [];
  const range = reportRange(ctx.model);
  if (!range) return [];

  const inputs = buildInputs(ctx.model);
  const elsewhere = contextElsewhere(build, inputs.sources);
  if (elsewhere) {
    // The guessed context is wrong: a .dockerignore here would be one no build reads.
    const fromDockerfile = (p: string) => path.relative(path.dirname(ctx.path), p).split(path.sep).join('/') || '.';
    const shown = elsewhere.missing.slice(0, 3).join(', ') + (elsewhere.missing.length > 3 ? ` and ${elsewhere.missing.length - 3} more` : '');
    return [
      {
        ruleId: meta.id,
        path: ctx.path,
        range,
        message:
          `This Dockerfile copies ${shown}, which is not in its folder but in ${fromDockerfile(elsewhere.dir)}: it is probably built with ` +
          `${fromDockerfile(elsewhere.dir)} as its context, so no .dockerignore is created here. Tell dockopt with the setting ` +
          `"dockopt.contextOverrides" (or a compose file) to check the context it is really built with.`,
        fixes: [],
      },
    ];
  }
  const spared = planPatterns(undefined, buildsToProtect({ ...build, scan: build.scan }, inputs), true);
  if (spared.entries.length === 0) return [];
  const target = build.ignoreFile.path;
  const text = newIgnoreFileText(build, target, inputs, ctx.model.eol);
  const total = build.scan.files.reduce((sum, f) => sum + f.size, 0);
  const fromDockerfile = (p: string) => path.relative(path.dirname(ctx.path), p).split(path.sep).join('/') || '.';

  const contextName = fromDockerfile(build.contextDir);
  let message =
    `No .dockerignore is read for this build: BuildKit sends the whole context${contextName === '.' ? '' : ` ${contextName}`} ` +
    `(${describeSize(build.scan.files.length, total, build.scan.truncated)}). ` +
    `The recommended patterns would leave out ${describeSize(spared.files, spared.bytes, spared.truncated)}: ${listDrops(spared)}.`;
  if (build.unreadIgnoreFile) {
    message += ` The ${fromDockerfile(build.unreadIgnoreFile.path)} beside this Dockerfile is not read: the context is elsewhere.`;
  }
  return [
    {
      ruleId: meta.id,
      path: ctx.path,
      range,
      message,
      fixes: [
        {
          title: `Create ${fromDockerfile(target)} with the recommended patterns`,
          isPreferred: true,
          changes: [{ kind: 'create', path: target, text }],
        },
      ],
    },
  ];
}

/** The first line of the first FROM (or of the first instruction): where a build starts. */
export function reportRange(model: DockerfileModel): Range | undefined {
  const info = model.instructions.find((i) => i.keyword === 'FROM') ?? model.instructions[0];
  if (!info) return undefined;
  const lineEnd = model.text.slice(info.startOffset).search(/\r?\n|\r/);
  const end = lineEnd < 0 || info.startOffset + lineEnd > info.endOffset ? info.endOffset : info.startOffset + lineEnd;
  return model.rangeOf(info.startOffset, end);
}
