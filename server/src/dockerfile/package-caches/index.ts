/**
 * Every package manager whose cache dockopt mounts through the rules `cache-mount` and
 * `cache-disabled`, in the order their findings are listed. pip and npm have their own rules
 * (`pip-cache-mount`, `pip-no-cache-dir`, `npm-cache-mount`), which came first.
 */
import type { PackageManager } from './manager';
import { apk } from './apk';
import { uv } from './uv';

export const PACKAGE_MANAGERS: readonly PackageManager[] = [apk, uv];
