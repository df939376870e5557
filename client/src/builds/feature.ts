/**
 * The build commands and the state behind the build views: which service a command means
 * (asking the language server how each Dockerfile is built), running it in the service's own
 * terminal, Build All in parallel (or only the services Optimize All changed), Rebuild,
 * Cancel, and the comparison of two builds. Takes the VS Code API as a value (tests pass a
 * fake) and the runner as a function (tests fake it). What it is given, what the commands take and
 * return, and the texts of their results are in feature-contract.ts.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { BuildHistory, comparablePair, startServiceBuild, type BuildRecord, type ServiceKey } from '../../../buildkit/src';
import { ALL_BUILDS_REQUEST, BUILDS_REQUEST, type ServiceBuildInfo } from '../../../shared/src/protocol';
import { isUri, type VscodeApi } from '../vscode-api';
import { buildAllSummary, changedServicesArg, commandLine, nodeArg, type BuildAllOutcome, type BuildCommandHandlers, type BuildFeatureDeps, type BuildOutcome } from './feature-contract';
import { BuildController } from './controller';
import { Emitter } from 'vscode-jsonrpc/node';
import { comparisonMarkdown, speedupText } from './comparison';
import { buildAllTargets, changedTargets, chooseTarget, pickItems, runPooled, toTarget, type ServiceTarget } from './plan';
import { BuildRecords } from './records';
import { ServiceTerminals, vscodeTerminals } from './service-terminals';
import { buildClientSettingsCommand, describeCommandSource, readBuildSettings, type BuildSettings } from './settings';
import { buildBlockedReason, MANAGE_TRUST, MANAGE_TRUST_COMMAND } from './trust';

/** Problems whose fix is another build client (`dockopt.build.command`). */
const CLIENT_PROBLEMS = new Set<string>(['client-not-found', 'client-not-runnable', 'buildkit-unavailable', 'legacy-builder', 'unknown']);

const DOCKERFILE_NAME = /(^|[./])(Dockerfile|Containerfile)([./-]|$)|\.dockerfile$/i;
export const COMPARE_SCHEME = 'dockopt-compare';
const KNOWN_REFRESH_MS = 10_000;

export class BuildFeature implements vscode.Disposable {
  readonly controller: BuildController;
  readonly records: BuildRecords;
  /** Services the workspace builds (from the server), built or not: the tree lists them. */
  private known: ServiceTarget[] = [];
  private knownAskedAt = -Infinity;
  private readonly knownEmitter = new Emitter<void>();
  readonly onDidChangeKnown = this.knownEmitter.event;
  /** Comparison documents by URI query, served by the content provider. */
  readonly documents = new Map<string, string>();
  private documentCount = 0;
  private readonly api: VscodeApi;
  private readonly terminals: ServiceTerminals;

  constructor(private readonly deps: BuildFeatureDeps) {
    this.api = deps.vscode;
    const history = new BuildHistory(deps.storageDir);
    this.records = new BuildRecords(history, (key) => this.pathLabel(key));
    this.controller = new BuildController({ startBuild: deps.startBuild ?? startServiceBuild, history, now: deps.now, env: deps.env });
    this.terminals = new ServiceTerminals(deps.createTerminal ?? vscodeTerminals(deps.vscode));
    this.controller.onDidChange((event) => {
      if (event.type === 'finished' && event.record) this.records.add(event.build.target, event.record);
    });
  }

  readonly handlers: BuildCommandHandlers = {
    build: (arg, extra) => this.build(arg, extra),
    rebuild: (arg) => this.rebuild(arg),
    buildAll: (arg) => this.buildAll(arg),
    compareBuilds: (arg) => this.compare(arg),
    cancelBuild: (arg) => this.cancel(arg),
  };

  knownTargets(): ServiceTarget[] {
    return this.known;
  }

  /**
   * Asks the server for every build of the workspace (for the tree); quiet when it is not
   * running. Without `force`, at most every few seconds: the tree asks on each refresh.
   */
  async refreshKnown(force = false): Promise<void> {
    if (!this.deps.server.isRunning()) return;
    const now = Date.now();
    if (!force && now - this.knownAskedAt < KNOWN_REFRESH_MS) return;
    this.knownAskedAt = now;
    try {
      const infos = await this.deps.server.sendRequest(ALL_BUILDS_REQUEST, {});
      const next = buildAllTargets((infos ?? []).map((i) => this.targetOf(i)));
      if (JSON.stringify(next.map((t) => [t.id, t.label])) !== JSON.stringify(this.known.map((t) => [t.id, t.label]))) {
        this.known = next;
        this.knownEmitter.fire();
      }
    } catch (error) {
      this.deps.log(`Could not list the workspace's builds: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The settings of one build, read when it starts. The client (`command`, a machine setting)
   * is read unscoped, the same way for every build, whichever command or view started it; the
   * others per Dockerfile (a folder may set its own builder, arguments, parallelism).
   */
  settingsFor(target: ServiceTarget): BuildSettings {
    const scoped = this.api.workspace.getConfiguration('dockopt.build', this.api.Uri.file(target.key.dockerfile));
    const machine = this.api.workspace.getConfiguration('dockopt.build');
    return readBuildSettings((key) => (key === 'command' ? machine.get(key) : scoped.get(key)));
  }

  /** For the log: where the build client came from. */
  private commandSource(command: string): string {
    return describeCommandSource(this.api.workspace.getConfiguration('dockopt.build'), command, this.api.env?.remoteName);
  }

  // ---- commands ------------------------------------------------------------------------------

  private async build(arg?: unknown, extra?: unknown): Promise<BuildOutcome> {
    if (!this.trusted()) return { status: 'untrusted' };
    const fromNode = nodeArg(arg);
    if (fromNode) {
      const target = this.targetById(fromNode.serviceId!);
      return target ? this.run(target, { reveal: true }) : this.noTarget('dockopt: that service is no longer known; build it from its Dockerfile.');
    }
    const uri = isUri(arg) ? arg : this.activeDockerfile();
    const wanted = extra && typeof extra === 'object' && !Array.isArray(extra) ? (extra as { service?: unknown }) : undefined;
    const service = typeof wanted?.service === 'string' ? wanted.service : undefined;
    if (!uri) {
      // From the command palette without a Dockerfile open: every service of the workspace.
      await this.refreshKnown(true);
      if (this.known.length === 0) return this.noTarget('dockopt: open a Dockerfile (or pick one in the explorer) to build it.');
      const target = await this.pick(this.known, 'Build which service with BuildKit?');
      return target ? this.run(target, { reveal: true }) : { status: 'dismissed' };
    }
    const targets = await this.targetsFor(uri);
    const choice = chooseTarget(targets, { service });
    if (choice.kind === 'none') return this.noTarget(choice.message);
    const target = choice.kind === 'one' ? choice.target : await this.pick(choice.targets, `${path.basename(uri.fsPath)} is built by several services: build which?`);
    return target ? this.run(target, { reveal: true }) : { status: 'dismissed' };
  }

  private async rebuild(arg?: unknown): Promise<BuildOutcome> {
    if (!this.trusted()) return { status: 'untrusted' };
    const fromNode = nodeArg(arg);
    const target = (fromNode && this.targetById(fromNode.serviceId!)) ?? this.controller.last ?? this.records.all()[0]?.target;
    if (!target) return this.noTarget('dockopt: nothing to rebuild yet. Run "dockopt: Build Service with BuildKit" first.');
    return this.run(target, { reveal: true });
  }

  private async buildAll(arg?: unknown): Promise<BuildAllOutcome> {
    if (!this.trusted()) return { status: 'untrusted', outcomes: [], message: '' };
    const changed = changedServicesArg(arg);
    const folder = isUri(arg) ? this.api.workspace.getWorkspaceFolder(arg) : undefined;
    let targets: ServiceTarget[] = [];
    if (this.deps.server.isRunning()) {
      const infos = await this.deps.server
        .sendRequest(ALL_BUILDS_REQUEST, folder ? { folders: [folder.uri.toString()] } : {})
        .catch(() => [] as ServiceBuildInfo[]);
      const all = (infos ?? []).map((i) => this.targetOf(i));
      targets = changed ? changedTargets(all, changed.changedServices, (uri) => this.api.Uri.parse(uri).fsPath) : buildAllTargets(all);
    }
    if (targets.length === 0) {
      const message = !this.deps.server.isRunning()
        ? 'dockopt: the language server is not running, so the workspace\'s services are unknown. Run "dockopt: Restart Language Server".'
        : changed
          ? 'dockopt: none of the changed services is known to the language server any more; build them from their Dockerfiles.'
          : 'dockopt: no Dockerfile or compose service to build in this workspace.';
      void this.api.window.showInformationMessage(message);
      return { status: 'no-targets', outcomes: [], message };
    }
    await this.records.load();
    const parallel = this.settingsFor(targets[0]).parallel;
    const started = Date.now();
    let done = 0;
    const what = changed ? `${targets.length} changed service${targets.length === 1 ? '' : 's'}` : `${targets.length} services`;
    const outcomes = await this.api.window.withProgress(
      { location: this.api.ProgressLocation.Notification, title: `dockopt: building ${what}`, cancellable: true },
      async (progress, token) => {
        let cancelled = false;
        const link = token.onCancellationRequested(() => {
          cancelled = true;
          for (const t of targets) this.controller.cancel(t.id);
        });
        try {
          return await runPooled(targets, parallel, async (target, index) => {
            if (cancelled) return { status: 'canceled', target, record: null } as BuildOutcome;
            const outcome = await this.run(target, { reveal: index === 0, quiet: true });
            progress.report({ message: `${++done}/${targets.length} done (${target.label}: ${outcome.status})`, increment: 100 / targets.length });
            return outcome;
          });
        } finally {
          link.dispose();
        }
      },
    );
    const comparisons = changed ? this.comparisonsOf(outcomes) : [];
    const summary = buildAllSummary(outcomes, Date.now() - started);
    const message = comparisons.length ? `${summary} Since their last builds: ${comparisons.join('; ')}.` : summary;
    const failed = outcomes.some((o) => o.status === 'failed' || o.status === 'error');
    const compare = 'Compare Builds';
    const buttons = comparisons.length ? [compare] : [];
    void (failed ? this.api.window.showWarningMessage(message, ...buttons) : this.api.window.showInformationMessage(message, ...buttons)).then((choice) => {
      const first = outcomes.find((o) => 'target' in o && o.status === 'succeeded');
      if (choice === compare && first && 'target' in first) void this.compare({ serviceId: first.target.id });
    });
    return { status: 'done', outcomes, message, comparisons };
  }

  /** "api 4.2× faster (9.1s saved)" for each build that succeeded and has an earlier successful one. */
  private comparisonsOf(outcomes: readonly BuildOutcome[]): string[] {
    const out: string[] = [];
    for (const o of outcomes) {
      if (!('target' in o) || o.status !== 'succeeded' || !o.record) continue;
      const builds = this.records.get(o.target.id)?.builds ?? [];
      const pair = comparablePair(builds);
      if (pair && pair[1].id === o.record.id && pair[0].status === 'succeeded') out.push(`${o.target.label} ${speedupText(pair[0], pair[1])}`);
    }
    return out;
  }

  private async compare(arg?: unknown): Promise<{ status: 'shown' | 'not-enough-builds' | 'dismissed'; text?: string; message?: string }> {
    await this.records.load();
    const fromNode = nodeArg(arg);
    let entry = fromNode ? this.records.get(fromNode.serviceId!) : undefined;
    if (!entry) {
      const comparable = this.records.all().filter((s) => s.builds.length >= 2);
      const active = this.activeDockerfile();
      // The active Dockerfile's service is the one meant, even when it cannot be compared yet.
      const preferred = active ? this.records.forDockerfile(active.fsPath)[0] : undefined;
      if (preferred) entry = preferred;
      else if (comparable.length === 1) entry = comparable[0];
      else if (comparable.length > 1) {
        const target = await this.pick(comparable.map((s) => s.target), 'Compare the last two builds of which service?');
        if (!target) return { status: 'dismissed' };
        entry = this.records.get(target.id);
      }
    }
    const builds = entry?.builds ?? [];
    const pair = comparablePair(builds, fromNode?.buildId ? builds.findIndex((b) => b.id === fromNode.buildId) : undefined);
    if (!entry || !pair) {
      const message = entry
        ? `dockopt: ${entry.target.label} needs a build before this one to compare with.`
        : 'dockopt: no service has two builds yet. Build one, change something, and build it again.';
      void this.api.window.showInformationMessage(message);
      return { status: 'not-enough-builds', message };
    }
    const text = comparisonMarkdown(entry.target.label, ...pair);
    const key = String(++this.documentCount);
    this.documents.set(key, text);
    const uri = this.api.Uri.from({ scheme: COMPARE_SCHEME, path: `/${entry.target.label.replace(/[\\/]/g, '-')} builds.md`, query: key });
    await this.showMarkdown(uri);
    return { status: 'shown', text };
  }

  private async cancel(arg?: unknown): Promise<{ cancelled: number }> {
    const fromNode = nodeArg(arg);
    if (fromNode) return { cancelled: this.controller.cancel(fromNode.serviceId!) ? 1 : 0 };
    const running = this.controller.running();
    if (running.length === 0) {
      void this.api.window.showInformationMessage('dockopt: no build is running.');
      return { cancelled: 0 };
    }
    if (running.length === 1) return { cancelled: this.controller.cancel(running[0].target.id) ? 1 : 0 };
    const all = { label: `All ${running.length} builds`, id: '*' };
    const picked = await this.api.window.showQuickPick([all, ...running.map((r) => ({ label: r.target.label, id: r.target.id }))], {
      placeHolder: 'Cancel which build?',
    });
    if (!picked) return { cancelled: 0 };
    return { cancelled: picked.id === '*' ? this.controller.cancelAll() : this.controller.cancel(picked.id) ? 1 : 0 };
  }

  // ---- running one build ---------------------------------------------------------------------

  async run(target: ServiceTarget, options: { reveal: boolean; quiet?: boolean }): Promise<BuildOutcome> {
    if (this.controller.get(target.id)) {
      const message = `dockopt: ${target.label} is already building.`;
      void this.api.window.showInformationMessage(message);
      return { status: 'already-building', message };
    }
    const settings = this.settingsFor(target);
    void this.records.remember(target);
    const extra = settings.extraArgs.length ? ` ${settings.extraArgs.join(' ')}` : '';
    const header = `dockopt: building ${target.label} with BuildKit (${settings.command}${settings.builder ? ` --builder ${settings.builder}` : ''}${extra}). Ctrl+C cancels.`;
    this.deps.log(`Build of ${target.label}: client ${settings.command} (${this.commandSource(settings.command)})`);
    let terminal;
    try {
      terminal = this.terminals.for(target, options.reveal);
    } catch (error) {
      const message = `dockopt: could not open the build terminal: ${error instanceof Error ? error.message : String(error)}`;
      void this.api.window.showErrorMessage(message);
      return { status: 'error', target, record: null };
    }
    const result = await terminal.run((write) => this.controller.start(target, settings, { onDisplay: write }), header);
    const record = result?.record ?? null;
    const status = record?.status ?? 'error';
    // The exact command line, as the runner ran it (after asking the client what it supports).
    if (record?.argv.length) this.deps.log(`Build of ${target.label} ran: ${commandLine(record.argv)}`);
    this.deps.log(`Build of ${target.label}: ${status}${record ? ` in ${record.durationMs} ms, ${record.totals.cachedSteps}/${record.totals.totalSteps} cached` : ''}${record?.problem && status !== 'succeeded' ? ` — ${record.problem.message}` : ''}`);
    if (!options.quiet) this.announce(target, record);
    return { status, target, record };
  }

  /** A notification only when something needs the user: the build failed or could not run. */
  private announce(target: ServiceTarget, record: BuildRecord | null): void {
    if (!record || record.status === 'succeeded' || record.status === 'canceled') return;
    const problem = record.problem;
    const text = `dockopt: ${target.label}: ${problem?.message ?? 'the build failed.'}${problem?.hint ? ` ${problem.hint}` : ''}`;
    const line = problem?.step?.line;
    // The client setting is the way out only when the client is the problem (not a daemon that is down).
    const clientProblem = record.status === 'error' && (!problem || CLIENT_PROBLEMS.has(problem.kind));
    const actions = [
      ...(typeof line === 'number' ? ['Open Dockerfile'] : []),
      ...(clientProblem ? ['Open Settings'] : []),
      'Show Output',
    ];
    void this.api.window.showErrorMessage(text, ...actions).then((choice) => {
      if (choice === 'Open Dockerfile' && typeof line === 'number') {
        void this.api.window.showTextDocument(this.api.Uri.file(target.key.dockerfile), { selection: new this.api.Range(line, 0, line, 0) });
      } else if (choice === 'Open Settings') {
        // Where dockopt.build.command can be set in this window: the Remote tab in a remote window.
        const open = buildClientSettingsCommand(this.api.env?.remoteName);
        void this.api.commands.executeCommand(open.command, ...open.args);
      } else if (choice === 'Show Output') {
        void this.api.commands.executeCommand('dockopt.showOutput');
      }
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private trusted(): boolean {
    const reason = buildBlockedReason(this.api.workspace.isTrusted);
    if (!reason) return true;
    void this.api.window.showWarningMessage(reason, MANAGE_TRUST).then((choice) => {
      if (choice === MANAGE_TRUST) void this.api.commands.executeCommand(MANAGE_TRUST_COMMAND);
    });
    return false;
  }

  private noTarget(message: string): BuildOutcome {
    void this.api.window.showInformationMessage(message);
    return { status: 'no-target', message };
  }

  private activeDockerfile(): vscode.Uri | undefined {
    const doc = this.api.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') return undefined;
    return doc.languageId === 'dockerfile' || DOCKERFILE_NAME.test(path.basename(doc.uri.fsPath)) ? doc.uri : undefined;
  }

  private rootOf(file: string): string | undefined {
    return this.api.workspace.getWorkspaceFolder(this.api.Uri.file(file))?.uri.fsPath;
  }

  private targetOf(info: ServiceBuildInfo): ServiceTarget {
    return toTarget(info, this.rootOf(info.dockerfile));
  }

  private pathLabel(key: ServiceKey): string {
    return toTarget({ dockerfile: key.dockerfile, contextDir: key.context, target: key.target ?? undefined }, this.rootOf(key.dockerfile)).label;
  }

  private targetById(id: string): ServiceTarget | undefined {
    return this.records.get(id)?.target ?? this.known.find((t) => t.id === id) ?? (this.controller.last?.id === id ? this.controller.last : undefined);
  }

  /** The server's builds of a Dockerfile; without a server, the Dockerfile built from its folder. */
  private async targetsFor(uri: vscode.Uri): Promise<ServiceTarget[]> {
    let infos: ServiceBuildInfo[] = [];
    if (this.deps.server.isRunning()) {
      infos = await this.deps.server.sendRequest(BUILDS_REQUEST, { uri: uri.toString() }).catch(() => []);
    }
    if (!infos || infos.length === 0) {
      infos = [{ dockerfile: uri.fsPath, contextDir: path.dirname(uri.fsPath), source: 'dockerfile-folder' }];
    }
    return infos.map((i) => this.targetOf(i));
  }

  private async pick(targets: readonly ServiceTarget[], placeHolder: string): Promise<ServiceTarget | undefined> {
    const root = targets[0] ? this.rootOf(targets[0].key.dockerfile) : undefined;
    const picked = await this.api.window.showQuickPick(pickItems(targets, root), { placeHolder, matchOnDescription: true });
    return picked?.target;
  }

  /** Markdown rendered, as docs are read: the Markdown preview; the text itself if the preview is unavailable. */
  private async showMarkdown(uri: vscode.Uri): Promise<void> {
    try {
      await this.api.commands.executeCommand('markdown.showPreview', uri);
      return;
    } catch {
      // The built-in Markdown extension is disabled: show the text.
    }
    const doc = await this.api.workspace.openTextDocument(uri);
    await this.api.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.controller.dispose();
    this.terminals.dispose();
    this.knownEmitter.dispose();
  }
}
