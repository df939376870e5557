/**
 * Counters of the work the engine does, so that tests catch a quadratic by counting instead of
 * timing (a timed assertion fails on a loaded machine; see test/scaling). Plain integer
 * increments on hot paths: cheap enough to stay on in production.
 */
export interface WorkCounters {
  /** `instructionAtLine` calls, and the instructions they compared (a binary search: log n each). */
  instructionLookups: number;
  instructionLookupSteps: number;
  /** Rules run over a Dockerfile: one per rule and build context. */
  ruleVisits: number;
  /** RUN instructions read by the shell reader (once per parse: rules share the result). */
  runScriptsRead: number;
  /** Calls of parseRunScript: rules visiting a RUN, read or cached. */
  runScriptVisits: number;
  /** Characters the shell reader scanned (continuations joined, tokenized, heredoc checks). */
  shellCharsRead: number;
  /** Variables copied into a map because a rule iterated the ENV in force (`get` copies none). */
  envEntriesMaterialized: number;
  /** Findings the engine checked for suppressions and sorted. */
  findingsChecked: number;
  /** Rules that stopped early because the file exceeds their budget (see work-budget.ts). */
  rulesOverBudget: number;
  /** Budget units rules spent (work-budget.ts): RUN text visited, ENV variables read. */
  budgetUnitsSpent: number;
}

export const work: WorkCounters = {
  instructionLookups: 0,
  instructionLookupSteps: 0,
  ruleVisits: 0,
  runScriptsRead: 0,
  runScriptVisits: 0,
  shellCharsRead: 0,
  envEntriesMaterialized: 0,
  findingsChecked: 0,
  rulesOverBudget: 0,
  budgetUnitsSpent: 0,
};

/** The counters' values now, for a test to subtract from later ones. */
export function snapshotWork(): WorkCounters {
  return { ...work };
}

/** Work done since `before`. */
export function workSince(before: WorkCounters): WorkCounters {
  const out = { ...work };
  for (const key of Object.keys(out) as Array<keyof WorkCounters>) out[key] -= before[key];
  return out;
}
