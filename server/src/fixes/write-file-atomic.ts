/**
 * Writing a fixed file so that an interrupted run leaves it either as it was or as fixed:
 * the new text goes to a temporary file in the same folder (same file system), gets the
 * original's mode and owner, is flushed, and is renamed over the original. A created file is
 * linked into place, which fails if anything (a file, a link) took its name meanwhile.
 *
 * Every write checks again, just before it happens, what the engine checked when it planned
 * the fix: inside the workspace, no link, a regular file, and (for an edit) still the text
 * the fix was computed from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextFileSync, shownPath } from '../../../shared/src/files/safe-read';
import { writeRefusal } from '../workspace/write-policy';

export class WriteRefused extends Error {}

/**
 * `before` is the text the fix was computed from (undefined: the fix creates the file).
 * Throws WriteRefused with a message for the user when the file may not, or no longer, be written.
 */
export function writeFileAtomic(abs: string, before: string | undefined, after: string, roots: readonly string[]): void {
  const refusal = writeRefusal(abs, roots);
  if (refusal) throw new WriteRefused(refusal);
  let original: fs.Stats | undefined;
  if (before !== undefined) {
    const now = readTextFileSync(abs, roots);
    if (now.kind !== 'text' || now.text !== before) throw new WriteRefused(`${shownPath(abs, roots)} changed while dockopt was fixing it; run dockopt fix again`);
    original = fs.statSync(abs);
  } else if (fs.existsSync(abs)) {
    throw new WriteRefused(`${shownPath(abs, roots)} appeared while dockopt was fixing; run dockopt fix again`);
  }

  const temp = path.join(path.dirname(abs), `.${path.basename(abs)}.dockopt-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  // `wx`: never opens an existing file or follows a link someone put at the temporary name.
  const fd = fs.openSync(temp, 'wx', original ? original.mode & 0o7777 : 0o666);
  try {
    try {
      fs.writeSync(fd, after);
      if (original) {
        fs.fchmodSync(fd, original.mode & 0o7777);
        if (original.uid !== process.getuid?.() || original.gid !== process.getgid?.()) {
          try {
            fs.fchownSync(fd, original.uid, original.gid);
          } catch {
            // Not permitted (not root): the file keeps our owner, as any editor's save would.
          }
        }
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (original) fs.renameSync(temp, abs);
    else fs.linkSync(temp, abs); // fails with EEXIST instead of replacing what appeared
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new WriteRefused(`${shownPath(abs, roots)} appeared while dockopt was fixing; run dockopt fix again`);
    throw error;
  } finally {
    try {
      fs.unlinkSync(temp);
    } catch {
      // renamed away: nothing left to remove
    }
  }
}
