/**
 * Pinned dependencies that cannot install on a newer Python. A requirements file that pins
 * `numpy==1.21.4` installs on python:3.10 and fails on python:3.12: that numpy has no wheel for
 * 3.12 and its source build needs a compiler and headers the slim images lack. dockopt cannot ask
 * an index here, so it knows only this table: for widely used packages with compiled parts (or,
 * for Django, a documented floor), the first release that supports each Python. The versions are
 * chosen on the safe side: a pin below them leaves the upgrade to the user.
 */
import type { BuildContext, ContextScan } from '../workspace/build-context';
import { compareReleases } from './version-specifiers';

/** Package → Python minor → first release that supports it. */
const FIRST_SUPPORTING: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  numpy: { 12: '1.26.0', 13: '2.1.0' },
  scipy: { 12: '1.11.2', 13: '1.14.1' },
  pandas: { 12: '2.1.1', 13: '2.2.3' },
  'scikit-learn': { 12: '1.3.1', 13: '1.5.2' },
  torch: { 12: '2.2.0', 13: '2.5.0' },
  tensorflow: { 12: '2.16.1', 13: '2.20.0' },
  onnxruntime: { 12: '1.17.0', 13: '1.21.0' },
  matplotlib: { 12: '3.8.0', 13: '3.9.2' },
  greenlet: { 12: '3.0.0', 13: '3.1.0' },
  gevent: { 12: '23.9.0', 13: '24.10.1' },
  lxml: { 12: '4.9.3', 13: '5.3.0' },
  'psycopg2-binary': { 12: '2.9.9', 13: '2.9.10' },
  psycopg2: { 12: '2.9.9', 13: '2.9.10' },
  aiohttp: { 12: '3.9.0', 13: '3.11.0' },
  uvloop: { 12: '0.18.0', 13: '0.21.0' },
  pillow: { 12: '10.1.0', 13: '11.0.0' },
  pyyaml: { 12: '6.0.1', 13: '6.0.2' },
  grpcio: { 12: '1.59.0', 13: '1.68.0' },
  django: { 12: '4.2.8', 13: '5.1.3' },
};

const MAX_FILES = 20;

/**
 * The first pin in the context's requirements files that is older than what `python 3.toMinor`
 * needs, as `file: name==version`; undefined when none is (or no table entry applies).
 */
export function pinTooOldFor(build: BuildContext | undefined, toMinor: number): string | undefined {
  if (!build?.scan || !build.readFile) return undefined;
  // Once per scan and version: a Dockerfile with many stages asks for each.
  let known = memo.get(build.scan);
  if (!known) memo.set(build.scan, (known = new Map()));
  if (!known.has(toMinor)) known.set(toMinor, findOldPin(build, build.scan, toMinor));
  return known.get(toMinor);
}

const memo = new WeakMap<ContextScan, Map<number, string | undefined>>();

function findOldPin(build: BuildContext, scan: ContextScan, toMinor: number): string | undefined {
  if (!build.readFile) return undefined;
  const files = scan.files.filter((f) => /(^|\/)requirements([^/]*|\/[^/]+)\.(txt|in)$/i.test(f.path) && f.size < 512 * 1024).slice(0, MAX_FILES);
  for (const file of files) {
    const text = build.readFile(file.path);
    if (!text) continue;
    for (const line of text.split(/\r?\n/)) {
      const pin = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([0-9][0-9A-Za-z.]*)/.exec(line);
      if (!pin) continue;
      const name = pin[1].toLowerCase().replace(/[._]+/g, '-');
      const floor = FIRST_SUPPORTING[name]?.[toMinor] ?? highestBelow(FIRST_SUPPORTING[name], toMinor);
      if (floor && olderThan(pin[2], floor)) return `${file.path}: ${pin[1]}==${pin[2]} (Python 3.${toMinor} needs ${floor} or later)`;
    }
  }
  return undefined;
}

/** For a Python newer than the table knows, the newest floor it has is still a floor. */
function highestBelow(floors: Readonly<Record<number, string>> | undefined, minor: number): string | undefined {
  if (!floors) return undefined;
  const known = Object.keys(floors).map(Number).filter((m) => m < minor).sort((a, b) => b - a);
  return known.length > 0 ? floors[known[0]] : undefined;
}

function olderThan(version: string, floor: string): boolean {
  // `2.0.0rc1` reads as 2.0.0: parseInt stops at the pre-release letters.
  const release = (v: string) => v.split('.').map((p) => parseInt(p, 10) || 0);
  return compareReleases(release(version), release(floor)) < 0;
}
