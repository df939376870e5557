/**
 * dockopt's own LSP requests and notifications, declared once with their parameter and result
 * types and used at both ends: the language server registers its handlers with these objects
 * and the VS Code client sends them, so a change of shape fails to compile on both sides.
 * The only run-time import is vscode-jsonrpc's message types, which both bundles hold anyway.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';

export interface WorkspaceFixesParams {
  /** Folder URIs to optimize; all workspace folders when omitted. */
  folders?: string[];
  /** Extra exclude globs (relative to each folder), e.g. from `files.exclude`. */
  exclude?: string[];
}

export interface LspPosition { line: number; character: number }
export interface LspRange { start: LspPosition; end: LspPosition }

/** One edit of a file, attributed to the rule (and service) it comes from, for the preview. */
export interface AnnotatedEdit {
  range: LspRange;
  newText: string;
  ruleId: string;
  /** Compose service (or Dockerfile folder name) the edit belongs to. */
  service: string;
}

export interface FileFix {
  uri: string;
  /** 'create' files start empty: their one edit holds the whole text. */
  kind: 'create' | 'edit';
  /** Edits against the file's current text (the open editor's, else the disk's). */
  edits: AnnotatedEdit[];
}

export interface ServiceSummary {
  service: string;
  dockerfileUri: string;
  /** Fix counts per rule id; empty when the service was already optimal. */
  changesByRule: Record<string, number>;
}

export interface WorkspaceFixesResult {
  files: FileFix[];
  services: ServiceSummary[];
  /** Bytes of build context that the .dockerignore changes keep out of builds (estimate from the scans). */
  contextBytesSaved: number;
  /** Findings left after fixing (no automatic fix, e.g. a Python 2 base). */
  remainingFindings: number;
}

/** `dockopt/workspaceFixes`: every preferred fix of the workspace, as one edit the client can preview. */
export const WORKSPACE_FIXES_REQUEST = new RequestType<WorkspaceFixesParams, WorkspaceFixesResult, void>('dockopt/workspaceFixes');

export interface StatusParams {
  uri: string;
  findings: number;
  activeRules: number;
}

/** `dockopt/status` (server → client notification): what the language status item shows. */
export const STATUS_NOTIFICATION = new NotificationType<StatusParams>('dockopt/status');

export interface BuildsParams {
  /** The Dockerfile's URI. */
  uri: string;
}

export interface AllBuildsParams {
  /** Folder URIs; all workspace folders when omitted. */
  folders?: string[];
}

/** One build of a Dockerfile. Paths are absolute file-system paths. */
export interface ServiceBuildInfo {
  /** Compose service name, when a compose file builds it. */
  service?: string;
  dockerfile: string;
  contextDir: string;
  target?: string;
  composeFile?: string;
  /** Where the context comes from: a compose file, a `dockopt.contextOverrides` setting, or the Dockerfile's folder. */
  source: 'compose' | 'setting' | 'dockerfile-folder';
}

/** `dockopt/builds`: how a Dockerfile is built (one entry per compose service that builds it, else one). */
export const BUILDS_REQUEST = new RequestType<BuildsParams, ServiceBuildInfo[], void>('dockopt/builds');

/** `dockopt/allBuilds`: the builds of every Dockerfile in the workspace (or in the given folders). */
export const ALL_BUILDS_REQUEST = new RequestType<AllBuildsParams, ServiceBuildInfo[], void>('dockopt/allBuilds');

export interface TrustParams {
  trusted: boolean;
}

/**
 * `dockopt/workspaceTrust` (client → server): the workspace was trusted (or not). The initial
 * state comes in `initializationOptions.workspaceTrusted`. In Restricted Mode, quick fixes that
 * create or change files other than the open document ask for confirmation (the refactor preview).
 */
export const TRUST_NOTIFICATION = new NotificationType<TrustParams>('dockopt/workspaceTrust');
