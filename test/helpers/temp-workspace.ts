/** Temporary workspaces on disk, described inline as { relative path: text }. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function makeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dockopt-test-'));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
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
