/**
 * Version specifiers as Python projects write their Python requirement, evaluated on final
 * releases (`3.12.4`): PEP 440 (`>=3.8,<3.11`, `~=3.9`, `==3.10.*`, `!=3.9.0`) and Poetry's
 * syntax (`^3.9`, `~3.9`, `3.9.*`, `>=3.8 <3.11`, `^3.8 || ^3.10`). A specifier dockopt cannot
 * read (a typo, `~=` on a pre-release) gives undefined: the caller then knows there is a
 * constraint but not what it allows.
 */

/** A final release as numbers: [3, 12] or [3, 12, 4]. */
export type Release = number[];
type Test = (version: Release) => boolean;

/** Negative, zero or positive as `a` is older than, equal to or newer than `b` (missing parts are 0). */
export function compareReleases(a: Release, b: Release): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const hasPrefix = (version: Release, prefix: Release) => prefix.every((part, i) => (version[i] ?? 0) === part);

const VERSION = String.raw`v?(\d+(?:\.\d+)*)(\.\*)?`;
/** A pre-release or development suffix (`3.13.0a1`, `3.13rc2`, `3.13.dev0`): it sits just below the final release. */
const PRE_RELEASE = String.raw`(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*|[-_.]?dev[-_.]?\d*)`;

function parts(text: string): Release {
  return text.split('.').map(Number);
}

/** One PEP 440 clause: `>=3.8`, `==3.10.*`, `~=3.9`. */
function pep440Clause(clause: string): Test | undefined {
  const pre = new RegExp(`^(==|!=|<=|>=|<|>)\\s*v?(\\d+(?:\\.\\d+)*)${PRE_RELEASE}$`, 'i').exec(clause);
  if (pre) {
    // Only final releases are asked about: none equals a pre-release, and none lies between it and its release.
    const [, op, text] = pre;
    const release = parts(text);
    if (op === '==') return () => false;
    if (op === '!=') return () => true;
    return op.startsWith('<') ? (v) => compareReleases(v, release) < 0 : (v) => compareReleases(v, release) >= 0;
  }
  const match = new RegExp(`^(~=|===|==|!=|<=|>=|<|>)\\s*${VERSION}$`).exec(clause);
  if (!match) return undefined;
  const [, op, text, wildcard] = match;
  const bound = parts(text);
  if (wildcard) {
    if (op === '==') return (v) => hasPrefix(v, bound);
    if (op === '!=') return (v) => !hasPrefix(v, bound);
    return undefined;
  }
  switch (op) {
    case '~=':
      return bound.length < 2 ? undefined : (v) => compareReleases(v, bound) >= 0 && hasPrefix(v, bound.slice(0, -1));
    case '===':
      return (v) => v.join('.') === text;
    case '==':
      return (v) => compareReleases(v, bound) === 0;
    case '!=':
      return (v) => compareReleases(v, bound) !== 0;
    case '<=':
      return (v) => compareReleases(v, bound) <= 0;
    case '>=':
      return (v) => compareReleases(v, bound) >= 0;
    case '<':
      return (v) => compareReleases(v, bound) < 0;
    default:
      return (v) => compareReleases(v, bound) > 0;
  }
}

/** A PEP 440 specifier set (comma-separated clauses, all must hold). */
export function allowsPep440(specifier: string): Test | undefined {
  const clauses = specifier.split(',').map((c) => c.trim()).filter(Boolean);
  if (clauses.length === 0) return () => true;
  const tests = clauses.map(pep440Clause);
  if (tests.some((t) => t === undefined)) return undefined;
  return (v) => tests.every((t) => t!(v));
}

/** The exclusive upper bound of `^x.y.z`: the left-most non-zero part goes up. */
function caretUpper(bound: Release): Release {
  let k = bound.findIndex((p) => p !== 0);
  if (k < 0) k = bound.length - 1;
  return [...bound.slice(0, k), bound[k] + 1];
}

/** One Poetry term: `^3.9`, `~3.9`, `>=3.8`, `3.9.*`, `3.9`, `*`. */
function poetryTerm(op: string, text: string, wildcard: string | undefined): Test | undefined {
  if (text === '*') return () => true;
  const bound = parts(text);
  if (wildcard) return op === '' || op === '==' ? (v) => hasPrefix(v, bound) : op === '!=' ? (v) => !hasPrefix(v, bound) : undefined;
  switch (op) {
    case '^': {
      const upper = caretUpper(bound);
      return (v) => compareReleases(v, bound) >= 0 && compareReleases(v, upper) < 0;
    }
    case '~': {
      const upper = bound.length === 1 ? [bound[0] + 1] : [bound[0], bound[1] + 1];
      return (v) => compareReleases(v, bound) >= 0 && compareReleases(v, upper) < 0;
    }
    case '':
    case '=':
    case '==':
      // Poetry reads a Python requirement of `3.9` (or `==3.9`) as the whole 3.9 line.
      return bound.length < 3 ? (v) => hasPrefix(v, bound) : (v) => compareReleases(v, bound) === 0;
    default:
      return pep440Clause(`${op}${text}`);
  }
}

/** A Poetry constraint: alternatives split by `||` (or `|`), each a comma- or space-separated AND. */
export function allowsPoetry(constraint: string): Test | undefined {
  const alternatives = constraint.split(/\|\|?/).map((a) => a.trim());
  const parsed: Test[][] = [];
  for (const alternative of alternatives) {
    if (alternative === '') return undefined;
    const tests: Test[] = [];
    const term = new RegExp(`\\s*,?\\s*(\\^|~=|~|===|==|!=|<=|>=|<|>|=)?\\s*(?:${VERSION}|(\\*))`, 'y');
    let at = 0;
    while (at < alternative.length) {
      term.lastIndex = at;
      const match = term.exec(alternative);
      if (!match || match[0].length === 0) return undefined;
      const test = poetryTerm(match[1] ?? '', match[4] ?? match[2], match[3]);
      if (!test) return undefined;
      tests.push(test);
      at = term.lastIndex;
    }
    parsed.push(tests);
  }
  return (v) => parsed.some((tests) => tests.every((t) => t(v)));
}
