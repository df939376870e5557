/**
 * The image each stage is built FROM, read the way BuildKit reads it: the global ARGs (those
 * before the first FROM, the only ones a FROM line can use) expanded into the reference, and
 * every character of the result traced to the offset in the file it was read from, so a fix can
 * edit the literal that produced it (the FROM line, or the ARG default the version comes from).
 */
import type { PropertyInstruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from './model';
import { parseImageReference, type ImageReference } from './image-references';
import { expandWord, type TracedChar } from './variables';

/** A variable's value, `unset` (expands to nothing), or `unknown` (set at build time: give up). */
type VariableValue = TracedChar[] | 'unset' | 'unknown';

type ArgLookup = (name: string) => VariableValue;

/** BuildKit's automatic platform args: their values depend on the build, not the file. */
const AUTOMATIC_ARG = /^(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)$|^TARGETSTAGE$|^BUILDKIT_/;

/**
 * Expands one Dockerfile word the way BuildKit does for FROM and ARG (quotes, escapes, line
 * continuations, `$VAR` and the `${VAR:-word}` forms), every character traced to the file.
 * Undefined when the result cannot be known from the file.
 */
function expandTraced(text: string, base: number, escapeChar: string, lookup: ArgLookup): TracedChar[] | undefined {
  return expandWord(text, {
    base,
    escapeChar,
    unknown: 'give-up',
    lookup: (name) => {
      const value = lookup(name);
      return typeof value === 'string' ? value : { value, origin: 'ARG default' };
    },
  })?.chars;
}

/** Where a global ARG's default value sits in the file. */
export interface ArgDefault {
  name: string;
  start: number;
  end: number;
}

export interface GlobalArgs {
  lookup: ArgLookup;
  /** The defaults written in the file, in order. */
  defaults: ArgDefault[];
}

/** The ARGs before the first FROM: the only ones a FROM line can use. */
export function readGlobalArgs(model: DockerfileModel): GlobalArgs {
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
      values.set(name, expandTraced(model.text.slice(start, end), start, model.escapeChar, lookup) ?? 'unknown');
      defaults.push({ name, start, end });
    }
  }
  return { lookup, defaults };
}

export interface StageImage {
  stage: Stage;
  /** The expanded image reference, character by character. */
  chars: TracedChar[];
  ref: ImageReference;
  /** Offsets of the image argument in the FROM line. */
  start: number;
  end: number;
}

/** The image reference as the build sees it (after expansion). */
export function imageText(image: StageImage): string {
  return image.chars.map((c) => c.ch).join('');
}

/**
 * The image of each stage built on one (not `FROM builder`, an earlier stage) whose reference
 * the file alone determines, in file order.
 */
export function readStageImages(model: DockerfileModel, lookup: ArgLookup): StageImage[] {
  const images: StageImage[] = [];
  for (const stage of model.stages) {
    if (stage.parent) continue; // `FROM builder`: an earlier stage, not an image
    const argument = stage.from.getArguments()[0];
    if (!argument) continue;
    const range = argument.getRange();
    const start = model.offsetAt(range.start);
    const end = model.offsetAt(range.end);
    const chars = expandTraced(model.text.slice(start, end), start, model.escapeChar, lookup);
    const ref = chars && parseImageReference(chars.map((c) => c.ch).join(''));
    if (!chars || !ref) continue;
    images.push({ stage, chars, ref, start, end });
  }
  return images;
}

/** The file span that produced chars[from, to), when it is one unbroken literal. */
export function sourceSpan(chars: TracedChar[], from: number, to: number): { start: number; end: number } | undefined {
  if (to <= from) return undefined;
  for (let k = from + 1; k < to; k++) if (chars[k].offset !== chars[k - 1].offset + 1) return undefined;
  return { start: chars[from].offset, end: chars[to - 1].offset + 1 };
}
