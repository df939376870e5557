/**
 * The rebuild table: per rebuild kind and service, the median time before and after the fixes,
 * their ratio, the cache-hit ratio (cached steps / steps, over all rounds) and the median bytes
 * the package index sent.
 */
import { median } from '../dockerfiles';
import { KINDS, type BuildResult, type RebuildKind } from './series';

export interface KindFigures {
  kind: RebuildKind;
  service: string;
  rounds: number;
  beforeMs: number;
  afterMs: number;
  beforeHit: number;
  afterHit: number;
  beforeBytes: number;
  afterBytes: number;
}

const TOTAL = 'all services';

function hitRatio(results: BuildResult[]): number {
  const steps = results.reduce((n, r) => n + r.totalSteps, 0);
  return steps ? results.reduce((n, r) => n + r.cachedSteps, 0) / steps : 0;
}

/** Per round, the sum over services; then the median over rounds. */
function totalOf(results: BuildResult[], pick: (r: BuildResult) => number): number {
  const rounds = new Map<number, number>();
  for (const r of results) rounds.set(r.round, (rounds.get(r.round) ?? 0) + pick(r));
  return median([...rounds.values()]);
}

export function figures(before: BuildResult[], after: BuildResult[]): KindFigures[] {
  const rows: KindFigures[] = [];
  for (const kind of KINDS) {
    const b = before.filter((r) => r.kind === kind);
    const a = after.filter((r) => r.kind === kind);
    const services = [...new Set(b.map((r) => r.service))].filter((s) => a.some((r) => r.service === s));
    for (const service of services) {
      const bs = b.filter((r) => r.service === service);
      const as = a.filter((r) => r.service === service);
      rows.push({
        kind,
        service,
        rounds: Math.min(bs.length, as.length),
        beforeMs: median(bs.map((r) => r.durationMs)),
        afterMs: median(as.map((r) => r.durationMs)),
        beforeHit: hitRatio(bs),
        afterHit: hitRatio(as),
        beforeBytes: median(bs.map((r) => r.bytesFetched)),
        afterBytes: median(as.map((r) => r.bytesFetched)),
      });
    }
    const bt = b.filter((r) => services.includes(r.service));
    const at = a.filter((r) => services.includes(r.service));
    if (services.length === 0) continue;
    rows.push({
      kind,
      service: TOTAL,
      rounds: Math.min(new Set(bt.map((r) => r.round)).size, new Set(at.map((r) => r.round)).size),
      beforeMs: totalOf(bt, (r) => r.durationMs),
      afterMs: totalOf(at, (r) => r.durationMs),
      beforeHit: hitRatio(bt),
      afterHit: hitRatio(at),
      beforeBytes: totalOf(bt, (r) => r.bytesFetched),
      afterBytes: totalOf(at, (r) => r.bytesFetched),
    });
  }
  return rows;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const percent = (x: number) => `${Math.round(x * 100)} %`;
function megabytes(bytes: number): string {
  return bytes === 0 ? '0' : bytes < 10_000 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(2)} MB`;
}
/** How much faster: 1 − after/before. */
function faster(row: KindFigures): string {
  return row.beforeMs > 0 ? `${Math.round((1 - row.afterMs / row.beforeMs) * 100)} %` : '–';
}

export function totalsTable(rows: KindFigures[]): string {
  const out = [
    '| rebuild | before (s) | after (s) | after / before | faster by | cache hits before → after | bytes fetched before → after |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const row of rows.filter((r) => r.service === TOTAL)) {
    out.push(
      `| ${row.kind} | ${seconds(row.beforeMs)} | ${seconds(row.afterMs)} | ${(row.afterMs / row.beforeMs).toFixed(2)} | ${faster(row)} | ` +
        `${percent(row.beforeHit)} → ${percent(row.afterHit)} | ${megabytes(row.beforeBytes)} → ${megabytes(row.afterBytes)} |`,
    );
  }
  return out.join('\n');
}

export function serviceTables(rows: KindFigures[]): string {
  const parts: string[] = [];
  for (const kind of KINDS) {
    const kindRows = rows.filter((r) => r.kind === kind);
    if (kindRows.length === 0) continue;
    const rounds = kindRows.find((r) => r.service === TOTAL)?.rounds ?? 1;
    parts.push(`### ${kind}${rounds > 1 ? ` (median of ${rounds})` : ''}`, '');
    parts.push('| service | before (s) | after (s) | after / before | cache hits before → after | bytes fetched before → after |');
    parts.push('|---|--:|--:|--:|--:|--:|');
    for (const row of kindRows) {
      const name = row.service === TOTAL ? `**${TOTAL}**` : row.service;
      parts.push(
        `| ${name} | ${seconds(row.beforeMs)} | ${seconds(row.afterMs)} | ${(row.afterMs / row.beforeMs).toFixed(2)} | ` +
          `${percent(row.beforeHit)} → ${percent(row.afterHit)} | ${megabytes(row.beforeBytes)} → ${megabytes(row.afterBytes)} |`,
      );
    }
    parts.push('');
  }
  return parts.join('\n');
}
