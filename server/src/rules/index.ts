/** Every rule dockopt runs, in the order their findings are listed. */
import type { Rule } from './types';
import { rule as cacheDisabled } from './cache-disabled';
import { rule as cacheMount } from './cache-mount';
import { rule as copyBeforeInstall } from './copy-before-install';
import { rule as dockerignoreIncomplete } from './dockerignore-incomplete';
import { rule as dockerignoreMissing } from './dockerignore-missing';
import { rule as dockerignoreNotApplied } from './dockerignore-not-applied';
import { rule as npmCacheMount } from './npm-cache-mount';
import { rule as pipCacheMount } from './pip-cache-mount';
import { rule as pipNoCacheDir } from './pip-no-cache-dir';
import { rule as pythonBaseVersion } from './python-base-version';

export const rules: readonly Rule[] = [
  pipCacheMount,
  pipNoCacheDir,
  npmCacheMount,
  cacheMount,
  cacheDisabled,
  pythonBaseVersion,
  dockerignoreMissing,
  dockerignoreIncomplete,
  dockerignoreNotApplied,
  copyBeforeInstall,
];
