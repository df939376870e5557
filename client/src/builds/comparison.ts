/**
 * Two builds of a service side by side, as a Markdown document (readable as text too: the
 * table is padded): per step cached or its time before and after, and the total speed-up.
 */
import { compareBuilds, formatDuration, formatHitRatio, speedChange, type BuildRecord, type StepSide } from '../../../buildkit/src';
import { statusWord } from './format';

function side(s: StepSide | null): string {
  if (!s) return '—';
  if (s.cached) return 'cached';
  if (s.status === 'failed') return `failed ${formatDuration(s.durationMs)}`;
  if (s.status === 'canceled') return 'cancelled';
  if (s.status === 'pending') return 'not run';
  return formatDuration(s.durationMs);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/`/g, "'");
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

function headline(record: BuildRecord): string {
  return `${new Date(record.startedAt).toLocaleString()} — ${statusWord(record.status)} in ${formatDuration(record.durationMs)}, ${formatHitRatio(record.totals.cachedSteps, record.totals.totalSteps)}`;
}

function missLine(record: BuildRecord): string {
  return record.miss ? `cache miss at line ${record.miss.line + 1} (\`${record.miss.instruction}\`): ${record.miss.message}` : 'no cache miss';
}

/** The speed-up sentence: "4.2× faster (9.1s saved)", "the same time (12.0s → 12.2s)". */
export function speedupText(before: BuildRecord, after: BuildRecord): string {
  const change = speedChange(before.durationMs, after.durationMs);
  switch (change.kind) {
    case 'unknown':
      return 'Speed-up not measurable (a build took no time).';
    case 'same':
      return `the same time (${formatDuration(before.durationMs)} → ${formatDuration(after.durationMs)})`;
    case 'faster':
      return `${change.factor.toFixed(1)}× faster (${formatDuration(change.savedMs)} saved)`;
    case 'slower':
      return `${change.factor.toFixed(1)}× slower (${formatDuration(-change.savedMs)} more)`;
  }
}

export function comparisonMarkdown(label: string, before: BuildRecord, after: BuildRecord): string {
  const cmp = compareBuilds(before, after);
  const rows = cmp.steps.map((row) => [
    row.line === null ? '' : String(row.line + 1),
    cell(row.stage && new Set(cmp.steps.map((s) => s.stage)).size > 1 ? `${row.stage} › ${row.text}` : row.text),
    side(row.before),
    side(row.after),
  ]);
  const totalRow = ['', '**Total**', formatDuration(before.durationMs), formatDuration(after.durationMs)];
  return [
    `# ${label}: last two builds`,
    '',
    `- **Before:** ${headline(before)}; ${missLine(before)}`,
    `- **After:** ${headline(after)}; ${missLine(after)}`,
    `- **Result:** ${speedupText(before, after)}`,
    '',
    ...table(['Line', 'Step', 'Before', 'After'], [...rows, totalRow]),
    '',
    `Dockerfile: \`${after.service.dockerfile}\`, context \`${after.service.context}\`${after.service.target ? `, target \`${after.service.target}\`` : ''}`,
    '',
  ].join('\n');
}
