// A failed expectation: its message says what a user would have seen instead.
export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
