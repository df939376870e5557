/** Plain-text views of builds for terminals: the step table with totals, and two builds side by side. */
import { speedChange, type BuildComparison, type StepSide } from './compare';
import type { BuildRecord, RecordedStep } from './history';

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

export function formatHitRatio(cached: number, total: number): string {
  return `${cached}/${total} cached (${total === 0 ? 0 : Math.round((cached / total) * 100)}%)`;
}

function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat.padEnd(width) : flat.slice(0, width - 1) + '…';
}

function result(step: Pick<RecordedStep, 'status' | 'cached'>): string {
  if (step.cached) return 'cached';
  return ({ executed: 'ran', failed: 'FAILED', canceled: 'canceled', running: 'running', pending: 'not run', cached: 'cached' } as const)[step.status];
}

const STEP_WIDTH = 52;

/** The summary line: status, wall time, hit ratio, time in executed steps. */
export function formatSummary(record: BuildRecord): string {
  const t = record.totals;
  return `Build ${record.status} in ${formatDuration(record.durationMs)}: ${formatHitRatio(t.cachedSteps, t.totalSteps)}, ${formatDuration(t.executedMs)} in executed steps`;
}

/** Lines are shown 1-based, as editors number them. */
export function formatBuildReport(record: BuildRecord): string {
  const out: string[] = [formatSummary(record), ''];
  out.push(`  ${'LINE'.padStart(4)}  ${'STEP'.padEnd(STEP_WIDTH)}  ${'RESULT'.padEnd(8)}  TIME`);
  const internal = record.steps.filter((s) => s.internal);
  for (const step of record.steps.filter((s) => !s.internal)) {
    const isMiss = record.miss !== null && step.line === record.miss.line;
    const line = step.line === null ? '-' : String(step.line + 1);
    const label = (step.platform ? `[${step.platform}] ` : '') + step.text;
    const mark = isMiss ? '  ← cache miss' : '';
    out.push(`  ${line.padStart(4)}  ${fit(label, STEP_WIDTH)}  ${result(step).padEnd(8)}  ${step.cached ? '' : formatDuration(step.durationMs)}${mark}`);
  }
  if (internal.length) {
    const ms = internal.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
    out.push(`  ${'-'.padStart(4)}  ${fit(`${internal.length} internal steps (load context, metadata, export)`, STEP_WIDTH)}  ${''.padEnd(8)}  ${formatDuration(ms)}`);
  }
  if (record.miss) {
    out.push('', `Cache miss at line ${record.miss.line + 1}: ${record.miss.instruction}`, `  ${record.miss.message}`);
  }
  if (record.problem && record.problem.kind !== 'canceled') out.push('', record.problem.message, `  ${record.problem.hint}`);
  return out.join('\n') + '\n';
}

function sideText(side: StepSide | null): string {
  if (!side) return '—';
  return side.cached ? 'cached' : `${result({ status: side.status, cached: false })} ${formatDuration(side.durationMs)}`;
}

function headline(label: string, record: BuildRecord): string {
  const when = record.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return `  ${label} ${when}  ${record.status.padEnd(9)} ${formatDuration(record.durationMs).padStart(7)}  ${formatHitRatio(record.totals.cachedSteps, record.totals.totalSteps)}`;
}

export function formatComparison(cmp: BuildComparison): string {
  const out: string[] = [
    `Last two builds of ${cmp.after.service.dockerfile}${cmp.after.service.target ? ` (target ${cmp.after.service.target})` : ''}:`,
    headline('before:', cmp.before),
    headline('after: ', cmp.after),
    '',
    `  ${'LINE'.padStart(4)}  ${'STEP'.padEnd(STEP_WIDTH)}  ${'BEFORE'.padEnd(14)}  AFTER`,
  ];
  for (const row of cmp.steps) {
    const line = row.line === null ? '-' : String(row.line + 1);
    out.push(`  ${line.padStart(4)}  ${fit(row.text, STEP_WIDTH)}  ${sideText(row.before).padEnd(14)}  ${sideText(row.after)}`);
  }
  out.push('');
  const change = speedChange(cmp.before.durationMs, cmp.after.durationMs);
  if (change.kind === 'unknown') out.push('Speed-up: not measurable (a build took no time).');
  else if (change.kind === 'same') out.push('Speed-up: none, the same time (within a few percent).');
  else if (change.kind === 'faster') out.push(`Speed-up: ${change.factor.toFixed(1)}× faster (${formatDuration(change.savedMs)} saved)`);
  else out.push(`Slow-down: ${change.factor.toFixed(1)}× slower (${formatDuration(-change.savedMs)} more)`);
  return out.join('\n') + '\n';
}
