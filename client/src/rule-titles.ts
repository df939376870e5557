/**
 * Short, human titles of dockopt's rules for the client's own UI (preview groups, summaries).
 * The server owns the rules; this table only names them. An id missing here (a rule added
 * later) is shown as its id, so the client never has to be released in lockstep.
 */
const TITLES: Readonly<Record<string, string>> = {
  'pip-cache-mount': 'Cache pip downloads in a BuildKit cache mount',
  'pip-no-cache-dir': 'Drop --no-cache-dir beside a pip cache mount',
  'npm-cache-mount': 'Cache npm downloads in a BuildKit cache mount',
  'cache-mount': "Cache a package manager's downloads in a BuildKit cache mount",
  'cache-disabled': 'Drop what keeps a package cache mount empty',
  'python-base-version': 'Move to a current Python base image',
  'dockerignore-missing': 'Add a .dockerignore to the build context',
  'dockerignore-incomplete': 'Keep caches, VCS and local files out of the context',
  'dockerignore-not-applied': 'Put the .dockerignore where the build reads it',
  'copy-before-install': 'Install dependencies before copying the sources',
};

export const KNOWN_RULE_IDS: readonly string[] = Object.keys(TITLES);

export function ruleTitle(ruleId: string): string {
  return TITLES[ruleId] ?? ruleId;
}
