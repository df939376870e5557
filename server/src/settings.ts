/**
 * dockopt's settings as the engine sees them: resolved per document by the front end
 * (LSP: workspace/configuration per resource; CLI: defaults), never stored globally.
 */
import type { RuleId, Severity } from './rule-ids';

export type RuleLevel = Severity | 'off';

export interface ContextOverride {
  /** Dockerfile path (absolute, or relative to the workspace folder). */
  dockerfile: string;
  /** Build context directory (absolute, or relative to the workspace folder). */
  context: string;
}

export interface ResolvedSettings {
  /** Per-rule level; a rule missing here runs at its default severity. */
  rules: Partial<Record<RuleId, RuleLevel>>;
  /** `dockopt.python.targetVersion` as the user set it; unset, the rule's option default applies (python-base-version's meta). */
  python: { targetVersion?: string };
  contextOverrides: ContextOverride[];
  /** Globs (relative to the workspace folder) of files dockopt skips. */
  exclude: string[];
}

export const DEFAULT_SETTINGS: ResolvedSettings = {
  rules: {},
  python: {},
  contextOverrides: [],
  exclude: [],
};

const LEVELS: readonly RuleLevel[] = ['off', 'hint', 'info', 'warning', 'error'];

/** Settings as typed by a user: any shape, checked field by field below. */
interface RawSettings {
  rules?: unknown;
  python?: { targetVersion?: unknown };
  contextOverrides?: unknown;
  exclude?: unknown;
  [other: string]: unknown;
}

/** Turns whatever a user typed into settings; unknown values fall back to defaults. */
export function resolveSettings(raw: unknown): ResolvedSettings {
  const input = (raw && typeof raw === 'object' ? raw : {}) as RawSettings;
  const rules: Partial<Record<RuleId, RuleLevel>> = {};
  if (input.rules && typeof input.rules === 'object') {
    for (const [id, level] of Object.entries(input.rules)) {
      if (typeof level === 'string' && (LEVELS as string[]).includes(level)) rules[id as RuleId] = level as RuleLevel;
    }
  }
  const target = input.python?.targetVersion;
  const contextOverrides = Array.isArray(input.contextOverrides)
    ? input.contextOverrides.filter(
        (o: unknown): o is { dockerfile: string; context: string } =>
          !!o && typeof (o as Record<string, unknown>).dockerfile === 'string' && typeof (o as Record<string, unknown>).context === 'string',
      )
    : [];
  const exclude = Array.isArray(input.exclude) ? input.exclude.filter((g: unknown): g is string => typeof g === 'string') : [];
  return {
    rules,
    python: typeof target === 'string' && /^\d+\.\d+$/.test(target) ? { targetVersion: target } : {},
    contextOverrides,
    exclude,
  };
}
