/**
 * Runs one rule over an inline Dockerfile the way the engine does, and applies its
 * preferred fixes to the Dockerfile's text, so rule tests read as "this text becomes that text".
 */
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { applyTextEdits } from '../../server/src/fixes/apply';
import type { Finding, Rule } from '../../server/src/rules/types';
import { DEFAULT_SETTINGS, type ResolvedSettings } from '../../server/src/settings';
import type { BuildContext } from '../../server/src/workspace/build-context';

export const DOCKERFILE_PATH = '/work/app/Dockerfile';

export interface RuleTestOptions {
  settings?: Partial<ResolvedSettings>;
  buildContext?: BuildContext;
  path?: string;
}

export function check(rule: Rule, text: string, options: RuleTestOptions = {}): Finding[] {
  const model = parseDockerfile(text);
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  return rule.checkDockerfile!({ path: options.path ?? DOCKERFILE_PATH, model, buildContext: options.buildContext, settings })
    .filter((f) => !model.isSuppressed(f.ruleId, model.instructionAtLine(f.range.start.line)));
}

/** The Dockerfile's text after every preferred fix of the rule, one pass. */
export function fixOnce(rule: Rule, text: string, options: RuleTestOptions = {}): string {
  const path = options.path ?? DOCKERFILE_PATH;
  const edits = check(rule, text, options).flatMap((finding) =>
    (finding.fixes.find((fix) => fix.isPreferred)?.changes ?? []).flatMap((change) =>
      change.kind === 'edit' && change.path === path ? change.edits : [],
    ),
  );
  return applyTextEdits(text, edits).text;
}

/** Fixes, then asserts that the rule no longer fires and a second pass changes nothing. */
export function fix(rule: Rule, text: string, options: RuleTestOptions = {}): string {
  const once = fixOnce(rule, text, options);
  assert.equal(fixOnce(rule, once, options), once, 'applying the fix twice must change nothing');
  return once;
}
