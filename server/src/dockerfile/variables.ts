/**
 * The one `$VAR` expander of the engine: `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`,
 * `${NAME:+word}`, `${NAME+word}`, as BuildKit's shell lexer expands them in FROM, ARG, ENV,
 * WORKDIR, COPY and the paths rules resolve. Each caller says where its variables come from
 * (a lookup that answers a value with its origin, `unset`, or `unknown`) and what an unknown
 * variable means for it: kept as written (two spellings of one path still compare equal) or the
 * whole word unknown (a fix must not rest on a guess).
 *
 * Every character of the result remembers the file offset it was read from (-1 when it came
 * from a value with no place in the file), so a fix can edit the literal that produced it.
 */

export interface TracedChar {
  ch: string;
  /** Offset in the file, or -1 when the character has no place there. */
  offset: number;
}

/** Where a variable's value came from. */
export type VariableOrigin = 'ENV' | 'ARG' | 'ARG default' | 'command' | 'home' | 'image ENV';

/**
 * A variable as a lookup answers it: a value with its origin; `unset` (expands to nothing, and
 * `${NAME:-word}` takes the word); `unknown` (only the build knows it: --build-arg, an image's ENV).
 */
export type Variable = { value: string | readonly TracedChar[]; origin: VariableOrigin } | 'unset' | 'unknown';

export type VariableLookup = (name: string) => Variable;

export interface ExpandOptions {
  lookup: VariableLookup;
  /** `keep`: an unknown variable stays as written; `give-up`: the whole word is unknown (undefined). */
  unknown: 'keep' | 'give-up';
  /**
   * When set, the text is a word as written in the Dockerfile: quotes, escapes with this escape
   * character and line continuations are read too. Unset: the text is a value (already unquoted).
   */
  escapeChar?: string;
  /** The file offset of the text's first character (default -1: no place in the file). */
  base?: number;
}

/** One variable the expansion read, and where its value came from. */
export interface VariableUse {
  name: string;
  origin: VariableOrigin | 'unset' | 'unknown';
  /** `:-`, `-`, `:+`, `+` when the reference had one. */
  operator?: string;
  /** True when the variable's own value was empty or unset. */
  empty: boolean;
}

export interface Expansion {
  chars: TracedChar[];
  text: string;
  uses: VariableUse[];
}

const GIVE_UP = new Error('cannot expand');
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The word expanded, or undefined when the policy is `give-up` and something is unknown. */
export function expandWord(text: string, options: ExpandOptions): Expansion | undefined {
  if (!text.includes('$') && options.escapeChar === undefined) {
    const base = options.base ?? -1;
    const chars = Array.from(text, (ch, k) => ({ ch, offset: base < 0 ? -1 : base + k }));
    return { chars, text, uses: [] };
  }
  const { lookup, escapeChar } = options;
  const keep = options.unknown === 'keep';
  const base = options.base ?? -1;
  const at = (k: number) => (base < 0 ? -1 : base + k);
  const uses: VariableUse[] = [];
  let i = 0;

  const literal = (from: number, to: number): TracedChar[] => Array.from(text.slice(from, to), (ch, k) => ({ ch, offset: at(from + k) }));

  const skipContinuation = (): boolean => {
    let j = i + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (text[j] === '\r' && text[j + 1] === '\n') j++;
    if (text[j] !== '\n') return false;
    i = j + 1;
    return true;
  };

  /** The value of a variable: chars, undefined for unset, 'unknown' (after recording the use). */
  const valueOf = (name: string, operator?: string): readonly TracedChar[] | undefined | 'unknown' => {
    const found = lookup(name);
    if (found === 'unknown') {
      uses.push({ name, origin: 'unknown', operator, empty: false });
      if (!keep) throw GIVE_UP;
      return 'unknown';
    }
    if (found === 'unset') {
      uses.push({ name, origin: 'unset', operator, empty: true });
      return undefined;
    }
    const chars = typeof found.value === 'string' ? Array.from(found.value, (ch) => ({ ch, offset: -1 })) : found.value;
    uses.push({ name, origin: found.origin, operator, empty: chars.length === 0 });
    return chars;
  };

  /** Skips to just after the `}` that closes a reference we keep as written (or to the end). */
  const skipToClose = () => {
    const close = text.indexOf('}', i);
    i = close < 0 ? text.length : close + 1;
  };

  const expandVariable = (): TracedChar[] => {
    const start = i;
    const rest = text.slice(i + 1);
    const bare = NAME.exec(rest);
    if (bare) {
      i += 1 + bare[0].length;
      const value = valueOf(bare[0]);
      return value === 'unknown' ? literal(start, i) : [...(value ?? [])];
    }
    if (rest[0] !== '{') {
      i++;
      return [{ ch: '$', offset: at(i - 1) }];
    }
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (!braced) {
      if (!keep) throw GIVE_UP;
      skipToClose();
      return literal(start, i);
    }
    i += 1 + braced[0].length;
    if (text[i] === '}') {
      i++;
      const value = valueOf(braced[1]);
      return value === 'unknown' ? literal(start, i) : [...(value ?? [])];
    }
    const operator = /^(:-|-|:\+|\+)/.exec(text.slice(i))?.[0];
    if (!operator) {
      // ${VAR#pattern} and friends: not worth guessing
      if (!keep) throw GIVE_UP;
      skipToClose();
      return literal(start, i);
    }
    const value = valueOf(braced[1], operator);
    i += operator.length;
    const word = parse(true);
    i++; // the closing brace
    if (value === 'unknown') return literal(start, i);
    const setAndNonEmpty = value !== undefined && value.length > 0;
    switch (operator) {
      case ':-':
        return [...(setAndNonEmpty ? value : word)];
      case '-':
        return [...(value ?? word)];
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
      if (escapeChar !== undefined) {
        if (ch === escapeChar && skipContinuation()) continue;
        if (quote === "'") {
          if (ch === "'") quote = undefined;
          else out.push({ ch, offset: at(i) });
          i++;
          continue;
        }
      }
      if (insideBraces && !quote && ch === '}') return out;
      if (escapeChar !== undefined) {
        if (ch === '"' || (ch === "'" && !quote)) {
          quote = quote ? undefined : ch;
          i++;
          continue;
        }
        if (ch === escapeChar && i + 1 < text.length) {
          const next = text[i + 1];
          if (quote === '"' && next !== '"' && next !== '$' && next !== escapeChar) {
            out.push({ ch, offset: at(i) });
            i++;
          } else {
            out.push({ ch: next, offset: at(i + 1) });
            i += 2;
          }
          continue;
        }
      }
      if (ch === '$') {
        for (const c of expandVariable()) out.push(c);
        continue;
      }
      out.push({ ch, offset: at(i) });
      i++;
    }
    if (insideBraces || quote) throw GIVE_UP; // unterminated: BuildKit rejects it too
    return out;
  };

  try {
    const chars = parse(false);
    return { chars, text: chars.map((c) => c.ch).join(''), uses };
  } catch (error) {
    if (error !== GIVE_UP) throw error;
    // An unterminated `${` kept as written is still the text as written.
    return keep ? { chars: literal(0, text.length), text, uses } : undefined;
  }
}

/** The expanded text alone (see expandWord). */
export function expandText(text: string, options: ExpandOptions): string | undefined {
  if (!text.includes('$') && options.escapeChar === undefined) return text;
  return expandWord(text, options)?.text;
}

/**
 * A lookup over plain values by name, each of one origin (the ENV of an instruction, the global
 * ARG defaults): a name without a value is `missing` (`unset` or `unknown`, as the caller knows).
 */
export function lookupIn(
  values: { get(name: string): string | undefined },
  origin: VariableOrigin,
  missing: 'unset' | 'unknown',
): VariableLookup {
  return (name) => {
    const value = values.get(name);
    return value === undefined ? missing : { value, origin };
  };
}

/**
 * `$NAME`, `${NAME}` and the `${NAME:-word}` forms replaced by the ENV values in force; any
 * variable that is not (an ARG, the base image's own ENV) stays as written, so two spellings of
 * one path still compare equal.
 */
export function expandEnv(value: string, env: { get(name: string): string | undefined }): string {
  if (!value.includes('$')) return value;
  return expandText(value, { lookup: lookupIn(env, 'ENV', 'unknown'), unknown: 'keep' }) ?? value;
}
