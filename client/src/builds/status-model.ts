/**
 * What the build status-bar item shows. While builds run: a spinner, the service and the
 * elapsed time (ticking; the caller re-renders each second). Afterwards, for the active
 * Dockerfile's service: the last build's time and hit ratio, a warning background when it
 * failed, and a click that rebuilds. The tooltip lists that service's last builds.
 */
import { formatDuration, type BuildRecord } from '../../../buildkit/src';
import { buildLine, cachedPercent, formatElapsed, statusWord } from './format';
import type { ServiceTarget } from './plan';

export interface StatusInput {
  now: number;
  running: ReadonlyArray<{ target: ServiceTarget; startedAt: number }>;
  /** The service of the active Dockerfile with its builds (oldest first), if it has any. */
  active?: { target: ServiceTarget; builds: readonly BuildRecord[] };
}

export interface StatusBarView {
  visible: boolean;
  text: string;
  tooltip: string;
  /** Warning background: the shown build failed. */
  warning: boolean;
  command?: { command: string; title: string; arguments?: unknown[] };
}

const HIDDEN: StatusBarView = { visible: false, text: '', tooltip: '', warning: false };

export function statusBarView(input: StatusInput): StatusBarView {
  const { now, running, active } = input;
  if (running.length > 0) {
    // The build of the active Dockerfile's service first, else the one running longest.
    const shown = running.find((r) => r.target.id === active?.target.id) ?? [...running].sort((a, b) => a.startedAt - b.startedAt)[0];
    const others = running.length - 1;
    return {
      visible: true,
      text: `$(sync~spin) ${shown.target.label}${others > 0 ? ` +${others}` : ''} ${formatElapsed(now - shown.startedAt)}`,
      tooltip: [
        ...running.map((r) => `Building ${r.target.label} for ${formatElapsed(now - r.startedAt)}`),
        '',
        'Click to cancel.',
      ].join('\n'),
      warning: false,
      command: { command: 'dockopt.cancelBuild', title: 'Cancel Build', arguments: [{ serviceId: shown.target.id }] },
    };
  }
  if (!active || active.builds.length === 0) return HIDDEN;
  const last = active.builds[active.builds.length - 1];
  const failed = last.status === 'failed' || last.status === 'error';
  const icon = last.status === 'succeeded' ? '$(check)' : last.status === 'canceled' ? '$(circle-slash)' : '$(error)';
  const result =
    last.status === 'succeeded' ? `${formatDuration(last.durationMs)} · ${cachedPercent(last)}` : `${statusWord(last.status)} · ${formatDuration(last.durationMs)}`;
  return {
    visible: true,
    text: `${icon} ${active.target.label} ${result}`,
    tooltip: [
      `Last builds of ${active.target.label}:`,
      ...[...active.builds].reverse().slice(0, 5).map((b) => `  ${buildLine(b, now)}`),
      '',
      'Click to rebuild.',
    ].join('\n'),
    warning: failed,
    command: { command: 'dockopt.rebuild', title: 'Rebuild', arguments: [{ serviceId: active.target.id }] },
  };
}
