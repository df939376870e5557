/**
 * The build feature's contract (feature.ts): what it is given, what its commands take (a service,
 * a tree node, the services Optimize All changed) and return, and the texts of their results.
 */
import type { BuildRecord } from '../../../buildkit/src';
import type { ServerAccess, VscodeApi } from '../vscode-api';
import type { StartServiceBuild } from './controller';
import type { CreateTerminal } from './service-terminals';
import { isUri } from '../vscode-api';
import type { ChangedServiceRef, ServiceTarget } from './plan';

export interface BuildFeatureDeps {
  vscode: VscodeApi;
  server: ServerAccess;
  /** Where build history is kept: the extension's workspace storage. */
  storageDir: string;
  log(message: string): void;
  startBuild?: StartServiceBuild;
  /** Opens a service's build terminal (VS Code: `window.createTerminal` with our pseudoterminal). */
  createTerminal?: CreateTerminal;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

export type BuildOutcome =
  | { status: 'succeeded' | 'failed' | 'canceled' | 'error'; target: ServiceTarget; record: BuildRecord | null }
  | { status: 'untrusted' | 'no-target' | 'already-building' | 'dismissed'; message?: string };

export interface BuildAllOutcome {
  status: 'untrusted' | 'no-targets' | 'done';
  outcomes: BuildOutcome[];
  message: string;
  /** Per service with an earlier successful build: "api 4.2× faster (9.1s saved)". */
  comparisons?: string[];
}

/** What Optimize All passes to Build All: build only these services, and compare them with their last builds. */
export interface ChangedServicesArg {
  changedServices: ChangedServiceRef[];
}

export function changedServicesArg(value: unknown): ChangedServicesArg | undefined {
  if (!value || typeof value !== 'object' || isUri(value)) return undefined;
  const list = (value as ChangedServicesArg).changedServices;
  return Array.isArray(list) ? { changedServices: list.filter((r) => r && typeof r.dockerfileUri === 'string') } : undefined;
}

/** Handlers of the build commands, by short name (commands/ids.ts maps them to command ids). */
export interface BuildCommandHandlers {
  build(...args: unknown[]): Promise<BuildOutcome>;
  rebuild(...args: unknown[]): Promise<BuildOutcome>;
  buildAll(...args: unknown[]): Promise<BuildAllOutcome>;
  compareBuilds(...args: unknown[]): Promise<{ status: 'shown' | 'not-enough-builds' | 'dismissed'; text?: string; message?: string }>;
  cancelBuild(...args: unknown[]): Promise<{ cancelled: number }>;
}

/** What tree nodes and status bar commands pass to the handlers. */
export interface NodeArg {
  serviceId?: string;
  buildId?: string;
}

export function nodeArg(value: unknown): NodeArg | undefined {
  if (!value || typeof value !== 'object' || isUri(value)) return undefined;
  const v = value as NodeArg;
  return typeof v.serviceId === 'string' ? v : undefined;
}

/** An argument vector as a shell would need it typed, for the log (never run through a shell). */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** "dockopt built 11 services in 1m02s: 10 succeeded, 1 failed (api)." */
export function buildAllSummary(outcomes: readonly BuildOutcome[], wallMs: number): string {
  const by = new Map<string, string[]>();
  for (const o of outcomes) {
    const label = 'target' in o ? o.target.label : '?';
    by.set(o.status, [...(by.get(o.status) ?? []), label]);
  }
  const seconds = Math.round(wallMs / 1000);
  const wall = seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
  const parts: string[] = [];
  const names = (list: string[]) => (list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} +${list.length - 3}`);
  if (by.has('succeeded')) parts.push(`${by.get('succeeded')!.length} succeeded`);
  for (const status of ['failed', 'error', 'canceled', 'already-building'] as const) {
    const list = by.get(status);
    if (list) parts.push(`${list.length} ${status === 'error' ? 'could not run' : status === 'canceled' ? 'cancelled' : status === 'already-building' ? 'already building' : 'failed'} (${names(list)})`);
  }
  return `dockopt built ${outcomes.length} service${outcomes.length === 1 ? '' : 's'} in ${wall}: ${parts.join(', ')}.`;
}
