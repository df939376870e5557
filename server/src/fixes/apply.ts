/**
 * Turns fix data into text. Edits are offsets into one version of a file; overlapping
 * edits cannot both apply, so the later one waits for the next pass (as ESLint does).
 */
import type { TextEdit } from '../positions';
import type { FileChange, Fix } from './fix-data';

/** Applies non-overlapping edits; returns the new text and the edits it had to skip. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): { text: string; skipped: TextEdit[] } {
  const ordered = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order);
  const skipped: TextEdit[] = [];
  let out = '';
  let cursor = 0;
  let last: TextEdit | undefined;
  for (const { edit } of ordered) {
    // Two findings can carry the same edit (a .dockerignore finding reported on the Dockerfile
    // and on the ignore file): apply it once.
    if (last && edit.start === last.start && edit.end === last.end && edit.newText === last.newText) continue;
    if (edit.start < cursor || edit.end < edit.start || edit.end > text.length) {
      skipped.push(edit);
      continue;
    }
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
    last = edit;
  }
  return { text: out + text.slice(cursor), skipped };
}

/** The changes of several fixes, grouped per file, in the order the fixes came. */
export function collectChanges(fixes: readonly Fix[]): Map<string, FileChange[]> {
  const byFile = new Map<string, FileChange[]>();
  for (const fix of fixes) {
    for (const change of fix.changes) {
      const list = byFile.get(change.path) ?? [];
      list.push(change);
      byFile.set(change.path, list);
    }
  }
  return byFile;
}

/**
 * The text a file has after its changes. `current` is undefined when the file does not exist;
 * a `create` applies only then (two rules creating one file: the first wins this pass).
 */
export function applyFileChanges(current: string | undefined, changes: readonly FileChange[]): string | undefined {
  let text = current;
  const edits: TextEdit[] = [];
  for (const change of changes) {
    if (change.kind === 'create') {
      if (text === undefined) text = change.text;
    } else if (current !== undefined) {
      edits.push(...change.edits);
    }
  }
  if (text === undefined) return undefined;
  return edits.length > 0 ? applyTextEdits(text, edits).text : text;
}
