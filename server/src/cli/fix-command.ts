/** `dockopt fix [PATH...] [--dry-run]`: applies every preferred fix in place. */
import { createTwoFilesPatch } from 'diff';
import { fixWorkspace, type FileResult } from '../fix-workspace';
import { WriteRefused, writeFileAtomic } from '../fixes/write-file-atomic';
import { parseCommandArgs } from './args';
import type { CliIo } from './io';
import { ioMessage, loadWorkspace, reportSkipped } from './load-workspace';
import { displayPath, formatText } from './report-formats';

export async function runFixCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, { 'dry-run': { type: 'boolean' } });
  const dryRun = args.values.has('dry-run');
  const { workspace, files, settings } = await loadWorkspace(args.positionals, io.cwd, io.env);
  const result = await fixWorkspace(workspace, () => settings, files);
  reportSkipped(workspace, io);
  let writeFailed = false;

  if (result.files.length === 0) io.stdout.write('dockopt: nothing to fix.\n');
  for (const file of result.files) {
    const shown = displayPath(file.path, io.cwd);
    if (dryRun) {
      io.stdout.write(unifiedDiff(shown, file));
    } else {
      try {
        writeFileAtomic(file.path, file.before, file.after, workspace.rootFolders());
      } catch (error) {
        writeFailed = true;
        const why = error instanceof WriteRefused ? error.message : ioMessage(error);
        io.stderr.write(`dockopt: did not write ${shown}: ${why}\n`);
        continue;
      }
      io.stdout.write(`${file.before === undefined ? 'created' : 'fixed'} ${shown} (${describeRules(file)})\n`);
    }
  }
  if (dryRun && result.files.length > 0) {
    io.stdout.write(`\ndockopt: would change ${result.files.length} file${result.files.length === 1 ? '' : 's'}; run without --dry-run to apply.\n`);
  }
  if (result.remaining.length > 0) {
    io.stdout.write(`\nLeft for you (no automatic fix):\n${formatText(result.remaining, io.cwd)}`);
  }
  if (writeFailed) return 2;
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
