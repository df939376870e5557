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

/**
 * One rule's budget for one Dockerfile, spent over several calls (the engine calls a rule's
 * visitors one instruction at a time, between other rules' visitors).
 */
export class WorkAccount {
  remaining: number;
  exceeded = false;
  /** What the rule threw, other than running out: the rule is then stopped. */
  error?: unknown;
  private failed = false;

  constructor(readonly budget: number) {
    this.remaining = budget;
  }

  /** The rule stopped: it ran out or threw. Its later calls are skipped, its findings dropped. */
  get stopped(): boolean {
    return this.exceeded || this.failed;
  }

  /** Runs one call of the rule on this account. */
  run(call: () => void): void {
    if (this.stopped) return;
    const outer = { remaining, exceeded };
    remaining = this.remaining;
    exceeded = false;
    try {
      call();
    } catch (error) {
      if (!(exceeded || error instanceof WorkBudgetExceeded)) {
        this.failed = true;
        this.error = error;
      }
    } finally {
      work.budgetUnitsSpent += this.remaining - Math.max(remaining, 0);
      this.remaining = Math.max(remaining, 0);
      if (exceeded && !this.exceeded) {
        this.exceeded = true;
        work.rulesOverBudget++;
      }
      remaining = outer.remaining;
      exceeded = outer.exceeded;
    }
  }
}
