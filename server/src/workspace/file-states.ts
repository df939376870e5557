/**
 * What the workspace knows of each file it has looked at: the open editor's text (which wins
 * over the disk), else the disk's state read once and cached, and whether a fix may write it.
 * Kept apart from the build mapping (build-index.ts) so each cache is dropped by one owner.
 */
import * as path from 'node:path';
import { readTextFileSync, shownPath, type ReadResult } from '../../../shared/src/files/safe-read';
import { writeRefusal } from './write-policy';

export interface FileState {
  exists: boolean;
  text?: string;
  /** Why an existing path was not read (a link out of the workspace, a FIFO, too large…). */
  skipped?: string;
  /** False when the bytes are not valid UTF-8: `text` is then for linting, never to write back. */
  utf8?: boolean;
}

export class FileStates {
  private readonly overlay = new Map<string, string>();
  private readonly files = new Map<string, FileState>();
  private readonly refusals = new Map<string, string | undefined>();

  /**
   * `roots`: the workspace folders now; a link may only be read or written inside them.
   * `work.fileLookups` counts the states looked up, for tests that catch a quadratic.
   */
  constructor(
    private readonly roots: () => readonly string[],
    private readonly work: { fileLookups: number },
  ) {}

  /** The text of an open editor (absolute path); undefined when it closes. The caller drops what depended on it. */
  setOverlay(abs: string, text: string | undefined): void {
    if (text === undefined) this.overlay.delete(abs);
    else this.overlay.set(abs, text);
  }

  hasOverlay(abs: string): boolean {
    return this.overlay.has(abs);
  }

  /** A file's state, from the overlay, the cache, or (once) the disk. */
  read(abs: string): FileState {
    this.work.fileLookups++;
    const open = this.overlay.get(abs);
    if (open !== undefined) return { exists: true, text: open };
    let state = this.files.get(abs);
    if (!state) {
      state = toFileState(readTextFileSync(abs, this.roots()));
      this.files.set(abs, state);
    }
    return state;
  }

  /**
   * Reads files into the cache (a later `read` then finds them) without holding the event loop
   * for long: synchronous reads in slices of a few milliseconds, with a turn of the loop between
   * slices. Not `fs.promises`: its seven round trips per file (lstat, realpath, open, stat, two
   * reads, close) took five times the main thread's time of a synchronous read, about half a
   * second for the 2 000 ignore-file candidates of a 1 000-service workspace.
   */
  async readAll(paths: readonly string[], sliceMs = 4): Promise<void> {
    let sliceEnd = performance.now() + sliceMs;
    for (const abs of paths) {
      if (performance.now() > sliceEnd) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceEnd = performance.now() + sliceMs;
      }
      if (this.overlay.has(abs) || this.files.has(abs)) continue;
      this.files.set(abs, toFileState(readTextFileSync(abs, this.roots())));
    }
  }

  /** Forgets one path: it is read again when next asked for. */
  drop(abs: string): void {
    this.files.delete(abs);
    this.refusals.delete(abs);
  }

  /**
   * Forgets every path below the folder `abs` (it may be gone, or have become a link, which
   * changes where everything below it resolves).
   */
  dropBelow(abs: string): void {
    const prefix = abs + path.sep;
    for (const key of [...this.files.keys()]) if (key.startsWith(prefix)) this.files.delete(key);
    for (const key of [...this.refusals.keys()]) if (key.startsWith(prefix) || key.startsWith(abs)) this.refusals.delete(key);
  }

  /** Forgets everything read from the disk (the overlay stays). */
  clear(): void {
    this.files.clear();
    this.refusals.clear();
  }

  /** Files read so far that exist but were not read, with why (for a warning, never a finding). */
  skippedFiles(): Array<{ path: string; reason: string }> {
    return [...this.files].flatMap(([file, state]) => (state.skipped ? [{ path: file, reason: state.skipped }] : []));
  }

  /** Why a fix may not write `abs`, or undefined when it may; cached until the path is dropped. */
  writeRefusal(abs: string): string | undefined {
    if (this.refusals.has(abs)) return this.refusals.get(abs);
    let refusal: string | undefined;
    const state = this.read(abs);
    const roots = this.roots();
    // An open editor's text is edited where the user sees it, and saved by the editor.
    if (this.overlay.has(abs)) refusal = undefined;
    else if (state.skipped) refusal = `${shownPath(abs, roots)} ${state.skipped}`;
    else if (state.utf8 === false) refusal = `${shownPath(abs, roots)} is not valid UTF-8, and dockopt keeps its bytes as they are`;
    else refusal = writeRefusal(abs, roots);
    this.refusals.set(abs, refusal);
    return refusal;
  }
}

function toFileState(result: ReadResult): FileState {
  if (result.kind === 'absent') return { exists: false };
  if (result.kind === 'skipped') return { exists: true, skipped: result.reason };
  return { exists: true, text: result.text, utf8: result.utf8 };
}
