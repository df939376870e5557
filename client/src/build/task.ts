/**
 * Runs a build as a VS Code task whose execution is our pseudoterminal (CustomExecution), so
 * the build shows in the integrated terminal like any task: Ctrl+C, closing the terminal and
 * "Terminate Task" reach BuildTerminal, which cancels the build.
 */
import type { BuildTerminal } from './build-terminal';
import type { ServiceTarget } from './plan';
import type { VscodeApi } from '../vscode-api';

/** The task type (package.json `taskDefinitions` declares it). */
export const BUILD_TASK_TYPE = 'dockopt-build';

export interface TaskOptions {
  /** Bring the terminal to the front (one build), or leave it in the background (Build All). */
  reveal: boolean;
}

export type RunTask = (target: ServiceTarget, terminal: BuildTerminal, options: TaskOptions) => Promise<void>;

export function vscodeTaskRunner(api: VscodeApi): RunTask {
  return async (target, terminal, options) => {
    const uri = api.Uri.file(target.key.dockerfile);
    const scope = api.workspace.getWorkspaceFolder(uri) ?? api.TaskScope.Workspace;
    const definition = {
      type: BUILD_TASK_TYPE,
      dockerfile: target.key.dockerfile,
      context: target.key.context,
      ...(target.key.target ? { target: target.key.target } : {}),
      ...(target.service ? { service: target.service } : {}),
    };
    const task = new api.Task(definition, scope, `build ${target.label}`, 'dockopt', new api.CustomExecution(async () => terminal));
    task.presentationOptions = {
      reveal: options.reveal ? api.TaskRevealKind.Always : api.TaskRevealKind.Silent,
      // One terminal per service, reused by its next build.
      panel: api.TaskPanelKind.Dedicated,
      clear: true,
      echo: false,
      focus: false,
      showReuseMessage: false,
    };
    task.isBackground = false;
    await api.tasks.executeTask(task);
  };
}
