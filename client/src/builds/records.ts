/**
 * The builds this workspace has recorded, per service, as the tree, the status bar and the
 * decorations read them: the runner's history files (in the extension's workspace storage,
 * never the repository) plus a small file of service labels, since a record knows its
 * Dockerfile, context and target but not what the user calls the service.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { BuildHistory, HISTORY_LIMIT, serviceKeyId, type BuildRecord, type ServiceKey } from '../../../buildkit/src';
import type { ServiceTarget } from './plan';

export interface ServiceRecords {
  target: ServiceTarget;
  /** Oldest first, as the history keeps them. */
  builds: BuildRecord[];
}

const LABELS_FILE = 'service-labels.json';

type StoredLabel = Pick<ServiceTarget, 'label' | 'service' | 'composeFile'>;

export class BuildRecords {
  private readonly byId = new Map<string, ServiceRecords>();
  private labels: Record<string, StoredLabel> = {};
  private loaded: Promise<void> | undefined;
  /** Label writes, one after another, so an older write never lands last. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly history: BuildHistory,
    /** A label for a service whose label was never stored (its Dockerfile path). */
    private readonly fallbackLabel: (key: ServiceKey) => string,
  ) {}

  /** Reads the history once; later calls wait for the same read. */
  load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<void> {
    try {
      this.labels = JSON.parse(await fsp.readFile(path.join(this.history.dir, LABELS_FILE), 'utf8')) ?? {};
    } catch {
      this.labels = {};
    }
    for (const key of await this.history.services()) {
      const id = serviceKeyId(key);
      const builds = await this.history.list(key);
      if (builds.length === 0) continue;
      const stored = this.labels[id];
      this.byId.set(id, {
        target: { key, id, label: stored?.label ?? this.fallbackLabel(key), ...(stored?.service ? { service: stored.service } : {}), ...(stored?.composeFile ? { composeFile: stored.composeFile } : {}) },
        builds,
      });
    }
  }

  /** Every service with builds, the most recently built first. */
  all(): ServiceRecords[] {
    return [...this.byId.values()].sort((a, b) => latestTime(b) - latestTime(a) || a.target.label.localeCompare(b.target.label));
  }

  get(id: string): ServiceRecords | undefined {
    return this.byId.get(id);
  }

  /** The services built from this Dockerfile, most recently built first. */
  forDockerfile(file: string): ServiceRecords[] {
    const abs = path.resolve(file);
    return this.all().filter((s) => s.target.key.dockerfile === abs);
  }

  /**
   * A finished build (the runner has already written it to the history file), whatever its
   * status: a build that failed, was cancelled or could not run shows as the service's latest.
   */
  add(target: ServiceTarget, record: BuildRecord): void {
    const entry = this.byId.get(target.id) ?? { target, builds: [] };
    entry.target = target;
    if (!entry.builds.some((b) => b.id === record.id)) entry.builds = [...entry.builds, record].slice(-HISTORY_LIMIT);
    this.byId.set(target.id, entry);
  }

  /** Stores the service's label for the next session (best effort: a failed write loses a label, not a build). */
  async remember(target: ServiceTarget): Promise<void> {
    const stored: StoredLabel = { label: target.label, ...(target.service ? { service: target.service } : {}), ...(target.composeFile ? { composeFile: target.composeFile } : {}) };
    if (JSON.stringify(this.labels[target.id]) === JSON.stringify(stored)) return;
    this.labels = { ...this.labels, [target.id]: stored };
    const snapshot = JSON.stringify(this.labels);
    this.writing = this.writing.then(async () => {
      try {
        await fsp.mkdir(this.history.dir, { recursive: true });
        const file = path.join(this.history.dir, LABELS_FILE);
        const temp = `${file}.${process.pid}.tmp`;
        await fsp.writeFile(temp, snapshot);
        await fsp.rename(temp, file);
      } catch {
        // Labels are a convenience; the next build stores them again.
      }
    });
    return this.writing;
  }
}

function latestTime(entry: ServiceRecords): number {
  const last = entry.builds[entry.builds.length - 1];
  return last ? Date.parse(last.startedAt) : 0;
}
