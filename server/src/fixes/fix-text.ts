/**
 * Fix-all for one file's text (`source.fixAll.dockopt`, fix on save): apply the preferred
 * fixes that edit this file, re-check, repeat until nothing changes. Changes to other files
 * (a new .dockerignore) are left to quick fixes and `dockopt fix`: saving one file should
 * not create others.
 */
import type { TextEdit } from '../positions';
import type { WithFixes } from './fix-data';
import { applyTextEdits } from './apply';

const MAX_PASSES = 10;

export function fixAllInText(path: string, text: string, lint: (text: string) => readonly WithFixes[]): string {
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const edits = lint(current).flatMap((finding) =>
      (finding.fixes.find((fix) => fix.isPreferred)?.changes ?? []).flatMap((change) =>
        change.kind === 'edit' && change.path === path ? change.edits : [],
      ),
    );
    if (edits.length === 0) break;
    const next = applyTextEdits(current, edits).text;
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The one edit that turns `before` into `after`: the span between their common prefix and suffix. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a CRLF pair or a surrogate pair between the kept and the replaced text.
  while (start > 0 && (before[start - 1] === '\r' || isHighSurrogate(before.charCodeAt(start - 1)))) start--;
  return { start, end: endBefore, newText: after.slice(start, endAfter) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
