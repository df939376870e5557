/** `dockopt fix [PATH...] [--dry-run]`: applies every preferred fix in place. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { fixWorkspace, type FileResult } from '../fix-workspace';
import { parseArgs } from './args';
import type { CliIo } from './io';
import { loadWorkspace } from './load-workspace';
import { displayPath, formatText } from './report-formats';

export async function runFixCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { 'dry-run': false });
  const dryRun = args.flags.has('dry-run');
  const { workspace, files, settings } = await loadWorkspace(args.positionals, io.cwd, io.env);
  const result = await fixWorkspace(workspace, () => settings, files);

  if (result.files.length === 0) io.stdout.write('dockopt: nothing to fix.\n');
  for (const file of result.files) {
    const shown = displayPath(file.path, io.cwd);
    if (dryRun) {
      io.stdout.write(unifiedDiff(shown, file));
    } else {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.after);
      io.stdout.write(`${file.before === undefined ? 'created' : 'fixed'} ${shown} (${describeRules(file)})\n`);
    }
  }
  if (dryRun && result.files.length > 0) {
    io.stdout.write(`\ndockopt: would change ${result.files.length} file${result.files.length === 1 ? '' : 's'}; run without --dry-run to apply.\n`);
  }
  if (result.remaining.length > 0) {
    io.stdout.write(`\nLeft for you (no automatic fix):\n${formatText(result.remaining, io.cwd)}`);
  }
  return result.remaining.length > 0 || (dryRun && result.files.length > 0) ? 1 : 0;
}

function describeRules(file: FileResult): string {
  return [...file.rules].map(([id, n]) => (n > 1 ? `${id} ×${n}` : id)).join(', ');
}

function unifiedDiff(shown: string, file: FileResult): string {
  const oldName = file.before === undefined ? '/dev/null' : `a/${shown}`;
  return createTwoFilesPatch(oldName, `b/${shown}`, file.before ?? '', file.after, undefined, undefined, { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .join('\n');
}
