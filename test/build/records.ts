/** Build records for tests of history, comparison and formatting. */
import { serviceKey, type BuildRecord, type RecordedStep } from '../../buildkit/src/history';

export function step(line: number | null, text: string, cached: boolean, durationMs: number | null, extra: Partial<RecordedStep> = {}): RecordedStep {
  return {
    id: `#${line}`,
    name: text,
    platform: null,
    stage: line === null ? null : 'stage-0',
    index: line === null ? null : line + 1,
    line,
    text,
    internal: line === null,
    status: cached ? 'cached' : 'executed',
    cached,
    durationMs,
    error: null,
    reason: null,
    ...extra,
  };
}

export function record(n: number, steps: RecordedStep[] = [], durationMs = 1000, key = serviceKey('/w/Dockerfile', '/w')): BuildRecord {
  const dockerfileSteps = steps.filter((s) => !s.internal);
  const cached = dockerfileSteps.filter((s) => s.cached).length;
  return {
    version: 1,
    id: `build-${n}`,
    service: key,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    status: 'succeeded',
    exitCode: 0,
    durationMs,
    format: 'plain',
    argv: ['docker', 'build'],
    totals: { wallMs: durationMs, totalSteps: dockerfileSteps.length, cachedSteps: cached, hitRatio: dockerfileSteps.length ? cached / dockerfileSteps.length : 0, executedMs: 0 },
    steps,
    miss: null,
    problem: null,
    fingerprint: { steps: [], baseImages: [], buildArgs: {}, ignoreFile: null },
  };
}
