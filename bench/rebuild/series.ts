/**
 * The builds of every service in two copies of the workspace (before and after `dockopt fix`):
 * a cold build, then rounds of no-change, code-change and dependency-change rebuilds, each
 * through `dockopt build --json` on the bench's daemon, with the bytes the package index sent
 * meanwhile. The two copies' builds alternate (before, after, before…) so that the load of a
 * shared machine falls on both alike.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchDaemon } from './daemon';
import { DOCKER } from './daemon';
import type { PackageIndex } from './package-index';
import { addRequirement, changeCode, type BenchService } from './workspace';

export const KINDS = ['cold', 'no-change', 'code-change', 'dependency-change'] as const;
export type RebuildKind = (typeof KINDS)[number];

export type SeriesLabel = 'before' | 'after';

export interface BuildResult {
  series: SeriesLabel;
  service: string;
  kind: RebuildKind;
  round: number;
  durationMs: number;
  totalSteps: number;
  cachedSteps: number;
  bytesFetched: number;
  filesFetched: number;
}

interface BuildJson {
  status: string;
  durationMs: number;
  totalSteps: number;
  cachedSteps: number;
}

export interface Series {
  label: SeriesLabel;
  services: BenchService[];
}

export interface SeriesOptions {
  series: Series[];
  daemon: BenchDaemon;
  index: PackageIndex;
  cli: string;
  /** Where `dockopt build` keeps its history and this series its build logs. */
  workDir: string;
  rounds: number;
  /** The project added in each round's dependency change (one per round, cumulative). */
  addedProjects: string[];
  log: (line: string) => void;
}

/** Runs the CLI without blocking: the package index answers from this same process. */
function runCli(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function buildOnce(options: SeriesOptions, label: SeriesLabel, service: BenchService, kind: RebuildKind, round: number): Promise<BuildResult> {
  const bytesBefore = options.index.bytesSent();
  const filesBefore = options.index.filesSent();
  const logFile = path.join(options.workDir, 'logs', `${label}-${service.name}-${kind}-${round}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const result = await runCli(
    options.cli,
    ['build', service.dockerfile, '--context', service.context, '--command', DOCKER, '--network', 'host', '--json'],
    { ...options.daemon.env, XDG_CACHE_HOME: path.join(options.workDir, 'history') },
  );
  fs.writeFileSync(logFile, result.stderr);
  let parsed: BuildJson | undefined;
  try {
    parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as BuildJson;
  } catch {
    parsed = undefined;
  }
  if (result.status !== 0 || !parsed || parsed.status !== 'succeeded') {
    const tail = result.stderr.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${label} ${kind} build of ${service.name} failed (exit ${result.status}); log ${logFile}:\n${tail}`);
  }
  const built: BuildResult = {
    series: label,
    service: service.name,
    kind,
    round,
    durationMs: parsed.durationMs,
    totalSteps: parsed.totalSteps,
    cachedSteps: parsed.cachedSteps,
    bytesFetched: options.index.bytesSent() - bytesBefore,
    filesFetched: options.index.filesSent() - filesBefore,
  };
  options.log(
    `${label.padEnd(6)} ${kind.padEnd(17)} #${round} ${service.name.padEnd(28)} ${(built.durationMs / 1000).toFixed(2).padStart(7)} s  ` +
      `${built.cachedSteps}/${built.totalSteps} cached  ${(built.bytesFetched / 1e6).toFixed(2)} MB`,
  );
  return built;
}

/** Cold, then `rounds` rounds of the three rebuild kinds; service after service, each in every series in turn. */
export async function runSeries(options: SeriesOptions): Promise<BuildResult[]> {
  const results: BuildResult[] = [];
  const names = options.series[0].services.map((s) => s.name);
  const each = async (kind: RebuildKind, round: number, edit?: (service: BenchService) => boolean) => {
    for (const name of names) {
      for (const { label, services } of options.series) {
        const service = services.find((s) => s.name === name);
        if (!service || (edit && !edit(service))) continue;
        results.push(await buildOnce(options, label, service, kind, round));
      }
    }
  };
  await each('cold', 1);
  for (let round = 1; round <= options.rounds; round++) {
    await each('no-change', round);
    await each('code-change', round, (service) => {
      changeCode(service, String(round));
      return true;
    });
    await each('dependency-change', round, (service) => addRequirement(service, options.addedProjects[(round - 1) % options.addedProjects.length]));
  }
  return results;
}
