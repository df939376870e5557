/**
 * A build: one Dockerfile with the context directory BuildKit sends, and the
 * .dockerignore file BuildKit reads for it. Produced by the workspace model.
 */

/** Where the context of a build was learned from. */
export type ContextSource = 'compose' | 'setting' | 'dockerfile-folder';

export interface ContextFile {
  /** Path relative to the context directory, with forward slashes. */
  path: string;
  size: number;
}

export interface ContextScan {
  files: ContextFile[];
  /** True when the walk stopped at its file limit: counts are then lower bounds. */
  truncated: boolean;
}

export interface IgnoreFileRef {
  /** Absolute path of the ignore file BuildKit reads for this build (or would read once created). */
  path: string;
  /** `<Dockerfile>.dockerignore` beside the Dockerfile wins over `<context>/.dockerignore`. */
  kind: 'dockerfile-specific' | 'context-root';
  exists: boolean;
  /** Its text when it exists (the open editor's text when it is open). */
  text?: string;
}

export interface BuildContext {
  dockerfilePath: string;
  contextDir: string;
  source: ContextSource;
  /** Compose service name, when the build comes from a compose file. */
  service?: string;
  composeFile?: string;
  target?: string;
  ignoreFile: IgnoreFileRef;
  /** Files of the context, all of them (ignored or not); undefined until scanned. */
  scan?: ContextScan;
  /**
   * The text of a file of the context (path relative to it, forward slashes), from the open
   * editor or the disk; undefined when absent. For rules that must look inside a manifest
   * (a requirements file that includes another).
   */
  readFile?(relPath: string): string | undefined;
  /**
   * Only for a context guessed as the Dockerfile's folder: the nearest folder above it, inside
   * the workspace, where `relPath` exists. A Dockerfile whose COPY sources are found only there
   * is built with that folder as its context, whatever the guess said.
   */
  findAbove?(relPath: string): string | undefined;
  /**
   * The `.dockerignore` beside the Dockerfile when this build does not read it (its context is
   * elsewhere, or a Dockerfile-specific file wins): what the user meant to exclude, unapplied.
   */
  unreadIgnoreFile?: { path: string; text: string };
  /**
   * Other Dockerfiles built with this same context that read (or, once it exists, would read)
   * the same `<context>/.dockerignore`: a pattern added to it must be safe for them too.
   * Set only when `ignoreFile.kind` is 'context-root'.
   */
  coReaders?: Array<{ dockerfilePath: string; dockerfileText: string }>;
  /**
   * The Dockerfile's text (the open editor's when open). Set on the builds given to
   * .dockerignore rules, which must know what the Dockerfile copies; Dockerfile rules have the model.
   */
  dockerfileText?: string;
}
