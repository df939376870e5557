/**
 * A glob compiled to a nondeterministic automaton and run over a path with a set of states
 * (Thompson's construction), never by backtracking: a test costs at most
 * O(pattern length × path length), whatever the pattern. A JavaScript RegExp built from a
 * glob backtracks instead, so `*a*a*a*a*a*a*a*a*a*a*a*a*c` against a long run of `a`s takes
 * minutes; Go's RE2, which BuildKit uses, does not.
 *
 * The tokens are the pieces BuildKit's patternmatcher turns a .dockerignore pattern into;
 * ignore-matcher.ts parses .dockerignore lines into them, and COPY source globs through
 * shared/src/dockerfile/copy-globs.ts.
 */

export type GlobToken =
  /** One code point, itself. */
  | { kind: 'char'; code: number }
  /** `?`: one code point other than `/`. */
  | { kind: 'notSlash' }
  /** `[...]`: one code point in (or, negated, outside) the inclusive ranges [lo0, hi0, lo1, hi1, ...]. */
  | { kind: 'class'; ranges: readonly number[]; negated: boolean }
  /** `*`: any run of code points other than `/`. */
  | { kind: 'star' }
  /** `**` before more pattern, regex `(.*\/)?`: nothing, or anything (but a newline) ending in `/`. */
  | { kind: 'anyDirs' }
  /** `**` at the end, regex `.*`: anything but a newline. */
  | { kind: 'rest' }
  /** A bare `^` in a regex-compiled pattern: holds only at the start of the path. */
  | { kind: 'start' };

const CHAR = 0;
const NOT_SLASH = 1;
const CLASS = 2;
const STAR = 3;
const ANY_DIRS = 4;
const REST = 5;
const START = 6;
const KIND_CODES: Record<GlobToken['kind'], number> = {
  char: CHAR, notSlash: NOT_SLASH, class: CLASS, star: STAR, anyDirs: ANY_DIRS, rest: REST, start: START,
};

const SLASH = 0x2f;
const NEWLINE = 0x0a;

/** The most sets one automaton keeps as cached (DFA) states before it starts the cache over. */
const MAX_CACHED_SETS = 256;

/** A set of automaton states, as reached after some prefix of a path, with its cached moves. */
interface StateSet {
  readonly states: Int32Array;
  readonly accepting: boolean;
  /** The set after an ASCII code point (index), -1 until computed. */
  readonly ascii: Int32Array;
  /** The same for other code points. */
  other?: Map<number, number>;
}

/**
 * States: 0..n-1 wait before token i, n accepts, and n+1+i is "inside" the `.*` of an anyDirs
 * token i (it leaves at a `/`). A step computes the next set of states from the current one,
 * each state entering it at most once; the sets met are cached with their moves, so a path
 * costs one table lookup per character once the sets it meets are known (a lazy DFA, as RE2
 * builds one). The cache is bounded: when full it starts over, and the bound still holds.
 */
export class GlobAutomaton {
  /**
   * Work done so far, summed over every test: one per character read, plus states entered and
   * advanced while computing a set not met before. At most (4 × (tokens + 1) + 1) × (characters + 1)
   * per test: a set holds at most 2 × (tokens + 1) states.
   */
  steps = 0;
  private readonly kinds: Uint8Array;
  private readonly codes: Int32Array;
  private readonly classes: ({ ranges: readonly number[]; negated: boolean } | undefined)[];
  private readonly accept: number;
  private sets: StateSet[] = [];
  private setIndex = new Map<string, number>();
  private start = -1;
  // Scratch space, reused across steps (JavaScript runs one test at a time).
  private readonly marks: Int32Array;
  private readonly built: Int32Array;
  private readonly stack: Int32Array;
  private generation = 0;

  constructor(tokens: readonly GlobToken[]) {
    const n = tokens.length;
    this.accept = n;
    this.kinds = new Uint8Array(n);
    this.codes = new Int32Array(n);
    this.classes = new Array(n);
    tokens.forEach((token, i) => {
      this.kinds[i] = KIND_CODES[token.kind];
      if (token.kind === 'char') this.codes[i] = token.code;
      if (token.kind === 'class') this.classes[i] = { ranges: token.ranges, negated: token.negated };
    });
    const size = 2 * n + 2;
    this.marks = new Int32Array(size);
    this.built = new Int32Array(size);
    this.stack = new Int32Array(size * 2 + 1); // each state entered pushes at most two
  }

  /** Whether the whole path matches. */
  test(path: string): boolean {
    return this.run(path, false);
  }

  /**
   * Whether the path or one of its parent directories matches, in one pass: a parent is a
   * prefix that ends before a `/`, and the automaton is anchored at the start.
   */
  testPathOrParent(path: string): boolean {
    return this.run(path, true);
  }

  private run(path: string, orParent: boolean): boolean {
    if (this.start < 0) this.start = this.startSet();
    let set = this.sets[this.start];
    for (let i = 0; i < path.length; ) {
      let code = path.charCodeAt(i);
      if (orParent && code === SLASH && i > 0 && set.accepting) return true;
      if (code >= 0xd800 && code <= 0xdbff) code = path.codePointAt(i)!; // a pair: one character
      i += code > 0xffff ? 2 : 1;
      this.steps++;
      let next = code < 128 ? set.ascii[code] : (set.other?.get(code) ?? -1);
      if (next < 0) next = this.move(set, code);
      set = this.sets[next];
      if (set.states.length === 0) return false;
    }
    return set.accepting;
  }

  /** The set before reading anything: where a `^` still holds. */
  private startSet(): number {
    this.newGeneration();
    return this.intern(this.enter(0, 0, true));
  }

  /** Computes (and caches) the set after `set` reads `code`. */
  private move(set: StateSet, code: number): number {
    if (this.sets.length >= MAX_CACHED_SETS) {
      // Start the cache over, keeping the set being left (it is still in use).
      this.sets = [];
      this.setIndex = new Map();
      this.start = -1;
      set = this.sets[this.internStates(set.states)];
    }
    const next = this.intern(this.advance(set.states, code));
    if (code < 128) set.ascii[code] = next;
    else (set.other ??= new Map()).set(code, next);
    return next;
  }

  /** The cached index of the `count` states in `built`, adding the set if new. */
  private intern(count: number): number {
    return this.internStates(this.built.slice(0, count).sort());
  }

  private internStates(states: Int32Array): number {
    const key = states.join(',');
    let index = this.setIndex.get(key);
    if (index === undefined) {
      index = this.sets.length;
      const ascii = new Int32Array(128).fill(-1);
      this.sets.push({ states, accepting: states.includes(this.accept), ascii });
      this.setIndex.set(key, index);
    }
    return index;
  }

  /** Reads one code point: the states after it, into `built`; returns how many. */
  private advance(from: Int32Array, code: number): number {
    this.newGeneration();
    let size = 0;
    const n = this.accept;
    for (let k = 0; k < from.length; k++) {
      const state = from[k];
      this.steps++;
      if (state < n) {
        switch (this.kinds[state]) {
          case CHAR:
            if (code === this.codes[state]) size = this.enter(state + 1, size, false);
            break;
          case NOT_SLASH:
            if (code !== SLASH) size = this.enter(state + 1, size, false);
            break;
          case CLASS:
            if (this.inClass(state, code)) size = this.enter(state + 1, size, false);
            break;
          case STAR:
            if (code !== SLASH) size = this.enter(state, size, false);
            break;
          case REST:
            if (code !== NEWLINE) size = this.enter(state, size, false);
            break;
          // ANY_DIRS and START only pass on without reading: see enter.
        }
      } else if (state > n) {
        if (code !== NEWLINE) size = this.enter(state, size, false);
        if (code === SLASH) size = this.enter(state - n, size, false); // n+1+i leaves to i+1
      }
    }
    return size;
  }

  /** Adds a state and all it reaches without reading (its ε-closure) to `built`. */
  private enter(first: number, size: number, atStart: boolean): number {
    const marks = this.marks;
    const generation = this.generation;
    const stack = this.stack;
    const into = this.built;
    const n = this.accept;
    let top = 0;
    stack[top++] = first;
    while (top > 0) {
      const state = stack[--top];
      if (marks[state] === generation) continue;
      marks[state] = generation;
      into[size++] = state;
      this.steps++;
      if (state >= n) continue;
      const kind = this.kinds[state];
      if (kind === STAR || kind === REST) stack[top++] = state + 1;
      else if (kind === ANY_DIRS) {
        stack[top++] = state + 1;
        stack[top++] = n + 1 + state;
      } else if (kind === START && atStart) stack[top++] = state + 1;
    }
    return size;
  }

  private inClass(state: number, code: number): boolean {
    const { ranges, negated } = this.classes[state]!;
    let inside = false;
    for (let r = 0; r < ranges.length && !inside; r += 2) inside = ranges[r] <= code && code <= ranges[r + 1];
    return inside !== negated;
  }

  private newGeneration(): void {
    if (this.generation === 0x3fffffff) {
      this.marks.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }
}
