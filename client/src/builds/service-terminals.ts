/**
 * One terminal per service: the service's BuildTerminal, kept after its build and reused by the
 * next one. Builds used to run as tasks with a custom execution, and each run opened a new
 * terminal (a rebuild added one, Build All left one per service per run); a terminal we create
 * ourselves can simply be written to again. A terminal the user closed is forgotten; the
 * service's next build opens a new one.
 */
import type { VscodeApi } from '../vscode-api';
import { BuildTerminal } from './build-terminal';
import type { ServiceTarget } from './plan';

/** The editor's handle of a terminal showing a BuildTerminal. */
export interface TerminalHandle {
  show(preserveFocus?: boolean): void;
  dispose(): void;
}

/** Shows `pty` in a new editor terminal (VS Code: `window.createTerminal({ pty })`; tests: a fake). */
export type CreateTerminal = (target: ServiceTarget, pty: BuildTerminal) => TerminalHandle;

export function vscodeTerminals(api: Pick<VscodeApi, 'window' | 'ThemeIcon'>): CreateTerminal {
  return (target, pty) => api.window.createTerminal({ name: `dockopt: ${target.label}`, pty, iconPath: new api.ThemeIcon('package') });
}

export class ServiceTerminals {
  private readonly open = new Map<string, { pty: BuildTerminal; handle: TerminalHandle }>();

  constructor(private readonly create: CreateTerminal) {}

  /** The service's terminal (a new one if it never had one or the user closed it), shown when `reveal`. */
  for(target: ServiceTarget, reveal: boolean): BuildTerminal {
    let entry = this.open.get(target.id);
    if (!entry || entry.pty.isClosed) {
      const pty = new BuildTerminal(target.label);
      entry = { pty, handle: this.create(target, pty) };
      this.open.set(target.id, entry);
      // A new terminal is shown in the panel without taking the focus, unless asked to come forward.
      if (reveal) entry.handle.show(true);
    } else if (reveal) {
      entry.handle.show(true);
    }
    return entry.pty;
  }

  /** How many terminals dockopt has open (for tests and the log). */
  get size(): number {
    return [...this.open.values()].filter((e) => !e.pty.isClosed).length;
  }

  dispose(): void {
    for (const { pty, handle } of this.open.values()) {
      handle.dispose();
      pty.dispose();
    }
    this.open.clear();
  }
}
