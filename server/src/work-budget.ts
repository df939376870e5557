/**
 * A per-rule work budget, so that no input stalls the language server: the engine gives each
 * rule a budget for one Dockerfile, and the shared readers rules go through (RUN scripts, the
 * ENV in force) charge it for the work they do or stand for. A rule that runs out stops at its
 * next charge and the engine reports "file too large for rule X" instead of its findings.
 *
 * The units are counted, never timed: the same file gets the same answer on a busy machine.
 * One unit is about one character or one variable read; real Dockerfiles use a few thousand.
 *
 * The language server adds a time limit on top (`withDeadline`): a file no one writes by hand can
 * stay inside every rule's units and still take seconds (thousands of stages, each with findings),
 * and a keystroke must not wait that long. Past the deadline every rule stops at its next call or
 * charge, and the server says which did not finish instead of showing half their findings.
 * `dockopt check` sets no deadline.
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

/** When the running check must stop (a clock reading); Infinity outside `withDeadline`. */
let deadline = Infinity;
let clock: () => number = () => performance.now();
/** Charges between two readings of the clock: a reading costs more than most charges. */
const CHARGES_PER_CLOCK_READING = 64;
let chargesUntilReading = CHARGES_PER_CLOCK_READING;
let pastDeadline = false;

/** Charges the running rule (free outside one). Throws once the budget is spent, and at every charge after. */
export function chargeWork(units: number): void {
  remaining -= units;
  if (remaining < 0) {
    exceeded = true;
    throw new WorkBudgetExceeded();
  }
  // Only inside a rule's account: the parse charges too, and must never be cut halfway.
  if (deadline !== Infinity && remaining !== Infinity && --chargesUntilReading <= 0) {
    chargesUntilReading = CHARGES_PER_CLOCK_READING;
    if (isPastDeadline()) throw new WorkBudgetExceeded();
  }
}

/**
 * Inside a rule's account, under the editor's time limit: stops the rule (as a charge past the
 * deadline does) once the limit has passed. The engine calls it before each visitor call, so a
 * rule whose visits charge little is stopped between them.
 */
export function stopIfPastDeadline(): void {
  if (deadline !== Infinity && remaining !== Infinity && isPastDeadline()) throw new WorkBudgetExceeded();
}

function isPastDeadline(): boolean {
  if (!pastDeadline && clock() > deadline) pastDeadline = true;
  return pastDeadline;
}

export interface DeadlineResult<T> {
  value: T;
  /** The rules stopped by the deadline, in the order they stopped; their findings were dropped. */
  stoppedRules: string[];
}

let stoppedRules: string[] | undefined;

/**
 * Runs `check` with every rule stopped once the clock passes `at`: `clock` is what `at` is read
 * against (performance.now by default; tests give their own).
 */
export function withDeadline<T>(at: number, check: () => T, readClock: () => number = () => performance.now()): DeadlineResult<T> {
  const outer = { deadline, clock, pastDeadline, stoppedRules, chargesUntilReading };
  deadline = at;
  clock = readClock;
  pastDeadline = false;
  chargesUntilReading = CHARGES_PER_CLOCK_READING;
  const stopped: string[] = (stoppedRules = []);
  try {
    return { value: check(), stoppedRules: stopped };
  } finally {
    ({ deadline, clock, pastDeadline, stoppedRules, chargesUntilReading } = outer);
  }
}

/** The engine reports a rule the deadline stopped (its findings are dropped). */
export function noteStoppedByDeadline(ruleId: string): void {
  if (stoppedRules && !stoppedRules.includes(ruleId)) stoppedRules.push(ruleId);
}

/**
 * One rule's budget for one Dockerfile, spent over several calls (the engine calls a rule's
 * visitors one instruction at a time, between other rules' visitors).
 */
export class WorkAccount {
  remaining: number;
  exceeded = false;
  /** Stopped by the deadline of `withDeadline`, not by its units. */
  timedOut = false;
  /** What the rule threw, other than running out: the rule is then stopped. */
  error?: unknown;
  private failed = false;

  constructor(readonly budget: number) {
    this.remaining = budget;
  }

  /** The rule stopped: it ran out or threw. Its later calls are skipped, its findings dropped. */
  get stopped(): boolean {
    return this.exceeded || this.failed || this.timedOut;
  }

  /** Runs one call of the rule on this account. */
  run(call: () => void): void {
    if (this.stopped) return;
    if (deadline !== Infinity && isPastDeadline()) {
      this.timedOut = true;
      return;
    }
    const outer = { remaining, exceeded };
    remaining = this.remaining;
    exceeded = false;
    try {
      call();
    } catch (error) {
      if (!exceeded && error instanceof WorkBudgetExceeded && pastDeadline) {
        this.timedOut = true;
      } else if (!(exceeded || error instanceof WorkBudgetExceeded)) {
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
