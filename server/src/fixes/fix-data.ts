/**
 * Fixes as data: what a fix does to files, in absolute paths and offsets. Rules build them, the
 * engine filters them by where they may write, and one applier (apply.ts) carries them out.
 */
import type { TextEdit } from '../positions';

/** What a fix does to one file. Paths are absolute file-system paths. */
export type FileChange =
  | { kind: 'edit'; path: string; edits: TextEdit[] }
  | { kind: 'create'; path: string; text: string };

export interface Fix {
  title: string;
  /** The safe fix that `dockopt fix`, fix-all and "Optimize All" apply. */
  isPreferred: boolean;
  changes: FileChange[];
}

/** What carries fixes: a finding, as far as the fixes folder needs to know it. */
export interface WithFixes {
  /** The file the finding is reported on (absolute path). */
  path: string;
  message: string;
  fixes: Fix[];
}
