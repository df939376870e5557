/**
 * dockerfile-ast gives each comment to the build stage it is in at the end of every parse
 * (`Dockerfile.organizeComments`) by testing every comment against every stage, each test
 * rebuilding the stage's range: comments × stages. A long Dockerfile with many stages and
 * comments (the real-world shape of bench/ at 2 000 lines: 10 ms of every parse, and it grows
 * with the square of the file) paid that at every keystroke. Stages come in file order and never
 * share a line (an instruction starts a line of its own), so each comment is tested against the
 * stage that starts last at or before its line, found by a binary search, and the one before it:
 * the same stages get the same comments in the same order (test/scaling/comment-placement.test.ts
 * compares with dockerfile-ast's own on every fixture and shape).
 *
 * Installed once, when the model is loaded, like argument-memo.ts. Should a future dockerfile-ast
 * rename what it relies on, nothing is patched and parsing is merely slower.
 */
import { DockerfileParser, type Comment, type ImageTemplate } from 'dockerfile-ast';
import type { Position, Range } from '../positions';
import { lastStartingAtOrBefore } from './line-search';

interface DockerfileInternals {
  getComments(): Comment[];
  initialInstructions: ImageTemplate & { addComment(comment: Comment): void };
  buildStages: Array<ImageTemplate & { addComment(comment: Comment): void }>;
  organizeComments(this: DockerfileInternals): void;
}

// The Dockerfile class is not exported by the package's entry: reach its prototype through a parse.
const prototype = Object.getPrototypeOf(DockerfileParser.parse('FROM scratch\n')) as Partial<DockerfileInternals>;
const original = prototype.organizeComments;

/** True when the linear placement is in place. */
export const commentPlacementInstalled =
  typeof original === 'function' && hasInternals(DockerfileParser.parse('FROM scratch\n# c\n') as unknown as Partial<DockerfileInternals>);

if (commentPlacementInstalled) {
  prototype.organizeComments = function organizeCommentsLinearly(this: DockerfileInternals): void {
    const comments = this.getComments();
    if (comments.length === 0) return;
    const initialRange = this.initialInstructions.getRange() ?? EMPTY;
    const stages = this.buildStages;
    const ranges = stages.map((stage) => stage.getRange() ?? EMPTY);
    for (const comment of comments) {
      const range = comment.getRange();
      if (isInsideRange(range.end, initialRange)) {
        this.initialInstructions.addComment(comment);
        continue;
      }
      const last = lastStartingAtOrBefore(ranges.length, (k) => ranges[k].start.line, range.start.line);
      for (let k = Math.max(0, last - 1); k <= last; k++) if (isInsideRange(range.start, ranges[k])) stages[k].addComment(comment);
    }
  };
}

/** dockerfile-ast's own placement, for the test that the linear one changes nothing. */
export function placeCommentsAsDockerfileAst(dockerfile: unknown): void {
  original?.call(dockerfile as DockerfileInternals);
}

const EMPTY: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function hasInternals(dockerfile: Partial<DockerfileInternals>): boolean {
  return typeof dockerfile.getComments === 'function' && Array.isArray(dockerfile.buildStages) && typeof dockerfile.initialInstructions?.getRange === 'function';
}


/** dockerfile-ast's `Util.isInsideRange`, as it is (its edge cases included). */
function isInsideRange(position: Position, range: Range): boolean {
  if (range.start.line === range.end.line) {
    return range.start.line === position.line && range.start.character <= position.character && position.character <= range.end.character;
  }
  if (range.start.line === position.line) return range.start.character <= position.character;
  if (range.end.line === position.line) return position.character <= range.end.character;
  return range.start.line < position.line && position.line < range.end.line;
}
