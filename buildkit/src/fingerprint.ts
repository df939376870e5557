/**
 * What a build's cache keys depend on that dockopt can see from outside BuildKit: each
 * step's instruction text, the context files each COPY/ADD reads, and each stage's base
 * image. Taken when a build starts and stored with it, so the next build can say why a
 * step missed the cache.
 */
import * as path from 'node:path';
import { readTextFile } from '../../shared/src/files/safe-read';
import type { DockerfileSteps } from './dockerfile-steps';
import { hashCopySources, ignoreFileFor, type SourceDigest } from './context-sources';

export interface StepFingerprint {
  line: number;
  stageIndex: number;
  /** The stage's name, or `stage-N`: how the next build finds the same stage. */
  stage: string;
  stepIndex: number;
  keyword: string;
  text: string;
  sources?: SourceDigest;
}

export interface BaseImageFingerprint {
  stageIndex: number;
  ref: string;
  /** Image ID as the client reports it; null when it could not be inspected. */
  id: string | null;
}

export interface BuildFingerprint {
  steps: StepFingerprint[];
  baseImages: BaseImageFingerprint[];
  buildArgs: Record<string, string>;
  /** The ignore file that applied, relative to nothing: absolute, or null when none exists. */
  ignoreFile: string | null;
  /**
   * Its text ('' when none exists; null when too big to keep): tells the next build which
   * files a .dockerignore change newly excluded or included. Absent in older records.
   */
  ignoreText?: string | null;
}

/** Ignore files above this size are not kept in the history (their effect is then "files changed"). */
export const MAX_KEPT_IGNORE_TEXT = 64 * 1024;

export interface FingerprintInput {
  dockerfile: string;
  contextDir: string;
  buildArgs?: Record<string, string>;
  /** Resolves an image reference to its ID (e.g. `docker image inspect`); null when unknown. */
  inspectImage?: (ref: string) => Promise<string | null>;
}

export function stageLabel(layout: DockerfileSteps, stageIndex: number): string {
  return layout.stages[stageIndex]?.name ?? `stage-${stageIndex}`;
}

export async function fingerprintBuild(layout: DockerfileSteps, input: FingerprintInput): Promise<BuildFingerprint> {
  const ignoreFile = ignoreFileFor(input.dockerfile, input.contextDir);
  const sourcesPromise = hashCopySources(input.contextDir, ignoreFile, layout.instructions).catch(
    () => new Map<number, SourceDigest>(),
  );
  const stageNames = new Set(layout.stages.map((s) => s.name).filter(Boolean));
  const baseImages = await Promise.all(
    layout.stages
      // Stages built on an earlier stage, `scratch` and refs with variables have no image to inspect.
      .filter((s) => s.base && !stageNames.has(s.base.toLowerCase()) && s.base !== 'scratch' && !s.base.includes('$'))
      .map(async (s) => ({
        stageIndex: s.index,
        ref: s.base,
        id: input.inspectImage ? await input.inspectImage(s.base).catch(() => null) : null,
      })),
  );
  const ignoreText = ignoreFile.exists ? await readIgnoreText(ignoreFile.path, input.contextDir) : '';
  const sources = await sourcesPromise;
  const steps: StepFingerprint[] = layout.instructions
    .filter((i) => i.stepIndex !== null)
    .map((i) => ({
      line: i.line,
      stageIndex: i.stageIndex,
      stage: stageLabel(layout, i.stageIndex),
      stepIndex: i.stepIndex!,
      keyword: i.keyword,
      text: i.text,
      ...(sources.has(i.line) ? { sources: sources.get(i.line) } : {}),
    }));
  return { steps, baseImages, buildArgs: { ...(input.buildArgs ?? {}) }, ignoreFile: ignoreFile.exists ? ignoreFile.path : null, ignoreText };
}

async function readIgnoreText(file: string, contextDir: string): Promise<string | null> {
  const read = await readTextFile(file, [path.dirname(file), contextDir]).catch(() => undefined);
  return read?.kind === 'text' && read.text.length <= MAX_KEPT_IGNORE_TEXT ? read.text : null;
}
