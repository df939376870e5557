/**
 * The last builds of each service, so two can be compared. One JSON file per service
 * (Dockerfile + context + target) in a directory the caller chooses: the extension's
 * workspace storage, or for the CLI `$XDG_CACHE_HOME/dockopt` (default `~/.cache/dockopt`).
 * Never in the user's repository.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CacheMiss, MissReason } from './cache-miss';
import type { BuildFingerprint } from './fingerprint';
import type { BuildTotals, ProgressFormat, StepStatus } from './model';
import type { BuildProblem } from './problems';
import type { BuildStatus } from './runner';

export const HISTORY_LIMIT = 20;

export interface ServiceKey {
  /** Absolute paths. */
  dockerfile: string;
  context: string;
  target: string | null;
}

export interface RecordedStep {
  id: string;
  name: string;
  platform: string | null;
  stage: string | null;
  index: number | null;
  /** 0-based Dockerfile line; null for internal steps. */
  line: number | null;
  text: string;
  internal: boolean;
  status: StepStatus;
  /** Served from the cache (including a FROM whose image was already there). */
  cached: boolean;
  durationMs: number | null;
  error: string | null;
  /** Why it ran instead of coming from the cache, when it ran. */
  reason: MissReason | null;
}

export interface BuildRecord {
  version: 1;
  id: string;
  service: ServiceKey;
  startedAt: string;
  status: BuildStatus;
  exitCode: number | null;
  durationMs: number;
  format: ProgressFormat;
  argv: string[];
  totals: BuildTotals;
  steps: RecordedStep[];
  miss: CacheMiss | null;
  problem: BuildProblem | null;
  fingerprint: BuildFingerprint;
}

interface HistoryFile {
  version: 1;
  service: ServiceKey;
  /** Oldest first. */
  builds: BuildRecord[];
}

export function defaultHistoryDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(cache, 'dockopt');
}

export function serviceKey(dockerfile: string, context: string, target?: string | null): ServiceKey {
  return { dockerfile: path.resolve(dockerfile), context: path.resolve(context), target: target || null };
}

export function serviceKeyId(key: ServiceKey): string {
  return createHash('sha256').update(`${key.dockerfile}\0${key.context}\0${key.target ?? ''}`).digest('hex').slice(0, 20);
}

export class BuildHistory {
  constructor(readonly dir: string, private readonly limit = HISTORY_LIMIT) {}

  private fileOf(key: ServiceKey): string {
    return path.join(this.dir, `builds-${serviceKeyId(key)}.json`);
  }

  /** The service's builds, oldest first; empty when none (or the file is unreadable). */
  async list(key: ServiceKey): Promise<BuildRecord[]> {
    try {
      const parsed = JSON.parse(await fsp.readFile(this.fileOf(key), 'utf8')) as HistoryFile;
      return Array.isArray(parsed?.builds) ? parsed.builds.filter((b) => b && b.version === 1) : [];
    } catch {
      return [];
    }
  }

  async latest(key: ServiceKey): Promise<BuildRecord | null> {
    const builds = await this.list(key);
    return builds[builds.length - 1] ?? null;
  }

  /** Adds a build and keeps the newest `limit`. The file is replaced atomically. */
  async add(record: BuildRecord): Promise<void> {
    const builds = [...(await this.list(record.service)), record].slice(-this.limit);
    const file: HistoryFile = { version: 1, service: record.service, builds };
    await fsp.mkdir(this.dir, { recursive: true });
    const target = this.fileOf(record.service);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await fsp.writeFile(temp, JSON.stringify(file));
    await fsp.rename(temp, target);
  }

  /** Every service with recorded builds. */
  async services(): Promise<ServiceKey[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    const keys: ServiceKey[] = [];
    for (const name of names.filter((n) => /^builds-[0-9a-f]+\.json$/.test(n))) {
      try {
        const parsed = JSON.parse(await fsp.readFile(path.join(this.dir, name), 'utf8')) as HistoryFile;
        if (parsed?.service) keys.push(parsed.service);
      } catch {
        // An unreadable file is skipped, not fatal.
      }
    }
    return keys;
  }
}
