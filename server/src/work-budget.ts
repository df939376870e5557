/**
 * A per-rule work budget, so that no input stalls the language server: the engine gives each
 * rule a budget for one Dockerfile, and the shared readers rules go through (RUN scripts, the
 * ENV in force) charge it for the work they do or stand for. A rule that runs out stops at its
 * next charge and the engine reports "file too large for rule X" instead of its findings.
 *
 * The units are counted, never timed: the same file gets the same answer on a busy machine.
 * One unit is about one character or one variable read; real Dockerfiles use a few thousand.
 */
import { work } from './work-counters';

/** Units one rule may spend on one Dockerfile. */
export const RULE_WORK_BUDGET = 1_000_000;

/** Thrown at the charge that exceeds the budget; the engine catches it. */
export class WorkBudgetExceeded extends Error {
  constructor() {
    super('work budget exceeded');
  }
}

let remaining = Infinity;
let exceeded = false;

/** Charges the running rule (free outside one). Throws once the budget is spent, and at every charge after. */
export function chargeWork(units: number): void {
  remaining -= units;
  if (remaining < 0) {
    exceeded = true;
    throw new WorkBudgetExceeded();
  }
}

export interface BudgetedRun<T> {
  result?: T;
  /** The rule ran out: its result, if any, is incomplete and dropped. */
  exceeded: boolean;
  /** What the rule threw, other than running out. */
  error?: unknown;
}

/**
 * Runs `check` with `budget` units. `exceeded` is sticky: a rule that catches the error itself
 * (rules guard their reads against odd input) is still known to have run out.
 */
export function runWithBudget<T>(budget: number, check: () => T): BudgetedRun<T> {
  const outer = { remaining, exceeded };
  remaining = budget;
  exceeded = false;
  try {
    const result = check();
    return exceeded ? { exceeded: true } : { result, exceeded: false };
  } catch (error) {
    return exceeded || error instanceof WorkBudgetExceeded ? { exceeded: true } : { exceeded: false, error };
  } finally {
    work.budgetUnitsSpent += budget - Math.max(remaining, 0);
    if (exceeded) work.rulesOverBudget++;
    remaining = outer.remaining;
    exceeded = outer.exceeded;
  }
}
