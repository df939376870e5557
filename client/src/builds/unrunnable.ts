/**
 * The record of a build the runner itself could not start (it threw: a bad setting, a spawn
 * error before any output). Kept like any other build, so the tree and the status bar show the
 * failure where the last success used to be, with the message.
 */
import type { BuildRecord, ServiceBuildResult, ServiceKey } from '../../../buildkit/src';

export function unrunnableResult(service: ServiceKey, message: string, startedAt: number, durationMs: number, argv: string[] = []): ServiceBuildResult {
  const started = new Date(startedAt).toISOString();
  const record: BuildRecord = {
    version: 1,
    id: `${started.replace(/[^0-9]/g, '')}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    service,
    startedAt: started,
    status: 'error',
    exitCode: null,
    durationMs,
    format: 'plain',
    argv,
    totals: { wallMs: durationMs, totalSteps: 0, cachedSteps: 0, hitRatio: 0, executedMs: 0 },
    steps: [],
    miss: null,
    problem: { kind: 'unknown', message: `The build could not start: ${message}`, hint: 'Check dockopt.build.command and the dockopt output channel ("dockopt: Show Output").' },
    fingerprint: { steps: [], baseImages: [], buildArgs: {}, ignoreFile: null },
  };
  return {
    record,
    previous: null,
    run: { status: 'error', exitCode: null, startedAt: started, durationMs, argv, capabilities: null, progress: { format: 'plain', steps: [], errorText: null, messages: [], legacyBuilder: false, spanMs: null }, problem: record.problem },
  };
}
