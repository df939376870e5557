/** The public rule ids and severities: a leaf, so settings and the Dockerfile model can name rules without importing them. */

export type RuleId =
  | 'pip-cache-mount'
  | 'pip-no-cache-dir'
  | 'npm-cache-mount'
  | 'python-base-version'
  | 'dockerignore-missing'
  | 'dockerignore-incomplete'
  | 'dockerignore-not-applied'
  | 'copy-before-install'
  | 'cache-mount'
  | 'cache-disabled';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
