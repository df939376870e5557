/**
 * What the language status item ({} in the status bar, on Dockerfiles) shows: the findings
 * in the active file, the rules active for it, and "Optimize all" as its action. Fed by the
 * server's `dockopt/status` notification and the client's own state.
 */
import type { StatusParams } from '../../shared/src/protocol';

export type ServerState = 'starting' | 'running' | 'stopped';

export interface StatusView {
  text: string;
  detail: string;
  severity: 'information' | 'warning' | 'error';
  busy: boolean;
  command: { title: string; command: string };
}

export const OPTIMIZE_ALL_ACTION = { title: 'Optimize all', command: 'dockopt.optimizeAll' };
const RESTART_ACTION = { title: 'Restart', command: 'dockopt.restartServer' };

export function statusView(server: ServerState, status: StatusParams | undefined): StatusView {
  if (server === 'stopped') {
    return { text: 'dockopt: server stopped', detail: 'no checks run', severity: 'error', busy: false, command: RESTART_ACTION };
  }
  if (server === 'starting' || !status) {
    return { text: 'dockopt', detail: 'checking…', severity: 'information', busy: true, command: OPTIMIZE_ALL_ACTION };
  }
  const findings = status.findings === 0 ? 'no findings' : `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
  const rules = status.activeRules === 0 ? 'all rules off' : `${status.activeRules} rule${status.activeRules === 1 ? '' : 's'} active`;
  return {
    text: `dockopt: ${findings}`,
    detail: rules,
    severity: 'information',
    busy: false,
    command: OPTIMIZE_ALL_ACTION,
  };
}

/** The latest `dockopt/status` per document URI; closed documents are forgotten. */
export class StatusStore {
  private readonly byUri = new Map<string, StatusParams>();

  update(status: StatusParams): void {
    if (!status || typeof status.uri !== 'string') return;
    this.byUri.set(status.uri, status);
  }

  get(uri: string): StatusParams | undefined {
    return this.byUri.get(uri);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  clear(): void {
    this.byUri.clear();
  }
}
