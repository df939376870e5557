/**
 * Keeps fixes to files a fix may write. A fix with a change the workspace refuses (a link, a
 * path outside the folders being fixed, bytes that are not UTF-8) is withdrawn, and the finding
 * says why, so the user is told there is no automatic fix instead of seeing one fail or, worse,
 * succeed somewhere else.
 */
import type { FileChange, Fix, WithFixes } from './fix-data';
import { kindOf } from '../workspace/discover';
import { firstBadIgnoreLine } from '../workspace/ignore-line-check';

export type RefusalOf = (path: string) => string | undefined;

/**
 * Filters the finding's fixes in place. Lazy fixes stay lazy: their edits are on the finding's
 * own file (Dockerfile rules edit only the Dockerfile), whose refusal is known without them.
 * `refusalNow` answers what is asked before this returns (a caller keeping many findings of one
 * file may remember its answers); lazy fixes, computed later, ask `refusalOf` then.
 */
export function keepWritableFixes<F extends WithFixes>(finding: F, refusalOf: RefusalOf, refusalNow: RefusalOf = refusalOf): F {
  const descriptor = Object.getOwnPropertyDescriptor(finding, 'fixes');
  const lazy = !!descriptor?.get;
  let reasons: string[];
  if (lazy) {
    const own = refusalNow(finding.path);
    reasons = own ? [own] : [];
    const compute = descriptor!.get!.bind(finding);
    Object.defineProperty(finding, 'fixes', { enumerable: true, configurable: true, get: () => settle(finding, writable(compute(), refusalOf)) });
  } else {
    const kept = writable(finding.fixes, refusalNow);
    const withdrawn = finding.fixes.filter((fix) => !kept.includes(fix));
    // Say why only when it changes what the user can do: the automatic fix, or every fix, is gone.
    const telling = withdrawn.some((fix) => fix.isPreferred) ? withdrawn : kept.length === 0 ? withdrawn : [];
    reasons = [...new Set(telling.flatMap((fix) => fix.changes.flatMap((c) => changeRefusal(c, refusalNow) ?? [])))];
    if (withdrawn.length > 0) finding.fixes = kept;
  }
  if (reasons.length > 0) finding.message = `${finding.message} No automatic fix: ${reasons.join('; ')}.`;
  return finding;
}

/**
 * Computed fixes become the finding's plain value: the rule's closure that computed them (its
 * parse of the Dockerfile, the builds) is then no longer kept alive by the finding. A workspace
 * fix holds every finding of a pass until it has applied them, and would otherwise hold every
 * Dockerfile's parse with them.
 */
function settle<F extends WithFixes>(finding: F, fixes: Fix[]): Fix[] {
  Object.defineProperty(finding, 'fixes', { value: fixes, enumerable: true, configurable: true, writable: true });
  return fixes;
}

function writable(fixes: Fix[], refusalOf: RefusalOf): Fix[] {
  return fixes.filter((fix) => fix.changes.every((c) => changeRefusal(c, refusalOf) === undefined));
}

/** Where the change writes is refused, or what it writes into a .dockerignore is not ignore patterns. */
function changeRefusal(change: FileChange, refusalOf: RefusalOf): string | undefined {
  const where = refusalOf(change.path);
  if (where) return where;
  if (kindOf(change.path) !== 'dockerignore') return undefined;
  const written = change.kind === 'create' ? change.text : change.edits.map((e) => e.newText).join('\n');
  const bad = firstBadIgnoreLine(written);
  return bad && `a line it would write to a .dockerignore ${bad.problem}`;
}
