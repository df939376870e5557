/**
 * The build feature wired to a fake VS Code, a fake language server and a fake runner, with
 * the terminals it opens recorded: what the build command tests drive.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import type { RequestParam, RequestType } from 'vscode-jsonrpc';
import type { ServiceBuildInfo } from '../../shared/src/protocol';
import type { BuildTerminal } from '../../client/src/builds/build-terminal';
import { BuildFeature } from '../../client/src/builds/feature';
import { commandHandlers, registerCommands } from '../../client/src/commands/register';
import { fakeVscode } from './fake-vscode';
import { API_DOCKERFILE, API_TEXT, fakeRunner, ROOT } from './build-fixtures';

const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-build-cmds-'));
after(() => fs.rmSync(storage, { recursive: true, force: true }));
let storageCount = 0;

export const API_INFO: ServiceBuildInfo = { service: 'api', dockerfile: API_DOCKERFILE, contextDir: path.dirname(API_DOCKERFILE), composeFile: path.join(ROOT, 'compose.yaml'), source: 'compose' };
export const WORKER_INFO: ServiceBuildInfo = { ...API_INFO, service: 'worker', target: 'worker' };

export interface Terminal {
  target: string;
  output: string;
  /** The exit code a task would have had, of the last build in this terminal. */
  exitCode: number | undefined;
  terminal: BuildTerminal;
  shown: number;
  disposed: boolean;
}

export interface SetupOptions {
  trusted?: boolean;
  builds?: ServiceBuildInfo[];
  allBuilds?: ServiceBuildInfo[];
  settings?: Record<string, unknown>;
  pick?: (items: any[]) => any;
  /** `vscode.env.remoteName` (a remote window: code-server, SSH, WSL). */
  remoteName?: string;
  /** Commands other extensions or the workbench provide (e.g. `markdown.showPreview`). */
  commands?: Record<string, (...args: unknown[]) => unknown>;
  startBuild?: ConstructorParameters<typeof BuildFeature>[0]['startBuild'];
  /** Answer to notifications with buttons (default: dismissed). */
  choose?: (text: string, buttons: string[]) => string | undefined;
}

export function setup(options: SetupOptions = {}) {
  const { api: base, state } = fakeVscode({
    folders: [{ name: 'shop', path: ROOT }],
    windowDockopt: { extraArgs: ['--network=none'], parallel: 2, ...options.settings },
    activeDocument: { uri: `file://${API_DOCKERFILE}`, languageId: 'dockerfile', text: API_TEXT },
    commands: options.commands,
  });
  const answer = (level: 'info' | 'warning' | 'error') => async (text: string, ...buttons: string[]) => {
    state.messages.push({ level, text, buttons });
    return options.choose?.(text, buttons);
  };
  const picks: any[][] = [];
  const api = {
    ...base,
    env: { remoteName: options.remoteName },
    workspace: { ...base.workspace, isTrusted: options.trusted ?? true },
    window: {
      ...base.window,
      showInformationMessage: answer('info'),
      showWarningMessage: answer('warning'),
      showErrorMessage: answer('error'),
      showQuickPick: async (items: any[]) => {
        picks.push(items);
        return options.pick ? options.pick(items) : undefined;
      },
    },
  } as any;
  const requests: Array<{ method: string; params: unknown }> = [];
  const server = {
    isRunning: () => true,
    sendRequest: async <P, R>(type: RequestType<P, R, void>, params: RequestParam<P>) => {
      requests.push({ method: type.method, params });
      return (type.method === 'dockopt/builds' ? (options.builds ?? [API_INFO]) : (options.allBuilds ?? [API_INFO])) as R;
    },
  };
  const runner = fakeRunner();
  const terminals: Terminal[] = [];
  const logs: string[] = [];
  const feature = new BuildFeature({
    vscode: api,
    server,
    storageDir: path.join(storage, String(++storageCount)),
    log: (message) => logs.push(message),
    startBuild: options.startBuild ?? runner.start,
    // What VS Code does with `window.createTerminal({ pty })`: it opens our pseudoterminal.
    createTerminal: (target, terminal) => {
      const t: Terminal = { target: target.label, output: '', exitCode: undefined, terminal, shown: 0, disposed: false };
      terminal.onDidWrite((text) => (t.output += text));
      terminal.onDidFinishBuild((code) => (t.exitCode = code));
      terminals.push(t);
      terminal.open();
      return { show: () => void t.shown++, dispose: () => void (t.disposed = true) };
    },
  });
  registerCommands(api, commandHandlers({ vscode: api, server: { ...server, restart: async () => 'running' }, output: { show() {}, info() {} }, builds: feature.handlers }));
  const run = (id: string, ...args: unknown[]) => state.registered.get(id)!(...args) as Promise<any>;
  return { api, state, feature, runner, terminals, requests, picks, run, logs };
}

