/** `dockopt check [PATH...] [--format text|json|sarif]` */
import { lintWorkspace } from '../lint-workspace';
import { parseCommandArgs, UsageError } from './args';
import { loadWorkspace, reportSkipped } from './load-workspace';
import { formatText, toJson, toSarif, type ReportFormat } from './report-formats';
import type { CliIo } from './io';

const FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif'];

export async function runCheckCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, { format: { type: 'string', short: 'f' } });
  const format = (args.values.get('format') ?? 'text') as ReportFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (use text, json or sarif)`);
  const { workspace, files, settings } = await loadWorkspace(args.positionals, io.cwd, io.env);
  for (const { path, message } of workspace.composeErrors()) io.stderr.write(`dockopt: ${path}: ${message}\n`);
  const findings = await lintWorkspace(workspace, () => settings, files);
  reportSkipped(workspace, io);
  if (format === 'json') io.stdout.write(`${JSON.stringify(toJson(findings, io.cwd), null, 2)}\n`);
  else if (format === 'sarif') io.stdout.write(`${JSON.stringify(toSarif(findings, io.cwd, io.version), null, 2)}\n`);
  else io.stdout.write(formatText(findings, io.cwd));
  return findings.length > 0 ? 1 : 0;
}
