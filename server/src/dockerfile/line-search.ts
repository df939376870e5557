/**
 * The binary search the parse's helpers share: items in file order (instructions, build stages),
 * each starting on a line of its own.
 */

/** The index of the last of `count` items whose start line (`startLine(k)`) is at or before `line`; -1 when none is. */
export function lastStartingAtOrBefore(count: number, startLine: (index: number) => number, line: number): number {
  let low = 0;
  let high = count - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (startLine(mid) <= line) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
