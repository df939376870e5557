/**
 * The "BuildKit Cache" tree as data: services → builds (newest first) → steps. A step shows
 * whether it came from the cache, its time and its instruction, opens the Dockerfile at its
 * line, and the step that cost the rebuild (the cache miss) is marked with the reason. The
 * VS Code side (tree-provider.ts) only turns these nodes into TreeItems.
 */
import { formatDuration, formatHitRatio, isCachedStep, type BuildProgress, type BuildRecord, type BuildStep, type RecordedStep } from '../../../buildkit/src';
import { buildLine, formatElapsed, statusWord, timeAgo } from './format';
import type { ServiceTarget } from './plan';

export interface IconSpec {
  /** A codicon id (`check`, `sync~spin`). */
  id: string;
  /** A theme colour id (`charts.green`). */
  color?: string;
}

export type NodeKind = 'service' | 'build' | 'running' | 'step' | 'problem' | 'internal-group' | 'internal';

export interface TreeNode {
  /** Unique and stable, so VS Code keeps what the user expanded. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: IconSpec;
  /** For menus: `service`, `service-building`, `build`, `step`. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Clicking opens the Dockerfile at this 0-based line. */
  open?: { file: string; line: number };
  serviceId?: string;
  buildId?: string;
  children?: TreeNode[];
}

export interface RunningView {
  startedAt: number;
  progress: BuildProgress | null;
}

export interface ServiceView {
  target: ServiceTarget;
  /** Oldest first (as stored); shown newest first. */
  builds: BuildRecord[];
  running?: RunningView;
}

const ICONS = {
  cached: { id: 'check', color: 'charts.green' },
  executed: { id: 'circle-filled', color: 'charts.blue' },
  miss: { id: 'flame', color: 'charts.orange' },
  failed: { id: 'error', color: 'charts.red' },
  canceled: { id: 'circle-slash' },
  running: { id: 'sync~spin' },
  pending: { id: 'circle-outline' },
  succeeded: { id: 'pass', color: 'charts.green' },
  service: { id: 'package' },
} satisfies Record<string, IconSpec>;

/** Roots: services being built or built most recently first, then those never built (A→Z). */
export function serviceNodes(services: readonly ServiceView[], now: number): TreeNode[] {
  const latest = (s: ServiceView) => (s.running ? Infinity : s.builds.length ? Date.parse(s.builds[s.builds.length - 1].startedAt) : -Infinity);
  return [...services].sort((a, b) => latest(b) - latest(a) || a.target.label.localeCompare(b.target.label)).map((s) => serviceNode(s, now));
}

export function serviceNode(view: ServiceView, now: number): TreeNode {
  const { target, builds, running } = view;
  const last = builds[builds.length - 1];
  const newestFirst = [...builds].reverse();
  const children: TreeNode[] = [];
  if (running) children.push(runningNode(target, running, now));
  newestFirst.forEach((record, i) => children.push(buildNode(target, record, now, !running && i === 0)));
  let description: string;
  let icon: IconSpec = ICONS.service;
  if (running) {
    description = `building… ${formatElapsed(now - running.startedAt)}`;
    icon = ICONS.running;
  } else if (last) {
    description =
      last.status === 'error'
        ? statusWord(last.status)
        : `${last.status === 'succeeded' ? formatDuration(last.durationMs) : statusWord(last.status)} · ${formatHitRatio(last.totals.cachedSteps, last.totals.totalSteps)}`;
    if (last.status === 'failed' || last.status === 'error') icon = ICONS.failed;
    else if (last.status === 'canceled') icon = ICONS.canceled;
  } else {
    description = 'not built yet';
  }
  const tooltip = [
    target.label,
    `Dockerfile: ${target.key.dockerfile}`,
    `Context: ${target.key.context}`,
    ...(target.key.target ? [`Target: ${target.key.target}`] : []),
    ...(builds.length ? ['', 'Last builds:', ...newestFirst.slice(0, 5).map((b) => `  ${buildLine(b, now)}`)] : []),
  ].join('\n');
  return {
    id: `service:${target.id}`,
    kind: 'service',
    label: target.label,
    description,
    tooltip,
    icon,
    contextValue: running ? 'service-building' : builds.length >= 2 ? 'service-comparable' : 'service',
    collapsible: children.length ? 'collapsed' : 'none',
    serviceId: target.id,
    children,
  };
}

export function buildNode(target: ServiceTarget, record: BuildRecord, now: number, expanded = false): TreeNode {
  const t = record.totals;
  const lines = [
    `Build ${statusWord(record.status)} in ${formatDuration(record.durationMs)} (${new Date(record.startedAt).toLocaleString()})`,
    `${formatHitRatio(t.cachedSteps, t.totalSteps)}, ${formatDuration(t.executedMs)} in executed steps`,
  ];
  if (record.miss) lines.push('', `Cache miss at line ${record.miss.line + 1}: ${record.miss.instruction}`, `  ${record.miss.message}`);
  if (record.problem && record.problem.kind !== 'canceled') lines.push('', record.problem.message, record.problem.hint);
  const problem = problemNode(target, record);
  const failingLine = record.problem?.step?.line;
  const children = [...(problem ? [problem] : []), ...recordStepNodes(target, record)];
  return {
    id: `build:${target.id}:${record.id}`,
    kind: 'build',
    label: record.status === 'succeeded' ? formatDuration(record.durationMs) : `${statusWord(record.status)} · ${formatDuration(record.durationMs)}`,
    description: record.status === 'error' ? timeAgo(record.startedAt, now) : `${formatHitRatio(t.cachedSteps, t.totalSteps)} · ${timeAgo(record.startedAt, now)}`,
    tooltip: lines.join('\n'),
    icon: record.status === 'succeeded' ? ICONS.succeeded : record.status === 'canceled' ? ICONS.canceled : ICONS.failed,
    contextValue: 'build',
    collapsible: children.length === 0 ? 'none' : expanded || problem ? 'expanded' : 'collapsed',
    serviceId: target.id,
    buildId: record.id,
    // A failed build opens the line that failed.
    ...(typeof failingLine === 'number' ? { open: { file: target.key.dockerfile, line: failingLine } } : {}),
    children,
  };
}

/** What went wrong, first under a build that did not succeed: the error, and a click to the failing line. */
export function problemNode(target: ServiceTarget, record: BuildRecord): TreeNode | undefined {
  const problem = record.problem;
  if (!problem || record.status === 'succeeded') return undefined;
  const line = problem.step?.line;
  const where = typeof line === 'number' ? `line ${line + 1}` : undefined;
  return {
    id: `problem:${target.id}:${record.id}`,
    kind: 'problem',
    label: problem.kind === 'canceled' ? 'Cancelled' : problem.step?.error ?? problem.message,
    description: [where, problem.step?.name].filter(Boolean).join(' · ') || undefined,
    tooltip: [problem.message, '', problem.hint].join('\n'),
    icon: problem.kind === 'canceled' ? ICONS.canceled : ICONS.failed,
    contextValue: 'problem',
    collapsible: 'none',
    ...(typeof line === 'number' ? { open: { file: target.key.dockerfile, line } } : {}),
  };
}

function stepResult(step: Pick<RecordedStep, 'status' | 'cached' | 'durationMs'>): string {
  if (step.cached) return 'cached';
  switch (step.status) {
    case 'executed':
      return formatDuration(step.durationMs);
    case 'failed':
      return `failed${step.durationMs !== null ? ` after ${formatDuration(step.durationMs)}` : ''}`;
    case 'canceled':
      return 'cancelled';
    case 'running':
      return 'running';
    case 'pending':
      return 'not run';
    default:
      return '';
  }
}

function stepIcon(step: Pick<RecordedStep, 'status' | 'cached'>, isMiss: boolean): IconSpec {
  if (step.cached) return ICONS.cached;
  if (isMiss) return ICONS.miss;
  if (step.status === 'failed') return ICONS.failed;
  if (step.status === 'canceled') return ICONS.canceled;
  if (step.status === 'running') return ICONS.running;
  if (step.status === 'pending') return ICONS.pending;
  return ICONS.executed;
}

/** Dockerfile steps by line (the miss marked, with why), then BuildKit's internal steps in one group. */
export function recordStepNodes(target: ServiceTarget, record: BuildRecord): TreeNode[] {
  const stages = new Set(record.steps.filter((s) => !s.internal).map((s) => s.stage ?? ''));
  const multiStage = stages.size > 1;
  const dockerfileSteps = record.steps.filter((s) => !s.internal).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const nodes = dockerfileSteps.map((step, i): TreeNode => {
    const isMiss = !!record.miss && step.line === record.miss.line && !step.cached;
    const result = stepResult(step);
    const where = step.line !== null ? `line ${step.line + 1}` : 'no Dockerfile line';
    const tooltip = [
      step.text,
      `${where}${step.stage ? ` · stage ${step.stage}` : ''}${step.platform ? ` · ${step.platform}` : ''} · ${result}`,
    ];
    if (isMiss) tooltip.push('', `Cache miss: ${record.miss!.message}`);
    else if (step.reason && !step.cached) tooltip.push('', `Not cached: ${step.reason.message}`);
    if (step.error) tooltip.push('', `Error: ${step.error}`);
    return {
      id: `step:${target.id}:${record.id}:${i}`,
      kind: 'step',
      label: multiStage && step.stage ? `${step.stage} › ${step.text}` : step.text,
      description: isMiss ? `${result} · cache miss` : result,
      tooltip: tooltip.join('\n'),
      icon: stepIcon(step, isMiss),
      contextValue: isMiss ? 'step-miss' : 'step',
      collapsible: 'none',
      ...(step.line !== null ? { open: { file: target.key.dockerfile, line: step.line } } : {}),
    };
  });
  const internal = record.steps.filter((s) => s.internal);
  if (internal.length) nodes.push(internalGroup(`${target.id}:${record.id}`, internal));
  return nodes;
}

function internalGroup(idPrefix: string, steps: ReadonlyArray<Pick<RecordedStep, 'name' | 'durationMs' | 'status' | 'cached'>>): TreeNode {
  const ms = steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  return {
    id: `internal:${idPrefix}`,
    kind: 'internal-group',
    label: 'BuildKit internals',
    description: `${steps.length} steps · ${formatDuration(ms)}`,
    tooltip: 'Loading the Dockerfile and the build context, image metadata, exporting the image.',
    icon: { id: 'gear' },
    contextValue: 'internal',
    collapsible: 'collapsed',
    children: steps.map((s, i) => ({
      id: `internal:${idPrefix}:${i}`,
      kind: 'internal',
      label: s.name,
      description: stepResult(s),
      icon: stepIcon(s, false),
      contextValue: 'internal',
      collapsible: 'none',
    })),
  };
}

/** A build in progress: its steps as BuildKit reports them so far. */
export function runningNode(target: ServiceTarget, running: RunningView, now: number): TreeNode {
  const steps = running.progress?.steps ?? [];
  const dockerfileSteps = steps.filter((s) => !s.internal && s.status !== 'pending');
  const cached = dockerfileSteps.filter(isCachedStep).length;
  return {
    id: `running:${target.id}:${running.startedAt}`,
    kind: 'running',
    label: `building… ${formatElapsed(now - running.startedAt)}`,
    description: dockerfileSteps.length ? `${dockerfileSteps.length} steps so far, ${cached} cached` : 'starting',
    tooltip: 'Build in progress: its output is in the terminal. "Cancel Build" stops it.',
    icon: ICONS.running,
    contextValue: 'running',
    collapsible: 'expanded',
    serviceId: target.id,
    children: dockerfileSteps
      .slice()
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || a.seen - b.seen)
      .map((step: BuildStep, i) => ({
        id: `running-step:${target.id}:${running.startedAt}:${step.id}:${i}`,
        kind: 'step' as const,
        label: step.text,
        description: stepResult({ status: step.status, cached: isCachedStep(step), durationMs: step.durationMs }),
        icon: stepIcon({ status: step.status, cached: isCachedStep(step) }, false),
        contextValue: 'step',
        collapsible: 'none' as const,
        ...(step.line !== null ? { open: { file: target.key.dockerfile, line: step.line } } : {}),
      })),
  };
}
