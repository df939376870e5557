/**
 * The `--mount=` flags of a RUN, read into their options (type, target, uid, …).
 */
import type { Instruction } from 'dockerfile-ast';
import type { Position } from '../positions';

export interface RunMount {
  /** `cache`, `bind`, `secret`, `ssh`, `tmpfs`; BuildKit's default is `bind`. */
  type: string;
  /** Normalized: no trailing slash. */
  target?: string;
  options: ReadonlyMap<string, string>;
  /** Where the flag's value (`type=cache,…`) is in the document, for edits of its options. */
  valueRange?: { start: Position; end: Position };
}

export function readMounts(run: Instruction): readonly RunMount[] {
  // Every cache rule asks for every RUN: read once per instruction, which later versions of the
  // document keep while it is unchanged (incremental-parse.ts; its ranges are lines and characters,
  // which stay right then).
  let mounts = MOUNTS.get(run);
  if (!mounts) MOUNTS.set(run, (mounts = readMountFlags(run)));
  return mounts;
}

const MOUNTS = new WeakMap<Instruction, readonly RunMount[]>();

function readMountFlags(run: Instruction): readonly RunMount[] {
  type MountFlag = { getName(): string; getValue(): string | null; getValueRange(): { start: Position; end: Position } | null };
  const flags = (run as Partial<{ getFlags(): MountFlag[] }>).getFlags?.();
  if (!flags) return [];
  return flags
    .filter((flag) => flag.getName().toLowerCase() === 'mount')
    .map((flag) => {
      const options = new Map<string, string>();
      for (const part of (flag.getValue() ?? '').split(',')) {
        const eq = part.indexOf('=');
        const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
        if (key) options.set(key, eq < 0 ? 'true' : unquote(part.slice(eq + 1).trim()));
      }
      const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
      const valueRange = flag.getValueRange() ?? undefined;
      return { type: (options.get('type') ?? 'bind').toLowerCase(), target: target && normalizeDir(target), options, valueRange };
    });
}

/** `/root/.cache/pip/` and `/root/.cache/pip` are the same directory. */
export function normalizeDir(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function unquote(value: string): string {
  return value.length >= 2 && value[0] === '"' && value.endsWith('"') ? value.slice(1, -1) : value;
}
