/**
 * dockerfile-ast reads an instruction's arguments again on every `getArguments()`: a scan of the
 * instruction's text, with a `positionAt` per argument. Its own constructors call it four times
 * or more for each RUN, COPY and ADD (JSONInstruction reads the arguments' content and range, the
 * flags read them again), and rules ask again: that scan was the largest single cost of a parse
 * (docs/benchmarks.md). An instruction never changes once parsed (its document, range and text
 * are set by its constructor and nothing writes them after), so the scan is done once per
 * instruction and each call gets a copy of the list, which callers may change
 * (`ModifiableInstruction.getArguments` shifts the flags off it).
 *
 * Installed once, when the model is loaded. Should a future dockerfile-ast rename the method,
 * nothing is patched and parsing is merely slower (test/scaling/argument-memo.test.ts says so).
 */
import { Instruction, type Argument } from 'dockerfile-ast';

type RawArguments = (this: Instruction) => Argument[];

const prototype = Instruction.prototype as unknown as { getRawArguments?: RawArguments };
const read = prototype.getRawArguments;
/**
 * Kept on the instruction itself: a WeakMap lookup cost more than the rest of the call, and the
 * parse asks about five times per instruction.
 */
const MEMO = Symbol('dockopt.rawArguments');
type Memoized = Instruction & { [MEMO]?: Argument[] };

/** True when the memo is in place. */
export const argumentMemoInstalled = typeof read === 'function';

if (read) {
  prototype.getRawArguments = function getRawArgumentsOnce(this: Memoized): Argument[] {
    let args = this[MEMO];
    if (!args) this[MEMO] = args = read.call(this);
    return args.slice();
  };
}

/** dockerfile-ast's own reading, for the test that the memo changes nothing. */
export function readArgumentsAgain(instruction: Instruction): Argument[] | undefined {
  return read?.call(instruction);
}
