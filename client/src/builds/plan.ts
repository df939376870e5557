/**
 * Which build(s) a command means: the services the server says build a Dockerfile, the one the
 * caller named (Optimize All passes `{ service }`), else a pick; for "Build All Services" every
 * compose service once. Turns a chosen build plus the settings into the runner's request.
 */
import * as path from 'node:path';
import type { ServiceBuildInfo } from '../../../shared/src/protocol';
import { serviceKey, serviceKeyId, type BuildRequest, type ServiceKey } from '../../../buildkit/src';
import type { BuildSettings } from './settings';

export interface ServiceTarget {
  /** What the history is keyed by: Dockerfile, context, target. */
  key: ServiceKey;
  /** `serviceKeyId(key)`: stable across sessions. */
  id: string;
  /** The compose service name, else the Dockerfile's path relative to its folder (and `:target`). */
  label: string;
  service?: string;
  composeFile?: string;
}

export type TargetChoice =
  | { kind: 'one'; target: ServiceTarget }
  | { kind: 'pick'; targets: ServiceTarget[] }
  | { kind: 'none'; message: string };

/** `root`: the workspace folder, for labels of Dockerfiles that no compose file names. */
export function toTarget(info: Pick<ServiceBuildInfo, 'service' | 'dockerfile' | 'contextDir' | 'target' | 'composeFile'>, root?: string): ServiceTarget {
  const key = serviceKey(info.dockerfile, info.contextDir, info.target);
  const relative = root ? path.relative(root, key.dockerfile) : '';
  const fileLabel = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : path.basename(path.dirname(key.dockerfile)) + '/' + path.basename(key.dockerfile);
  const label = info.service ?? (key.target ? `${fileLabel}:${key.target}` : fileLabel);
  return {
    key,
    id: serviceKeyId(key),
    label,
    ...(info.service ? { service: info.service } : {}),
    ...(info.composeFile ? { composeFile: info.composeFile } : {}),
  };
}

/** Builds that share Dockerfile, context and target are one (two compose files naming one service). */
export function uniqueTargets(targets: readonly ServiceTarget[]): ServiceTarget[] {
  const seen = new Map<string, ServiceTarget>();
  for (const t of targets) if (!seen.has(t.id)) seen.set(t.id, t);
  return [...seen.values()];
}

/** The build a command means for one Dockerfile. */
export function chooseTarget(targets: readonly ServiceTarget[], wanted?: { service?: string }): TargetChoice {
  const unique = uniqueTargets(targets);
  if (unique.length === 0) return { kind: 'none', message: 'dockopt: no build of this Dockerfile is known.' };
  if (wanted?.service) {
    const named = unique.filter((t) => t.service === wanted.service);
    if (named.length === 1) return { kind: 'one', target: named[0] };
    if (named.length > 1) return { kind: 'pick', targets: named };
  }
  return unique.length === 1 ? { kind: 'one', target: unique[0] } : { kind: 'pick', targets: unique };
}

/** "Build All Services": the compose services when there are any, else every Dockerfile once. */
export function buildAllTargets(targets: readonly ServiceTarget[]): ServiceTarget[] {
  const unique = uniqueTargets(targets);
  const services = unique.filter((t) => t.service);
  return (services.length > 0 ? services : unique).sort((a, b) => a.label.localeCompare(b.label));
}

export function toRequest(target: ServiceTarget, settings: BuildSettings): BuildRequest {
  return {
    dockerfile: target.key.dockerfile,
    context: target.key.context,
    ...(target.key.target ? { target: target.key.target } : {}),
    extraArgs: [...settings.extraArgs],
  };
}

/** The quick pick's rows: the service, with where its context and target come from. */
export function pickItems(targets: readonly ServiceTarget[], root?: string): Array<{ label: string; description: string; target: ServiceTarget }> {
  const rel = (p: string) => (root && p.startsWith(root) ? path.relative(root, p) || '.' : p);
  return targets.map((target) => ({
    label: target.label,
    description: [`context ${rel(target.key.context)}`, target.key.target ? `target ${target.key.target}` : '', target.composeFile ? path.basename(target.composeFile) : '']
      .filter(Boolean)
      .join(' · '),
    target,
  }));
}

/** Runs `work` over items with at most `limit` at once; results in the items' order. */
export async function runPooled<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** A service Optimize All changed: its Dockerfile, and its compose service name(s) ("api, worker") or its folder's name. */
export interface ChangedServiceRef {
  dockerfileUri: string;
  service?: string;
}

/**
 * "Rebuild changed services": the builds of the Dockerfiles Optimize All changed. A Dockerfile
 * that compose services build means those services (the ones named, when names are given);
 * a Dockerfile no compose file names is built from its folder.
 */
export function changedTargets(all: readonly ServiceTarget[], changed: readonly ChangedServiceRef[], toPath: (uri: string) => string): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  for (const ref of changed) {
    const dockerfile = path.resolve(toPath(ref.dockerfileUri));
    const builds = uniqueTargets(all.filter((t) => t.key.dockerfile === dockerfile));
    const composed = builds.filter((t) => t.service);
    const names = new Set((ref.service ?? '').split(',').map((n) => n.trim()).filter(Boolean));
    const named = composed.filter((t) => names.has(t.service!));
    out.push(...(named.length ? named : composed.length ? composed : builds));
  }
  return uniqueTargets(out).sort((a, b) => a.label.localeCompare(b.label));
}
