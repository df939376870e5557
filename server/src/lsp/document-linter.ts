/**
 * Lints open documents for the language server: one parse per document version, findings
 * cached until the document, its settings or its workspace change, and context scans started
 * in the background so a large context never delays a keystroke's diagnostics.
 */
import { parseDockerfile, type DockerfileModel } from '../dockerfile/model';
import type { ParseRecord } from '../dockerfile/incremental-parse';
import type { ReportedFinding } from '../engine';
import { lintFile } from '../lint-workspace';
import { prepareScan } from '../dockerignore/recommended-patterns';
import type { ResolvedSettings } from '../settings';
import { kindOf } from '../workspace/discover';
import { checkLimitNotice, EDITOR_CHECK_MS, stoppedNotice, type CheckLimitNotice } from './check-limits';
import { withDeadline } from '../work-budget';
import type { WorkspaceModel } from '../workspace/workspace';

export interface OpenDocument {
  path: string;
  version: number;
  text: string;
  languageId: string;
}

interface CacheEntry {
  version: number;
  generation: number;
  settings: ResolvedSettings;
  model?: DockerfileModel;
  findings: ReportedFinding[];
  /** Set when the document is too large to check while it is edited, or its check ran out of time (check-limits.ts). */
  notice?: CheckLimitNotice;
  /** The check ran out of time: the next check of this version tries again. */
  stopped?: true;
  /** The parse of a version whose check ran out of time, for the next version's (model is not kept then). */
  parse?: ParseRecord;
}

export type DocumentKind = 'dockerfile' | 'dockerignore';

export function documentKind(doc: Pick<OpenDocument, 'path' | 'languageId'>): DocumentKind | undefined {
  // `Dockerfile.dockerignore` matches VS Code's `Dockerfile.*` pattern for the dockerfile
  // language: for ignore files the name decides.
  if (kindOf(doc.path) === 'dockerignore') return 'dockerignore';
  if (doc.languageId === 'dockerfile') return 'dockerfile';
  if (doc.languageId === 'dockerignore') return 'dockerignore';
  const kind = kindOf(doc.path);
  return kind === 'compose' ? undefined : kind;
}

export class DocumentLinter {
  private readonly cache = new Map<string, CacheEntry>();
  /** Bumped whenever anything outside the documents changes (files, scans, compose). */
  private generation = 0;

  constructor(
    private readonly workspace: WorkspaceModel,
    /** Called when background scans land for these contexts' builds, to re-lint. */
    private readonly onScansLanded: () => void,
    /** How long one check may take, parse included (check-limits.ts); tests give their own. */
    private readonly checkLimit: { ms: number; clock?: () => number } = { ms: EDITOR_CHECK_MS },
  ) {}

  invalidateAll(): void {
    this.generation++;
  }

  forget(path: string): void {
    this.cache.delete(path);
  }

  /** Findings for a document at its current version (cached). */
  lint(doc: OpenDocument, settings: ResolvedSettings): ReportedFinding[] {
    const kind = documentKind(doc);
    if (!kind || doc.text.includes('\0')) return [];
    const cached = this.cache.get(doc.path);
    if (cached && cached.version === doc.version && cached.generation === this.generation && cached.settings === settings) {
      return cached.findings;
    }
    const notice = cached?.version === doc.version && !cached.stopped ? cached.notice : checkLimitNotice(doc.text, kind);
    if (notice) {
      this.cache.set(doc.path, { version: doc.version, generation: this.generation, settings, findings: [], notice });
      return [];
    }
    // A new version: let the last one's model and findings go before this one is checked (the
    // peak is what the RSS keeps), all but its parse, which this one's reuses where the edit
    // cannot have changed it (incremental-parse.ts).
    const previous = cached?.model?.parse ?? cached?.parse;
    if (cached && cached.version !== doc.version) this.cache.delete(doc.path);
    const clock = this.checkLimit.clock ?? (() => performance.now());
    const deadline = clock() + this.checkLimit.ms;
    const model = kind === 'dockerfile' ? (cached?.version === doc.version && cached.model ? cached.model : parseDockerfile(doc.text, previous)) : undefined;
    const { value: findings, stoppedRules } = withDeadline(deadline, () => lintFile(this.workspace, doc.path, settings, model), clock);
    if (stoppedRules.length > 0) {
      // Not the model: a rule stopped halfway may have left its per-parse memos half filled. Its
      // parse is kept for the next version: what is memoized on an instruction is whole or absent.
      this.cache.set(doc.path, { version: doc.version, generation: this.generation, settings, findings, notice: stoppedNotice(stoppedRules, this.checkLimit.ms), stopped: true, parse: model?.parse });
    } else {
      this.cache.set(doc.path, { version: doc.version, generation: this.generation, settings, model, findings });
    }
    this.scanInBackground(doc.path, kind);
    return findings;
  }

  /** Why the document's current version is not checked, or not in full: too large to check while edited, or its check ran out of time. */
  noticeOf(doc: OpenDocument): CheckLimitNotice | undefined {
    const cached = this.cache.get(doc.path);
    return cached?.version === doc.version ? cached.notice : undefined;
  }

  /** The parse of a Dockerfile's current version, when it has been linted. */
  modelOf(doc: OpenDocument): DockerfileModel | undefined {
    const cached = this.cache.get(doc.path);
    return cached?.version === doc.version ? cached.model : undefined;
  }

  private readonly scanning = new Set<string>();

  private scanInBackground(path: string, kind: DocumentKind): void {
    const builds = kind === 'dockerfile' ? this.workspace.buildsFor(path) : this.workspace.buildsForIgnoreFile(path);
    const stale = builds.filter((b) => !this.workspace.scanner.isFresh(b.contextDir) && !this.scanning.has(b.contextDir));
    if (stale.length === 0) return;
    for (const b of stale) this.scanning.add(b.contextDir);
    const dirs = stale.map((b) => b.contextDir);
    this.workspace
      .ensureScans(stale)
      // Warm the pattern counts in small steps here, so the first check after a big scan
      // does not stall a keystroke.
      .then(() => Promise.all(dirs.map((dir) => { const scan = this.workspace.scanner.peek(dir); return scan && prepareScan(scan); })))
      .then(
        () => this.landed(dirs),
        () => this.landed(dirs),
      );
  }

  private landed(dirs: string[]): void {
    for (const dir of dirs) this.scanning.delete(dir);
    this.generation++;
    this.onScansLanded();
  }
}
