/**
 * python-base-version: a stage built on the official Python image at a version older than the
 * target. The fix changes only the version digits (in the FROM, or in the ARG default they come
 * from), so the variant, `--platform`, `AS name` and everything around stay byte for byte.
 *
 * Which Python versions the project runs on is a fact of the build context (its Pipfile,
 * pyproject.toml, .python-version…), not of the Dockerfile: the fix goes no further than they
 * allow, and without a readable context it is offered but not applied automatically.
 */
import { imageText, readGlobalArgs, readStageImages, sourceSpan, type ArgDefault, type StageImage } from '../dockerfile/stage-images';
import { createRule, formatMessage, type ContractRule, type RuleContext } from './create-rule';
import { readFolderConstraints, type PythonConstraint } from '../python/constraints';
import { isOfficialPythonImage, parsePythonTag, planVariant } from '../python/official-image-tags';
import { copiedToAnotherPython, versionDependence } from '../python/version-dependence';
import { pinTooOldFor } from '../python/wheel-support';
import { stageProjectFolders } from '../project/stage-folders';
import type { Fix, TextEdit } from './types';
import {
  endOfLifeMonth,
  findRelease,
  isPastEndOfLife,
  isReleased,
  newestRelease,
  PYTHON_RELEASES,
  type PythonRelease,
} from '../python/releases';
import { listOf } from '../format-list';

// A finding is its first sentence (the image is older than the target, or past end of life) and
// what becomes of the fix: offered, or none and why. `{{image}}` is the reference as the build
// sees it, with ` (version from ARG NAME)` when an ARG default holds the version.
const OLDER = '{{image}} runs Python {{version}}, older than the target Python {{target}}.';
const PAST_END_OF_LIFE =
  '{{image}} runs Python {{version}}, past end of life since {{endOfLife}} (no more security fixes); the target is Python {{target}}.';
const PORT = ' Moving from Python {{major}} to Python {{targetMajor}} is a port, not a tag change: no automatic fix.';
const NO_TARGET_IMAGE = ' dockopt knows of no published python:{{target}} image: no automatic fix.';
const PROJECT_REFUSES =
  " The project's {{says}}, which allows no Python from {{from}} to {{target}}: no automatic fix. Raise the project's Python version first.";
const UNKNOWN_VARIANT = ' dockopt does not know whether python:{{tag}} exists: no automatic fix.';
const NOT_ONE_PLACE = ' The version is not written in one place dockopt can edit: no automatic fix.';

/**
 * The sentences a finding may add about its fix (`{{notes}}`, each starting with a blank). They
 * combine freely (a project limit, an OS release swap, a digest, an ARG shared with another FROM,
 * a reason not to apply the fix), so one message per combination is not practical: each is a
 * template here, and `{{notes}}` holds the ones that apply, in this order.
 */
const NOTES = {
  noBuildContext:
    " dockopt cannot read the project's files here (no build context), so it does not know which Python versions the project supports: the fix is not applied automatically.",
  limitedByProject: " The project's {{says}}, which does not allow Python {{target}}: the fix moves to Python {{chosen}}, the newest it allows.",
  unreadableConstraint: ' dockopt cannot read {{file}} ({{says}}): the fix is not applied automatically.',
  variantNeverPublished:
    ' python:{{chosen}}{{variant}} was never published ({{os}} has no Python {{chosen}} image): the suggested fix moves to {{proposed}}, on another OS release.',
  digestDropped: ' The tag is pinned by digest: the fix drops the old digest; re-pin {{proposed}} to its new digest.',
  argFeedsAnotherFrom: ' ARG {{arg}} also feeds FROM {{other}}, which cannot simply take it: check that FROM before applying the fix.',
  pinTooOld: ' {{pin}}: that pin does not install on Python {{chosen}}, so the fix is not applied automatically.',
  // python-version-dependence words its own reasons (a path, a removed tool, a file name).
  dependsOnVersion: ' {{reason}}',
} as const;

const note = (name: keyof typeof NOTES, data: Readonly<Record<string, string | number>> = {}) => formatMessage(NOTES[name], data);

const meta = {
  id: 'python-base-version',
  defaultSeverity: 'warning',
  docs: {
    title: 'Move to a current Python base image',
    description: 'The stage is based on an official Python image older than the target Python version.',
  },
  options: {
    targetVersion: {
      setting: 'python.targetVersion',
      // The one default of the target: package.json's setting default is checked against it.
      default: '3.12',
      description: 'The Python version (major.minor) images should be on.',
    },
  },
  messages: {
    olderThanTarget: `${OLDER}{{notes}}`,
    pastEndOfLife: `${PAST_END_OF_LIFE}{{notes}}`,
    olderThanTargetPort: OLDER + PORT,
    pastEndOfLifePort: PAST_END_OF_LIFE + PORT,
    olderThanTargetNoTargetImage: OLDER + NO_TARGET_IMAGE,
    pastEndOfLifeNoTargetImage: PAST_END_OF_LIFE + NO_TARGET_IMAGE,
    olderThanTargetProjectRefuses: OLDER + PROJECT_REFUSES,
    pastEndOfLifeProjectRefuses: PAST_END_OF_LIFE + PROJECT_REFUSES,
    olderThanTargetUnknownVariant: `${OLDER}{{notes}}${UNKNOWN_VARIANT}`,
    pastEndOfLifeUnknownVariant: `${PAST_END_OF_LIFE}{{notes}}${UNKNOWN_VARIANT}`,
    olderThanTargetNotOnePlace: `${OLDER}{{notes}}${NOT_ONE_PLACE}`,
    pastEndOfLifeNotOnePlace: `${PAST_END_OF_LIFE}{{notes}}${NOT_ONE_PLACE}`,
  },
  fixable: true,
  scope: 'build',
} as const;

/** The first sentence: whether the image's Python is past end of life or only older. */
type Age = 'olderThanTarget' | 'pastEndOfLife';
/** What becomes of the fix: offered ('', with notes), or none and why. */
type Outcome = '' | 'Port' | 'NoTargetImage' | 'ProjectRefuses' | 'UnknownVariant' | 'NotOnePlace';
type MessageId = `${Age}${Outcome}`;
type Context = RuleContext<MessageId>;

export interface PythonBaseVersionOptions {
  /** Injectable clock: end of life and "is the target released" are judged against it. */
  today?: () => Date;
}

export function createPythonBaseVersionRule(options: PythonBaseVersionOptions = {}): ContractRule<MessageId> {
  const today = options.today ?? (() => new Date());
  return createRule<MessageId>({
    meta,
    create(context) {
      // The check reads every stage at once: an ARG default it edits may feed several FROMs.
      return { 'Dockerfile:exit': () => checkDockerfile(context, today()) };
    },
  });
}

export const rule = createPythonBaseVersionRule();

/** The version a fix moves to, or why there is none. */
type VersionChoice =
  | { refused: { says: string; from: string } }
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

// ---------------------------------------------------------------------------------------------
// The check.

/** A stage's image, and whether it is the official Python image (the only one the rule reads). */
type BaseImage = StageImage & { official: boolean };

/**
 * Whether the Dockerfile's name or its folder's names the Python version it builds on:
 * `py39.Dockerfile`, `Dockerfile.python3.9`, `docker/3.9/Dockerfile`. Such a file is one of a
 * matrix that tests or ships each version: moving it to the target would duplicate another.
 */
export function pathNamesVersion(path: string, major: number, minor: number): boolean {
  const named = path.toLowerCase().split(/[\\/]/).filter(Boolean).slice(-3).join('/');
  const prefixed = new RegExp(`(?:^|[^a-z])py(?:thon)?[-_]?${major}[._-]?${minor}(?!\\d)`);
  const dotted = new RegExp(`(?:^|[^\\d.])${major}[._-]${minor}(?!\\d)`);
  return prefixed.test(named) || dotted.test(named);
}

function checkDockerfile(ctx: Context, today: Date): void {
  const target = /^(\d+)\.(\d+)$/.exec(ctx.options.targetVersion);
  if (!target) return;
  const targetMajor = Number(target[1]);
  const targetMinor = Number(target[2]);
  const { model } = ctx;
  const { lookup, defaults } = readGlobalArgs(model);
  const images = readStageImages(model, lookup).map((image) => ({ ...image, official: isOfficialPythonImage(image.ref.name) }));
  // Asked for every old FROM, and mostly the same for all: each folder's files are read once per
  // check, each version's name test and date comparisons made once (a file of many stages asked
  // them per FROM).
  const isPastEnd = remembered((release: PythonRelease) => isPastEndOfLife(release, today));
  const released = remembered((release: PythonRelease) => isReleased(release, today));
  const namesVersion = remembered((version: string) => {
    const [major, minor] = version.split('.').map(Number);
    return pathNamesVersion(ctx.path, major, minor);
  });
  const build = ctx.buildContext;
  const read = build?.readFile?.bind(build);
  // Undefined when the project's files cannot be read (no build context).
  const folderConstraints = read && remembered((folder: string) => readFolderConstraints(read, folder));
  for (const image of images) checkImage(image);

  function checkImage(image: BaseImage): void {
    const { ref, chars } = image;
    if (!image.official || ref.tag === undefined) return;
    const tag = parsePythonTag(ref.tag);
    if (!tag) return;
    const older =
      tag.minor === undefined
        ? tag.major < targetMajor
        : tag.major < targetMajor || (tag.major === targetMajor && tag.minor < targetMinor);
    if (!older) return;
    // `py39.Dockerfile`, `3.9/Dockerfile`: one of a version matrix, old on purpose.
    if (tag.minor !== undefined && namesVersion(`${tag.major}.${tag.minor}`)) return;

    const release = tag.minor === undefined ? newestRelease(tag.major) : findRelease(tag.major, tag.minor);
    const currentMinor = tag.minor ?? -1;
    const version = tag.minor === undefined ? (release?.version ?? String(tag.major)) : `${tag.major}.${tag.minor}`;
    const targetText = `${targetMajor}.${targetMinor}`;
    const current = `${ref.name}:${ref.tag}`;

    const versionStart = ref.tagStart;
    const versionEnd = versionStart + tag.versionText.length;
    const versionSource = sourceSpan(chars, versionStart, versionEnd);
    const argName = versionSource && !within(versionSource, image) ? argAt(versionSource.start)?.name : undefined;

    const pastEndOfLife = release !== undefined && isPastEnd(release);
    const age: Age = pastEndOfLife ? 'pastEndOfLife' : 'olderThanTarget';
    const head = {
      image: `${current}${argName ? ` (version from ARG ${argName})` : ''}`,
      version,
      target: targetText,
      ...(pastEndOfLife && { endOfLife: endOfLifeMonth(release) }),
    };
    const report = (outcome: Outcome, data: Record<string, string | number> = {}, fix?: Fix): void =>
      ctx.report({ range: findingRange(image), messageId: `${age}${outcome}`, data: { ...head, ...data }, fixes: () => (fix ? [fix] : []) });

    if (tag.major !== targetMajor) return report('Port', { major: tag.major, targetMajor });
    const wantedRelease = findRelease(targetMajor, targetMinor);
    if (!wantedRelease || !released(wantedRelease)) return report('NoTargetImage');

    // How far the project lets the image go: the target, or the newest version its files allow.
    const choice = chooseVersion(image, wantedRelease, currentMinor);
    if ('refused' in choice) return report('ProjectRefuses', choice.refused);
    const targetRelease = choice.release;
    const chosenText = targetRelease.version;

    const plan = planVariant(tag.variant, targetRelease);
    if (plan.kind === 'unknown') return report('UnknownVariant', { notes: choice.note, tag: `${chosenText}${tag.variant}` });

    const tagEnd = versionStart + ref.tag.length;
    const newTag = `${chosenText}${plan.kind === 'swap' ? plan.to : tag.variant}`;
    const proposed = `${ref.name}:${newTag}`;

    let notes = choice.note;
    if (plan.kind === 'swap') notes += note('variantNeverPublished', { chosen: chosenText, variant: tag.variant, os: plan.os, proposed });
    if (ref.digestAt !== undefined) notes += note('digestDropped', { proposed });

    // Each part is edited where it is written: the version may sit in an ARG, the rest in the FROM.
    const parts: Array<[from: number, to: number, newText: string]> = [[versionStart, versionEnd, chosenText]];
    if (plan.kind === 'swap') parts.push([versionEnd, tagEnd, plan.to]);
    if (ref.digestAt !== undefined) parts.push([ref.digestAt, chars.length, '']);
    const edits: TextEdit[] = [];
    for (const [from, to, newText] of parts) {
      const source = sourceSpan(chars, from, to);
      if (!source) return report('NotOnePlace', { notes });
      edits.push({ ...source, newText });
    }

    const versionEdit = edits[0];
    const editedArg = within(versionEdit, image) ? undefined : argAt(versionEdit.start);
    // An ARG edit reaches every FROM that reads the ARG: each must be able to take the new version.
    const argEdits = edits.filter((edit) => !within(edit, image));
    // Asked only of an ARG edit: asking every FROM of every FROM cost images² on a file of many stages.
    const blocked = argEdits.length === 0 ? undefined : images.find((other) => other !== image && argEdits.some((e) => feeds(e, other)) && !canTake(other, targetRelease));
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
    if (blocked) notes += note('argFeedsAnotherFrom', { arg: blockedArg?.name ?? '', other: imageText(blocked) });
    const toMinor = Number(chosenText.split('.')[1]);
    const dependence = (tag.minor === undefined ? undefined : versionDependence(model, ctx.path, tag.major, tag.minor, toMinor)) ?? copiedToAnotherPython(model, image.stage);
    const oldPin = dependence === undefined ? pinTooOldFor(ctx.buildContext, toMinor) : undefined;
    if (dependence) notes += note('dependsOnVersion', { reason: dependence });
    else if (oldPin) notes += note('pinTooOld', { pin: oldPin, chosen: chosenText });
    const tiedToVersion = Boolean(dependence || oldPin);
    const fix: Fix = {
      title,
      isPreferred: plan.kind === 'keep' && !blocked && !choice.assumption && !tiedToVersion,
      changes: [{ kind: 'edit', path: ctx.path, edits }],
    };
    report('', { notes }, fix);
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
  function canTake(image: BaseImage, targetRelease: PythonRelease): boolean {
    const tag = image.official && image.ref.tag !== undefined ? parsePythonTag(image.ref.tag) : undefined;
    return tag !== undefined && tag.major === targetMajor && planVariant(tag.variant, targetRelease).kind === 'keep';
  }

  /**
   * The version to move to: the target when the project's files allow it (or say nothing), else
   * the newest they allow that is still newer than the image; `refused` (what the project says) when
   * none is. `assumption` is set when what the project allows is unknown: the fix is then offered
   * but not preferred.
   */
  function chooseVersion(image: StageImage, wanted: PythonRelease, currentMinor: number): VersionChoice {
    const wantedText = wanted.version;
    const constraints = projectConstraints(image);
    if (constraints === undefined) {
      return {
        release: wanted,
        note: note('noBuildContext'),
        assumption: `the project supports Python ${wantedText}`,
      };
    }
    const readable = constraints.filter((c) => c.allows);
    const unreadable = constraints.find((c) => !c.allows);
    const allowedByAll = (release: PythonRelease) => readable.every((c) => c.allows!(floating(release)));
    let release = wanted;
    let notes = '';
    let limitedBy: string | undefined;
    const refusing = readable.filter((c) => !c.allows!(floating(wanted)));
    if (refusing.length > 0) {
      const [major] = wanted.version.split('.').map(Number);
      const newer = PYTHON_RELEASES.filter((r) => {
        const [rMajor, rMinor] = r.version.split('.').map(Number);
        return rMajor === major && rMinor > currentMinor && compareMinor(r, wanted) < 0 && released(r);
      });
      const best = newer.reverse().find(allowedByAll);
      const says = listOf(refusing.map((c) => `${c.file} says ${c.says}`));
      if (!best) {
        return { refused: { says, from: `${major}.${currentMinor + 1}` } };
      }
      release = best;
      limitedBy = listOf([...new Set(refusing.map((c) => c.file))]);
      notes = note('limitedByProject', { says, target: wantedText, chosen: best.version });
    }
    if (unreadable) {
      notes += note('unreadableConstraint', { file: unreadable.file, says: unreadable.says });
      return { release, note: notes, limitedBy, assumption: `${unreadable.file} allows Python ${release.version}` };
    }
    return { release, note: notes, limitedBy };
  }

  /** The project's Python constraints, folder after folder; undefined when its files cannot be read. */
  function projectConstraints(image: StageImage): PythonConstraint[] | undefined {
    if (!build || !folderConstraints) return undefined;
    return stageProjectFolders(model, build, image.stage).flatMap(folderConstraints);
  }

  function findingRange(image: StageImage) {
    const { ref, chars } = image;
    const tagEnd = ref.digestAt ?? chars.length;
    const tagSource = sourceSpan(chars, ref.tagStart, tagEnd);
    if (tagSource && within(tagSource, image)) return model.rangeOf(tagSource.start, tagSource.end);
    return model.rangeOf(image.start, image.end);
  }
}

/** `compute`, remembered per argument: for what one check asks of many FROMs alike. */
function remembered<K, V>(compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key) as V;
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}
