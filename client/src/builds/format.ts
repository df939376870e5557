/** Short texts the build views share: elapsed time, "5 min ago", a build's one-line result. */
import { formatDuration, formatHitRatio, type BuildRecord } from '../../../buildkit/src';

/** `0:07`, `1:05`, `1:02:03`: a ticking clock. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function timeAgo(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return '';
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return new Date(then).toISOString().slice(0, 10);
}

/** "88% cached": the short form for the status bar. */
export function cachedPercent(record: BuildRecord): string {
  const { cachedSteps, totalSteps } = record.totals;
  return `${totalSteps === 0 ? 0 : Math.round((cachedSteps / totalSteps) * 100)}% cached`;
}

const STATUS_WORD: Record<BuildRecord['status'], string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'cancelled',
  error: 'could not run',
};

/** One line per build, for tooltips: "✓ 12.3s · 14/16 cached (88%) · 5 min ago · miss at line 9". */
export function buildLine(record: BuildRecord, now: number): string {
  const mark = record.status === 'succeeded' ? '✓' : record.status === 'canceled' ? '⊘' : '✗';
  const parts = [
    `${mark} ${record.status === 'succeeded' ? formatDuration(record.durationMs) : `${STATUS_WORD[record.status]} after ${formatDuration(record.durationMs)}`}`,
    formatHitRatio(record.totals.cachedSteps, record.totals.totalSteps),
    timeAgo(record.startedAt, now),
  ];
  if (record.miss) parts.push(`miss at line ${record.miss.line + 1}: ${record.miss.instruction}`);
  return parts.filter(Boolean).join(' · ');
}

export function statusWord(status: BuildRecord['status']): string {
  return STATUS_WORD[status];
}
