/**
 * Paths inside the image being built (posix, absolute): where WORKDIR points, where a COPY
 * lands, whether one path lies inside another. The one containment test for image paths; host
 * paths use shared/src/files/containment.ts.
 * Values Docker would expand from ENV are expanded; anything unknown (an ARG, the base
 * image's own WORKDIR) stays as written, so two spellings of one path still compare equal.
 */
import { posix } from 'node:path';
import type { InstructionInfo, Stage } from './model';
import { expandEnv } from './variables';
import { unquote } from '../../../shared/src/dockerfile/quotes';

/** The base image's WORKDIR is not known; `/` is Docker's default and what official images keep. */
const IMAGE_WORKDIR = '/';

/** `p` resolved against the absolute directory `base`, normalized, without a trailing slash. */
export function resolveIn(base: string, p: string): string {
  const joined = p.startsWith('/') ? p : `${base}/${p}`;
  const normalized = posix.normalize(joined);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

/** `path` relative to the directory `dir` when it lies inside it ('' for the directory itself). */
export function pathWithin(dir: string, path: string): string | undefined {
  if (path === dir) return '';
  const prefix = dir === '/' ? '/' : `${dir}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

/** Whether `path` is the directory `dir` or lies inside it (by components: `/apple` is not in `/app`). */
export function isWithin(dir: string, path: string): boolean {
  return pathWithin(dir, path) !== undefined;
}

/** Whether changing one path can change the other: one is the other or lies inside it. */
export function overlaps(a: string, b: string): boolean {
  return pathWithin(a, b) !== undefined || pathWithin(b, a) !== undefined;
}

/** The WORKDIR in force at each instruction of a stage (a child stage starts from its parent's). */
export function workdirsOf(stage: Stage, memo: Map<Stage, Map<InstructionInfo, string>>): Map<InstructionInfo, string> {
  const known = memo.get(stage);
  if (known) return known;
  const parentDirs = stage.parent && stage.parent.index < stage.index ? workdirsOf(stage.parent, memo) : undefined;
  const parentLast = stage.parent?.instructions[stage.parent.instructions.length - 1];
  let current = (parentLast && parentDirs?.get(parentLast)) ?? IMAGE_WORKDIR;
  const dirs = new Map<InstructionInfo, string>();
  for (const info of stage.instructions) {
    if (info.keyword === 'WORKDIR') {
      const arg = info.ast.getArguments()[0]?.getValue();
      if (arg) current = resolveIn(current, expandEnv(unquote(arg), info.env));
    }
    dirs.set(info, current);
  }
  memo.set(stage, dirs);
  return dirs;
}

const WORKDIR_MEMOS = new WeakMap<Stage, Map<Stage, Map<InstructionInfo, string>>>();

/** The WORKDIR in force at an instruction, the stage read once per parse (every RUN of a long stage asks). */
export function workdirAt(info: InstructionInfo): string | undefined {
  const stage = info.stage;
  if (!stage) return undefined;
  let memo = WORKDIR_MEMOS.get(stage);
  if (!memo) WORKDIR_MEMOS.set(stage, (memo = new Map()));
  return workdirsOf(stage, memo).get(info);
}
