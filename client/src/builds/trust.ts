/**
 * Builds run code from the workspace (its Dockerfile's RUN steps, and the client named in its
 * settings), so they need a trusted workspace. In Restricted Mode the build commands say why
 * they are off and how to turn them on, instead of doing nothing.
 */
export const UNTRUSTED_BUILD_MESSAGE =
  'dockopt: builds are off in Restricted Mode. A build runs the workspace’s Dockerfile (its RUN steps) and the build client its settings name; trust this workspace to build.';

export const MANAGE_TRUST = 'Manage Workspace Trust';
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** null when building is allowed, else the message to show. */
export function buildBlockedReason(isTrusted: boolean): string | null {
  return isTrusted ? null : UNTRUSTED_BUILD_MESSAGE;
}
