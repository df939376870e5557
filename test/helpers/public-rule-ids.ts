/**
 * The rule ids are a public contract (settings keys, suppression comments, JSON/SARIF `code`):
 * written out here once, so a test fails when code renames, adds or drops one.
 */
export const PUBLIC_RULE_IDS: readonly string[] = [
  'pip-cache-mount',
  'pip-no-cache-dir',
  'npm-cache-mount',
  'python-base-version',
  'dockerignore-missing',
  'dockerignore-incomplete',
  'dockerignore-not-applied',
  'copy-before-install',
  'cache-mount',
  'cache-disabled',
];
