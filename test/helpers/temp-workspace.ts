/** Temporary workspaces on disk, described inline as { relative path: text }. */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A new folder under the temp dir (its real path: builds and scans compare resolved paths). */
export function makeWorkspace(files: Record<string, string>, prefix = 'dockopt-test-'): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  writeFiles(root, files);
  return root;
}

/** Writes files (creating their folders) below `root`. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** A private copy of the example workspace, so tests may fix it. */
export function copyExample(): string {
  const root = mkdtempSync(join(tmpdir(), 'dockopt-example-'));
  cpSync(join(__dirname, '..', '..', 'examples', 'ha-ingestor'), root, { recursive: true });
  return root;
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
