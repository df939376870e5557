/** Every rule dockopt runs, in the order their findings are listed. */
import type { Rule } from './types';

export const rules: readonly Rule[] = [];

export function findRule(id: string): Rule | undefined {
  return rules.find((rule) => rule.meta.id === id);
}
