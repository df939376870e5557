/**
 * The official Python image's tags: which references name it, the Python version a tag runs
 * (`3.11`, `3.11.9`, `3`, `3.13.0rc1`) and its variant (`-slim-bookworm`, `-alpine3.19`), and
 * whether a variant exists for another version (the OS-pinned ones come and go with OS releases:
 * python/releases.ts lists them).
 */
import { normalizedRepository } from '../dockerfile/image-references';
import type { PythonRelease } from './releases';

/** Whether the repository is Docker Hub's official `python` image, however it is spelled. */
export function isOfficialPythonImage(name: string): boolean {
  return normalizedRepository(name) === 'docker.io/library/python';
}

export interface PythonTag {
  major: number;
  /** Undefined for a major-only tag (`3`, `3-slim`), which floats to that major's newest. */
  minor?: number;
  /** The version part of the tag: `3.11`, `3.11.9`, `3.13.0rc1`, `3.12-rc`. */
  versionText: string;
  /** What follows the version, with its leading `-`: `-slim-bookworm`, `-alpine3.19`, or ''. */
  variant: string;
}

/** The version and variant of a tag; undefined for a tag without a version (`latest`, `slim`). */
export function parsePythonTag(tag: string): PythonTag | undefined {
  const match = /^(\d+)(?:\.(\d+)(?:\.\d+)?(?:(?:a|b|rc)\d+)?)?(?:-rc)?(?=-|$)/.exec(tag);
  if (!match) return undefined; // latest, slim, alpine, bookworm…: no version to compare
  return {
    major: Number(match[1]),
    minor: match[2] === undefined ? undefined : Number(match[2]),
    versionText: match[0],
    variant: tag.slice(match[0].length),
  };
}

/** The variants every version is published with, whatever the OS release of the day. */
const FLOATING_VARIANTS = new Set(['', 'slim', 'alpine', 'windowsservercore']);
const DEBIAN_CODENAMES = 'wheezy|jessie|stretch|buster|bullseye|bookworm|trixie|forky|duke';

export type VariantPlan =
  | { kind: 'keep' }
  /** The OS-pinned variant was never published for the target: the floating one of its family was. */
  | { kind: 'swap'; to: string; os: string }
  | { kind: 'unknown' };

/** What becomes of a tag's variant (`-slim-buster`) when its version moves to `target`. */
export function planVariant(variant: string, target: PythonRelease): VariantPlan {
  const name = variant.replace(/^-/, '');
  if (FLOATING_VARIANTS.has(name) || target.dockerVariants?.includes(name)) return { kind: 'keep' };
  const debian = new RegExp(`^(slim-)?(${DEBIAN_CODENAMES})$`).exec(name);
  if (debian) return { kind: 'swap', to: debian[1] ? '-slim' : '', os: `Debian ${debian[2]}` };
  const alpine = /^alpine(\d+\.\d+)$/.exec(name);
  if (alpine) return { kind: 'swap', to: '-alpine', os: `Alpine ${alpine[1]}` };
  const windows = /^windowsservercore-([\w.]+)$/.exec(name);
  if (windows) return { kind: 'swap', to: '-windowsservercore', os: `Windows Server Core ${windows[1]}` };
  return { kind: 'unknown' };
}
