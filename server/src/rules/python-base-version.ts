/**
 * python-base-version: a stage built on the official Python image at a version older than the
 * target. The fix changes only the version digits (in the FROM, or in the ARG default they come
 * from), so the variant, `--platform`, `AS name` and everything around stay byte for byte.
 *
 * Which Python versions the project runs on is a fact of the build context (its Pipfile,
 * pyproject.toml, .python-version…), not of the Dockerfile: the fix goes no further than they
 * allow, and without a readable context it is offered but not applied automatically.
 */
import * as path from 'node:path';
import type { PropertyInstruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../dockerfile/model';
import type { BuildContext } from '../workspace/build-context';
import { readCopy } from './copy-instructions';
import { readPythonConstraints, type PythonConstraint } from './python-constraints';
import { versionDependence } from './python-version-dependence';
import { pinTooOldFor } from './python-wheel-support';
import type { DockerfileCheckContext, Finding, Fix, Rule, RuleMeta, TextEdit } from './types';
import {
  endOfLifeMonth,
  findRelease,
  isPastEndOfLife,
  isReleased,
  newestRelease,
  PYTHON_RELEASES,
  type PythonRelease,
} from './python-versions';

export const meta: RuleMeta = {
  id: 'python-base-version',
  defaultSeverity: 'warning',
  description: 'The stage is based on an official Python image older than the target Python version.',
  fixable: true,
  perBuild: true,
};

export interface PythonBaseVersionOptions {
  /** Injectable clock: end of life and "is the target released" are judged against it. */
  today?: () => Date;
}

export function createPythonBaseVersionRule(options: PythonBaseVersionOptions = {}): Rule {
  const today = options.today ?? (() => new Date());
  return {
    meta,
    checkDockerfile(ctx) {
      try {
        return checkDockerfile(ctx, today());
      } catch {
        return []; // bad input gets no finding, never a crash of the server
      }
    },
  };
}

export const rule: Rule = createPythonBaseVersionRule();

/** The version a fix moves to, or why there is none. */
type VersionChoice =
  | { refused: string }
  | {
      release: PythonRelease;
      /** Added to the message: what limited the version, or why the fix is not preferred. */
      note: string;
      /** The project files that keep the fix below the target. */
      limitedBy?: string;
      /** What the fix assumes when the project's constraint is unknown: it is then not preferred. */
      assumption?: string;
    };

/** A minor tag as the image gives it: the newest patch release of that line. */
function floating(release: PythonRelease): number[] {
  return [...release.version.split('.').map(Number), Number.MAX_SAFE_INTEGER];
}

function compareMinor(a: PythonRelease, b: PythonRelease): number {
  const [aMajor, aMinor] = a.version.split('.').map(Number);
  const [bMajor, bMinor] = b.version.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// Words with provenance: every character of an expanded image reference remembers the offset in
// the file it was read from, so a fix can edit the literal that produced it (FROM or ARG default).

interface TracedChar {
  ch: string;
  offset: number;
}

/** A variable's value, `unset` (expands to nothing), or `unknown` (set at build time: give up). */
type VariableValue = TracedChar[] | 'unset' | 'unknown';

const GIVE_UP = new Error('cannot expand');

/** BuildKit's automatic platform args: their values depend on the build, not the file. */
const AUTOMATIC_ARG = /^(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)$|^TARGETSTAGE$|^BUILDKIT_/;

/**
 * Expands one Dockerfile word the way BuildKit does for FROM and ARG: line continuations, quotes,
 * escapes, `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`.
 * Returns undefined when the result cannot be known from the file.
 */
function expandWord(
  text: string,
  base: number,
  escapeChar: string,
  lookup: (name: string) => VariableValue,
): TracedChar[] | undefined {
  let i = 0;

  const skipContinuation = (): boolean => {
    let j = i + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (text[j] === '\r' && text[j + 1] === '\n') j++;
    if (text[j] !== '\n') return false;
    i = j + 1;
    return true;
  };

  const valueOf = (name: string): TracedChar[] | undefined => {
    const value = lookup(name);
    if (value === 'unknown') throw GIVE_UP;
    return value === 'unset' ? undefined : value;
  };

  const expandVariable = (): TracedChar[] => {
    const rest = text.slice(i + 1);
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (bare) {
      i += 1 + bare[0].length;
      return valueOf(bare[0]) ?? [];
    }
    if (rest[0] !== '{') {
      i++;
      return [{ ch: '$', offset: base + i - 1 }];
    }
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (!braced) throw GIVE_UP;
    i += 1 + braced[0].length;
    const value = valueOf(braced[1]);
    if (text[i] === '}') {
      i++;
      return value ?? [];
    }
    const operator = /^(:-|-|:\+|\+)/.exec(text.slice(i))?.[0];
    if (!operator) throw GIVE_UP; // ${VAR#pattern} and friends: not worth guessing
    i += operator.length;
    const word = parse(true);
    i++; // the closing brace
    const setAndNonEmpty = value !== undefined && value.length > 0;
    switch (operator) {
      case ':-':
        return setAndNonEmpty ? value : word;
      case '-':
        return value ?? word;
      case ':+':
        return setAndNonEmpty ? word : [];
      default:
        return value !== undefined ? word : [];
    }
  };

  const parse = (insideBraces: boolean): TracedChar[] => {
    const out: TracedChar[] = [];
    let quote: '"' | "'" | undefined;
    while (i < text.length) {
      const ch = text[i];
      if (ch === escapeChar && skipContinuation()) continue;
      if (quote === "'") {
        if (ch === "'") quote = undefined;
        else out.push({ ch, offset: base + i });
        i++;
        continue;
      }
      if (insideBraces && !quote && ch === '}') return out;
      if (ch === '"' || (ch === "'" && !quote)) {
        quote = quote ? undefined : ch;
        i++;
        continue;
      }
      if (ch === escapeChar && i + 1 < text.length) {
        const next = text[i + 1];
        if (quote === '"' && next !== '"' && next !== '$' && next !== escapeChar) {
          out.push({ ch, offset: base + i });
          i++;
        } else {
          out.push({ ch: next, offset: base + i + 1 });
          i += 2;
        }
        continue;
      }
      if (ch === '$') {
        out.push(...expandVariable());
        continue;
      }
      out.push({ ch, offset: base + i });
      i++;
    }
    if (insideBraces || quote) throw GIVE_UP; // unterminated: BuildKit rejects it too
    return out;
  };

  try {
    return parse(false);
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/** Where a global ARG's default value sits in the file. */
interface ArgDefault {
  name: string;
  start: number;
  end: number;
}

/** The ARGs before the first FROM: the only ones a FROM line can use. */
function readGlobalArgs(model: DockerfileModel) {
  const values = new Map<string, TracedChar[] | 'unknown'>();
  const defaults: ArgDefault[] = [];
  const lookup = (name: string): VariableValue => {
    const value = values.get(name);
    if (value !== undefined) return value;
    return AUTOMATIC_ARG.test(name) ? 'unknown' : 'unset';
  };
  for (const info of model.instructions) {
    if (info.stage) break;
    if (info.keyword !== 'ARG') continue;
    const properties = (info.ast as Partial<PropertyInstruction>).getProperties?.() ?? [];
    for (const property of properties) {
      const name = property.getName();
      const range = property.getValueRange();
      if (!range) {
        // `ARG NAME=` is set and empty; `ARG NAME` takes whatever --build-arg says.
        values.set(name, property.getAssignmentOperator() ? [] : 'unknown');
        continue;
      }
      const start = model.offsetAt(range.start);
      const end = model.offsetAt(range.end);
      values.set(name, expandWord(model.text.slice(start, end), start, model.escapeChar, lookup) ?? 'unknown');
      defaults.push({ name, start, end });
    }
  }
  return { lookup, defaults };
}

// ---------------------------------------------------------------------------------------------
// Image references and Python tags.

interface ImageReference {
  /** The repository as written (after expansion), e.g. `python` or `docker.io/library/python`. */
  name: string;
  tag?: string;
  /** Index of the tag's first character in the expanded reference. */
  tagStart: number;
  /** Index of the `@` before the digest, when there is one. */
  digestAt?: number;
}

function parseReference(ref: string): ImageReference | undefined {
  if (ref === '' || /\s/.test(ref)) return undefined;
  const at = ref.indexOf('@');
  const nameAndTag = at === -1 ? ref : ref.slice(0, at);
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  return {
    name: hasTag ? nameAndTag.slice(0, colon) : nameAndTag,
    tag: hasTag ? nameAndTag.slice(colon + 1) : undefined,
    tagStart: colon + 1,
    digestAt: at === -1 ? undefined : at,
  };
}

/** Docker's own normalisation: `python` and `docker.io/python` are `docker.io/library/python`. */
export function isOfficialPythonImage(name: string): boolean {
  const parts = name.split('/');
  const first = parts[0];
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let domain = hasDomain ? first.toLowerCase() : 'docker.io';
  if (domain === 'index.docker.io') domain = 'docker.io';
  const path = hasDomain ? parts.slice(1) : parts;
  const repository = domain === 'docker.io' && path.length === 1 ? ['library', ...path] : path;
  return domain === 'docker.io' && repository.join('/') === 'library/python';
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

type VariantPlan =
  | { kind: 'keep' }
  /** The OS-pinned variant was never published for the target: the floating one of its family was. */
  | { kind: 'swap'; to: string; os: string }
  | { kind: 'unknown' };

function planVariant(variant: string, target: PythonRelease): VariantPlan {
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

// ---------------------------------------------------------------------------------------------
// The check.

interface StageImage {
  stage: Stage;
  /** The expanded image reference, character by character. */
  chars: TracedChar[];
  ref: ImageReference;
  official: boolean;
  /** Offsets of the image argument in the FROM line. */
  start: number;
  end: number;
}

function imageText(image: StageImage): string {
  return image.chars.map((c) => c.ch).join('');
}

function readStageImages(model: DockerfileModel, lookup: (name: string) => VariableValue): StageImage[] {
  const images: StageImage[] = [];
  for (const stage of model.stages) {
    if (stage.parent) continue; // `FROM builder`: an earlier stage, not an image
    const argument = stage.from.getArguments()[0];
    if (!argument) continue;
    const range = argument.getRange();
    const start = model.offsetAt(range.start);
    const end = model.offsetAt(range.end);
    const chars = expandWord(model.text.slice(start, end), start, model.escapeChar, lookup);
    const ref = chars && parseReference(chars.map((c) => c.ch).join(''));
    if (!chars || !ref) continue;
    images.push({ stage, chars, ref, official: isOfficialPythonImage(ref.name), start, end });
  }
  return images;
}

/** The file span that produced chars[from, to), when it is one unbroken literal. */
function sourceSpan(chars: TracedChar[], from: number, to: number): { start: number; end: number } | undefined {
  if (to <= from) return undefined;
  for (let k = from + 1; k < to; k++) if (chars[k].offset !== chars[k - 1].offset + 1) return undefined;
  return { start: chars[from].offset, end: chars[to - 1].offset + 1 };
}

function checkDockerfile(ctx: DockerfileCheckContext, today: Date): Finding[] {
  const target = /^(\d+)\.(\d+)$/.exec(ctx.settings.python?.targetVersion ?? '');
  if (!target) return [];
  const targetMajor = Number(target[1]);
  const targetMinor = Number(target[2]);
  const { model } = ctx;
  const { lookup, defaults } = readGlobalArgs(model);
  const images = readStageImages(model, lookup);
  const findings: Finding[] = [];

  for (const image of images) {
    try {
      const finding = checkImage(image);
      if (finding) findings.push(finding);
    } catch {
      // A FROM line dockerfile-ast reads oddly gets no finding rather than a crash.
    }
  }
  return findings;

  function checkImage(image: StageImage): Finding | undefined {
    const { ref, chars } = image;
    if (!image.official || ref.tag === undefined) return undefined;
    const tag = parsePythonTag(ref.tag);
    if (!tag) return undefined;
    const older =
      tag.minor === undefined
        ? tag.major < targetMajor
        : tag.major < targetMajor || (tag.major === targetMajor && tag.minor < targetMinor);
    if (!older) return undefined;

    const release = tag.minor === undefined ? newestRelease(tag.major) : findRelease(tag.major, tag.minor);
    const currentMinor = tag.minor ?? -1;
    const version = tag.minor === undefined ? (release?.version ?? String(tag.major)) : `${tag.major}.${tag.minor}`;
    const targetText = `${targetMajor}.${targetMinor}`;
    const current = `${ref.name}:${ref.tag}`;

    const versionStart = ref.tagStart;
    const versionEnd = versionStart + tag.versionText.length;
    const versionSource = sourceSpan(chars, versionStart, versionEnd);
    const argName = versionSource && !within(versionSource, image) ? argAt(versionSource.start)?.name : undefined;

    let message = `${current}${argName ? ` (version from ARG ${argName})` : ''} runs Python ${version}`;
    message +=
      release && isPastEndOfLife(release, today)
        ? `, past end of life since ${endOfLifeMonth(release)} (no more security fixes); the target is Python ${targetText}.`
        : `, older than the target Python ${targetText}.`;

    const result = (fixes: Fix[], note = ''): Finding => ({
      ruleId: meta.id,
      path: ctx.path,
      range: findingRange(image),
      message: message + note,
      fixes,
    });

    if (tag.major !== targetMajor) {
      return result([], ` Moving from Python ${tag.major} to Python ${targetMajor} is a port, not a tag change: no automatic fix.`);
    }
    const wantedRelease = findRelease(targetMajor, targetMinor);
    if (!wantedRelease || !isReleased(wantedRelease, today)) {
      return result([], ` dockopt knows of no published python:${targetText} image: no automatic fix.`);
    }

    // How far the project lets the image go: the target, or the newest version its files allow.
    const choice = chooseVersion(image, wantedRelease, currentMinor);
    if ('refused' in choice) return result([], choice.refused);
    const targetRelease = choice.release;
    const chosenText = targetRelease.version;

    const plan = planVariant(tag.variant, targetRelease);
    if (plan.kind === 'unknown') {
      return result([], `${choice.note} dockopt does not know whether python:${chosenText}${tag.variant} exists: no automatic fix.`);
    }

    const tagEnd = versionStart + ref.tag.length;
    const newTag = `${chosenText}${plan.kind === 'swap' ? plan.to : tag.variant}`;
    const proposed = `${ref.name}:${newTag}`;

    let note = choice.note;
    if (plan.kind === 'swap') {
      note += ` python:${chosenText}${tag.variant} was never published (${plan.os} has no Python ${chosenText} image): the suggested fix moves to ${proposed}, on another OS release.`;
    }
    if (ref.digestAt !== undefined) {
      note += ` The tag is pinned by digest: the fix drops the old digest; re-pin ${proposed} to its new digest.`;
    }

    // Each part is edited where it is written: the version may sit in an ARG, the rest in the FROM.
    const parts: Array<[from: number, to: number, newText: string]> = [[versionStart, versionEnd, chosenText]];
    if (plan.kind === 'swap') parts.push([versionEnd, tagEnd, plan.to]);
    if (ref.digestAt !== undefined) parts.push([ref.digestAt, chars.length, '']);
    const edits: TextEdit[] = [];
    for (const [from, to, newText] of parts) {
      const source = sourceSpan(chars, from, to);
      if (!source) {
        return result([], `${note} The version is not written in one place dockopt can edit: no automatic fix.`);
      }
      edits.push({ ...source, newText });
    }

    const versionEdit = edits[0];
    const editedArg = within(versionEdit, image) ? undefined : argAt(versionEdit.start);
    // An ARG edit reaches every FROM that reads the ARG: each must be able to take the new version.
    const argEdits = edits.filter((edit) => !within(edit, image));
    const blocked = images.find((other) => other !== image && argEdits.some((e) => feeds(e, other)) && !canTake(other, targetRelease));
    const blockedArg = blocked && argEdits.map((e) => argAt(e.start)).find((arg) => arg !== undefined);
    let title = `Change the base image to ${proposed}`;
    if (editedArg) {
      const wholeValue = editedArg.start === versionEdit.start && editedArg.end === versionEdit.end;
      title = wholeValue
        ? `Set ARG ${editedArg.name} to ${chosenText} (${proposed})`
        : `Change the version in ARG ${editedArg.name} to ${chosenText} (${proposed})`;
    }
    if (/^\d+\.\d+\.\d+/.test(tag.versionText)) title += ', unpinning the patch release';
    if (ref.digestAt !== undefined) title += ' and drop the old digest';
    if (choice.limitedBy) title += ` (the newest Python ${choice.limitedBy} allows)`;
    if (choice.assumption) title += ` (assumes ${choice.assumption})`;
    if (blocked) {
      note += ` ARG ${blockedArg?.name ?? ''} also feeds FROM ${imageText(blocked)}, which cannot simply take it: check that FROM before applying the fix.`;
    }
    const toMinor = Number(chosenText.split('.')[1]);
    const oldPin = pinTooOldFor(ctx.buildContext, toMinor);
    const tiedToVersion =
      (tag.minor === undefined ? undefined : versionDependence(model, ctx.path, tag.major, tag.minor, toMinor)) ??
      (oldPin && `${oldPin}: that pin does not install on Python ${chosenText}, so the fix is not applied automatically.`);
    if (tiedToVersion) note += ` ${tiedToVersion}`;
    const fix: Fix = {
      title,
      isPreferred: plan.kind === 'keep' && !blocked && !choice.assumption && !tiedToVersion,
      changes: [{ kind: 'edit', path: ctx.path, edits }],
    };
    return result([fix], note);
  }

  function within(span: { start: number }, image: StageImage): boolean {
    return span.start >= image.start && span.start < image.end;
  }

  function argAt(offset: number): ArgDefault | undefined {
    return defaults.find((d) => offset >= d.start && offset < d.end);
  }

  function feeds(span: { start: number; end: number }, image: StageImage): boolean {
    return image.chars.some((c) => c.offset >= span.start && c.offset < span.end);
  }

  /** Whether a FROM stays a published image when its version becomes the target. */
  function canTake(image: StageImage, targetRelease: PythonRelease): boolean {
    const tag = image.official && image.ref.tag !== undefined ? parsePythonTag(image.ref.tag) : undefined;
    return tag !== undefined && tag.major === targetMajor && planVariant(tag.variant, targetRelease).kind === 'keep';
  }

  /**
   * The version to move to: the target when the project's files allow it (or say nothing), else
   * the newest they allow that is still newer than the image; `refused` (the message's end) when
   * none is. `assumption` is set when what the project allows is unknown: the fix is then offered
   * but not preferred.
   */
  function chooseVersion(image: StageImage, wanted: PythonRelease, currentMinor: number): VersionChoice {
    const wantedText = wanted.version;
    const constraints = projectConstraints(image);
    if (constraints === undefined) {
      return {
        release: wanted,
        note: ` dockopt cannot read the project's files here (no build context), so it does not know which Python versions the project supports: the fix is not applied automatically.`,
        assumption: `the project supports Python ${wantedText}`,
      };
    }
    const readable = constraints.filter((c) => c.allows);
    const unreadable = constraints.find((c) => !c.allows);
    const allowedByAll = (release: PythonRelease) => readable.every((c) => c.allows!(floating(release)));
    let release = wanted;
    let note = '';
    let limitedBy: string | undefined;
    const refusing = readable.filter((c) => !c.allows!(floating(wanted)));
    if (refusing.length > 0) {
      const [major] = wanted.version.split('.').map(Number);
      const newer = PYTHON_RELEASES.filter((r) => {
        const [rMajor, rMinor] = r.version.split('.').map(Number);
        return rMajor === major && rMinor > currentMinor && compareMinor(r, wanted) < 0 && isReleased(r, today);
      });
      const best = newer.reverse().find(allowedByAll);
      const says = listOf(refusing.map((c) => `${c.file} says ${c.says}`));
      if (!best) {
        return {
          refused:
            ` The project's ${says}, which allows no Python from ${major}.${currentMinor + 1} to ${wantedText}: no automatic fix.` +
            ` Raise the project's Python version first.`,
        };
      }
      release = best;
      limitedBy = listOf([...new Set(refusing.map((c) => c.file))]);
      note = ` The project's ${says}, which does not allow Python ${wantedText}: the fix moves to Python ${best.version}, the newest it allows.`;
    }
    if (unreadable) {
      note += ` dockopt cannot read ${unreadable.file} (${unreadable.says}): the fix is not applied automatically.`;
      return { release, note, limitedBy, assumption: `${unreadable.file} allows Python ${release.version}` };
    }
    return { release, note, limitedBy };
  }

  /** The project's Python constraints; undefined when its files cannot be read. */
  function projectConstraints(image: StageImage): PythonConstraint[] | undefined {
    const build = ctx.buildContext;
    if (!build?.readFile) return undefined;
    const read = build.readFile.bind(build);
    return readPythonConstraints(read, constraintFolders(build, image));
  }

  /**
   * Where the project's files may sit: the context's root, the Dockerfile's folder, and the
   * folders this stage (and the stages built on it) copy from.
   */
  function constraintFolders(build: BuildContext, image: StageImage): string[] {
    const folders = new Set<string>(['']);
    const own = path.relative(build.contextDir, path.dirname(build.dockerfilePath)).split(path.sep).join('/');
    if (own && !own.startsWith('..') && !path.isAbsolute(own)) folders.add(own);
    const stages = model.stages.filter((stage) => {
      for (let s: Stage | undefined = stage, hops = 0; s && hops <= model.stages.length; s = s.parent, hops++) {
        if (s === image.stage) return true;
      }
      return false;
    });
    for (const stage of stages) {
      for (const info of stage.instructions) {
        const copy = readCopy(model, info);
        if (!copy || copy.fromOther) continue;
        for (const source of copy.sources) {
          if (source.includes('$') || /^[a-z][\w+.-]*:\/\//i.test(source)) continue;
          const segments = source.replace(/^(\.\/|\/)+/, '').split('/');
          const cut = segments.findIndex((s) => /[*?[]/.test(s));
          const dir = path.posix.normalize(segments.slice(0, cut < 0 ? segments.length : cut).join('/') || '.').replace(/\/$/, '');
          if (dir === '.' || dir.startsWith('..')) continue;
          folders.add(dir); // the source may be a folder…
          const parent = path.posix.dirname(dir);
          if (parent !== '.') folders.add(parent); // …or a file in one
          if (folders.size > 32) return [...folders];
        }
      }
    }
    return [...folders];
  }

  function findingRange(image: StageImage) {
    const { ref, chars } = image;
    const tagEnd = ref.digestAt ?? chars.length;
    const tagSource = sourceSpan(chars, ref.tagStart, tagEnd);
    if (tagSource && within(tagSource, image)) return model.rangeOf(tagSource.start, tagSource.end);
    return model.rangeOf(image.start, image.end);
  }
}
