/**
 * What "Optimize All" tells the user afterwards: how many services it changed, the changes
 * per rule, which services were already optimal, and the build context the .dockerignore
 * changes keep out of every build.
 */
import type { WorkspaceFixesResult } from '../../../shared/src/protocol';
import type { OptimizePlan } from './plan';
import { formatBytes } from '../../../shared/src/format-bytes';

export { formatBytes };

export interface OptimizeSummary {
  services: number;
  changedServices: string[];
  optimalServices: string[];
  /** Fixes per rule id over all services, most frequent first. */
  changesByRule: Array<{ ruleId: string; count: number }>;
  filesChanged: number;
  contextBytesSaved: number;
  remainingFindings: number;
  droppedOverlapping: number;
}

export function summarize(result: WorkspaceFixesResult, plan: OptimizePlan): OptimizeSummary {
  const changed = new Set<string>();
  const optimal = new Set<string>();
  const perRule = new Map<string, number>();
  for (const service of result.services) {
    const counts = Object.entries(service.changesByRule ?? {}).filter(([, n]) => typeof n === 'number' && n > 0);
    if (counts.length === 0) {
      optimal.add(service.service);
      continue;
    }
    changed.add(service.service);
    for (const [ruleId, count] of counts) perRule.set(ruleId, (perRule.get(ruleId) ?? 0) + count);
  }
  // A service listed twice (two compose files) is optimal only if no listing has changes.
  for (const name of changed) optimal.delete(name);
  return {
    services: new Set(result.services.map((s) => s.service)).size,
    changedServices: [...changed].sort(),
    optimalServices: [...optimal].sort(),
    changesByRule: [...perRule]
      .map(([ruleId, count]) => ({ ruleId, count }))
      .sort((a, b) => b.count - a.count || (a.ruleId < b.ruleId ? -1 : 1)),
    filesChanged: plan.files.length,
    contextBytesSaved: plan.files.length > 0 ? result.contextBytesSaved : 0,
    remainingFindings: result.remainingFindings,
    droppedOverlapping: plan.droppedOverlapping,
  };
}

/** One notification line, e.g. "dockopt optimized 2 of 3 services in 4 files: …". */
export function summaryText(summary: OptimizeSummary): string {
  if (summary.services === 0) {
    return 'dockopt found no Dockerfiles to optimize in this workspace.';
  }
  const parts: string[] = [];
  if (summary.changedServices.length === 0 || summary.filesChanged === 0) {
    parts.push(
      summary.services === 1
        ? 'dockopt: the only service is already optimal.'
        : `dockopt: all ${summary.services} services are already optimal.`,
    );
  } else {
    const rules = summary.changesByRule.map((r) => `${r.ruleId} ×${r.count}`).join(', ');
    parts.push(
      `dockopt optimized ${summary.changedServices.length} of ${plural(summary.services, 'service')} ` +
        `in ${plural(summary.filesChanged, 'file')}: ${rules}.`,
    );
    if (summary.optimalServices.length > 0) {
      parts.push(`Already optimal: ${listNames(summary.optimalServices)}.`);
    }
    if (summary.contextBytesSaved > 0) {
      parts.push(`~${formatBytes(summary.contextBytesSaved)} less build context.`);
    }
  }
  if (summary.droppedOverlapping > 0) {
    parts.push(`${plural(summary.droppedOverlapping, 'overlapping edit')} left out; run it again to apply.`);
  }
  if (summary.remainingFindings > 0) {
    parts.push(`${plural(summary.remainingFindings, 'finding')} ${summary.remainingFindings === 1 ? 'needs' : 'need'} a manual fix.`);
  }
  return parts.join(' ');
}


function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** At most five names, then "and N more", so a big monorepo still gets a readable line. */
function listNames(names: readonly string[]): string {
  if (names.length <= 5) return names.join(', ');
  return `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}
