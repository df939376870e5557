/**
 * "Fix All Problems in This File": asks the editor for the server's `source.fixAll.dockopt`
 * action on the file and applies it, the same action `editor.codeActionsOnSave` runs.
 * Plain logic; the VS Code calls come in as `deps`.
 */
import { DOCKER_LANGUAGES, FIX_ALL_KIND } from './ids';

export interface TargetDocument {
  uri: string;
  languageId: string;
}

export interface FixAllAction {
  title: string;
  kind: string | undefined;
  /** Whether the action carries a workspace edit (else, maybe, a command). */
  hasEdit: boolean;
  hasCommand: boolean;
}

export interface FixAllInFileDeps<A extends FixAllAction> {
  /** The document the command is for: its argument, else the active editor's. */
  target(arg: unknown): TargetDocument | undefined;
  /** `vscode.executeCodeActionProvider` filtered to `kind`, with actions resolved. */
  sourceActions(uri: string, kind: string): Promise<A[]>;
  apply(action: A): Promise<boolean>;
}

export type FixAllOutcome =
  | { status: 'no-file' | 'not-docker' | 'nothing-to-fix' | 'not-applied' | 'failed'; message: string }
  | { status: 'applied'; message: string; title: string };

export async function fixAllInFile<A extends FixAllAction>(deps: FixAllInFileDeps<A>, arg?: unknown): Promise<FixAllOutcome> {
  const doc = deps.target(arg);
  if (!doc) return { status: 'no-file', message: 'dockopt: open a Dockerfile or .dockerignore to fix it.' };
  if (!DOCKER_LANGUAGES.includes(doc.languageId)) {
    return { status: 'not-docker', message: 'dockopt fixes Dockerfiles and .dockerignore files only.' };
  }
  let actions: A[];
  try {
    actions = await deps.sourceActions(doc.uri, FIX_ALL_KIND);
  } catch (error) {
    return { status: 'failed', message: `dockopt could not get its fixes: ${error instanceof Error ? error.message : String(error)}` };
  }
  const action = chooseFixAll(actions);
  if (!action) return { status: 'nothing-to-fix', message: 'dockopt: nothing to fix automatically in this file.' };
  const applied = await deps.apply(action);
  return applied
    ? { status: 'applied', message: `dockopt: ${action.title}.`, title: action.title }
    : { status: 'not-applied', message: 'dockopt: the fixes could not be applied (the file changed meanwhile?).' };
}

/** The server's fix-all action: exactly our kind (not a sibling like `source.fixAll.eslint`), doing something. */
export function chooseFixAll<A extends FixAllAction>(actions: readonly A[] | undefined): A | undefined {
  return (actions ?? []).find(
    (a) => (a.kind === FIX_ALL_KIND || a.kind?.startsWith(`${FIX_ALL_KIND}.`)) && (a.hasEdit || a.hasCommand),
  );
}
