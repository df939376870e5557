/**
 * Every package manager whose cache dockopt mounts through the rules `cache-mount` and
 * `cache-disabled`, in the order their findings are listed. pip and npm have their own rules
 * (`pip-cache-mount`, `pip-no-cache-dir`, `npm-cache-mount`), which came first.
 */
import type { PackageManager } from './manager';
import { apk } from './apk';
import { apt } from './apt';
import { pnpm } from './pnpm';
import { uv } from './uv';
import { yarn } from './yarn';
import { go } from './go';
import { cargo } from './cargo';
import { maven } from './maven';
import { gradle } from './gradle';
import { poetry } from './poetry';
import { pipenv } from './pipenv';
import { pipSync } from './pip-sync';
import { pdm } from './pdm';
import { conda, mamba, micromamba } from './conda';

export const PACKAGE_MANAGERS: readonly PackageManager[] = [apt, apk, pnpm, yarn, uv, poetry, pipenv, pipSync, pdm, conda, mamba, micromamba, go, cargo, maven, gradle];
